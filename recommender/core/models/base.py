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
    """

    name: ClassVar[str] = ""
    _state: ClassVar[tuple[str, ...]] = ()
    #: State attributes that may legitimately be None (e.g. no structure was given); they are saved only if set.
    _optional_state: ClassVar[tuple[str, ...]] = ()

    @abstractmethod
    def fit(self, X, structure: ItemStructure | None = None, sequences: list[np.ndarray] | None = None):
        """Learn from the training matrix; returns self."""

    @abstractmethod
    def score(self, X_users, sequences: list[np.ndarray] | None = None) -> np.ndarray:
        """Dense float32 scores (n_rows, n_items) for the given rows."""

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


def binarized(X: sparse.csr_matrix) -> sparse.csr_matrix:
    """A copy of X with every stored value set to 1."""
    matrix = X.copy()
    matrix.data = np.ones_like(matrix.data)
    return matrix
