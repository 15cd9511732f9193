"""PureSVD (Cremonesi, Koren, Turrin 2010): a truncated SVD of the interaction matrix, scored by fold-in."""

from __future__ import annotations

import numpy as np
from sklearn.decomposition import TruncatedSVD

from recommender.core.estimators.base import Recommender, as_csr, factor_similarity


class PureSVD(Recommender):
    """Item factors V from a rank-`n_components` SVD of X; a row x scores as (x V^T) V.

    Because scoring only projects the row onto the item factors, users unseen at fit time are scored the same
    way as training users. `n_components` is capped below the number of items.
    """

    name = "pure_svd"
    _state = ("components_",)
    collaborative_components = ("score",)

    def __init__(self, n_components: int = 32, n_iter: int = 7, random_state: int = 0) -> None:
        self.n_components = n_components
        self.n_iter = n_iter
        self.random_state = random_state

    def fit(self, X, structure=None, sequences=None) -> PureSVD:
        """Learn the item factors."""
        X = as_csr(X)
        n_components = max(1, min(self.n_components, X.shape[1] - 1))
        if X.nnz == 0 or X.shape[1] < 2:
            self.components_ = np.zeros((n_components, X.shape[1]), dtype=np.float32)
            return self
        svd = TruncatedSVD(n_components=n_components, n_iter=self.n_iter, random_state=self.random_state)
        svd.fit(X)
        self.components_ = svd.components_.astype(np.float32)
        return self

    def score(self, X_users, sequences=None) -> np.ndarray:
        """Fold-in scores (x V^T) V for each row."""
        self._check_fitted()
        latent = as_csr(X_users) @ self.components_.T
        return np.asarray(latent @ self.components_, dtype=np.float32)

    def similar_items(self, items: np.ndarray, item: int) -> np.ndarray:
        """Cosine of the items' factor columns."""
        self._check_fitted()
        return factor_similarity(self.components_.T, items, item)
