"""The shipped default: the curated structure, learned transitions, item-kNN, EASE and popularity, blended with
weights learned per data set at fit time."""

from __future__ import annotations

import json

import numpy as np

from recommender.core import blend
from recommender.core.estimators import reranker
from recommender.core.estimators.base import Recommender, as_csr, binarized
from recommender.core.estimators.ease import MAX_ITEMS, ease_items, ease_scores, ease_weights, gram, relative_l2
from recommender.core.estimators.hybrid_search import (
    ANCHORS,
    COMPONENTS,
    SETTINGS,
    SHAPE,
    WEIGHTS,
    PooledScorer,
    ValidationScorer,
    row_normalised,
    structure_component,
    structure_first,
)
from recommender.core.estimators.item_knn import cosine_neighbors, similarity_to
from recommender.core.estimators.transitions import fit_transitions, transition_scores

__all__ = ["COMPONENTS", "SETTINGS", "Hybrid", "structure_first"]

#: Learned transition state, as attribute name -> key in the `fit_transitions` result.
TRANSITION_STATE = {
    "transitions_": "first",
    "transition_backoff_": "first_backoff",
    "contexts_": "contexts",
    "context_transitions_": "second",
    "context_backoff_": "second_backoff",
}
#: The values the search tries for each setting. Generic ranges (none tuned to a data set): the weights span
#: "off" to "dominant" on a log scale against the structure's 1; the shape spans "next item only" to "whole group".
GRIDS: dict[str, tuple] = {
    "structure_weight": (0.0, 1.0),
    "sequence_weight": (0.0, 0.1, 0.25, 0.5, 1.0, 1.5, 2.5),
    "cf_weight": (0.0, 0.03, 0.1, 0.3, 1.0, 3.0),
    "next_cf_weight": (0.0, 0.1, 0.3, 1.0, 3.0, 10.0),
    "ease_weight": (0.0, 0.03, 0.1, 0.3, 1.0, 3.0),
    "popularity_weight": (0.0, 0.001, 0.01, 0.05, 0.2),
    "decay": (0.3, 0.5, 0.7, 0.85, 0.95),
    "gap_weight": (0.0, 0.5, 0.8, 1.02, 1.2, 1.5, 2.0),
    "group_decay": (0.001, 0.1, 0.3, 0.6, 0.8, 1.0),
    "anchor": ANCHORS,
    "ease_l2_ratio": (0.5, 2.0, 8.0),
}
#: Above this many modelled items one EASE solve costs seconds, so the search keeps the given l2 ratio.
EASE_L2_SEARCH_ITEMS = 1500


