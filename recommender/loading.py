"""The model each process serves: the version the database marks active, loaded lazily, checked once, with a
fallback when it cannot serve.

Nothing is loaded at import time or in AppConfig.ready(). Which version serves is decided in the database
(`ModelVersion` with status active: one row, switched in one transaction), so every app server agrees; a process
re-reads that choice at most once per DEEPPATH_CATALOG_CACHE_SECONDS and loads a new version from the artifact
storage when it changes. A version that cannot be read or fails its checks is refused with a logged reason:
the process keeps serving the last good version it has (or a recently retired one, or the no-model ranking),
health reports `degraded`, and the load is tried again after DEEPPATH_MODEL_RETRY_SECONDS.
"""

import logging
import threading
import time
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from scipy import sparse

from recommender.artifact_store import artifact_read
from recommender.core.artifacts import ArtifactError, checked_artifact
from recommender.models import ModelVersion

logger = logging.getLogger(__name__)
FALLBACK_CANDIDATES = 3  # retired versions tried, newest first, when the active one cannot serve


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
            raise ArtifactError("artifact item ids must be strictly increasing")

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


def load_model(version: str) -> LoadedModel:
    """The stored version, checked: raises ArtifactError with the reason when it must not serve."""
    manifest, arrays = artifact_read(version)
    checked = checked_artifact(manifest, arrays)
    model = LoadedModel(
        version=version,
        estimator=checked.estimator,
        item_ids=checked.item_ids,
        popularity_by_level=checked.popularity_by_level,
        manifest=checked.manifest,
    )
    _check_it_scores(model)
    return model


def _check_it_scores(model: LoadedModel) -> None:
    """Score once the way serving does, with every column touched: arrays whose shapes disagree with the item
    ids fail here, at load, instead of on a learner's request."""
    n = model.n_items
    row = sparse.csr_matrix(np.ones((1, n), dtype=np.float32)) if n else sparse.csr_matrix((1, 0), dtype=np.float32)
    sequence = np.unique(np.asarray([0, n // 2, n - 1], dtype=np.int64)) if n else np.zeros(0, dtype=np.int64)
    try:
        total, part = model.score(row, [sequence])
    except Exception as error:  # noqa: BLE001  whatever the estimator raises, the version cannot serve
        raise ArtifactError(f"scoring fails ({type(error).__name__}: {error})") from None
    for name, scores in (("scores", total), ("collaborative scores", part)):
        if scores is None:
            continue
        scores = np.asarray(scores)
        if scores.shape != (n,):
            raise ArtifactError(f"{name} have shape {scores.shape}, expected ({n},) for {n} item ids")
        if not np.all(np.isfinite(scores)):
            raise ArtifactError(f"{name} hold NaN or infinite values")


@dataclass(frozen=True)
class LoadFailure:
    version: str
    reason: str
    retry_at: float  # time.monotonic() after which a request tries this version again


class ModelLoader:
    """One process's serving model. Thread-safe; the module keeps one instance (tests make their own to play
    several app servers sharing one database and one storage)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._model: LoadedModel | None = None  # the last good model: the active one, or a fallback
        self._failure: LoadFailure | None = None
        self._active: tuple[str | None, float] | None = None  # (active version, when it was read)

    def active_version(self) -> str | None:
        """The version the database marks active, re-read at most once per catalog cache window."""
        cached = self._active
        if cached is not None and time.monotonic() - cached[1] <= settings.DEEPPATH_CATALOG_CACHE_SECONDS:
            return cached[0]
        version = (
            ModelVersion.objects.filter(status=ModelVersion.Status.ACTIVE)
            .order_by()
            .values_list("version", flat=True)
            .first()
        )
        self._active = (version, time.monotonic())
        return version

    def active_model(self) -> LoadedModel | None:
        """The model to serve: the active version; while it cannot be loaded, the last good one or None."""
        version = self.active_version()
        model = self._model
        if version is None:
            return None
        if model is not None and model.version == version:
            return model
        failure = self._failure
        if failure is not None and failure.version == version and time.monotonic() < failure.retry_at:
            return model
        with self._lock:
            if self._model is not None and self._model.version == version:
                return self._model
            failure = self._failure
            if failure is not None and failure.version == version and time.monotonic() < failure.retry_at:
                return self._model
            return self._load_active(version)

    def _load_active(self, version: str) -> LoadedModel | None:
        try:
            self._model = _load_logged(version)
        except Exception as error:  # noqa: BLE001  a broken artifact must not take the site down
            reason = f"model {version} cannot serve: {error}"
            retry_in = settings.DEEPPATH_MODEL_RETRY_SECONDS
            self._failure = LoadFailure(version, reason, time.monotonic() + retry_in)
            logger.error("%s; serving %s; retrying in %ss", reason, self._fallback_name(), retry_in)
            if self._model is None:
                self._model = self._fallback(exclude=version)
            return self._model
        self._failure = None
        return self._model

    def _fallback(self, *, exclude: str) -> LoadedModel | None:
        """The newest recently retired version that loads, so a fresh process serves what the others still do."""
        retired = (
            ModelVersion.objects.filter(status=ModelVersion.Status.RETIRED)
            .exclude(version=None)
            .exclude(version=exclude)
            .order_by("-finished_at", "-id")
            .values_list("version", flat=True)[:FALLBACK_CANDIDATES]
        )
        for version in retired:
            try:
                return _load_logged(version)
            except Exception as error:  # noqa: BLE001
                logger.warning("Fallback model %s cannot serve either: %s", version, error)
        return None

    def _fallback_name(self) -> str:
        return f"model {self._model.version}" if self._model is not None else "the best fallback available"

    def problem(self) -> str | None:
        """Why the active version is not the one serving; None when it is, or when no version is active."""
        failure, active = self._failure, self._active
        if failure is None or active is None or active[0] != failure.version:
            return None
        return failure.reason

    def notice_new_active_version(self) -> None:
        """Re-read the active version on the next request (this process just switched it)."""
        self._active = None

    def forget(self) -> None:
        with self._lock:
            self._model, self._failure, self._active = None, None, None


def _load_logged(version: str) -> LoadedModel:
    started = time.monotonic()
    model = load_model(version)
    logger.info("Loaded recommender model %s in %.2fs", version, time.monotonic() - started)
    return model


_loader = ModelLoader()


def active_model() -> LoadedModel | None:
    """The serving model, or None when no model is active (callers then fall back to structure + popularity)."""
    return _loader.active_model()


def model_problem() -> str | None:
    """Why the active model is not the one serving, or None when it is (or when no model is active)."""
    return _loader.problem()


def notice_new_active_version() -> None:
    _loader.notice_new_active_version()


def forget_loaded_model() -> None:
    _loader.forget()
