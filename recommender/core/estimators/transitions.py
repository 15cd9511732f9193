"""Learned "what comes next" from training sequences: interpolated first- and second-order Markov chains."""

from __future__ import annotations

import numpy as np
from scipy import sparse


def _steps(sequences: list[np.ndarray], order: int) -> tuple[np.ndarray, np.ndarray]:
    """(context, target) for every step of every sequence with `order` items of context.

    A context of order 2 is encoded as previous * n_items + last by the caller; here contexts are returned as a
    (n_steps, order) array, oldest first. Vectorised over all sequences at once (one Python step per sequence
    costs seconds at 100k learners).
    """
    lengths = np.fromiter((len(seq) for seq in sequences), dtype=np.int64, count=len(sequences))
    if not (lengths > order).any():
        return np.zeros((0, order), np.int64), np.zeros(0, np.int64)
    flat = np.concatenate([np.asarray(seq, dtype=np.int64).reshape(-1) for seq in sequences])
    offset_in_sequence = np.arange(len(flat)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    at = np.flatnonzero(offset_in_sequence >= order)  # every item with `order` items before it in its sequence
    contexts = np.stack([flat[at - order + back] for back in range(order)], axis=1)
    return contexts, flat[at]


def _normalised(counts: sparse.csr_matrix, smoothing: float) -> tuple[sparse.csr_matrix, np.ndarray]:
    """(counts / (row total + smoothing), smoothing / (row total + smoothing)): the seen part and the weight
    left for the back-off distribution, so that each row sums to 1 once the back-off is added."""
    totals = np.asarray(counts.sum(axis=1), dtype=np.float64).reshape(-1) + smoothing
    inverse = np.divide(1.0, totals, out=np.zeros_like(totals), where=totals > 0)
    seen = sparse.csr_matrix(sparse.diags(inverse) @ counts, dtype=np.float32)
    return seen, (smoothing * inverse).astype(np.float32)


def fit_transitions(
    sequences: list[np.ndarray] | None, n_items: int, smoothing: float, context_smoothing: float
) -> dict[str, object]:
    """Smoothed P(next | last) and P(next | previous, last) from time-ordered sequences.

    Returns the state `transition_scores` needs: first-order rows (n_items x n_items) with their back-off
    weights, and the second-order contexts actually seen (sorted keys) with their rows and back-off weights.
    """
    sequences = sequences or []
    (first_ctx, first_target), (second_ctx, second_target) = _steps(sequences, 1), _steps(sequences, 2)
    ones = np.ones(len(first_target), dtype=np.float32)
    first = sparse.csr_matrix((ones, (first_ctx[:, 0], first_target)), shape=(n_items, n_items), dtype=np.float32)
    keys = second_ctx[:, 0] * n_items + second_ctx[:, 1]
    contexts, rows = np.unique(keys, return_inverse=True)
    ones = np.ones(len(second_target), dtype=np.float32)
    second = sparse.csr_matrix((ones, (rows.reshape(-1), second_target)), shape=(len(contexts), n_items))
    first.sum_duplicates()
    second.sum_duplicates()
    first_seen, first_backoff = _normalised(first, smoothing)
    second_seen, second_backoff = _normalised(second, context_smoothing)
    return {
        "first": first_seen,
        "first_backoff": first_backoff,
        "contexts": contexts.astype(np.int64),
        "second": second_seen,
        "second_backoff": second_backoff,
    }


def transition_scores(state: dict, prior: np.ndarray, sequences: list[np.ndarray] | None, n_rows: int) -> np.ndarray:
    """P(next item | the row's last two items), dense float32 (n_rows, n_items); rows without history are 0.

    Unseen contexts back off to P(next | last), which backs off to `prior` (a distribution over items).
    """
    n_items = len(prior)
    scores = np.zeros((n_rows, n_items), dtype=np.float32)
    if sequences is None:
        return scores
    last = np.asarray([seq[-1] if len(seq) else -1 for seq in sequences], dtype=np.int64)
    previous = np.asarray([seq[-2] if len(seq) > 1 else -1 for seq in sequences], dtype=np.int64)
    rows = np.flatnonzero(last >= 0)
    if not len(rows):
        return scores
    first = state["first"][last[rows]].toarray() + state["first_backoff"][last[rows], None] * prior[None, :]
    found, where = _lookup(state["contexts"], previous[rows] * n_items + last[rows], previous[rows] >= 0)
    scores[rows] = first
    if found.any():
        hit, at = rows[found], where[found]
        second = state["second"][at].toarray()
        scores[hit] = second + state["second_backoff"][at, None] * first[found]
    return scores


def _lookup(sorted_keys: np.ndarray, keys: np.ndarray, valid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(found, index) of each key in a sorted key array."""
    if not len(sorted_keys):
        return np.zeros(len(keys), dtype=bool), np.zeros(len(keys), dtype=np.int64)
    where = np.minimum(np.searchsorted(sorted_keys, keys), len(sorted_keys) - 1)
    return valid & (sorted_keys[where] == keys), where
