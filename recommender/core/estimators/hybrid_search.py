"""What the hybrid's blend search scores candidate settings on: the components' names and settings, the rule
that keeps the curated order first, and validation scorers over one or several held-out steps."""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import sparse

from recommender.core import blend
from recommender.core.estimators import reranker
from recommender.core.estimators.ease import ease_items, ease_scores, ease_weights, gram, relative_l2
from recommender.core.estimators.progress import structure_scores

COMPONENTS = ("structure", "sequence", "cf", "next_cf", "ease", "popularity")
WEIGHTS = tuple(f"{name}_weight" for name in COMPONENTS)
SHAPE = ("decay", "gap_weight", "group_decay", "anchor")
#: Everything the blend search sets, in the order of the `blend_` state array (anchor stored as 0 last, 1 furthest).
SETTINGS = (*WEIGHTS, *SHAPE, "ease_l2_ratio")
ANCHORS = ("last", "furthest")

#: One candidate blend: SETTINGS name -> value (numbers, and the anchor as text).
Settings = dict[str, Any]


class ValidationScorer:
    """Scores candidate settings on a validation split: components are fitted once on the split's training part
    and scored once for the validation rows; only the structure (per shape) and EASE (per penalty) vary."""

    def __init__(self, model: Any, split: blend.ValidationSplit, structure: Any) -> None:
        helper = type(model)(**{**model.get_params(), "learn_blend": False, "ease_weight": 0.0})
        helper._fit_components(split.X_fit, structure, split.sequences_fit, helper.get_params())
        self.rows = split.X_fit[split.users]
        self.sequences = None if split.sequences_fit is None else [split.sequences_fit[u] for u in split.users]
        self.targets = split.targets
        self.structure = structure
        self.seen = self.rows.toarray() > 0
        fixed = helper._raw_components(self.rows, self.sequences, helper.get_params())
        self.fixed: dict[str, np.ndarray] = {name: fixed[name] for name in ("sequence", "cf", "next_cf", "popularity")}
        self.ease_columns = ease_items(split.X_fit, model.ease_max_items)
        self._gram = gram(split.X_fit, self.ease_columns) if len(self.ease_columns) else None
        self._ease: dict[float, np.ndarray] = {}
        self._structure: dict[tuple[Any, ...], np.ndarray] = {}
        self._X_fit = split.X_fit

    def component(self, name: str, settings: Settings) -> np.ndarray:
        if name == "structure":
            key = tuple(settings[key] for key in SHAPE)
            if key not in self._structure:
                self._structure[key] = structure_component(self.rows, self.sequences, self.structure, settings)
            return self._structure[key]
        if name == "ease":
            ratio = settings["ease_l2_ratio"]
            if ratio not in self._ease:
                weights = np.zeros((0, 0), np.float32)
                if self._gram is not None:
                    weights = ease_weights(self._gram, relative_l2(self._X_fit, self.ease_columns, ratio))
                scores = ease_scores(self.rows, weights, self.ease_columns, self.rows.shape[1])
                self._ease[ratio] = row_normalised(scores)
            return self._ease[ratio]
        return self.fixed[name]

    def quality(self, settings: Settings) -> tuple[float, float]:
        total = np.zeros(self.rows.shape, dtype=np.float32)
        for name in COMPONENTS:
            weight = settings[f"{name}_weight"]
            if weight:
                total += np.float32(weight) * self.component(name, settings)
        return blend.ranking_quality(total, self.seen, self.targets)

    def ndcg(self, settings: Settings) -> float:
        return self.quality(settings)[0]

    def step(self, settings: Settings) -> reranker.Step:
        """(each weighted component in COMPONENTS order, seen mask, held-out items, each row's group): what the
        re-ranker learns from (`reranker.learn`)."""
        parts = []
        for name in COMPONENTS:
            weight = settings[f"{name}_weight"]
            part = np.float32(weight) * self.component(name, settings) if weight else np.zeros(self.rows.shape)
            parts.append(part.astype(np.float32))
        groups = reranker.row_groups(self.structure, self.sequences, len(self.targets))
        return parts, self.seen, self.targets, groups


