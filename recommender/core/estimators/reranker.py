"""A learned re-ranker for the hybrid: gradient-boosted trees (scikit-learn) over the blend's components, which
reorder each learner's top candidates of the linear blend. Trained on one held-out step, and trusted only for
the learners of the groups where they ranked the NEXT step better than the linear blend did; stored as plain
arrays (tree nodes, trusted groups), never pickled.

Why trees over the components: the linear blend adds the components with one weight each, so how far a learned
component may overrule the curated order is the same for every learner. Where the components disagree matters
(a likely transition that the structure puts second, a collaborative signal on a gap behind), and trees learn
those interactions from the data given. Why train on one step and check on the next: which components predict
"what next" shifts from one step to the next (see `blend.validation_splits`); only a re-ranker that carries over
from one step to the following one is trusted with the step that is asked. Why per group: trees that help on
some course runs hurt on others (on the shared OULAD set, trained on eight presentations, they lost to
next-in-group on the three whose order learners already follow almost exactly), so a group the check did not
show them helping, including any group added after training, keeps the linear blend.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier

from recommender.core.blend import ranking_gains

#: How many of the linear blend's top unseen items the re-ranker reorders per learner.
CANDIDATES = 20
#: Tree ensemble size: small enough to store in a few hundred numbers and to score in microseconds per learner;
#: shallow, because deeper trees learned item-specific detail that did not carry over to other course runs.
TREES, DEPTH = 50, 2
#: Learners of the training step the trees are fitted on at most (sampled): bounds the fit at any scale.
MAX_TRAIN_LEARNERS = 10_000
#: A group is trusted only with this many learners on the checking step (fewer: too noisy to tell).
MIN_GROUP_LEARNERS = 30
#: The re-ranker is kept only when it beats the linear blend on the checking step by more than this NDCG@10
#: (noise on a few hundred learners is of this order).
MIN_GAIN = 0.001
#: Fewer learners than this on the training or checking step: no re-ranker (too little to learn trees from).
MIN_LEARNERS = 200
#: The group of rows outside every group (and of every row of data without a structure).
NO_GROUP = -1
#: Columns of the node array: the feature tested, its threshold (<= goes left), the left and right child rows
#: (-1 at a leaf), the leaf value, and 1 at a tree's root.
NODE_COLUMNS = ("feature", "threshold", "left", "right", "value", "root")


def no_trees() -> np.ndarray:
    """The node array of "no re-ranker"."""
    return np.zeros((0, len(NODE_COLUMNS)), dtype=np.float64)


def candidates(total: np.ndarray, seen: np.ndarray, k: int = CANDIDATES) -> np.ndarray:
    """(n_rows, min(k, n_items)) column indices: each row's top unseen items by `total`, best first, ties by
    lower index (at the cut-off, which of several tied items is kept is unspecified). Rows with fewer unseen
    items fill up with seen ones, which `reranked` never moves."""
    k = min(k, total.shape[1])
    masked = np.where(seen, -np.inf, total.astype(np.float64))
    if k < total.shape[1]:  # a partial sort: a full one per row costs seconds per batch at 10k items
        top = np.argpartition(-masked, k - 1, axis=1)[:, :k]
    else:
        top = np.tile(np.arange(k), (len(total), 1))
    rows = np.arange(len(total))[:, None]
    order = np.lexsort((top, -masked[rows, top]), axis=1)
    return np.take_along_axis(top, order, axis=1)


def candidate_features(parts: list[np.ndarray], cand: np.ndarray) -> np.ndarray:
    """(n_rows * k, n_parts) float32: each weighted component but the last (popularity) at each candidate, then
    the sum of all. Popularity is left out because its value names the item: trees split on it learned items,
    not situations, and that does not carry over to other items."""
    rows = np.arange(len(cand))[:, None]
    columns = [part[rows, cand].reshape(-1) for part in parts]
    total = _summed(columns) if columns else np.zeros(cand.size)
    return np.stack([*columns[:-1], total], axis=1).astype(np.float32)


def _summed(arrays: list[np.ndarray]) -> np.ndarray:
    """Their sum, added one at a time (np.sum over a list stacks them all first: 7x the memory)."""
    total = arrays[0].astype(np.float32)
    for array in arrays[1:]:
        total += array
    return total


def fit_trees(features: np.ndarray, labels: np.ndarray, random_state: int = 0) -> np.ndarray:
    """Boosted trees predicting "this candidate is the held-out item", as a node array (see NODE_COLUMNS)."""
    model = HistGradientBoostingClassifier(max_iter=TREES, max_depth=DEPTH, random_state=random_state)
    model.fit(features, labels.astype(np.int64))
    blocks, offset = [], 0
    for (predictor,) in model._predictors:  # binary: one tree per iteration
        nodes = predictor.nodes
        leaf = nodes["is_leaf"].astype(bool)
        block = np.zeros((len(nodes), len(NODE_COLUMNS)), dtype=np.float64)
        block[:, 0] = nodes["feature_idx"]
        block[:, 1] = nodes["num_threshold"]
        block[:, 2] = np.where(leaf, -1, nodes["left"].astype(np.int64) + offset)
        block[:, 3] = np.where(leaf, -1, nodes["right"].astype(np.int64) + offset)
        block[:, 4] = np.where(leaf, nodes["value"], 0.0)
        block[0, 5] = 1.0
        blocks.append(block)
        offset += len(nodes)
    return np.concatenate(blocks) if blocks else no_trees()


def tree_scores(nodes: np.ndarray, features: np.ndarray) -> np.ndarray:
    """The trees' summed leaf values for each row of `features` (the log-odds up to a constant), float64."""
    if not len(nodes) or not len(features):
        return np.zeros(len(features), dtype=np.float64)
    feature, threshold = nodes[:, 0].astype(np.int64), nodes[:, 1]
    left, right = nodes[:, 2].astype(np.int64), nodes[:, 3].astype(np.int64)
    at = np.tile(np.flatnonzero(nodes[:, 5] > 0), (len(features), 1))  # (rows, trees): every row at every root
    rows = np.arange(len(features))[:, None]
    while True:
        inner = left[at] >= 0
        if not inner.any():
            break
        goes_left = features[rows, feature[at]] <= threshold[at]
        at = np.where(inner, np.where(goes_left, left[at], right[at]), at)
    scores: np.ndarray = nodes[at, 4].sum(axis=1)
    return scores


