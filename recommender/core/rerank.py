"""Turning raw scores into a learner's list: eligibility masks, prerequisite gating, fit and diversity.

Everything works on arrays indexed by catalog position, so it is pure and fast; the Django adapter builds the
arrays once per process and per learner.
"""

from dataclasses import dataclass

import numpy as np
from scipy import sparse

LEVEL_DISTANCE_FACTOR = (1.0, 0.75, 0.1)  # same level, one apart, two apart (a mismatch, not a stretch)
LEVEL_STEP_UP_FACTOR = 0.9  # one level above the learner is a stretch, not a mismatch
FRAMEWORK_MISMATCH_FACTOR = 0.5


def locked_items(required_topics: sparse.csr_matrix, covered_topics: np.ndarray) -> np.ndarray:
    """Boolean per item: True when some topic it requires is not covered (known, completed or skipped)."""
    missing = required_topics @ (~covered_topics).astype(np.float32)
    return np.asarray(missing).reshape(-1) > 0


def missing_topics(required_topics: sparse.csr_matrix, item: int, covered_topics: np.ndarray) -> np.ndarray:
    """The topics `item` requires that the learner has not covered, as topic indices."""
    start, end = required_topics.indptr[item], required_topics.indptr[item + 1]
    topics = required_topics.indices[start:end]
    return topics[~covered_topics[topics]]


def level_fit(item_levels: np.ndarray, learner_level: int) -> np.ndarray:
    """Multiplicative factor per item for how well its level (0-2) fits the learner's (0-2)."""
    gap = item_levels.astype(np.int64) - learner_level
    factor = np.asarray(LEVEL_DISTANCE_FACTOR, dtype=np.float32)[np.abs(gap)]
    return np.where(gap == 1, LEVEL_STEP_UP_FACTOR, factor).astype(np.float32)


def framework_fit(item_frameworks: np.ndarray, preferred: np.ndarray) -> np.ndarray:
    """Factor per item: 1 when it uses a preferred framework (or no preference is set), else a penalty.

    `item_frameworks` is a boolean (n_items, n_frameworks) matrix; `preferred` a boolean (n_frameworks,) vector
    that should include the framework-free column, so framework-free material always fits.
    """
    if not preferred.any():
        return np.ones(item_frameworks.shape[0], dtype=np.float32)
    fits = (item_frameworks & preferred).any(axis=1)
    return np.where(fits, 1.0, FRAMEWORK_MISMATCH_FACTOR).astype(np.float32)


@dataclass(frozen=True)
class DiversityLimits:
    per_kind: int = 4
    per_provider: int = 2


def diversify(
    ranked: np.ndarray, kinds: np.ndarray, providers: np.ndarray, k: int, limits: DiversityLimits = DiversityLimits()
) -> list[int]:
    """Pick k items in rank order, capping items per kind and per provider; if the caps leave fewer than k,
    fill up with the best of the rest, so a small catalog still gets a full list."""
    chosen: list[int] = []
    skipped: list[int] = []
    per_kind: dict[int, int] = {}
    per_provider: dict[int, int] = {}
    for item in ranked.tolist():
        if len(chosen) == k:
            break
        kind, provider = int(kinds[item]), int(providers[item])
        if per_kind.get(kind, 0) >= limits.per_kind or per_provider.get(provider, 0) >= limits.per_provider:
            skipped.append(item)
            continue
        chosen.append(item)
        per_kind[kind] = per_kind.get(kind, 0) + 1
        per_provider[provider] = per_provider.get(provider, 0) + 1
    return chosen + skipped[: k - len(chosen)]


def top_candidates(scores: np.ndarray, eligible: np.ndarray, n: int) -> np.ndarray:
    """Indices of the n best eligible items, best first (ties broken by index, so results are stable)."""
    candidates = np.flatnonzero(eligible)
    if candidates.size == 0:
        return candidates
    values = scores[candidates]
    if candidates.size > n:
        keep = np.argpartition(-values, n - 1)[:n]
        candidates, values = candidates[keep], values[keep]
    order = np.lexsort((candidates, -values))
    return candidates[order]
