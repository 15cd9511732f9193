"""The one definition of what a learner has covered, of a path's progress, and of when followed paths finish.

- Covered topics: the topics the learner said they know and, transitively, their prerequisites (knowing
  transformers counts as knowing what they build on), plus the topics taught by a resource they completed or
  skipped. The recommender's `covered_topics` computes the same set on arrays; the persona suite keeps them equal.
- A step is *done* when completed or skipped, and *known* ("you know this") when every topic its resource teaches
  is covered although the learner never marked it. Known steps count as done for progress and finish dates.
- Progress is counted apart for required and optional steps: "3 of 11 required, 1 of 2 optional".
- Finish dates: the learner's followed paths are scheduled one after another in prerequisite order (a path whose
  goals build on another's goals comes after it; otherwise in the order they were followed), sharing the weekly
  hours, and a step shared by two paths is counted once. Only required steps that are neither done nor known count.
"""

import math
from collections.abc import Set
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.models import User
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext

from learning.models import (
    LearnerProfile,
    LearningPath,
    PathEnrollment,
    PathStep,
    Progress,
    PublicationStatus,
    Resource,
    TopicPrerequisite,
)
from learning.models.choices import COVERING_STATUSES


def _prerequisite_map() -> dict[int, list[int]]:
    requires: dict[int, list[int]] = {}
    for topic, prerequisite in TopicPrerequisite.objects.values_list("topic_id", "prerequisite_id"):
        requires.setdefault(topic, []).append(prerequisite)
    return requires


def _with_prerequisites(topic_ids: set[int], requires: dict[int, list[int]]) -> set[int]:
    found, stack = set(), list(topic_ids)
    while stack:
        topic = stack.pop()
        if topic not in found:
            found.add(topic)
            stack.extend(requires.get(topic, ()))
    return found


def learner_covered_topic_ids(*, learner: User, requires: dict[int, list[int]] | None = None) -> set[int]:
    """Topics the learner has (see the module docstring): known with their prerequisites, or finished (3 queries)."""
    if learner is None or not learner.is_authenticated:
        return set()
    known = set(
        LearnerProfile.known_topics.through.objects.filter(learnerprofile__user=learner).values_list(
            "topic_id", flat=True
        )
    )
    finished = Resource.topics.through.objects.filter(
        resource__progress__learner=learner, resource__progress__status__in=COVERING_STATUSES
    ).values_list("topic_id", flat=True)
    return _with_prerequisites(known, _prerequisite_map() if requires is None else requires) | set(finished)


def step_is_known(step: PathStep, status: str | None, covered: set[int]) -> bool:
    """Taught topics all covered, and not finished by the learner (then it is simply done). Expects the step's
    resource topics prefetched."""
    if status in COVERING_STATUSES:
        return False
    taught = {topic.pk for topic in step.resource.topics.all()}
    return bool(taught) and taught <= covered


@dataclass(frozen=True)
class StepState:
    step: PathStep
    status: str | None  # the learner's progress status, None when untouched or anonymous
    known: bool = False  # "you know this": teaches only covered topics; counts as done

    @property
    def done(self) -> bool:
        return self.known or self.status in COVERING_STATUSES


@dataclass(frozen=True)
class PathProgress:
    required_done: int
    required_total: int
    optional_done: int
    optional_total: int
    known: int  # steps counted done because the learner knows what they teach
    remaining_minutes: int  # required steps neither done nor known

    @property
    def percent(self) -> int:
        return 100 if not self.required_total else round(100 * self.required_done / self.required_total)

    @property
    def summary(self) -> str:
        counts = {
            "done": self.required_done,
            "total": self.required_total,
            "optional_done": self.optional_done,
            "optional_total": self.optional_total,
        }
        if self.optional_total:
            return gettext("%(done)d of %(total)d required, %(optional_done)d of %(optional_total)d optional") % counts
        return gettext("%(done)d of %(total)d required") % counts

    def as_dict(self) -> dict:
        return {
            "required_done": self.required_done,
            "required_total": self.required_total,
            "optional_done": self.optional_done,
            "optional_total": self.optional_total,
            "known": self.known,
            "remaining_minutes": self.remaining_minutes,
            "percent": self.percent,
            "summary": self.summary,
        }


def step_states(
    steps: list[PathStep], learner: User | None, covered: set[int] | None = None, statuses: dict[int, str] | None = None
) -> list[StepState]:
    if learner is None or not learner.is_authenticated:
        return [StepState(step=step, status=None) for step in steps]
    covered = learner_covered_topic_ids(learner=learner) if covered is None else covered
    if statuses is None:
        rows = Progress.objects.filter(learner=learner, resource_id__in=[s.resource_id for s in steps])
        statuses = dict(rows.values_list("resource_id", "status"))
    return [
        StepState(
            step=s, status=statuses.get(s.resource_id), known=step_is_known(s, statuses.get(s.resource_id), covered)
        )
        for s in steps
    ]


