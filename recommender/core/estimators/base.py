"""The interface every estimator shares, and array-only persistence (no pickle)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, ClassVar

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator

from recommender.core.matrix import ItemStructure


class Recommender(BaseEstimator, ABC):
    """A scikit-learn style recommender.

    `fit(X, structure=None, sequences=None)` learns from a user x item CSR matrix (and, for the models that use
    them, the curated structure and each training user's items in time order). `score(X_users, sequences=None)`
    returns dense float32 scores (n_rows, n_items) computed from the rows given, so users unseen at fit time are
    served too. Learned state lives in the attributes named in `_state` (trailing underscore); `to_arrays` and
    `from_arrays` persist exactly that state.

    What serving relies on is declared here, so it never probes attributes:
    - `components`: the names of the parts `score_components` returns (they sum to `score`); a single-part
      model has the one part "score".
    - `collaborative_components`: the parts learned from what other learners did next ("learners who did X went
      on to this"); serving cites such a reason only when these parts put the item there.
    - `similar_items(items, item)`: how similar each of `items` is to `item`, to name the learner's item behind
      a collaborative reason. A model that declares collaborative parts must override it (checked when the
      class is defined), so a new estimator cannot silently lose its reasons.
    - `fit_report()`: what fit learned about the data that a person should see (e.g. blend weights), as JSON.
    """

    name: ClassVar[str] = ""
    components: ClassVar[tuple[str, ...]] = ("score",)
    #: Whether fit learns settings from the data (beyond its parameters); `learned_params()` then freezes them.
    learns_settings: ClassVar[bool] = False
    collaborative_components: ClassVar[tuple[str, ...]] = ()
    _state: ClassVar[tuple[str, ...]] = ()
    #: State attributes that may legitimately be None (e.g. no structure was given); they are saved only if set.
    _optional_state: ClassVar[tuple[str, ...]] = ()

    @abstractmethod
    def fit(self, X, structure: ItemStructure | None = None, sequences: list[np.ndarray] | None = None):
        """Learn from the training matrix; returns self."""

    @abstractmethod
    def score(self, X_users, sequences: list[np.ndarray] | None = None) -> np.ndarray:
        """Dense float32 scores (n_rows, n_items) for the given rows."""

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        undeclared = set(cls.collaborative_components) - set(cls.components)
        if undeclared:
            raise TypeError(f"{cls.__name__}: collaborative parts {sorted(undeclared)} are not among its components")
        if cls.collaborative_components and cls.similar_items is Recommender.similar_items:
            raise TypeError(f"{cls.__name__} declares collaborative parts, so it must implement similar_items()")

    def score_components(self, X_users, sequences: list[np.ndarray] | None = None) -> dict[str, np.ndarray]:
        """Each declared component as dense float32 (n_rows, n_items), keyed by name; they sum to `score`."""
        return {"score": self.score(X_users, sequences)}

    def similar_items(self, items: np.ndarray, item: int) -> np.ndarray:
        """Similarity (>= 0, float32) of each of `items` to `item`; zeros for a model without item similarity."""
        self._check_fitted()
        return np.zeros(len(np.asarray(items).reshape(-1)), dtype=np.float32)

    def learned_params(self) -> dict[str, Any]:
        """Parameters that make a new estimator use what this fit learned, without learning it again."""
        return self.get_params()

    def fit_report(self) -> dict[str, Any]:
        """What fit chose from the data, JSON-ready (written to the model manifest); empty when nothing."""
        return {}

    def refit(self, X, structure: ItemStructure | None = None, sequences: list[np.ndarray] | None = None):
        """A new estimator fitted on X with the settings this fit learned, without learning them again (what
        fit learns per data set costs time, and the training run has just learned it on its holdout split)."""
        self._check_fitted()
        return type(self)(**self.learned_params()).fit(X, structure=structure, sequences=sequences)

    def to_arrays(self) -> dict[str, np.ndarray]:
        """The learned state as plain numeric arrays: dense arrays as they are, sparse ones split in parts."""
        self._check_fitted()
        arrays: dict[str, np.ndarray] = {}
        for attr in self._state:
            value = getattr(self, attr)
            if value is None:
                continue
            if isinstance(value, ItemStructure):
                arrays.update(value.to_arrays(prefix=f"{attr}."))
            elif sparse.issparse(value):
                csr = value.tocsr()
                arrays.update({f"{attr}.data": csr.data, f"{attr}.indices": csr.indices})
                arrays.update({f"{attr}.indptr": csr.indptr, f"{attr}.shape": np.asarray(csr.shape, np.int64)})
            else:
                arrays[attr] = np.asarray(value)
        return arrays

    @classmethod
    def from_arrays(cls, params: dict[str, Any], arrays: dict[str, np.ndarray]):
        """A fitted estimator rebuilt from `get_params()` and `to_arrays()` output; it scores identically.

        Raises ValueError when the parameters do not fit this estimator or a required array is missing.
        """
        try:
            estimator = cls(**params)
        except TypeError as error:
            raise ValueError(f"parameters do not fit {cls.__name__}: {error}") from None
        for attr in cls._state:
            if attr in arrays:
                value = np.asarray(arrays[attr])
            elif f"{attr}.indptr" in arrays:
                parts = (arrays[f"{attr}.data"], arrays[f"{attr}.indices"], arrays[f"{attr}.indptr"])
                value = sparse.csr_matrix(parts, shape=tuple(int(n) for n in arrays[f"{attr}.shape"]))
            else:
                value = ItemStructure.from_arrays(arrays, prefix=f"{attr}.")
            if value is None and attr not in cls._optional_state:
                raise ValueError(f"the arrays lack {cls.__name__}.{attr}")
            setattr(estimator, attr, value)
        return estimator

    def _check_fitted(self) -> None:
        required = self._state[:1]  # the first state attribute is always present once fitted
        if not all(hasattr(self, attr) for attr in required):
            raise ValueError(f"{type(self).__name__} is not fitted yet: call fit() first")

    def __sklearn_is_fitted__(self) -> bool:
        return all(hasattr(self, attr) for attr in self._state[:1])


def as_csr(X) -> sparse.csr_matrix:
    """X as a float32 CSR matrix with sorted indices and no stored zeros (the form every model expects)."""
    matrix = sparse.csr_matrix(X, dtype=np.float32, copy=True)
    matrix.eliminate_zeros()
    matrix.sort_indices()
    return matrix


def factor_similarity(factors: np.ndarray, items: np.ndarray, item: int) -> np.ndarray:
    """Cosine (clipped at 0) between the factor rows of `items` and of `item`, for factor models' reasons."""
    items = np.asarray(items, dtype=np.int64).reshape(-1)
    chosen, target = factors[items].astype(np.float64), factors[item].astype(np.float64)
    norms = np.linalg.norm(chosen, axis=1) * np.linalg.norm(target)
    cosine = np.divide(chosen @ target, norms, out=np.zeros(len(items)), where=norms > 0)
    return np.clip(cosine, 0.0, None).astype(np.float32)


def binarized(X: sparse.csr_matrix) -> sparse.csr_matrix:
    """A copy of X with every stored value set to 1."""
    matrix = X.copy()
    matrix.data = np.ones_like(matrix.data)
    return matrix
