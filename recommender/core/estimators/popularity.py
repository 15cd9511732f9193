"""Most popular items: the baseline every model must beat, and the cold-start fallback."""

from __future__ import annotations

import numpy as np

from recommender.core.estimators.base import Recommender, as_csr


class Popularity(Recommender):
    """Scores every item by how many training users have it (or, with `weighted=True`, the sum of their weights).

    Every row gets the same scores; history and order are ignored.
    """

    name = "popularity"
    _state = ("counts_",)

    def __init__(self, weighted: bool = False) -> None:
        self.weighted = weighted

    def fit(self, X, structure=None, sequences=None) -> Popularity:
        """Count users (or weights) per item."""
        X = as_csr(X)
        counts = X.sum(axis=0) if self.weighted else (X > 0).sum(axis=0)
        self.counts_ = np.asarray(counts, dtype=np.float32).reshape(-1)
        return self

    def score(self, X_users, sequences=None) -> np.ndarray:
        """The item counts, repeated for each row of X_users."""
        self._check_fitted()
        n_rows = X_users.shape[0]
        return np.tile(self.counts_, (n_rows, 1))
