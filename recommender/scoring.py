"""One learner's scores over the catalog: the model (or the no-model fallback) plus the curated plan.

The result is an array per catalog row, with the named parts kept apart so reasons can say which part spoke.
"""

import functools
import logging
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from learning.models.choices import COVERING_STATUSES, STATUS_EVENT, InteractionKind, ProgressStatus
from recommender.core.weights import aggregate_weights
from recommender.data import CatalogSnapshot, LearnerState
from recommender.loading import LoadedModel

logger = logging.getLogger(__name__)

NEXT_IN_PATH_BOOST = 1.0
GOAL_PATH_START_BOOST = 0.5
SAVED_BOOST = 0.2
POPULARITY_PRIOR = 0.15


@dataclass
class LearnerScores:
    total: np.ndarray
    model: np.ndarray
    collaborative: np.ndarray  # the part of `model` that came from other learners (item-kNN and transitions)
    popularity: np.ndarray  # at the learner's level, scaled to [0, 1]
    next_in_path: dict[int, int] = field(default_factory=dict)  # catalog row -> path index
    goal_path_start: dict[int, int] = field(default_factory=dict)  # catalog row -> path index
    excluded: np.ndarray | None = None
    covered_topics: np.ndarray | None = None
    known_rows: np.ndarray | None = None  # bool per row: every topic it teaches is known or covered
    saved: set[int] = field(default_factory=set)
    history_rows: np.ndarray | None = None  # catalog rows the learner has touched, oldest first


def learner_rows(catalog: CatalogSnapshot, state: LearnerState, statuses=None) -> np.ndarray:
    rows = [
        catalog.index_of[resource]
        for resource, status, *_ in state.progress
        if resource in catalog.index_of and (statuses is None or status in statuses)
    ]
    return np.asarray(rows, dtype=np.int64)


def known_topics(catalog: CatalogSnapshot, state: LearnerState) -> np.ndarray:
    """The topics the learner said they know and, transitively, their prerequisites: knowing transformers counts
    as knowing what transformers build on."""
    known = np.zeros(len(catalog.topic_ids), dtype=bool)
    stack = [catalog.topic_index[t] for t in state.known_topics if t in catalog.topic_index]
    while stack:
        topic = stack.pop()
        if not known[topic]:
            known[topic] = True
            stack.extend(catalog.topic_prerequisites.get(topic, ()))
    return known


def covered_topics(catalog: CatalogSnapshot, state: LearnerState) -> np.ndarray:
    """The one definition of what a learner has: `known_topics`, plus the topics taught by a resource they
    finished or skipped. Gating, "never suggest what you know", path steps and plans all use it."""
    covered = known_topics(catalog, state)
    for row in learner_rows(catalog, state, COVERING_STATUSES).tolist():
        covered[catalog.topics_of(row)] = True
    return covered


def rows_teaching_only(catalog: CatalogSnapshot, covered: np.ndarray) -> np.ndarray:
    """Bool per row: every topic the resource teaches is already covered, so it has nothing new for the learner."""
    uncovered = catalog.taught @ (~covered).astype(np.float32)
    return np.asarray(uncovered).reshape(-1) == 0


def model_scores(
    model: LoadedModel | None, state: LearnerState, catalog: CatalogSnapshot
) -> tuple[np.ndarray, np.ndarray]:
    """(total, collaborative part) of the model's scores on catalog rows, scaled so the total's best is 1.

    Zeros without a model or without history: a new learner is served by the plan and popularity alone.
    """
    n_items = len(catalog)
    zeros = np.zeros(n_items, dtype=np.float32)
    if model is None or not state.progress:
        return zeros, zeros.copy()
    row, sequence = _model_row(model, state)
    if row is None:
        return zeros, zeros.copy()
    try:
        total, collaborative = model.score(row, [sequence])
    except Exception:
        # A model that fails on one learner's row must not take their recommendations down: they get the
        # ranking a learner without a model gets (plan, popularity), and the failure is logged with its cause.
        logger.exception("Model %s failed to score a learner; serving the no-model ranking", model.version)
        return zeros, zeros.copy()
    present = model.aligned_with(catalog.resource_ids).columns
    known = present >= 0
    mapped, mapped_cf = np.zeros(n_items, dtype=np.float32), np.zeros(n_items, dtype=np.float32)
    mapped[known] = total[present[known]]
    if collaborative is not None:
        mapped_cf[known] = collaborative[present[known]]
    top = float(mapped.max()) if n_items else 0.0
    if top <= 0:
        return zeros, zeros.copy()
    return mapped / top, mapped_cf / top


def _model_row(model: LoadedModel, state: LearnerState):
    """The learner's current state as one model row, weighted exactly as training weighs the event log."""
    resources = np.fromiter((resource for resource, *_ in state.progress), dtype=np.int64, count=len(state.progress))
    columns = model.columns_of(resources)
    known = np.flatnonzero(columns >= 0)
    if not known.size:
        return None, None
    weights = np.fromiter(
        (progress_weight(*state.progress[index][1:]) for index in known.tolist()), dtype=np.float32, count=known.size
    )
    # One progress row per resource, so the columns are distinct: sorted, they are the CSR row as it stands.
    order = np.argsort(columns[known], kind="stable")
    items = columns[known][order]
    row = sparse.csr_matrix((weights[order], items, np.asarray([0, len(items)])), shape=(1, model.n_items))
    return row, columns[known]  # state.progress is oldest first, so this is the time-ordered sequence


