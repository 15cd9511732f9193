"""Does what the default model learns at fit time carry over to data it was not tuned on? Leave one group of the
items file out at a time: the model tunes on the other groups only, and is judged on the learners of the group
left out, against every baseline on the same learners. `evaluate_recommender --holdout-groups` prints it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from recommender.core.csvio import OfflineInputError, read_interactions, read_items
from recommender.core.estimators import MODELS
from recommender.core.matrix import IdIndex, build_matrix
from recommender.core.metrics import hit_rate_at_k, leave_last_out, ndcg_at_k, rank_users
from recommender.core.offline import Dataset, _model, prepare


def evaluate_holdout_groups(
    data: Dataset, estimators: dict, k: int = 10, min_items: int = 3, groups: list[int] | None = None
) -> list[dict]:
    """One row per group left out: {"group", "learners", name: {"hr", "ndcg"} for every estimator}.

    Split as `offline.evaluate_holdout` (each learner's last item by time is the test item). A learner belongs to
    the fold of their test item's group. Estimators that learn settings at fit time (`learns_settings`) learn them
    from the training rows of the OTHER groups' items only, then are refitted on all training rows with those
    settings frozen; the others are fitted once on all training rows. Every fold is ranked on its own learners.
    """
    if data.structure is None:
        raise OfflineInputError("--holdout-groups needs an items file (its groups are the folds)")
    train_rows, test_rows = leave_last_out(data.user_idx, data.item_idx, data.timestamps, data.tie_break, min_items)
    if not len(test_rows):
        raise OfflineInputError(f"no user has {min_items} or more distinct items: nothing to evaluate")
    structure = data.structure
    item_group = np.full(len(data.items), -1, dtype=np.int64)
    item_group[structure.item[::-1]] = structure.group[::-1]  # an item in several groups: its first entry's
    n_users, n_items = len(data.users), len(data.items)
    test = build_matrix(data.user_idx[test_rows], data.item_idx[test_rows], np.ones(len(test_rows)), n_users, n_items)
    test_users, test_items = data.user_idx[test_rows], data.item_idx[test_rows]
    X, sequences = data.matrix(train_rows), data.sequences(train_rows)
    folds = sorted(set(item_group[test_items].tolist()) - {-1}) if groups is None else groups
    fixed_tops = {}
    for name, estimator in estimators.items():
        if not estimator.learns_settings:
            estimator.fit(X, structure=structure, sequences=sequences)
            top = rank_users(estimator, X, test_users, k, sequences)
            fixed_tops[name] = dict(zip(test_users.tolist(), top, strict=True))
    rows = []
    for group in folds:
        users = np.sort(test_users[item_group[test_items] == group])
        if not len(users):
            continue
        tuning_rows = train_rows[item_group[data.item_idx[train_rows]] != group]
        row = {"group": group, "learners": len(users)}
        relevant = test[users]
        for name, estimator in estimators.items():
            if estimator.learns_settings:
                tuned = estimator.fit(
                    data.matrix(tuning_rows), structure=structure, sequences=data.sequences(tuning_rows)
                )
                frozen = type(estimator)(**tuned.learned_params()).fit(X, structure=structure, sequences=sequences)
                top = rank_users(frozen, X, users, k, sequences)
            else:
                top = np.stack([fixed_tops[name][user] for user in users.tolist()])
            row[name] = {"hr": hit_rate_at_k(top, relevant, k), "ndcg": ndcg_at_k(top, relevant, k)}
        rows.append(row)
    return rows


def evaluate_interactions_by_group(
    interactions: str | Path, items: str | Path, k: int = 10, min_items: int = 3, models: list[str] | None = None
) -> list[dict[str, object]]:
    """Leave-one-group-out on CSV files (see `evaluate_holdout_groups`); group names as labels."""
    if k < 1:
        raise OfflineInputError(f"K must be at least 1 (got {k})")
    item_rows = read_items(Path(items))
    data = prepare(read_interactions(Path(interactions)), item_rows)
    estimators = {name: _model(name) for name in (models or MODELS)}
    rows = evaluate_holdout_groups(data, estimators, k=k, min_items=min_items)
    names = IdIndex.from_values(item_rows.groups)
    return [{**row, "group": names.decode([row["group"]])[0]} for row in rows]
