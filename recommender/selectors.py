"""What to learn next: the ranked list with reasons, and a personal path to a goal topic."""

from dataclasses import dataclass, field

import numpy as np
from django.contrib.auth.models import User
from django.utils.translation import get_language

from recommender.core.rerank import diversify, framework_fit, level_fit, locked_items, missing_topics, top_candidates
from recommender.data import (
    CatalogSnapshot,
    LearnerState,
    catalog_snapshot,
    current_popularity_by_level,
    learner_state,
    still_published,
)
from recommender.data.cards import ResourceCard
from recommender.list_memo import RankedList, RankedListMemo
from recommender.loading import LoadedModel, active_model
from recommender.reasons import Reason, explain
from recommender.scoring import LearnerScores, learner_scores

CANDIDATE_POOL = 5  # rank limit x this many candidates before diversity and the final published check
UNLOCK_DISCOUNT = 0.9  # a stepping stone ranks just below the locked item it opens
# A resource in a framework the learner did not choose ranks below every framework-free or matching one: scores
# are at most ~3 and fitting items at least 3e-4 (the epsilon times the widest level gap), so this factor keeps
# every mismatch under every fit.
FRAMEWORK_DEMOTION = 1e-5


@dataclass(frozen=True)
class Recommendation:
    resource: ResourceCard
    score: float
    reasons: list[Reason]

    def as_dict(self) -> dict:
        """The API representation (`RecommendationSerializer`'s shape; a test keeps the two identical)."""
        return {
            "resource": self.resource.as_dict(),
            "score": self.score,
            "reasons": [reason.as_dict() for reason in self.reasons],
        }


@dataclass
class _Ranking:
    catalog: CatalogSnapshot
    state: LearnerState
    model: LoadedModel | None
    scores: LearnerScores
    final: np.ndarray
    unlocks: dict[int, tuple[int, int]] = field(default_factory=dict)  # stone row -> (missing topic, locked row)
    fits: np.ndarray | None = None  # bool per row: level within one of the learner's and frameworks that fit
    framework_fits: np.ndarray | None = None  # bool per row: framework-free, or a framework the learner chose


def _popularity(catalog: CatalogSnapshot, model: LoadedModel | None) -> np.ndarray:
    if model is None:
        return current_popularity_by_level(catalog)
    return model.aligned_with(catalog.resource_ids).popularity_by_level


def rank_for(learner: User, *, catalog: CatalogSnapshot | None = None) -> _Ranking:
    """The learner's scores and fit over the whole catalog (shared by the list and plans); `catalog` is the
    snapshot to rank, the process's current one by default."""
    if catalog is None:  # not `catalog or ...`: an empty snapshot is falsy (it has a length)
        catalog = catalog_snapshot()
    return _rank_state(catalog, learner_state(learner), active_model())


def _rank_state(catalog: CatalogSnapshot, state: LearnerState, model: LoadedModel | None) -> _Ranking:
    scores = learner_scores(catalog, state, model, _popularity(catalog, model))
    preferred = np.zeros(len(catalog.framework_ids), dtype=bool)
    column = {pk: i for i, pk in enumerate(catalog.framework_ids)}
    for framework in state.frameworks:
        if framework in column:
            preferred[column[framework]] = True
    if preferred.any():
        preferred[catalog.framework_free] = True
    framework_fits = framework_fit(catalog.frameworks, preferred) == 1.0
    fit = level_fit(catalog.levels, state.level) * np.where(framework_fits, 1.0, FRAMEWORK_DEMOTION)
    final = (scores.total + 1e-3) * fit  # the epsilon keeps fit ordering among items nothing else scores
    fits = framework_fits & (np.abs(catalog.levels.astype(np.int64) - state.level) <= 1)
    return _Ranking(catalog, state, model, scores, final.astype(np.float32), fits=fits, framework_fits=framework_fits)


_recent_lists: RankedListMemo[Recommendation] = RankedListMemo()


