"""Offline recommendation and evaluation on CSV files: what `recommend_offline` and
`evaluate_recommender --interactions` run. Pure: csv + numpy, no database."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse

from recommender.core.csvio import (
    Interactions,
    Items,
    OfflineInputError,
    read_interactions,
    read_items,
    read_users,
)
from recommender.core.estimators import DEFAULT_MODEL, MODELS
from recommender.core.matrix import IdIndex, ItemStructure, build_matrix, build_sequences
from recommender.core.metrics import chronological_order, evaluate, leave_last_out
from recommender.core.ranking import top_k
from recommender.core.weights import score_weights

__all__ = [
    "Dataset",
    "OfflineInputError",
    "evaluate_holdout",
    "evaluate_interactions",
    "prepare",
    "recommend",
]

BATCH_ROWS = 1024


@dataclass
class Dataset:
    """Interactions turned into model inputs; row r of every per-row array is the r-th interaction."""

    users: IdIndex
    items: IdIndex
    user_idx: np.ndarray
    item_idx: np.ndarray
    weights: np.ndarray
    timestamps: np.ndarray
    tie_break: np.ndarray
    structure: ItemStructure | None

    def matrix(self, rows: np.ndarray | None = None) -> sparse.csr_matrix:
        """The user x item weight matrix of the given rows (all rows by default)."""
        rows = np.arange(len(self.user_idx)) if rows is None else rows
        args = (self.user_idx[rows], self.item_idx[rows], self.weights[rows])
        return build_matrix(*args, len(self.users), len(self.items))

    def sequences(self, rows: np.ndarray | None = None) -> list[np.ndarray]:
        """Each user's items of the given rows in time order (ties by position, then item id)."""
        rows = np.arange(len(self.user_idx)) if rows is None else rows
        users, items = self.user_idx[rows], self.item_idx[rows]
        order = chronological_order(users, self.timestamps[rows], self.tie_break[rows], items)
        return build_sequences(users, items, len(self.users), order)


def _id_rank(ids: np.ndarray) -> np.ndarray:
    """Sort keys for item ids: numeric order when every id is an integer (OULAD's ids), else text order."""
    try:
        return np.asarray([int(value) for value in ids], dtype=np.float64)
    except ValueError:
        return np.unique(ids, return_inverse=True)[1].reshape(-1).astype(np.float64)


