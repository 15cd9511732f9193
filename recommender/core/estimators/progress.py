"""Where each user stands in each curated group, and the structure scores derived from it (shared by
NextInGroup and Hybrid)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from recommender.core.matrix import ItemStructure


@dataclass
class GroupProgress:
    """One entry per (row, group) the row has touched: the furthest position done, the position of the most
    recent item done there, and the group's recency rank within the row (0 = the row's most recent group)."""

    row: np.ndarray
    group: np.ndarray
    furthest: np.ndarray
    last: np.ndarray
    rank: np.ndarray


def item_times(X: sparse.csr_matrix, sequences: list[np.ndarray] | None) -> np.ndarray:
    """For each stored entry of X (CSR order), the index of that item's LAST occurrence in the row's sequence.

    Items absent from the sequence (or all items, without sequences) get -1: older than anything ordered.
    """
    times = np.full(X.nnz, -1, dtype=np.int64)
    if sequences is None or X.nnz == 0:
        return times
    n_items = X.shape[1]
    lengths = np.fromiter((len(seq) for seq in sequences), dtype=np.int64, count=len(sequences))
    seq_items = np.concatenate([np.asarray(seq, dtype=np.int64) for seq in sequences]) if lengths.sum() else None
    if seq_items is None:
        return times
    seq_rows = np.repeat(np.arange(len(sequences)), lengths)
    seq_times = np.arange(len(seq_items)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    keys = seq_rows * n_items + seq_items
    order = np.lexsort((seq_times, keys))  # per key, the last occurrence comes last
    keys, seq_times = keys[order], seq_times[order]
    last = np.append(keys[1:] != keys[:-1], True)
    keys, seq_times = keys[last], seq_times[last]
    nnz_keys = np.repeat(np.arange(X.shape[0]), np.diff(X.indptr)) * n_items + X.indices
    found = np.searchsorted(keys, nnz_keys)
    found = np.minimum(found, len(keys) - 1)
    hit = keys[found] == nnz_keys
    times[hit] = seq_times[found[hit]]
    return times


def group_progress(X: sparse.csr_matrix, sequences: list[np.ndarray] | None, structure: ItemStructure) -> GroupProgress:
    """Each row's progress in every group it has touched (see GroupProgress)."""
    rows_nnz = np.repeat(np.arange(X.shape[0]), np.diff(X.indptr))
    times_nnz = item_times(X, sequences)
    owner, entry = structure.entries_of_items(X.indices)
    rows, times = rows_nnz[owner], times_nnz[owner]
    groups, positions = structure.group[entry], structure.position[entry]
    keys = rows * structure.n_groups + groups
    # Sorted by key, then time, then position: the last entry of each key is its most recent (furthest on ties).
    if len(keys) == 0:  # none of the rows' items belongs to a group: no progress anywhere
        empty = np.zeros(0, dtype=np.int64)
        return GroupProgress(empty, empty, empty, empty, empty)
    order = np.lexsort((positions, times, keys))
    keys, times, positions = keys[order], times[order], positions[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    ends = np.r_[starts[1:], len(keys)] - 1
    furthest = np.maximum.reduceat(positions, starts)
    pair_rows, pair_groups = keys[starts] // structure.n_groups, keys[starts] % structure.n_groups
    recency = np.lexsort((pair_groups, -times[ends], pair_rows))  # per row: most recent group first
    rank = np.empty(len(starts), dtype=np.int64)
    first_of_row = np.searchsorted(pair_rows[recency], pair_rows[recency], side="left")
    rank[recency] = np.arange(len(starts)) - first_of_row
    return GroupProgress(pair_rows, pair_groups, furthest, positions[ends], rank)


def structure_scores(
    X: sparse.csr_matrix,
    sequences: list[np.ndarray] | None,
    structure: ItemStructure | None,
    *,
    decay: float,
    gap_weight: float,
    group_decay: float,
    anchor: str = "furthest",
    steps: str = "positions",
) -> np.ndarray:
    """Dense (n_rows, n_items) scores in [0, 1] for the items of the groups each row has touched.

    Relative to the anchor position (the furthest done, or with anchor="last" the most recent), the item d steps
    ahead scores decay**(d-1) and an unfinished gap d steps behind gap_weight * decay**(d-1); each group's scores
    are multiplied by group_decay**rank (rank 0 = the row's most recently active group). An item in several
    groups keeps its best score. Without a structure every score is 0.

    With steps="positions" d is the difference of positions; with steps="unfinished", ahead of the anchor it
    counts only the items the row has not done, so the next unfinished item ahead is always 1 step away however
    many items after the anchor the row already did. Gaps behind keep their distance in positions: an old gap far
    behind is one a learner left on purpose. Done items score as if 0 steps away (ranking never offers them).
    """
    if anchor not in ("furthest", "last"):
        raise ValueError(f"anchor must be 'furthest' or 'last', not {anchor!r}")
    if steps not in ("positions", "unfinished"):
        raise ValueError(f"steps must be 'positions' or 'unfinished', not {steps!r}")
    scores = np.zeros(X.shape, dtype=np.float32)
    if structure is None or X.nnz == 0:
        return scores
    progress = group_progress(X, sequences, structure)
    pair, entry = structure.entries_of_groups(progress.group)
    anchor_position = progress.furthest if anchor == "furthest" else progress.last
    distance = structure.position[entry] - anchor_position[pair]
    if steps == "unfinished":
        distance = _unfinished_steps(X, structure, progress.row, pair, entry, distance)
    steps_away = np.abs(distance).astype(np.float64)
    value = np.power(decay, np.maximum(steps_away - 1, 0)) * np.power(group_decay, progress.rank[pair])
    value = np.where(distance > 0, value, np.where(distance < 0, gap_weight * value, 0.0))
    flat = progress.row[pair] * X.shape[1] + structure.item[entry]
    order = np.argsort(value, kind="stable")  # assigning in increasing order leaves each cell its maximum
    scores.reshape(-1)[flat[order]] = value[order]
    return scores


def _unfinished_steps(
    X: sparse.csr_matrix,
    structure: ItemStructure,
    pair_rows: np.ndarray,
    pair: np.ndarray,
    entry: np.ndarray,
    distance: np.ndarray,
) -> np.ndarray:
    """The signed distance from the anchor, ahead counted in items the row has not done (0 for done items).

    Per (row, group) pair, U(e) = unfinished entries at or before entry e in position order: an unfinished entry
    ahead is U(e) - U(anchor) steps away."""
    n_items = X.shape[1]
    keys = np.repeat(np.arange(X.shape[0], dtype=np.int64), np.diff(X.indptr)) * n_items + X.indices
    wanted = pair_rows[pair].astype(np.int64) * n_items + structure.item[entry]
    where = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
    unfinished = keys[where] != wanted
    order = np.lexsort((structure.position[entry], pair))
    counted = np.cumsum(unfinished[order])
    starts = np.searchsorted(pair[order], pair[order], side="left")
    before = np.where(starts > 0, counted[np.maximum(starts - 1, 0)], 0)
    upto = np.empty(len(order), dtype=np.int64)
    upto[order] = counted - before  # U(e), within its pair
    at_anchor = np.bincount(pair, weights=(unfinished & (distance <= 0)).astype(np.float64), minlength=len(pair_rows))
    anchor_count = at_anchor.astype(np.int64)[pair]
    return np.where(~unfinished, 0, np.where(distance > 0, upto - anchor_count, distance))