def path_steps_with_state(*, path: LearningPath, learner: User | None = None) -> list[StepState]:
    """The path's ordered steps (as prefetched by `path_get`) with the learner's state on each."""
    return step_states(list(path.steps.all()), learner)


def path_progress(states: list[StepState], skip_resources: Set[int] = frozenset()) -> PathProgress:
    """Progress over step states; `skip_resources` are counted (for minutes) by an earlier path already."""
    required = [s for s in states if s.step.required]
    optional = [s for s in states if not s.step.required]
    remaining = sum(
        s.step.resource.estimated_minutes for s in required if not s.done and s.step.resource_id not in skip_resources
    )
    return PathProgress(
        required_done=sum(s.done for s in required),
        required_total=len(required),
        optional_done=sum(s.done for s in optional),
        optional_total=len(optional),
        known=sum(s.known for s in states),
        remaining_minutes=remaining,
    )


@dataclass(frozen=True)
class FollowedPath:
    path: object  # LearningPath
    progress: PathProgress
    remaining_minutes: int  # this path's share of the schedule (shared steps counted once)
    finish: date | None  # None once every required step is done

    # The dashboard's older names, kept so templates and tests read the same numbers.
    @property
    def steps(self) -> int:
        return self.progress.required_total

    @property
    def done(self) -> int:
        return self.progress.required_done

    @property
    def percent(self) -> int:
        return self.progress.percent


def _schedule_order(enrollments: list, requires: dict[int, list[int]]) -> list:
    """Followed paths in prerequisite order: a path whose goals build on another's goals comes after it."""

    def below(topics: set[int]) -> set[int]:
        found, stack = set(), [p for t in topics for p in requires.get(t, ())]
        while stack:
            topic = stack.pop()
            if topic not in found:
                found.add(topic)
                stack.extend(requires.get(topic, ()))
        return found

    goals = {e.path_id: {t.pk for t in e.path.goal_topics.all()} for e in enrollments}
    needs = {e.path_id: below(goals[e.path_id]) for e in enrollments}
    ordered, left = [], list(enrollments)
    while left:
        # The first (oldest followed) path none of whose prerequisite paths are still unscheduled.
        ready = next(
            (
                e
                for e in left
                if not any(
                    other is not e
                    and goals[other.path_id] & needs[e.path_id]
                    and not (goals[e.path_id] & needs[other.path_id])
                    for other in left
                )
            ),
            left[0],
        )
        ordered.append(ready)
        left.remove(ready)
    return ordered


def followed_paths_progress(*, learner: User, weekly_hours: int, today: date | None = None) -> list[FollowedPath]:
    """The published paths the learner follows, in schedule order, with progress and finish dates (8 queries)."""
    today = today or timezone.localdate()
    steps = (
        PathStep.objects.select_related("resource__provider").prefetch_related("resource__topics").order_by("position")
    )
    enrollments = list(
        PathEnrollment.objects.filter(learner=learner, path__status=PublicationStatus.PUBLISHED)
        .select_related("path")
        .prefetch_related("path__goal_topics", Prefetch("path__steps", queryset=steps))
        .order_by("enrolled_at", "pk")
    )
    if not enrollments:
        return []
    requires = _prerequisite_map()
    covered = learner_covered_topic_ids(learner=learner, requires=requires)
    statuses = dict(Progress.objects.filter(learner=learner).values_list("resource_id", "status"))
    result, elapsed = [], 0
    counted: set[int] = set()
    for enrollment in _schedule_order(enrollments, requires):
        states = step_states(list(enrollment.path.steps.all()), learner, covered, statuses)
        progress = path_progress(states)
        share = path_progress(states, skip_resources=counted).remaining_minutes
        counted |= {s.step.resource_id for s in states}
        elapsed += share
        finish = finish_date(elapsed, weekly_hours, today) if progress.remaining_minutes else None
        result.append(FollowedPath(path=enrollment.path, progress=progress, remaining_minutes=share, finish=finish))
    return result


def finish_date(minutes: int, weekly_hours: int, today: date) -> date:
    """The day `minutes` of study are done at `weekly_hours` hours a week, starting today."""
    return today + timedelta(days=math.ceil(minutes * 7 / (max(weekly_hours, 1) * 60)))
