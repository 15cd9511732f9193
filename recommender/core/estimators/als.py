"""Implicit-feedback alternating least squares (Hu, Koren, Volinsky 2008), solved by batched conjugate gradient."""

from __future__ import annotations

import numpy as np
from scipy import sparse

from recommender.core.estimators.base import Recommender, as_csr, factor_similarity


def solve_factors(
    C: sparse.csr_matrix, Y: np.ndarray, regularization: float, alpha: float, x0: np.ndarray, steps: int
) -> np.ndarray:
    """For every row u, approximately solve (Y^T C_u Y + reg I) x_u = Y^T C_u p_u with c = 1 + alpha * r.

    p is 1 on the row's stored entries and 0 elsewhere. All rows run their conjugate-gradient steps together, so
    one step costs O(nnz * factors) and never forms the per-row matrices (the trick from Takacs et al. 2011, as in
    the `implicit` library). Warm-starting from x0 makes a few steps per ALS sweep enough.
    """
    YtY = Y.T @ Y + regularization * np.eye(Y.shape[1], dtype=Y.dtype)
    rows = np.repeat(np.arange(C.shape[0]), np.diff(C.indptr))
    boost = (alpha * C.data).astype(Y.dtype)  # c - 1 on the stored entries
    rhs = sparse.csr_matrix(((1.0 + boost), C.indices, C.indptr), shape=C.shape) @ Y

    def apply(V: np.ndarray) -> np.ndarray:
        dots = np.einsum("ij,ij->i", V[rows], Y[C.indices])
        return V @ YtY + sparse.csr_matrix((boost * dots, C.indices, C.indptr), shape=C.shape) @ Y

    x = x0.copy()
    residual = rhs - apply(x)
    direction = residual.copy()
    norm = np.einsum("ij,ij->i", residual, residual)
    for _ in range(steps):
        product = apply(direction)
        curvature = np.einsum("ij,ij->i", direction, product)
        step = np.divide(norm, curvature, out=np.zeros_like(norm), where=curvature > 1e-20)
        x += step[:, None] * direction
        residual -= step[:, None] * product
        new_norm = np.einsum("ij,ij->i", residual, residual)
        ratio = np.divide(new_norm, norm, out=np.zeros_like(norm), where=norm > 1e-20)
        direction = residual + ratio[:, None] * direction
        norm = new_norm
    return x


class ALS(Recommender):
    """Implicit ALS: confidence 1 + alpha * weight on observed pairs, preference 1 there and 0 elsewhere.

    Scoring solves each row's user factor against the fixed item factors (fold-in), so users unseen at fit time
    are scored exactly like training users: scores = x_u Y^T.
    """

    name = "als"
    _state = ("item_factors_", "user_factors_")
    collaborative_components = ("score",)

    def __init__(
        self,
        factors: int = 32,
        regularization: float = 0.1,
        alpha: float = 2.0,
        iterations: int = 15,
        cg_steps: int = 3,
        random_state: int = 0,
    ) -> None:
        self.factors = factors
        self.regularization = regularization
        self.alpha = alpha
        self.iterations = iterations
        self.cg_steps = cg_steps
        self.random_state = random_state

    def fit(self, X, structure=None, sequences=None) -> ALS:
        """Alternate user and item solves `iterations` times from a seeded random start."""
        X = as_csr(X)
        X_t = X.T.tocsr()
        rng = np.random.default_rng(self.random_state)
        users = (rng.standard_normal((X.shape[0], self.factors)) * 0.01).astype(np.float32)
        items = (rng.standard_normal((X.shape[1], self.factors)) * 0.01).astype(np.float32)
        for _ in range(self.iterations):
            users = solve_factors(X, items, self.regularization, self.alpha, users, self.cg_steps)
            items = solve_factors(X_t, users, self.regularization, self.alpha, items, self.cg_steps)
        self.item_factors_, self.user_factors_ = items, users
        return self

    def score(self, X_users, sequences=None) -> np.ndarray:
        """Fold-in: solve each row's factor (CG run to convergence from zero), then score against all items."""
        self._check_fitted()
        X_users = as_csr(X_users)
        start = np.zeros((X_users.shape[0], self.factors), dtype=np.float32)
        # CG converges in at most `factors` steps on a factors-dimensional system.
        latent = solve_factors(X_users, self.item_factors_, self.regularization, self.alpha, start, self.factors)
        return np.asarray(latent @ self.item_factors_.T, dtype=np.float32)

    def similar_items(self, items: np.ndarray, item: int) -> np.ndarray:
        """Cosine of the items' factors."""
        self._check_fitted()
        return factor_similarity(self.item_factors_, items, item)