@functools.lru_cache(maxsize=1024)
def progress_weight(status: str, rating: int | None, percent: int) -> float:
    """The weight training gives a (learner, resource) pair whose events are this progress row's: its status as an
    event (a percent for one in progress) and its rating, by the core's one rule (`aggregate_weights`)."""
    # The row reads as the events that made it, as the log holds them: a start is followed by its progress.
    kinds, values = [STATUS_EVENT[status]], [np.nan]
    if status == ProgressStatus.IN_PROGRESS:
        kinds.append(InteractionKind.PROGRESSED)
        values.append(float(percent))
    if rating is not None:
        kinds.append(InteractionKind.RATED)
        values.append(float(rating))
    _, _, weights = aggregate_weights(np.zeros(len(kinds), dtype=np.int64), np.zeros(len(kinds)), kinds, values)
    return float(weights[0])


def learner_scores(
    catalog: CatalogSnapshot, state: LearnerState, model: LoadedModel | None, popularity_by_level: np.ndarray
) -> LearnerScores:
    popularity = popularity_by_level[state.level].astype(np.float32)
    if popularity.size and popularity.max() > 0:
        popularity = popularity / popularity.max()
    base, collaborative = model_scores(model, state, catalog)
    scores = LearnerScores(total=base.copy(), model=base, collaborative=collaborative, popularity=popularity)
    scores.covered_topics = covered_topics(catalog, state)
    scores.known_rows = rows_teaching_only(catalog, scores.covered_topics)
    scores.excluded = _excluded(catalog, state) | scores.known_rows
    scores.history_rows = learner_rows(catalog, state)
    scores.saved = set(learner_rows(catalog, state, {ProgressStatus.SAVED}).tolist())
    _add_plan(catalog, state, scores)
    scores.total += POPULARITY_PRIOR * popularity
    for row in scores.saved:
        scores.total[row] += SAVED_BOOST
    return scores


def _excluded(catalog: CatalogSnapshot, state: LearnerState) -> np.ndarray:
    """Completed, skipped, in progress (shown as "continue" instead) or dismissed."""
    excluded = np.zeros(len(catalog), dtype=bool)
    done = learner_rows(catalog, state, COVERING_STATUSES | {ProgressStatus.IN_PROGRESS})
    excluded[done] = True
    dismissed = [catalog.index_of[r] for r in state.dismissed if r in catalog.index_of]
    excluded[dismissed] = True
    return excluded


def _add_plan(catalog: CatalogSnapshot, state: LearnerState, scores: LearnerScores) -> None:
    """Boost the next step of each followed path and, for goals without a followed path, a matching path's start.
    A step is passed over when finished, dismissed, or teaching only what the learner knows ("you know this")."""
    passed = scores.known_rows.copy()
    passed[learner_rows(catalog, state, COVERING_STATUSES)] = True
    passed[[catalog.index_of[r] for r in state.dismissed if r in catalog.index_of]] = True
    followed = [catalog.path_index[pk] for pk in state.enrolled_paths if pk in catalog.path_index]
    for path in followed:
        step = next_open_step(catalog.path_steps[path], passed)
        if step is not None and step not in scores.next_in_path:
            scores.next_in_path[step] = path
            scores.total[step] += NEXT_IN_PATH_BOOST
    goals = {catalog.topic_index[t] for t in state.goal_topics if t in catalog.topic_index}
    for path in _paths_for_goals(catalog, goals, state.level, exclude=set(followed)):
        step = next_open_step(catalog.path_steps[path], passed)
        if step is not None and step not in scores.next_in_path and step not in scores.goal_path_start:
            scores.goal_path_start[step] = path
            scores.total[step] += GOAL_PATH_START_BOOST


def next_open_step(steps: np.ndarray, passed: np.ndarray) -> int | None:
    """The first step (a catalog row) not marked in `passed`, or None."""
    open_steps = steps[~passed[steps]]
    return int(open_steps[0]) if open_steps.size else None


def _paths_for_goals(catalog: CatalogSnapshot, goals: set[int], level: int, exclude: set[int]) -> list[int]:
    """Up to 3 paths sharing a goal with the learner (or, with no goals, any path) at or next to their level: the
    closest level first, then the most shared goals, then catalog order."""
    distance = np.abs(catalog.path_levels - level)
    shared = catalog.path_goals[:, sorted(goals)].sum(axis=1) if goals else np.zeros_like(distance)
    eligible = distance <= 1
    if goals:
        eligible &= shared > 0
    eligible[sorted(exclude)] = False
    paths = np.flatnonzero(eligible)
    order = np.lexsort((paths, -shared[paths], distance[paths]))
    return paths[order][:3].tolist()
