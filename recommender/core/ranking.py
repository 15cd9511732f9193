"""From dense scores to ranked item lists."""

from __future__ import annotations

import numpy as np
from scipy import sparse


def top_k(scores: np.ndarray, k: int, exclude: sparse.csr_matrix | None = None) -> np.ndarray:
    """The k best item indices of each row, best first, as int64 (n_rows, min(k, n_items)).

    Items stored in `exclude` (same shape as scores, e.g. what each user already has) are never returned; a row
    with fewer than k allowed items is padded with -1. Equal scores rank by lower item index (also at the k-th
    place), so the result is deterministic. NaN scores rank last. `scores` is not modified.
    """
    if k < 1:
        raise ValueError("k must be at least 1")
    n_rows, n_items = scores.shape
    k = min(k, n_items)
    if k == 0:
        return np.zeros((n_rows, 0), dtype=np.int64)
    keyed = np.array(scores, dtype=np.float64)  # a copy: excluded items are overwritten below
    if not np.isfinite(keyed).all():  # one pass; the rewrite below takes several, and most scores are finite
        np.nan_to_num(keyed, copy=False, nan=-np.inf, posinf=np.finfo(np.float64).max, neginf=-np.inf)
    if exclude is not None and exclude.nnz:
        exclude = sparse.csr_matrix(exclude)
        keyed[np.repeat(np.arange(n_rows), np.diff(exclude.indptr)), exclude.indices] = -np.inf
    kth = np.partition(keyed, n_items - k, axis=1)[:, n_items - k, None]
    above = keyed > kth
    tied = keyed == kth
    # Fill the places left after the strictly better items with the lowest-index ties.
    room = k - above.sum(axis=1, keepdims=True)
    chosen = above | tied
    crowded = np.flatnonzero(tied.sum(axis=1) > room[:, 0])  # rows whose ties do not all fit (a running count)
    if len(crowded):
        chosen[crowded] = above[crowded] | (tied[crowded] & (np.cumsum(tied[crowded], axis=1) <= room[crowded]))
    candidates = np.nonzero(chosen)[1].reshape(n_rows, k)
    values = np.take_along_axis(keyed, candidates, axis=1)
    order = np.lexsort((candidates, -values), axis=1)
    top = np.take_along_axis(candidates, order, axis=1)
    top[np.take_along_axis(values, order, axis=1) == -np.inf] = -1
    return top.astype(np.int64)
