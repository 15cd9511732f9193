"""A personal plan to a goal topic: the shortest fitting route through what the learner still lacks.

`path_plan` covers every topic the goal needs (the goal and, transitively, its prerequisites) that the learner has
not covered (`recommender.scoring.covered_topics`: known topics with their prerequisites, finished resources).
Resources are chosen among the *fitting* ones: not finished, dismissed or in a framework the learner did not choose
(framework-free always fits), and at most one level above the learner's (a beginner: beginner or intermediate).
A topic no fitting resource teaches falls back to any available resource teaching it. When every resource teaching
a needed topic also needs a topic the goal does not (`route_topics`), that topic joins the route, so every step of
the plan can be started when its turn comes.

The quick route is a greedy weighted set cover: it repeatedly takes the resource with the fewest minutes per newly
covered missing topic, so one resource covering several topics wins when it is shorter in total. Each topic's
price when covered is at most the minutes of the shortest fitting resource teaching it, so the plan is never
longer than the sum, over missing topics, of those shortest resources (`PathPlan.bound_minutes`).
The thorough route prefers courses and books (then tutorials and projects) over short material, topic by topic.
"""

from dataclasses import dataclass

import numpy as np
from django.contrib.auth.models import User

from learning.exceptions import LearningError
from learning.graph import closure, topological_order
from learning.models import Resource, Topic
from learning.models.choices import COVERING_STATUSES, Kind
from recommender.data import CatalogSnapshot, catalog_snapshot, published_resources_in_order
from recommender.selectors import rank_for

Pick = tuple[int | None, list[int]]  # (catalog row or None when nothing teaches it, missing topics it covers)
THOROUGH_KIND_ORDER = {Kind.COURSE: 0, Kind.BOOK: 1, Kind.TUTORIAL: 2, Kind.PROJECT: 2}  # others: 3


@dataclass(frozen=True)
class PlanStep:
    topic: Topic  # the first missing topic it covers, in prerequisite order
    topics: list[Topic]  # every missing topic it covers
    resource: Resource | None  # None when no available resource teaches `topic`
    status: str | None  # the learner's progress status on that resource, if any


@dataclass(frozen=True)
class PathPlan:
    goal: Topic
    steps: list[PlanStep]
    total_minutes: int
    already_covered: bool
    thorough: bool = False
    bound_minutes: int = 0  # sum over missing topics of the shortest fitting resource teaching each


def path_plan(*, learner: User, goal_topic: Topic, thorough: bool = False) -> PathPlan:
    """The learner's route to `goal_topic` (see the module docstring); steps in prerequisite order."""
    catalog = catalog_snapshot(with_topic=goal_topic.pk)  # rebuilt if it predates the goal topic
    if goal_topic.pk not in catalog.topic_index:  # the rebuild failed: the previous snapshot is serving
        raise LearningError("This topic is too new to plan for; try again in a minute.", code="not_available")
    ranking = rank_for(learner, catalog=catalog)
    covered: np.ndarray = ranking.scores.covered_topics  # type: ignore[assignment]  # set by learner_scores
    framework_fits: np.ndarray = ranking.framework_fits  # type: ignore[assignment]  # set by rank_for
    goal = catalog.topic_index[goal_topic.pk]
    edges = [(topic, p) for topic, prerequisites in catalog.topic_prerequisites.items() for p in prerequisites]
    status_of = {catalog.index_of[r]: s for r, s, *_ in ranking.state.progress if r in catalog.index_of}
    not_done = np.ones(len(catalog), dtype=bool)
    not_done[[row for row, status in status_of.items() if status in COVERING_STATUSES]] = False
    not_done[[catalog.index_of[r] for r in ranking.state.dismissed if r in catalog.index_of]] = False
    level_ok = catalog.levels.astype(np.int64) <= ranking.state.level + 1
    route = route_topics(catalog, goal, edges, covered, not_done & level_ok & framework_fits, not_done)
    order: list[int] = [int(t) for t in topological_order(route, edges)]  # type: ignore[call-overload]
    missing = [t for t in order if not covered[t]]
    available = not_done & _startable_on(catalog, covered, missing)
    fitting = available & level_ok & framework_fits
    cheapest = {t: _cheapest(catalog, t, fitting, available) for t in missing}
    bound = sum(int(catalog.minutes[row]) for row in cheapest.values() if row is not None)
    if thorough:
        picks = _thorough_picks(catalog, missing, fitting, available, ranking.final)
    else:
        picks = _quick_picks(catalog, missing, fitting, available, cheapest, covered)
    return _plan(goal_topic, picks, order, status_of, catalog, thorough, bound)


