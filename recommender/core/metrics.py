"""Leave-last-out splits, ranking metrics, and a one-call comparison of estimators."""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np
from scipy import sparse

from recommender.core.ranking import top_k


def chronological_order(user_ids, timestamps, tie_break=None, item_ids=None) -> np.ndarray:
    """Row indices sorted by user, then time, then `tie_break` (e.g. the item's position), then item id.

    Users and item ids compare as given (numbers numerically, strings lexically); a missing tie_break or item
    id simply does not take part.
    """
    keys = [_sort_codes(user_ids), np.asarray(timestamps)]
    if tie_break is not None:
        keys.append(np.asarray(tie_break))
    if item_ids is not None and not (tie_break is not None and _same_order(tie_break, item_ids)):
        keys.append(_sort_codes(item_ids))
    combined = _combined_key(keys)
    if combined is not None:
        return np.argsort(combined, kind="stable")
    return np.lexsort(keys[::-1])


def _combined_key(keys: list[np.ndarray]) -> np.ndarray | None:
    """One int64 that sorts like the keys in turn (first key first), when every key is integral and their
    ranges multiply below 2**62; else None. One sort of one key is several times cheaper than a lexsort over
    four (seconds at millions of rows), and epoch-second timestamps and indices nearly always qualify."""
    combined = np.zeros(len(keys[0]), dtype=np.int64)
    span = 1
    for key in keys:
        if not len(key):
            return None
        if key.dtype.kind == "f":
            if not np.isfinite(key).all() or not (key == np.floor(key)).all():
                return None
        elif key.dtype.kind not in "iu":
            return None
        low, high = int(key.min()), int(key.max())
        size = high - low + 1
        span *= size
        if span >= 2**62:
            return None
        combined = combined * size + (key.astype(np.int64) - low)
    return combined


def _sort_codes(values) -> np.ndarray:
    """Integers that order like `values`, for grouping and sorting. Small non-negative integers (the indices every
    dataset here uses) are their own codes; anything else is ranked with np.unique, which sorts (seconds at
    millions of rows)."""
    array: np.ndarray = np.asarray(values).reshape(-1)
    if array.dtype.kind in "iu" and len(array) and array.min() >= 0 and array.max() < 4 * len(array) + 1024:
        return array.astype(np.int64, copy=False)
    codes: np.ndarray = np.unique(array, return_inverse=True)[1].reshape(-1)
    return codes


def _same_order(first, second) -> bool:
    """Whether two key columns are one and the same (the app's datasets break ties by the item index itself):
    sorting by the second after the first would then change nothing."""
    first, second = np.asarray(first), np.asarray(second)
    return first is second or (
        first.shape == second.shape and first.dtype == second.dtype and np.array_equal(first, second)
    )