def _one_based(groups: np.ndarray, positions: np.ndarray, n_groups: int) -> np.ndarray:
    """Positions shifted per group so each group's lowest is 1: order and distances are kept, so a 0-based (or
    any integer) file means the same as a 1-based one."""
    lowest = np.full(n_groups, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(lowest, groups, positions)
    return positions - lowest[groups] + 1


def prepare(interactions: Interactions, items: Items | None = None) -> Dataset:
    """Index users and items, map scores to weights (`weights.score_weights`) and build the structure.

    Items are indexed items-file first (file order), then items seen only in the interactions. The time
    tie-break of a row is its item's position (lowest over its groups), then its item id; items without a
    position sort after positioned ones on the same timestamp.
    """
    if not len(interactions):
        raise OfflineInputError("the interactions file has no rows")
    listed = items.item_ids if items is not None else []
    users = IdIndex.from_values(interactions.user_ids)
    item_index = IdIndex.from_values([*listed, *interactions.item_ids])
    structure = None
    position = np.full(len(item_index), np.inf)
    if items is not None:
        entry_items = item_index.encode(items.item_ids)
        groups = IdIndex.from_values(items.groups)
        group_idx = groups.encode(items.groups)
        positions = _one_based(group_idx, items.positions, len(groups))
        structure = ItemStructure(entry_items, group_idx, positions, n_items=len(item_index))
        np.minimum.at(position, entry_items, positions.astype(np.float64))
    item_idx = item_index.encode(interactions.item_ids)
    # One integer per item ordering by (position, id), so a single tie-break array carries both rules.
    item_order = np.empty(len(item_index), dtype=np.int64)
    item_order[np.lexsort((_id_rank(item_index.values), position))] = np.arange(len(item_index))
    tie_break = item_order[item_idx]
    return Dataset(
        users=users,
        items=item_index,
        user_idx=users.encode(interactions.user_ids),
        item_idx=item_idx,
        weights=score_weights(interactions.scores),
        timestamps=interactions.timestamps,
        tie_break=tie_break,
        structure=structure,
    )


def _model(name: str):
    if name not in MODELS:
        raise OfflineInputError(f"unknown model {name!r}; choose one of {', '.join(MODELS)}")
    return MODELS[name]()


def cold_start_scores(X: sparse.csr_matrix, structure: ItemStructure | None) -> np.ndarray:
    """Scores for a learner with no history: the starts of groups first, then by popularity (both in (0, 2])."""
    counts = np.asarray((X > 0).sum(axis=0), dtype=np.float64).reshape(-1)
    scores = counts / max(counts.max(initial=0.0), 1.0)
    if structure is not None:
        scores[structure.first_positions()] += 1.0
    return scores.astype(np.float32)


def recommend(train, users, k: int, items=None, model: str = DEFAULT_MODEL) -> list[tuple[str, int, str, float]]:
    """(user_id, rank, item_id, score) rows: the top k items per user of USERS, in USERS order then rank.

    `train`, `users` and `items` are paths (TRAIN csv, USERS txt, optional ITEMS csv). A user never gets an item
    they have in TRAIN; they get fewer than k rows only when fewer unseen items exist. Users absent from TRAIN
    get the cold-start list (`cold_start_scores`). Raises OfflineInputError for any bad input.
    """
    if k < 1:
        raise OfflineInputError(f"K must be at least 1 (got {k})")
    estimator = _model(model)
    user_list = read_users(Path(users))
    data = prepare(read_interactions(Path(train)), read_items(Path(items)) if items is not None else None)
    X, sequences = data.matrix(), data.sequences()
    estimator.fit(X, structure=data.structure, sequences=sequences)
    # A tiny popularity term orders exact ties (often zeros) sensibly without changing any real preference.
    tie_order = cold_start_scores(X, None).astype(np.float64) * 1e-6
    user_rows = data.users.encode(user_list)
    ranked: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    warm = np.unique(user_rows[user_rows >= 0])
    for start in range(0, len(warm), BATCH_ROWS):
        batch = warm[start : start + BATCH_ROWS]
        scores = estimator.score(X[batch], [sequences[row] for row in batch])
        ranked.update(_ranked_rows(batch, scores, tie_order, X[batch], k))
    cold = cold_start_scores(X, data.structure)[None, :]
    cold_top = top_k(cold.astype(np.float64) + tie_order, k)[0]
    cold_list = (cold_top[cold_top >= 0], cold[0, cold_top[cold_top >= 0]])
    rows = []
    for user_id, row in zip(user_list, user_rows, strict=True):
        top, values = ranked[row] if row >= 0 else cold_list
        names = data.items.decode(top)
        rows.extend(
            (user_id, rank, name, float(value)) for rank, (name, value) in enumerate(zip(names, values, strict=True), 1)
        )
    return rows


def _ranked_rows(batch, scores, tie_order, seen, k) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """For each row of a scored batch, its top-k unseen items and their (model) scores."""
    top = top_k(scores.astype(np.float64) + tie_order, k, exclude=seen)
    result = {}
    for i, row in enumerate(batch):
        items = top[i][top[i] >= 0]
        result[int(row)] = (items, scores[i, items])
    return result


def evaluate_interactions(interactions, items=None, k: int = 10, min_items: int = 3, models=None) -> list[dict]:
    """Leave-last-out comparison of models on an interactions CSV (optionally with its ITEMS csv).

    Each model in `models` (names, default all) is compared by `evaluate_holdout`. Returns `metrics.evaluate` rows.
    """
    if k < 1:
        raise OfflineInputError(f"K must be at least 1 (got {k})")
    data = prepare(read_interactions(Path(interactions)), read_items(Path(items)) if items is not None else None)
    estimators = {name: _model(name) for name in (models or MODELS)}
    rows, held_out = evaluate_holdout(data, estimators, k=k, min_items=min_items)
    if not held_out:
        raise OfflineInputError(f"no user has {min_items} or more distinct items: nothing to evaluate")
    return rows


def _with_rows_restored(data: Dataset, train_rows: np.ndarray, returned_test_rows: np.ndarray) -> np.ndarray:
    """Training rows plus every row of the (user, item) pairs that are no longer held out."""
    n_items = len(data.items)
    keys = data.user_idx.astype(np.int64) * n_items + data.item_idx
    rows = np.isin(keys, keys[returned_test_rows])
    rows[train_rows] = True
    return np.flatnonzero(rows)


def evaluate_holdout(
    data: Dataset, estimators: dict, k: int = 10, min_items: int = 3, max_test_users: int | None = None
) -> tuple[list[dict], int]:
    """(metrics rows, number of held-out users): every user with at least `min_items` distinct items holds out
    their last item by time (ties by the dataset's tie-break, then id); each estimator is fitted on the rest.

    With `max_test_users`, only a fixed random sample of those users (seed 0) holds out; the others keep every
    item in training. Ranking every user is what costs time at scale, and a sample of a few thousand measures enough.
    """
    train_rows, test_rows = leave_last_out(data.user_idx, data.item_idx, data.timestamps, data.tie_break, min_items)
    if max_test_users is not None and len(test_rows) > max_test_users:
        keep = np.sort(np.random.default_rng(0).choice(len(test_rows), size=max_test_users, replace=False))
        train_rows = _with_rows_restored(data, train_rows, np.delete(test_rows, keep))
        test_rows = test_rows[keep]
    if not len(test_rows):
        return [], 0
    test = build_matrix(
        data.user_idx[test_rows], data.item_idx[test_rows], np.ones(len(test_rows)), len(data.users), len(data.items)
    )
    rows = evaluate(estimators, data.matrix(train_rows), test, data.sequences(train_rows), data.structure, k=k)
    return rows, len(test_rows)