class Hybrid(Recommender):
    """score = sum over components of weight * component:

    - structure (in [0, max(1, gap_weight)]): in each group the row has touched, the d-th unfinished item after
      the anchor (the row's most recent item there, or its furthest) scores decay**(d-1), a gap d positions behind
      gap_weight * decay**(d-1), times group_decay**rank for the group's recency rank. See `structure_scores`.
    - sequence (in [0, 1]): P(next item | the row's last two items), smoothed second-order transitions.
    - cf (in [0, 1]): item-kNN cosine scores on the binary matrix, divided by the row's maximum.
    - next_cf (in [0, 1]): sequence x cf, divided by the row's maximum: a likely next step that learners like
      this one also take. It steers a learner who skips what others do next past it; neither part says that.
    - ease (<= 1): EASE scores on the most popular `ease_max_items` items, divided by the row's maximum.
    - popularity (in [0, 1]): the item's user count divided by the largest.
    - rerank: 0, or, when fit learned a re-ranker, what lifts each row's top CANDIDATES of the sum of the others
      above every other item, in the order boosted trees over those components give them (`reranker`).

    With `learn_blend` (the default), fit learns the weights, the structure's shape and EASE's penalty from the
    data it is given: it holds out each learner's last training item, and in a second split the one before it
    (`blend.validation_splits`), fits the components on what came before, searches the settings that rank the held
    out items of both splits best (NDCG@10 over their learners, `blend.coordinate_search`), then refits the
    components on everything. With a structure, the search only takes settings where the learned
    components cannot outvote the next unfinished item of a group (`structure_first`). The constructor values are
    the search's first guess and what is used when there is too little data to learn from (fewer than
    `blend.MIN_VALIDATION_USERS` learners with 3 items); `fit_report()` says which happened, with the validation
    figures. `refit` fits again on more data with the learned settings, without a second search.

    After the search, fit trains a re-ranker on the deeper split's learners and keeps it only when it ranks the
    last training items better than the linear blend (`reranker.learn`); that check on a step the trees were not
    trained on is what lets them reorder the structure's next item, which the linear blend may not.
    """

    name = "hybrid"
    components = (*COMPONENTS, "rerank")
    collaborative_components = ("sequence", "cf", "next_cf", "ease")
    learns_settings = True
    _optional_state = ("structure_", "reranker_", "reranker_groups_")
    _state = (
        "similarity_",
        "popularity_",
        "blend_",
        "report_",
        "ease_",
        "ease_items_",
        "structure_",
        "reranker_",
        "reranker_groups_",
        *TRANSITION_STATE,
    )

    def __init__(
        self,
        structure_weight: float = 1.0,
        sequence_weight: float = 0.25,
        cf_weight: float = 0.1,
        next_cf_weight: float = 0.0,
        ease_weight: float = 0.0,
        popularity_weight: float = 0.01,
        decay: float = 0.5,
        gap_weight: float = 1.02,
        group_decay: float = 0.1,
        anchor: str = "last",
        ease_l2_ratio: float = 2.0,
        smoothing: float = 2.0,
        context_smoothing: float = 0.5,
        n_neighbors: int = 100,
        ease_max_items: int = MAX_ITEMS,
        learn_blend: bool = True,
        reranker: list | None = None,
        reranker_groups: list | None = None,
        random_state: int = 0,
    ) -> None:
        self.structure_weight = structure_weight
        self.sequence_weight = sequence_weight
        self.cf_weight = cf_weight
        self.next_cf_weight = next_cf_weight
        self.ease_weight = ease_weight
        self.popularity_weight = popularity_weight
        self.decay = decay
        self.gap_weight = gap_weight
        self.group_decay = group_decay
        self.anchor = anchor
        self.ease_l2_ratio = ease_l2_ratio
        self.smoothing = smoothing
        self.context_smoothing = context_smoothing
        self.n_neighbors = n_neighbors
        self.ease_max_items = ease_max_items
        self.learn_blend = learn_blend
        self.reranker = reranker
        self.reranker_groups = reranker_groups
        self.random_state = random_state

    # -- fitting ---------------------------------------------------------------------------------------------

    def fit(self, X, structure=None, sequences=None) -> Hybrid:
        """Learn the blend (see the class docstring), then every component on all of X."""
        if self.anchor not in ANCHORS:
            raise ValueError(f"anchor must be one of {ANCHORS}, not {self.anchor!r}")
        X = as_csr(X)
        if structure is not None and structure.n_items > X.shape[1]:
            raise ValueError("the structure names items outside the matrix")
        sequences = None if sequences is None else list(sequences)
        prior = {name: getattr(self, name) for name in SETTINGS}
        settings, report = prior, {"learned": False}
        nodes = reranker.no_trees() if self.reranker is None else np.asarray(self.reranker, dtype=np.float64)
        trusted = np.asarray(self.reranker_groups or [], dtype=np.int64)
        if self.learn_blend:
            settings, report, nodes, trusted = self._learn(X, structure, sequences, prior)
        self._fit_components(X, structure, sequences, settings)
        self.reranker_ = nodes.reshape(-1, len(reranker.NODE_COLUMNS))
        self.reranker_groups_ = trusted
        self.blend_ = _encode(settings)
        self.report_ = np.asarray(json.dumps(report, sort_keys=True))
        return self

    def _fit_components(self, X, structure, sequences, settings: dict) -> None:
        self.similarity_ = cosine_neighbors(X, self.n_neighbors, binary=True)
        counts = np.asarray((X > 0).sum(axis=0), dtype=np.float32).reshape(-1)
        self.popularity_ = counts / max(float(counts.max(initial=0.0)), 1.0)
        transitions = fit_transitions(sequences, X.shape[1], self.smoothing, self.context_smoothing)
        for attr, key in TRANSITION_STATE.items():
            setattr(self, attr, transitions[key])
        self.structure_ = structure
        self.ease_items_ = np.zeros(0, dtype=np.int64)
        self.ease_ = np.zeros((0, 0), dtype=np.float32)
        if settings["ease_weight"] > 0:  # EASE is the costly part: fitted only when the blend uses it
            self.ease_items_ = ease_items(X, self.ease_max_items)
            l2 = relative_l2(X, self.ease_items_, settings["ease_l2_ratio"])
            self.ease_ = ease_weights(gram(X, self.ease_items_), l2)

    def _learn(self, X, structure, sequences, prior: dict) -> tuple[dict, dict, np.ndarray, np.ndarray]:
        """Search the settings on validation splits carved from X, then the re-ranker; the prior (and no
        re-ranker) when too few learners qualify."""
        none = (reranker.no_trees(), np.zeros(0, dtype=np.int64))
        if sequences is None:  # no time order: no temporal split, and a random one asks a different question
            return prior, {"learned": False, "reason": "no time order (sequences) was given"}, *none
        splits = blend.validation_splits(X, sequences, seed=self.random_state)
        split = splits[0]
        if len(split.users) < blend.MIN_VALIDATION_USERS:
            reason = f"{len(split.users)} learners with 3+ items; {blend.MIN_VALIDATION_USERS} needed to learn"
            return prior, {"learned": False, "reason": reason}, *none
        scorer = PooledScorer([ValidationScorer(self, each, structure) for each in splits])
        grids = dict(GRIDS)
        fixed = {}
        if structure is None:
            fixed["structure_weight"] = 0.0
        if len(scorer.ease_columns) > EASE_L2_SEARCH_ITEMS:
            fixed["ease_l2_ratio"] = prior["ease_l2_ratio"]
        if structure is None:
            fixed.update({name: prior[name] for name in SHAPE})
        grids = {name: values for name, values in grids.items() if name not in fixed}
        starts = [{**prior, **fixed}, *({**start, **fixed} for start in _generic_starts(prior))]
        settings, quality, tried = blend.coordinate_search(scorer.feasible_ndcg, starts, grids)
        report = {
            "learned": True,
            "weights": {name: settings[f"{name}_weight"] for name in COMPONENTS},
            "structure_shape": {name: settings[name] for name in SHAPE},
            "ease_l2_ratio": settings["ease_l2_ratio"],
            "validation": {
                "learners": int(len(split.users)),
                "steps": scorer.per_step(settings),
                "held_out_learners": int(split.eligible),
                "ndcg@10": round(quality, 4),
                "hr@10": round(scorer.quality(settings)[1], 4),
                "prior_ndcg@10": round(scorer.ndcg({**prior, **fixed}), 4),
                "component_alone_ndcg@10": scorer.alone(settings, fixed),
                "settings_tried": tried,
            },
        }
        nodes, trusted, report["reranker"] = self._learn_reranker(scorer, settings)
        return settings, report, nodes, trusted

    def _learn_reranker(self, scorer: PooledScorer, settings: dict) -> tuple[np.ndarray, np.ndarray, dict]:
        """Trees trained on the deeper split (the item before the last) and checked on the last training items."""
        if len(scorer.scorers) < 2:
            return reranker.no_trees(), np.zeros(0, np.int64), {"used": False, "reason": "only one validation step"}
        check, train = scorer.scorers[0].step(settings), scorer.scorers[1].step(settings)
        return reranker.learn(train, check, random_state=self.random_state)

    @classmethod
    def from_arrays(cls, params, arrays):
        """As `Recommender.from_arrays`, refusing a blend saved with other settings (an older artifact) at load
        time rather than failing when it first scores."""
        estimator = super().from_arrays(params, arrays)
        if estimator.reranker_ is None:  # saved before re-rankers existed: serve the linear blend as it was
            estimator.reranker_, estimator.reranker_groups_ = reranker.no_trees(), np.zeros(0, dtype=np.int64)
        if np.shape(estimator.blend_) != (len(SETTINGS),):
            raise ValueError(f"the artifact's blend has {np.size(estimator.blend_)} settings, not {len(SETTINGS)}")
        return estimator

    # -- scoring ---------------------------------------------------------------------------------------------

    @property
    def settings_(self) -> dict:
        """The settings in use: learned at fit time, or the constructor's when nothing was learned."""
        self._check_fitted()
        return _decode(self.blend_)

    def learned_params(self) -> dict:
        """Constructor parameters that reproduce this fit's blend and re-ranker without learning them
        (`learn_blend=False`; the re-ranker's tree nodes as nested lists, None when it has none)."""
        nodes = self.reranker_.tolist() if len(self.reranker_) else None
        groups = self.reranker_groups_.tolist() if len(self.reranker_) else None
        frozen = {"learn_blend": False, "reranker": nodes, "reranker_groups": groups}
        return {**self.get_params(), **self.settings_, **frozen}

    def refit(self, X, structure=None, sequences=None) -> Hybrid:
        """As `Recommender.refit`; the new fit reports the blend this one learned (and its validation figures)."""
        # The re-ranker is handed over as state, not as a parameter, so the manifest's parameters stay short.
        params = {**self.learned_params(), "reranker": None, "reranker_groups": None}
        refitted = type(self)(**params).fit(X, structure=structure, sequences=sequences)
        refitted.reranker_, refitted.reranker_groups_ = self.reranker_, self.reranker_groups_
        refitted.report_ = self.report_
        return refitted

    def fit_report(self) -> dict:
        """Whether the blend was learned, its weights and shape, and the validation figures behind them."""
        self._check_fitted()
        return json.loads(str(self.report_))

    def score(self, X_users, sequences=None) -> np.ndarray:
        """The blended score: the sum of `score_components`. Without trees it leaves out the components weighted 0
        and the rerank part (ranking thousands of learners at once, each is a dense rows x items array to build
        and add); the trees need every part."""
        self._check_fitted()
        X_users = as_csr(X_users)
        if len(self.reranker_):
            parts = self._linear_parts(X_users, sequences)
            total = _summed(parts)
            total += self._rerank(X_users, sequences, parts, total)
            return total
        settings = self.settings_
        raw = self._raw_components(X_users, sequences, settings)
        total = np.zeros(X_users.shape, dtype=np.float32)
        for name in COMPONENTS:
            weight = settings[f"{name}_weight"]
            if weight:
                total += (weight * raw[name]).astype(np.float32)
        return total

    def score_components(self, X_users, sequences=None) -> dict[str, np.ndarray]:
        """Each weighted component as dense float32 (n_rows, n_items); they sum to `score`."""
        X_users = as_csr(X_users)
        parts = self._linear_parts(X_users, sequences)
        components = dict(zip(COMPONENTS, parts, strict=True))
        components["rerank"] = self._rerank(X_users, sequences, parts, _summed(parts))
        return components

    def _linear_parts(self, X_users, sequences) -> list[np.ndarray]:
        """The weighted COMPONENTS, in that order."""
        self._check_fitted()
        settings = self.settings_
        raw = self._raw_components(X_users, sequences, settings)
        return [(settings[f"{name}_weight"] * raw[name]).astype(np.float32) for name in COMPONENTS]

    def _rerank(self, X_users, sequences, parts: list[np.ndarray], linear: np.ndarray) -> np.ndarray:
        """The rerank component: 0 without trees, or for rows outside the groups they are trusted for."""
        if not len(self.reranker_):
            return np.zeros(linear.shape, dtype=np.float32)
        groups = reranker.row_groups(self.structure_, sequences, n_rows=X_users.shape[0])
        trusted = np.isin(groups, self.reranker_groups_)
        seen = X_users.toarray() > 0
        return reranker.reranked(linear, seen, parts, self.reranker_, trusted)

    def similar_items(self, items: np.ndarray, item: int) -> np.ndarray:
        """Item-kNN cosine of each of `items` to `item` (what "learners who did X went on to this" cites)."""
        self._check_fitted()
        return similarity_to(self.similarity_, items, item)

    def _raw_components(self, X_users, sequences, settings: dict) -> dict[str, np.ndarray]:
        n_rows, n_items = X_users.shape
        state = {key: getattr(self, attr) for attr, key in TRANSITION_STATE.items()}
        prior = self.popularity_ / max(float(self.popularity_.sum()), 1e-12)
        sequence = transition_scores(state, prior, sequences, n_rows)
        cf = row_normalised((binarized(X_users) @ self.similarity_).toarray())
        return {
            "structure": structure_component(X_users, sequences, self.structure_, settings),
            "sequence": sequence,
            "cf": cf,
            "next_cf": row_normalised(sequence * cf),
            "ease": row_normalised(ease_scores(X_users, self.ease_, self.ease_items_, n_items)),
            "popularity": np.broadcast_to(self.popularity_, (n_rows, n_items)),
        }