def structure_first(settings: Settings) -> bool:
    """Whether the learned components together stay below the structure's step from the next unfinished item to
    the one after it (structure_weight * (1 - decay)), so they can reorder what the structure leaves close (a gap
    behind or the next step ahead, the order of groups, items outside them) but never jump a learner past their
    next unfinished item in a group. Every learned component is at most 1, so the bound holds for every row.

    Why: the validation split asks about each learner's second-to-last step, the real question is the next one,
    and how far transitions may outvote the curated order differs between the two (on course runs held out from
    tuning, weights that won on validation lost to plain next-in-group). The curated order is the one signal
    that carries over to a group the search has not seen. Without a structure (weight 0) there is no bound.
    """
    if settings["structure_weight"] <= 0:
        return True
    learned = sum(settings[f"{name}_weight"] for name in COMPONENTS if name != "structure")
    return bool(learned < settings["structure_weight"] * (1.0 - settings["decay"]))


class PooledScorer:
    """The validation scorers of several held-out steps as one (see `blend.validation_splits`): a setting's
    quality is the mean over all their learners, so each scorer counts by its number of learners."""

    def __init__(self, scorers: list[ValidationScorer]) -> None:
        self.scorers = scorers
        sizes = np.asarray([len(scorer.targets) for scorer in scorers], dtype=np.float64)
        self.shares = sizes / sizes.sum()
        self.ease_columns = scorers[0].ease_columns

    def quality(self, settings: Settings) -> tuple[float, float]:
        each = np.asarray([scorer.quality(settings) for scorer in self.scorers])
        ndcg, hr = self.shares @ each
        return float(ndcg), float(hr)

    def ndcg(self, settings: Settings) -> float:
        return self.quality(settings)[0]

    def feasible_ndcg(self, settings: Settings) -> float:
        """NDCG@10 of settings that keep the structure first (see `structure_first`), -1 for the others."""
        return self.ndcg(settings) if structure_first(settings) else -1.0

    def alone(self, settings: Settings, fixed: Settings) -> dict[str, float]:
        """NDCG@10 of each usable component on its own (weight 1, the others 0), for the report."""
        usable = [name for name in COMPONENTS if fixed.get(f"{name}_weight", 1.0) != 0.0]
        zeros = {f"{name}_weight": 0.0 for name in COMPONENTS}
        return {name: round(self.ndcg({**settings, **zeros, f"{name}_weight": 1.0}), 4) for name in usable}

    def per_step(self, settings: Settings) -> list[dict[str, Any]]:
        """Learners and NDCG@10 of each held-out step (the last training item first), for the report."""
        return [
            {"learners": int(len(scorer.targets)), "ndcg@10": round(scorer.ndcg(settings), 4)}
            for scorer in self.scorers
        ]


def structure_component(
    X_users: sparse.csr_matrix, sequences: list[np.ndarray] | None, structure: Any, settings: Settings
) -> np.ndarray:
    """The structure component (unweighted) under the given shape settings."""
    return structure_scores(
        X_users,
        sequences,
        structure,
        decay=settings["decay"],
        gap_weight=settings["gap_weight"],
        group_decay=settings["group_decay"],
        anchor=settings["anchor"],
        steps="unfinished",
    )


def row_normalised(scores: np.ndarray) -> np.ndarray:
    """Each row divided by its maximum (rows whose maximum is <= 0 become 0), as float32."""
    top = scores.max(axis=1, keepdims=True) if scores.shape[1] else np.zeros((scores.shape[0], 1))
    normalised: np.ndarray = np.divide(scores, top, out=np.zeros_like(scores), where=top > 0)
    return normalised.astype(np.float32)