def route_topics(catalog: CatalogSnapshot, goal: int, edges, covered: np.ndarray, fitting, not_done) -> set[int]:
    """The goal and every topic it transitively needs; then, for a needed topic whose every resource also needs a
    topic off that route (the speech resources all need transformers, which speech itself does not), the needs of
    its shortest resource, with their own prerequisites, until each needed topic can be taught on the route."""
    route: set[int] = {int(t) for t in closure([goal], edges)} | {goal}  # type: ignore[call-overload]
    while True:
        missing = [t for t in route if not covered[t]]
        startable = not_done & _startable_on(catalog, covered, missing)
        extra: set[int] = set()
        for topic in missing:
            if catalog.teachers(topic)[startable[catalog.teachers(topic)]].size:
                continue
            row = _cheapest(catalog, topic, fitting, not_done)
            if row is None:
                continue  # nothing teaches it at all: the plan says so
            needs = {int(t) for t in _needs(catalog, row) if not covered[t]} - route
            below: set[int] = {int(t) for t in closure(needs, edges)}  # type: ignore[call-overload]
            extra |= needs | {t for t in below if not covered[t]}
        if not extra - route:
            return route
        route |= extra


def _startable_on(catalog: CatalogSnapshot, covered: np.ndarray, missing: list[int]) -> np.ndarray:
    """Bool per row: everything the resource needs is covered or on the route (else it could never be started)."""
    reachable = covered.copy()
    reachable[missing] = True
    return np.asarray(catalog.required @ (~reachable).astype(np.float32)).reshape(-1) == 0


def _needs(catalog: CatalogSnapshot, row: int) -> np.ndarray:
    return catalog.required.indices[catalog.required.indptr[row] : catalog.required.indptr[row + 1]]


def _teachers(catalog: CatalogSnapshot, topic: int, fitting: np.ndarray, available: np.ndarray) -> np.ndarray:
    rows = catalog.teachers(topic)
    fit = rows[fitting[rows]]
    return fit if fit.size else rows[available[rows]]


def _cheapest(catalog: CatalogSnapshot, topic: int, fitting, available) -> int | None:
    rows = _teachers(catalog, topic, fitting, available)
    if rows.size == 0:
        return None
    return int(rows[np.lexsort((rows, catalog.minutes[rows]))][0])


def _quick_picks(catalog, missing: list[int], fitting, available, cheapest, covered: np.ndarray) -> list[Pick]:
    """Greedy set cover, fewest minutes per newly covered missing topic. First each pick must be ready when its
    turn comes (needing only what the learner has or earlier picks teach); if that route breaks the bound (tags
    that make every cheap resource wait on another), the plain greedy cover is taken and ordered afterwards."""
    picks = _greedy_cover(catalog, missing, fitting, available, cheapest, covered)
    bound = sum(int(catalog.minutes[row]) for row in cheapest.values() if row is not None)
    if sum(int(catalog.minutes[row]) for row, _ in picks if row is not None) > bound:
        picks = _greedy_cover(catalog, missing, fitting, available, cheapest, None)
    return picks