def recommendation_list(*, learner: User, limit: int = 10) -> list[Recommendation]:
    """The learner's next steps, best first, each with 1-3 reasons.

    Never a completed, skipped, in-progress, dismissed or unpublished resource; never one whose prerequisite
    topics the learner lacks (a resource teaching the missing topic is offered instead). Empty only when no
    published resource is left for the learner. Asked again with the same state, snapshot, model and language, the
    ranking is not redone (`recommender/list_memo.py`); whether each resource is still published is read every
    time.
    """
    if limit < 1:
        return []
    catalog = catalog_snapshot()
    if len(catalog) == 0:
        return []
    state, model = learner_state(learner), active_model()
    key = (state.fingerprint(), limit, get_language())
    recent = _recent_lists.get(catalog, model, key)
    if recent is not None:
        served = still_published(recent.ids)[:limit]
        if all(pk in recent.items for pk in served):
            return [recent.items[pk] for pk in served]
        # A resource below the served ones moved up (one above was archived since): rank afresh for its reasons.
    ranking = _rank_state(catalog, state, model)
    ids = catalog.resource_ids[_ranked_rows(ranking, limit)].tolist()
    served = still_published(ids)[:limit]
    items = {}
    for pk in served:
        row = catalog.index_of[pk]
        items[pk] = Recommendation(
            catalog.cards[row], score=round(float(ranking.final[row]), 4), reasons=explain(ranking, row)
        )
    _recent_lists.put(catalog, model, key, RankedList(ids, items))
    return [items[pk] for pk in served]


def forget_recent_lists() -> None:
    """Drop every remembered list of this process (tests that swap what ranking reads in place)."""
    _recent_lists.clear()


def _ranked_rows(ranking: _Ranking, limit: int) -> list[int]:
    """Catalog rows in serving order, a few times `limit` of them, before the check that each is still published."""
    catalog, scores = ranking.catalog, ranking.scores
    eligible = ~scores.excluded
    locked = locked_items(catalog.required, scores.covered_topics)
    pool = max(limit * CANDIDATE_POOL, limit)
    open_rows = top_candidates(ranking.final, eligible & ~locked, pool)
    candidates = _with_stepping_stones(ranking, open_rows, eligible, locked, pool)
    if candidates.size == 0:  # only locked resources remain: better a stretch than nothing
        candidates = top_candidates(ranking.final, eligible, pool)
    return _distinct_first(catalog, diversify(candidates, catalog.kinds, catalog.providers, k=len(candidates)))


def _distinct_first(catalog: CatalogSnapshot, rows: list[int]) -> list[int]:
    """Rows in order, except that a resource teaching the same topics at the same level and kind as one already
    listed moves to the end: it is served only when nothing different is left."""
    seen: set[tuple[tuple[int, ...], int, int]] = set()
    distinct: list[int] = []
    repeats: list[int] = []
    for row in rows:
        key = (tuple(sorted(catalog.topics_of(row).tolist())), int(catalog.levels[row]), int(catalog.kinds[row]))
        (repeats if key in seen else distinct).append(row)
        seen.add(key)
    return distinct + repeats


def _with_stepping_stones(
    ranking: _Ranking, open_rows: np.ndarray, eligible: np.ndarray, locked: np.ndarray, pool: int
) -> np.ndarray:
    """Replace each locked item that would have ranked among the open ones by a resource teaching its missing
    prerequisite, so the learner gets the step that unlocks it."""
    catalog, scores = ranking.catalog, ranking.scores
    floor = ranking.final[open_rows[-1]] if open_rows.size else 0.0
    locked_rows = top_candidates(ranking.final, eligible & locked, pool)
    final = ranking.final.copy()
    allowed = eligible & ~locked
    teachers: dict[int, int | None] = {}  # locked items often miss the same topic: find its best teacher once
    for row in locked_rows[ranking.final[locked_rows] > floor].tolist():
        for topic in missing_topics(catalog.required, row, scores.covered_topics).tolist():
            if topic not in teachers:
                teachers[topic] = _best_teacher(ranking, topic, allowed)
            stone = teachers[topic]
            if stone is None:
                continue
            # The stone inherits the locked item's rank, not its framework: a stone in a framework the learner did
            # not choose stays below every fitting item, like any other mismatch.
            lifted = ranking.final[row] * UNLOCK_DISCOUNT
            if ranking.framework_fits is not None and not ranking.framework_fits[stone]:
                lifted *= FRAMEWORK_DEMOTION
            if final[stone] < lifted:
                final[stone] = lifted
                ranking.unlocks[stone] = (topic, row)
    ranking.final = final
    return top_candidates(final, eligible & ~locked, pool)


def _best_teacher(ranking: _Ranking, topic: int, allowed: np.ndarray) -> int | None:
    """The best-scored allowed resource teaching `topic`, or None."""
    column = ranking.catalog.teachers(topic)
    column = column[allowed[column]]
    if column.size == 0:
        return None
    return int(column[np.lexsort((column, -ranking.final[column]))][0])
