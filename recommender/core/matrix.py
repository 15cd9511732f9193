"""Ids <-> contiguous indices, the user x item CSR matrix, and the curated item structure (groups + positions)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse


class IdIndex:
    """A bijection between external string ids and the contiguous integers 0..n-1 that rows and columns use."""

    def __init__(self, values: Iterable[str]) -> None:
        self.values = np.asarray([str(value) for value in values], dtype=str)
        if self.values.dtype == object or self.values.ndim != 1:
            raise ValueError("ids must be a flat sequence of strings")
        self._positions = {value: index for index, value in enumerate(self.values.tolist())}
        if len(self._positions) != len(self.values):
            raise ValueError("ids must be unique")

    @classmethod
    def from_values(cls, values: Iterable[str]) -> IdIndex:
        """Index the distinct values in FIRST-SEEN order (so an index built from a file follows the file)."""
        return cls(dict.fromkeys(str(value) for value in values))

    def encode(self, values: Iterable[str]) -> np.ndarray:
        """Indices (int64) of `values`; -1 for an id this index does not know."""
        lookup = self._positions.get
        return np.fromiter((lookup(str(value), -1) for value in values), dtype=np.int64)

    def decode(self, indices: Iterable[int]) -> list[str]:
        """External ids of `indices` (which must all be valid)."""
        return self.values[np.asarray(list(indices), dtype=np.int64)].tolist()

    def __len__(self) -> int:
        return len(self.values)

    def __contains__(self, value: object) -> bool:
        return str(value) in self._positions

    def __repr__(self) -> str:
        return f"IdIndex({len(self)} ids)"


def build_matrix(user_idx, item_idx, weights, n_users: int, n_items: int) -> sparse.csr_matrix:
    """A float32 (n_users, n_items) CSR matrix; a (user, item) pair given several times keeps its MAX weight.

    Zero weights are not stored, so an all-zero pair is indistinguishable from an absent one.
    """
    users = np.asarray(user_idx, dtype=np.int64)
    items = np.asarray(item_idx, dtype=np.int64)
    values = np.asarray(weights, dtype=np.float32)
    if not (len(users) == len(items) == len(values)):
        raise ValueError("user_idx, item_idx and weights must have the same length")
    if len(users) and (users.min() < 0 or users.max() >= n_users or items.min() < 0 or items.max() >= n_items):
        raise ValueError("an index is out of range")
    # Sorting by (pair, weight) puts each pair's largest weight last; keep that one (scipy would sum duplicates).
    keys = users * n_items + items
    order = np.lexsort((values, keys))
    keys, values = keys[order], values[order]
    last = np.ones(len(keys), dtype=bool)
    last[:-1] = keys[1:] != keys[:-1]
    keys, values = keys[last], values[last]
    matrix = sparse.csr_matrix((values, (keys // n_items, keys % n_items)), shape=(n_users, n_items), dtype=np.float32)
    matrix.eliminate_zeros()
    return matrix


def _grouped_order(keys: np.ndarray, n_keys: int, tie: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(order, indptr): `order` lists entries by key then `tie`; indptr[k]:indptr[k+1] is key k's slice."""
    order = np.lexsort((tie, keys))
    indptr = np.zeros(n_keys + 1, dtype=np.int64)
    np.cumsum(np.bincount(keys, minlength=n_keys), out=indptr[1:])
    return order, indptr


