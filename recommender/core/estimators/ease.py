"""EASE (Steck 2019, "Embarrassingly Shallow Autoencoders for Sparse Data"): a closed-form item-item ridge model.

B = I - P diag(1 / diag(P)) with P = (X^T X + l2 I)^-1 on the binary matrix, diagonal forced to 0; a row x scores
as x B. It beats item-kNN and PureSVD on implicit feedback in the paper's benchmarks and in later reproductions.

Cost at n items: the Gram matrix and its inverse are dense n x n. At 10k items that is 10^8 cells, 800 MB each in
float64 (400 MB in float32), about 1.6-2.4 GB peak with the inverse and B, and ~10^12 flops (tens of seconds on
two cores). That is over the training budget, so EASE is fitted on the `max_items` most popular items (3,000 by
default: 72 MB per float64 matrix, ~3 * 10^10 flops, one to two seconds); other items get no EASE score.
"""

from __future__ import annotations

import numpy as np
from scipy import linalg, sparse

from recommender.core.estimators.base import Recommender, as_csr, binarized

#: Items EASE models at most (the most popular ones); see the module docstring for the cost.
MAX_ITEMS = 3000


def ease_items(X: sparse.csr_matrix, max_items: int) -> np.ndarray:
    """The columns EASE models: all items with a user when they are few enough, else the `max_items` most
    popular (ties by lower index), in ascending order."""
    counts = np.asarray((X > 0).sum(axis=0)).reshape(-1)
    used = np.flatnonzero(counts > 0)
    if len(used) > max_items:
        order = np.lexsort((used, -counts[used]))
        used = np.sort(used[order[:max_items]])
    return used.astype(np.int64)


def gram(X: sparse.csr_matrix, items: np.ndarray) -> np.ndarray:
    """X^T X (float64, dense) over the binary matrix restricted to `items`."""
    sub = binarized(X)[:, items]
    return np.asarray((sub.T @ sub).toarray(), dtype=np.float64)


def ease_weights(gram_matrix: np.ndarray, l2: float) -> np.ndarray:
    """The EASE item-item matrix B (float32) from a Gram matrix: diag(B) = 0."""
    regularised = gram_matrix.copy()
    regularised[np.diag_indices_from(regularised)] += l2
    inverse = linalg.inv(regularised, overwrite_a=True, check_finite=False)
    weights = inverse / (-np.diag(inverse))[None, :]
    weights[np.diag_indices_from(weights)] = 0.0
    return weights.astype(np.float32)


def ease_scores(X_users: sparse.csr_matrix, weights: np.ndarray, items: np.ndarray, n_items: int) -> np.ndarray:
    """Dense float32 (n_rows, n_items) scores x B; items outside `items` score 0."""
    scores = np.zeros((X_users.shape[0], n_items), dtype=np.float32)
    if len(items):
        scores[:, items] = binarized(X_users)[:, items] @ weights
    return scores


def relative_l2(X: sparse.csr_matrix, items: np.ndarray, ratio: float) -> float:
    """l2 as `ratio` times the mean number of users per modelled item, so one setting fits data of any size."""
    if not len(items):
        return ratio
    counts = np.asarray((X[:, items] > 0).sum(axis=0)).reshape(-1)
    return float(ratio * max(counts.mean(), 1.0))


class EASE(Recommender):
    """EASE on the binary matrix; `l2_ratio` scales the ridge penalty by the mean item popularity."""

    name = "ease"
    _state = ("weights_", "items_", "n_items_")
    collaborative_components = ("score",)

    def __init__(self, l2_ratio: float = 2.0, max_items: int = MAX_ITEMS) -> None:
        self.l2_ratio = l2_ratio
        self.max_items = max_items

    def fit(self, X, structure=None, sequences=None) -> EASE:
        """Solve the closed form on the (at most `max_items`) most popular items."""
        X = as_csr(X)
        self.items_ = ease_items(X, self.max_items)
        self.n_items_ = np.asarray(X.shape[1], dtype=np.int64)
        self.weights_ = ease_weights(gram(X, self.items_), relative_l2(X, self.items_, self.l2_ratio))
        return self

    def score(self, X_users, sequences=None) -> np.ndarray:
        """Dense scores x B."""
        self._check_fitted()
        return ease_scores(as_csr(X_users), self.weights_, self.items_, int(self.n_items_))

    def similar_items(self, items: np.ndarray, item: int) -> np.ndarray:
        """B[j, item] clipped at 0: how much having j raises `item`."""
        self._check_fitted()
        return ease_similarity(self.weights_, self.items_, items, item)


def ease_similarity(weights: np.ndarray, modelled: np.ndarray, items: np.ndarray, item: int) -> np.ndarray:
    """B[items, item] clipped at 0 (0 for items outside the modelled set), float32."""
    items = np.asarray(items, dtype=np.int64).reshape(-1)
    result = np.zeros(len(items), dtype=np.float32)
    if not len(modelled):
        return result
    where = np.minimum(np.searchsorted(modelled, items), len(modelled) - 1)
    target = np.searchsorted(modelled, item)
    if target >= len(modelled) or modelled[target] != item:
        return result
    found = modelled[where] == items
    result[found] = np.clip(weights[where[found], target], 0.0, None)
    return result
