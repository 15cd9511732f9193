"""Recently ranked lists, kept per process so that asking again with nothing changed does not rank again.

Ranking is a pure function of the learner's state (`LearnerState.fingerprint`), the catalog snapshot, the serving
model, the requested length and the language the reasons are written in: no clock, no setting and no other
learner's rows are read (popularity comes with the snapshot or the model). So a list ranked for one key is the
list for that key until the snapshot or the model is replaced, and then every entry is dropped at once. A learner's
own write changes their state, hence their key: it can never be answered from an older list.

Profiled on `GET /api/v1/me/recommendations/`, ranking was most of the request's own time; a mobile client
re-asks on every app open, most often with nothing changed.
"""

import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar

Item = TypeVar("Item")

MEMO_SIZE = 2048  # lists per process: a few hundred bytes each (ids and references to shared cards)


@dataclass(frozen=True)
class RankedList(Generic[Item]):
    ids: list[int]  # the ranked resource ids, before the check that each is still published
    items: dict[int, Item]  # the served ones (the first `limit` still published), by id


class RankedListMemo(Generic[Item]):
    """A bounded, thread-safe map from a ranking's key to its list, valid for one (catalog, model) pair."""

    def __init__(self, size: int = MEMO_SIZE) -> None:
        self._size = size
        self._lock = threading.Lock()
        self._catalog: object = None
        self._model: object = None
        self._entries: OrderedDict[Hashable, RankedList[Item]] = OrderedDict()

    def get(self, catalog: object, model: object, key: Hashable) -> RankedList[Item] | None:
        with self._lock:
            if catalog is not self._catalog or model is not self._model:
                return None
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, catalog: object, model: object, key: Hashable, ranked: RankedList[Item]) -> None:
        with self._lock:
            if catalog is not self._catalog or model is not self._model:
                # A new snapshot or model: every list ranked against the old ones is out of date (and holding
                # them would keep the old arrays in memory).
                self._entries.clear()
                self._catalog, self._model = catalog, model
            self._entries[key] = ranked
            self._entries.move_to_end(key)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._catalog = self._model = None

    def __len__(self) -> int:
        return len(self._entries)
