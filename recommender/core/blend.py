"""Learning a blend from the training data alone: temporal validation splits carved out of it, a validation
metric, and a coordinate search over a few discrete settings.

A split holds out each eligible learner's LAST training item (by time), so tuning sees the same "what comes
next" question the test asks, one step earlier, and never a test item (the caller passes training data only).
`validation_splits` asks it at more than one step back, because one step alone can mislead (see there).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import sparse

#: Validation learners scored at most, and dense validation cells (learners x items) at most: the search scores
#: every candidate blend on them, so this bounds its time and memory at any scale.
MAX_VALIDATION_USERS = 20_000
MAX_VALIDATION_CELLS = 6_000_000
#: Below this many validation learners a search would fit noise: the prior blend is kept.
MIN_VALIDATION_USERS = 30
#: How many steps back validation asks "what comes next" (see `validation_splits`).
VALIDATION_STEPS = 2


@dataclass
class ValidationSplit:
    """Training data minus each eligible learner's last item, and a sample of those learners to score."""

    X_fit: sparse.csr_matrix
    sequences_fit: list[np.ndarray] | None
    users: np.ndarray  # rows scored on validation (a sample of the eligible ones)
    targets: np.ndarray  # the held-out item of each of those rows
    eligible: int  # how many rows held an item out


def validation_splits(
    X: sparse.csr_matrix, sequences: list[np.ndarray] | None, steps: int = VALIDATION_STEPS, seed: int = 0
) -> list[ValidationSplit]:
    """`validation_split` of X, then again of that split's fitting part, and so on: the k-th split holds out each
    learner's k-th last training item and fits on what came before it. A split with fewer than
    MIN_VALIDATION_USERS scored learners ends the list (the first is always returned). The scored learners are
    shared out so that all splits together score no more than one would (same time and memory).

    Why more than one step: which components predict the next step well changes from one step to the next (on
    course runs, collaborative components beat the curated order at some steps back and lose to it at the ones
    either side), so settings that win at one step only can be wrong at the next; settings good at two
    consecutive steps carry over to the one that is asked.
    """
    share = 1.0 / max(steps, 1)
    splits = [validation_split(X, sequences, seed=seed, share=share)]
    while len(splits) < steps:
        last = splits[-1]
        deeper = validation_split(last.X_fit, last.sequences_fit, seed=seed, share=share)
        if len(deeper.users) < MIN_VALIDATION_USERS:
            break
        splits.append(deeper)
    return splits


def validation_split(
    X: sparse.csr_matrix, sequences: list[np.ndarray] | None, min_items: int = 3, seed: int = 0, share: float = 1.0
) -> ValidationSplit:
    """Hold out the last item of every row with at least `min_items` items (a seeded random one without
    sequences, for callers that have no time order); score at most `share` x MAX_VALIDATION_USERS of them (fewer
    at many items, see MAX_VALIDATION_CELLS)."""
    counts = np.diff(X.indptr)
    rng = np.random.default_rng(seed)
    targets = np.full(X.shape[0], -1, dtype=np.int64)
    if sequences is not None:
        lengths = np.fromiter((len(seq) for seq in sequences), dtype=np.int64, count=len(sequences))
        last = np.fromiter((seq[-1] if len(seq) else -1 for seq in sequences), dtype=np.int64, count=len(sequences))
        rows = np.flatnonzero((lengths >= min_items) & (counts >= min_items))
        targets[rows] = last[rows]
    else:
        rows = np.flatnonzero(counts >= min_items)
        picks = X.indptr[rows] + (rng.random(len(rows)) * counts[rows]).astype(np.int64)
        targets[rows] = X.indices[picks]
    stored = _stored(X, rows, targets[rows])
    targets[rows[~stored]] = -1
    rows = rows[stored]
    entry_rows = np.repeat(np.arange(X.shape[0]), counts)
    keep = targets[entry_rows] != X.indices
    indptr = np.zeros(X.shape[0] + 1, dtype=np.int64)
    np.cumsum(np.bincount(entry_rows[keep], minlength=X.shape[0]), out=indptr[1:])
    X_fit = sparse.csr_matrix((X.data[keep], X.indices[keep], indptr), shape=X.shape, dtype=np.float32)
    sequences_fit = None
    if sequences is not None:
        held = set(rows.tolist())
        sequences_fit = [seq[:-1] if row in held else seq for row, seq in enumerate(sequences)]
    limit = min(MAX_VALIDATION_USERS, max(MIN_VALIDATION_USERS, MAX_VALIDATION_CELLS // max(X.shape[1], 1)))
    limit = max(MIN_VALIDATION_USERS, int(limit * share))
    scored = rows if len(rows) <= limit else np.sort(rng.choice(rows, size=limit, replace=False))
    return ValidationSplit(X_fit, sequences_fit, scored, targets[scored], len(rows))


def _stored(X: sparse.csr_matrix, rows: np.ndarray, items: np.ndarray) -> np.ndarray:
    """Whether X[rows[i], items[i]] is stored (a sequence may name an item whose weight is 0). X's indices are
    sorted within rows, so (row, column) keys of its entries are sorted and one binary search answers all."""
    if not X.nnz or not len(rows):
        return np.zeros(len(rows), dtype=bool)
    n_items = X.shape[1]
    keys = np.repeat(np.arange(X.shape[0], dtype=np.int64), np.diff(X.indptr)) * n_items + X.indices
    wanted = rows.astype(np.int64) * n_items + items
    where = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
    return (keys[where] == wanted) & (items >= 0)


def ranking_quality(scores: np.ndarray, seen: np.ndarray, targets: np.ndarray, k: int = 10) -> tuple[float, float]:
    """(NDCG@k, HR@k) of one held-out item per row, with seen items never ranked and ties broken by lower item
    index (as `ranking.top_k` does). `scores` is modified in place."""
    if not len(targets):
        return 0.0, 0.0
    gains, hit = ranking_gains(scores, seen, targets, k)
    return float(gains.mean()), float(hit.mean())


def ranking_gains(
    scores: np.ndarray, seen: np.ndarray, targets: np.ndarray, k: int = 10
) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the NDCG@k gain and whether the held-out item is in the top k (see `ranking_quality`)."""
    scores[seen] = -np.inf
    rows = np.arange(len(targets))
    target_scores = scores[rows, targets][:, None]
    ahead = (scores > target_scores).sum(axis=1)
    columns = np.arange(scores.shape[1])[None, :]
    ahead += ((scores == target_scores) & (columns < targets[:, None])).sum(axis=1)
    hit = ahead < k
    gains = np.where(hit, 1.0 / np.log2(ahead + 2.0), 0.0)
    return gains, hit


def coordinate_search(
    quality: Callable[[dict], float],
    starts: list[dict],
    grids: dict[str, tuple],
    rounds: int = 2,
    min_gain: float = 1e-4,
) -> tuple[dict, float, int]:
    """(best settings, their quality, settings tried): from the best start, try every grid value of one setting
    at a time, keeping a change only when it gains more than `min_gain`, for up to `rounds` passes."""
    cache: dict[tuple, float] = {}

    def measured(settings: dict) -> float:
        key = tuple(sorted(settings.items()))
        if key not in cache:
            cache[key] = quality(settings)
        return cache[key]

    best = max(starts, key=measured)
    best_value = measured(best)
    for _ in range(rounds):
        improved = False
        for name, values in grids.items():
            for value in values:
                trial = {**best, name: value}
                value_measured = measured(trial)
                if value_measured > best_value + min_gain:
                    best, best_value, improved = trial, value_measured, True
        if not improved:
            break
    return best, best_value, len(cache)