def row_groups(structure: Any, sequences: list[np.ndarray] | None, n_rows: int) -> np.ndarray:
    """Each row's group: the (first) group of its most recent item, NO_GROUP when it has none."""
    groups = np.full(n_rows, NO_GROUP, dtype=np.int64)
    if structure is None or sequences is None:
        return groups
    last = np.fromiter((seq[-1] if len(seq) else -1 for seq in sequences), dtype=np.int64, count=n_rows)
    owner, entry = structure.entries_of_items(np.maximum(last, 0))
    first = np.r_[True, owner[1:] != owner[:-1]] if len(owner) else np.zeros(0, dtype=bool)
    groups[owner[first]] = structure.group[entry[first]]
    groups[last < 0] = NO_GROUP
    return groups


def reranked(
    total: np.ndarray, seen: np.ndarray, parts: list[np.ndarray], nodes: np.ndarray, rows: np.ndarray | None = None
) -> np.ndarray:
    """The amount to add to `total` so that each row's candidates rank by the trees, above every other item:
    a candidate ends at (the row's top score + 1 + sigmoid(tree score)); other items get 0. Only the rows in
    the boolean mask `rows` (all by default) are re-ranked. Float32."""
    shift = np.zeros(total.shape, dtype=np.float32)
    chosen = np.ones(len(total), dtype=bool) if rows is None else rows
    if not len(nodes) or total.size == 0 or not chosen.any():
        return shift
    picked = np.flatnonzero(chosen)
    shift[picked] = _reranked_rows(total[picked], seen[picked], [part[picked] for part in parts], nodes)
    return shift


