"""The active model of this process, loaded lazily and reloaded when the active artifact changes.

Nothing is loaded at import time or in AppConfig.ready(): the first request that needs the model reads the
ACTIVE pointer; later requests only re-read that small file (a few microseconds) to notice a new version.
"""

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from django.conf import settings

from recommender.core import artifacts

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CatalogAlignment:
    columns: np.ndarray  # model column of each catalog row, -1 for resources the model has not seen
    popularity_by_level: np.ndarray  # (3, n_catalog_rows) training-time completions by learner level


@dataclass
class LoadedModel:
    version: str
    estimator: object
    item_ids: np.ndarray  # resource id of each model column
    popularity_by_level: np.ndarray  # (3, n_items) completions by learner level at training time
    manifest: dict
    _alignment: tuple[np.ndarray, CatalogAlignment] | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Columns are stored in ascending resource id, so a lookup is one vectorised binary search.
        if np.any(np.diff(self.item_ids) <= 0):
            raise ValueError("artifact item ids must be strictly increasing")

    @property
    def n_items(self) -> int:
        return len(self.item_ids)

    def columns_of(self, resource_ids: np.ndarray) -> np.ndarray:
        """Model column of each resource id, -1 for resources the model has not seen."""
        resource_ids = np.asarray(resource_ids, dtype=np.int64)
        positions = np.searchsorted(self.item_ids, resource_ids)
        clipped = np.minimum(positions, max(self.n_items - 1, 0))
        found = (positions < self.n_items) & (self.item_ids[clipped] == resource_ids) if self.n_items else positions < 0
        return np.where(found, positions, -1).astype(np.int64)

    def aligned_with(self, catalog_ids: np.ndarray) -> CatalogAlignment:
        """Model columns and training-time popularity of the catalog's rows, remembered for the latest catalog
        (a snapshot lives for seconds to minutes; serving asks for this on every request)."""
        cached = self._alignment
        if cached is not None and cached[0] is catalog_ids:
            return cached[1]
        columns = self.columns_of(catalog_ids)
        popularity = np.zeros((3, len(catalog_ids)), dtype=np.float32)
        known = columns >= 0
        popularity[:, known] = self.popularity_by_level[:, columns[known]]
        alignment = CatalogAlignment(columns=columns, popularity_by_level=popularity)
        self._alignment = (catalog_ids, alignment)
        return alignment

    def score(self, row, sequences) -> tuple[np.ndarray, np.ndarray | None]:
        """(total, collaborative part) for one learner row, from the parts the estimator declares; the part is
        None for a model that declares no collaborative component."""
        parts = self.estimator.score_components(row, sequences)
        total = sum(parts.values())
        collaborative = self.estimator.collaborative_components
        if not collaborative:
            return total[0], None
        return total[0], sum(parts[name] for name in collaborative)[0]

    def strongest_neighbour(self, history_columns: np.ndarray, column: int) -> int:
        """Of the learner's items, the one most similar to `column` (as the estimator declares it), or -1."""
        if history_columns.size == 0:
            return -1
        values = self.estimator.similar_items(history_columns, column)
        best = int(np.argmax(values))
        return int(history_columns[best]) if values[best] > 0 else -1


_lock = threading.Lock()
_state: dict[str, LoadedModel | str | None] = {"model": None, "failed_version": None, "problem": None}


def model_root() -> Path:
    return Path(settings.DEEPPATH_MODEL_DIR)


def active_model() -> LoadedModel | None:
    """The serving model, or None when no model is active (callers then fall back to structure + popularity)."""
    version = artifacts.active_version(model_root())
    current = _state["model"]
    if version is None:
        return None
    if isinstance(current, LoadedModel) and current.version == version:
        return current
    if _state["failed_version"] == version:
        return None
    with _lock:
        try:
            _state["model"] = load_model(model_root() / version, version)
        except (OSError, ValueError, KeyError) as error:
            # A broken artifact must not take the site down: log once, serve the fallback.
            logger.error("Cannot load recommender model %s: %s", version, error)
            _state["failed_version"] = version
            _state["problem"] = f"model {version} cannot be loaded: {error}"
            return None
    return _state["model"]


def load_model(path: Path, version: str) -> LoadedModel:
    manifest, arrays = artifacts.load_artifact(path)
    estimator = artifacts.estimator_from_artifact(manifest, arrays)
    return LoadedModel(
        version=version,
        estimator=estimator,
        item_ids=np.asarray(arrays["context.item_ids"], dtype=np.int64),
        popularity_by_level=np.asarray(arrays["context.popularity_by_level"], dtype=np.float32),
        manifest=manifest,
    )


def model_problem() -> str | None:
    """Why the active model is not the one serving, or None when it is (or when no model is active)."""
    return _state["problem"] if _state["failed_version"] is not None else None


def forget_loaded_model() -> None:
    with _lock:
        _state["model"] = None
        _state["failed_version"] = None
        _state["problem"] = None