def leave_last_out(user_ids, item_ids, timestamps, tie_break=None, min_items: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """(train_rows, test_rows): row indices into the inputs, each sorted ascending.

    For every user with at least `min_items` distinct items, the test row is the user's last row by time, ties
    broken by `tie_break` then by item id (see `chronological_order`). Every row of that (user, test item) pair
    leaves the training rows, so the test item is genuinely unseen. Other users stay entirely in train.
    """
    users, items = _sort_codes(user_ids), _sort_codes(item_ids)
    if len(users) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    order = chronological_order(users, timestamps, tie_break, items)
    last_rows = order[np.r_[users[order][1:] != users[order][:-1], True]]
    # Distinct items per user: the sparse matrix merges repeated (user, item) pairs row by row, which is much
    # cheaper than sorting every pair key.
    pairs = sparse.csr_matrix(
        (np.ones(len(users), dtype=np.int8), (users, items)), shape=(int(users.max()) + 1, int(items.max()) + 1)
    )
    pairs.sum_duplicates()
    distinct_per_user = np.diff(pairs.indptr)
    test_rows = np.sort(last_rows[distinct_per_user[users[last_rows]] >= min_items])
    test_item_of_user = np.full(users.max() + 1, -1)
    test_item_of_user[users[test_rows]] = items[test_rows]
    train_mask = test_item_of_user[users] != items
    return np.flatnonzero(train_mask), test_rows


def _as_sets(relevant) -> list[np.ndarray]:
    """Relevant items per user: a 1-d int array means one item each; a CSR matrix means its stored columns."""
    if sparse.issparse(relevant):
        relevant = sparse.csr_matrix(relevant)
        return np.split(relevant.indices, relevant.indptr[1:-1])
    if isinstance(relevant, np.ndarray) and relevant.ndim == 1:
        return [relevant[i : i + 1] for i in range(len(relevant))]
    return [np.asarray(items).reshape(-1) for items in relevant]


def _hits(top: np.ndarray, relevant, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Boolean (n_users, k) hit matrix of the top-k lists, and the size of each relevant set."""
    sets = _as_sets(relevant)
    if len(sets) != len(top):
        raise ValueError(f"{len(top)} ranked lists for {len(sets)} relevant sets")
    top = np.asarray(top)[:, :k]
    # One membership test over (row, item) keys for all rows at once, rather than one per row.
    counts = np.fromiter((len(items) for items in sets), dtype=np.int64, count=len(sets))
    items = np.concatenate([np.zeros(0, np.int64), *(np.asarray(items, np.int64).reshape(-1) for items in sets)])
    # Keys hold item + 1, so a -1 ("no item") in a relevant set still counts in its size and never matches.
    span = int(max(top.max(initial=0), items.max(initial=0))) + 2
    relevant_keys = np.unique(np.repeat(np.arange(len(sets), dtype=np.int64), counts) * span + items + 1)
    sizes = np.bincount(relevant_keys // span, minlength=len(sets))
    top_keys = np.arange(len(top), dtype=np.int64)[:, None] * span + top + 1
    hits = np.isin(top_keys, relevant_keys) & (top >= 0)
    return hits.reshape(top.shape), sizes


def hit_rate_at_k(top: np.ndarray, relevant, k: int = 10) -> float:
    """Share of users with at least one relevant item in their top k (`top`: ranked item indices per user)."""
    hits, _ = _hits(top, relevant, k)
    return float(hits.any(axis=1).mean()) if len(hits) else 0.0


def recall_at_k(top: np.ndarray, relevant, k: int = 10) -> float:
    """Mean over users of |top k ∩ relevant| / |relevant| (equals hit rate when each user has one item)."""
    hits, sizes = _hits(top, relevant, k)
    if not len(hits):
        return 0.0
    return float(np.mean(np.divide(hits.sum(axis=1), sizes, out=np.zeros(len(sizes)), where=sizes > 0)))


def ndcg_at_k(top: np.ndarray, relevant, k: int = 10) -> float:
    """Mean binary-relevance NDCG@k: sum over hits of 1/log2(rank + 1), over the ideal for min(|relevant|, k)."""
    hits, sizes = _hits(top, relevant, k)
    if not len(hits):
        return 0.0
    discounts = 1.0 / np.log2(np.arange(2, hits.shape[1] + 2))
    ideal = np.cumsum(discounts)[np.clip(np.minimum(sizes, hits.shape[1]) - 1, 0, None)]
    dcg = (hits * discounts).sum(axis=1)
    return float(np.mean(np.divide(dcg, ideal, out=np.zeros(len(dcg)), where=sizes > 0)))


def catalog_coverage(top: np.ndarray, n_items: int) -> float:
    """Share of the catalogue that appears in at least one list."""
    return float(len(np.unique(top[top >= 0])) / n_items) if n_items else 0.0


def evaluate(
    estimators: dict,
    train: sparse.csr_matrix,
    test: sparse.csr_matrix,
    sequences: Sequence[np.ndarray] | None = None,
    structure=None,
    k: int = 10,
    batch_size: int = 2048,
) -> list[dict]:
    """Fit each estimator on `train` and rank for every user with a held-out item in `test` (same shape).

    Items a user has in train are never ranked. `sequences[u]` is user u's training items in time order. Returns
    one row per estimator, in the given order: name, hr, ndcg, recall, coverage, fit_seconds, users.
    """
    train, test = sparse.csr_matrix(train), sparse.csr_matrix(test)
    users = np.flatnonzero(np.diff(test.indptr))
    rows = []
    for name, estimator in estimators.items():
        started = time.perf_counter()
        estimator.fit(train, structure=structure, sequences=None if sequences is None else list(sequences))
        fit_seconds = time.perf_counter() - started
        top = rank_users(estimator, train, users, k, sequences, batch_size)
        relevant = test[users]
        rows.append(
            {
                "name": name,
                "hr": hit_rate_at_k(top, relevant, k),
                "ndcg": ndcg_at_k(top, relevant, k),
                "recall": recall_at_k(top, relevant, k),
                "coverage": catalog_coverage(top, train.shape[1]),
                "fit_seconds": fit_seconds,
                "users": len(users),
            }
        )
    return rows


def rank_users(estimator, X: sparse.csr_matrix, users: np.ndarray, k: int, sequences=None, batch_size=2048):
    """Top-k unseen items (int64 (len(users), k), -1 padded) for the given rows of X, scored in batches."""
    lists = []
    for start in range(0, len(users), batch_size):
        batch = users[start : start + batch_size]
        rows = X[batch]
        batch_sequences = None if sequences is None else [sequences[u] for u in batch]
        lists.append(top_k(estimator.score(rows, batch_sequences), k, exclude=rows))
    return np.concatenate(lists) if lists else np.zeros((0, min(k, X.shape[1])), dtype=np.int64)