def _reranked_rows(total: np.ndarray, seen: np.ndarray, parts: list[np.ndarray], nodes: np.ndarray) -> np.ndarray:
    shift = np.zeros(total.shape, dtype=np.float32)
    cand = candidates(total, seen)
    scores = tree_scores(nodes, candidate_features(parts, cand)).reshape(cand.shape)
    rows = np.arange(len(total))[:, None]
    top = np.max(np.where(seen, -np.inf, total), axis=1, initial=-np.inf)[:, None]
    top = np.where(np.isfinite(top), top, 0.0)
    target = top + 1.0 + 1.0 / (1.0 + np.exp(-np.clip(scores, -30, 30)))
    unseen = ~seen[rows, cand]
    shift[rows, cand] = np.where(unseen, target - total[rows, cand], 0.0)
    return shift


Step = tuple[list[np.ndarray], np.ndarray, np.ndarray, np.ndarray]


def learn(train: Step, check: Step, random_state: int = 0) -> tuple[np.ndarray, np.ndarray, dict[str, Any]]:
    """(node array, trusted groups, report): trees fitted on the `train` step's learners, trusted for the groups
    whose learners on the `check` step they ranked better than the linear blend (mean NDCG@10 gain > 0, at least
    MIN_GROUP_LEARNERS learners), and kept only if that beats the linear blend on the whole check step by more
    than MIN_GAIN; otherwise no trees.

    Each step is (weighted components as dense (rows, items) arrays, seen mask, held-out item per row, group
    per row as `row_groups` gives it).
    """
    none, nobody = no_trees(), np.zeros(0, dtype=np.int64)
    (train_parts, train_seen, train_targets, _), (check_parts, check_seen, check_targets, check_groups) = train, check
    report: dict[str, Any] = {"used": False, "trained_on": len(train_targets), "checked_on": len(check_targets)}
    if min(len(train_targets), len(check_targets)) < MIN_LEARNERS:
        report["reason"] = f"fewer than {MIN_LEARNERS} learners on a validation step"
        return none, nobody, report
    sample = np.arange(len(train_targets))
    if len(sample) > MAX_TRAIN_LEARNERS:
        sample = np.sort(np.random.default_rng(random_state).choice(sample, MAX_TRAIN_LEARNERS, replace=False))
    train_total = _summed([part[sample] for part in train_parts])
    cand = candidates(train_total, train_seen[sample])
    labels = (cand == train_targets[sample, None]).reshape(-1)
    if labels.all() or not labels.any():
        report["reason"] = "the held-out items are all, or none, of the candidates"
        return none, nobody, report
    nodes = fit_trees(candidate_features([part[sample] for part in train_parts], cand), labels, random_state)
    check_total = _summed(check_parts)
    linear = ranking_gains(check_total.copy(), check_seen, check_targets)[0]
    shifted = check_total + reranked(check_total, check_seen, check_parts, nodes)
    gain = ranking_gains(shifted, check_seen, check_targets)[0] - linear
    groups, inverse, sizes = np.unique(check_groups, return_inverse=True, return_counts=True)
    mean_gain = np.bincount(inverse.reshape(-1), weights=gain) / sizes
    trusted = groups[(mean_gain > 0) & (sizes >= MIN_GROUP_LEARNERS)]
    applied = np.where(np.isin(check_groups, trusted), gain, 0.0)
    report.update(
        {
            "linear_ndcg@10": round(float(linear.mean()), 4),
            "reranked_ndcg@10": round(float((linear + applied).mean()), 4),
            "groups_trusted": int(len(trusted)),
            "groups_checked": int(len(groups)),
        }
    )
    if applied.mean() <= MIN_GAIN:
        report["reason"] = "it did not rank the checking step better than the linear blend"
        return none, nobody, report
    report["used"] = True
    return nodes, trusted.astype(np.int64), report