def _summed(parts: list[np.ndarray]) -> np.ndarray:
    """The sum of same-shaped arrays, into a new one, one at a time (np.sum over a list stacks them first)."""
    total = parts[0].copy()
    for part in parts[1:]:
        total += part
    return total


def _generic_starts(prior: dict) -> list[dict]:
    """Other first guesses, so the search does not depend on the prior alone: the structure alone (next in group,
    groups in recency order), each other component alone, and the prior led by next_cf."""
    zeros = dict.fromkeys(WEIGHTS, 0.0)
    structure_alone = {"structure_weight": 1.0, "decay": 0.95, "gap_weight": 1.02, "group_decay": 0.001}
    starts = [{**prior, **zeros, **structure_alone, "anchor": "last", "popularity_weight": 0.001}]
    for name in ("sequence", "next_cf", "cf", "ease"):
        starts.append({**prior, **zeros, f"{name}_weight": 1.0, "popularity_weight": 0.001})
    starts.append({**prior, "next_cf_weight": 3.0})
    return starts


def _encode(settings: dict) -> np.ndarray:
    values = [ANCHORS.index(settings[name]) if name == "anchor" else settings[name] for name in SETTINGS]
    return np.asarray(values, dtype=np.float64)


def _decode(values: np.ndarray) -> dict:
    decoded = dict(zip(SETTINGS, (float(value) for value in values), strict=True))
    decoded["anchor"] = ANCHORS[int(decoded["anchor"])]
    return decoded