@dataclass(eq=False)
class ItemStructure:
    """The curated structure as parallel arrays of entries: item `item[e]` sits at `position[e]` (1-based) of group
    `group[e]`. An item may appear in several groups (a resource on several learning paths)."""

    item: np.ndarray
    group: np.ndarray
    position: np.ndarray
    n_items: int | None = None
    n_groups: int | None = None
    _by_item: tuple[np.ndarray, np.ndarray] = field(init=False, repr=False)
    _by_group: tuple[np.ndarray, np.ndarray] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.item = np.asarray(self.item, dtype=np.int64)
        self.group = np.asarray(self.group, dtype=np.int64)
        self.position = np.asarray(self.position, dtype=np.int64)
        if not (self.item.shape == self.group.shape == self.position.shape) or self.item.ndim != 1:
            raise ValueError("item, group and position must be 1-d arrays of the same length")
        if len(self.item) and (self.item.min() < 0 or self.group.min() < 0 or self.position.min() < 1):
            raise ValueError("items and groups must be >= 0 and positions >= 1")
        top_item = int(self.item.max()) + 1 if len(self.item) else 0
        top_group = int(self.group.max()) + 1 if len(self.group) else 0
        self.n_items = max(self.n_items or 0, top_item)
        self.n_groups = max(self.n_groups or 0, top_group)
        self._by_item = _grouped_order(self.item, self.n_items, self.position)
        self._by_group = _grouped_order(self.group, self.n_groups, self.position)

    def __len__(self) -> int:
        return len(self.item)

    def entries_of_items(self, items: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(owner, entry): for each i, the entries of `items[i]`, with `owner` the index i they came from."""
        order, indptr = self._by_item
        items = np.asarray(items, dtype=np.int64)
        valid = items < self.n_items  # items added to the catalog after the structure simply have no entries
        return _expand(order, indptr, np.where(valid, items, 0), valid)

    def entries_of_groups(self, groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(owner, entry): for each i, the entries of group `groups[i]` in position order."""
        order, indptr = self._by_group
        groups = np.asarray(groups, dtype=np.int64)
        return _expand(order, indptr, groups, valid=np.ones(len(groups), dtype=bool))

    def first_positions(self) -> np.ndarray:
        """Items at the lowest position of each group (the natural starts for a learner with no history)."""
        order, indptr = self._by_group
        starts = indptr[:-1][np.diff(indptr) > 0]
        return np.unique(self.item[order[starts]])

    def to_arrays(self, prefix: str = "structure.") -> dict[str, np.ndarray]:
        """The structure as plain int arrays (for artifacts)."""
        counts = np.asarray([self.n_items, self.n_groups], dtype=np.int64)
        arrays = {"item": self.item, "group": self.group, "position": self.position, "counts": counts}
        return {prefix + key: value for key, value in arrays.items()}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], prefix: str = "structure.") -> ItemStructure | None:
        """The structure saved by `to_arrays`, or None when `arrays` holds none."""
        if prefix + "item" not in arrays:
            return None
        n_items, n_groups = (int(value) for value in arrays[prefix + "counts"])
        return cls(arrays[prefix + "item"], arrays[prefix + "group"], arrays[prefix + "position"], n_items, n_groups)


def _expand(
    order: np.ndarray, indptr: np.ndarray, keys: np.ndarray, valid: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised concatenation of order[indptr[k]:indptr[k+1]] for every k in keys, with owner indices."""
    if len(indptr) < 2:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    starts = np.where(valid, indptr[keys], 0)
    counts = np.where(valid, indptr[keys + 1] - starts, 0)
    owner = np.repeat(np.arange(len(keys)), counts)
    offsets = np.arange(len(owner)) - np.repeat(np.cumsum(counts) - counts, counts)
    return owner, order[np.repeat(starts, counts) + offsets]


def build_sequences(user_idx, item_idx, n_users: int, order=None) -> list[np.ndarray]:
    """Each user's items in time order (most recent last), an item repeated later keeping only its last place.

    `order` lists the rows chronologically (e.g. from `metrics.chronological_order`); without it the rows are
    taken to be in time order already. Users without rows get an empty array.
    """
    users = np.asarray(user_idx, dtype=np.int64)
    items = np.asarray(item_idx, dtype=np.int64)
    order = np.arange(len(users)) if order is None else np.asarray(order, dtype=np.int64)
    users, items = users[order], items[order]
    # Keep the last occurrence of each (user, item): scan reversed, keep first occurrences, flip back.
    keys = users * (int(items.max()) + 1 if len(items) else 1) + items
    _, first_reversed = np.unique(keys[::-1], return_index=True)
    keep = np.sort(len(keys) - 1 - first_reversed)
    users, items = users[keep], items[keep]
    by_user = np.argsort(users, kind="stable")
    bounds = np.searchsorted(users[by_user], np.arange(n_users + 1))
    items = items[by_user]
    return [items[bounds[u] : bounds[u + 1]] for u in range(n_users)]