def _greedy_cover(catalog, missing, fitting, available, cheapest, covered) -> list[Pick]:
    left = {t for t in missing if cheapest[t] is not None}
    candidates = {int(row) for t in left for row in _teachers(catalog, t, fitting, available)}
    have = None if covered is None else covered.copy()
    picks: list[Pick] = []
    while left:
        best, best_key = None, None
        for row in sorted(candidates):
            new = left.intersection(catalog.topics_of(row).tolist())
            if not new or (have is not None and not _ready(catalog, row, have)):
                continue
            key = (int(catalog.minutes[row]) / len(new), -len(new), row)
            if best_key is None or key < best_key:
                best, best_key = row, key
        if best is None:
            if have is None:
                break
            have = None  # nothing ready is left: finish the cover without the readiness rule
            continue
        new = left.intersection(catalog.topics_of(best).tolist())
        picks.append((best, sorted(new, key=missing.index)))
        left -= new
        if have is not None:
            have[catalog.topics_of(best)] = True
    picks += [(None, [t]) for t in missing if cheapest[t] is None]
    return picks


def _ready(catalog: CatalogSnapshot, row: int, have: np.ndarray) -> bool:
    return bool(have[_needs(catalog, row)].all())


def _thorough_picks(catalog, missing: list[int], fitting, available, final) -> list[Pick]:
    """Topic by topic, the deepest kind (courses and books first), then the best-ranked, then the longest."""
    left, picks = set(missing), list[Pick]()
    for topic in missing:
        if topic not in left:
            continue
        rows = _teachers(catalog, topic, fitting, available)
        if rows.size == 0:
            picks.append((None, [topic]))
            left.discard(topic)
            continue
        depth = np.asarray([THOROUGH_KIND_ORDER.get(catalog.cards[r].kind, 3) for r in rows.tolist()])
        row = int(rows[np.lexsort((rows, -catalog.minutes[rows], -final[rows], depth))][0])
        new = left.intersection(catalog.topics_of(row).tolist())
        picks.append((row, sorted(new, key=missing.index)))
        left -= new
    return picks


def _in_prerequisite_order(picks, order, catalog: CatalogSnapshot):
    """Each pick after the picks teaching what it needs; otherwise by its first topic's place in `order`."""
    position = {topic: i for i, topic in enumerate(order)}
    teaches = {index: set(topics) for index, (_, topics) in enumerate(picks)}
    needs = {
        index: set(catalog.required.indices[catalog.required.indptr[row] : catalog.required.indptr[row + 1]].tolist())
        if row is not None
        else set()
        for index, (row, _) in enumerate(picks)
    }
    placed, result, left = set(), [], sorted(teaches, key=lambda i: min(position[t] for t in picks[i][1]))
    while left:
        taught_later = {t for i in left for t in teaches[i]}
        ready = next((i for i in left if not (needs[i] & taught_later - teaches[i])), left[0])
        result.append(picks[ready])
        placed.add(ready)
        left.remove(ready)
    return result


def _plan(goal_topic, picks, order, status_of, catalog, thorough: bool, bound: int) -> PathPlan:
    picks = _in_prerequisite_order(picks, order, catalog)
    topic_ids = [int(catalog.topic_ids[t]) for _, topics in picks for t in topics]
    topics = Topic.objects.in_bulk(topic_ids)
    resource_ids = [int(catalog.resource_ids[row]) for row, _ in picks if row is not None]
    resources = {r.pk: r for r in published_resources_in_order(resource_ids)}
    steps, minutes = [], 0
    for row, covered in picks:
        resource = resources.get(int(catalog.resource_ids[row])) if row is not None else None
        if resource is not None:
            minutes += resource.estimated_minutes
        step_topics = [topics[int(catalog.topic_ids[t])] for t in covered]
        status = status_of.get(row) if row is not None else None
        steps.append(PlanStep(topic=step_topics[0], topics=step_topics, resource=resource, status=status))
    return PathPlan(
        goal=goal_topic,
        steps=steps,
        total_minutes=minutes,
        already_covered=not picks,
        thorough=thorough,
        bound_minutes=bound,
    )
