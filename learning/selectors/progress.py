"""A learner's progress over the topic graph and over time: topic states, goal coverage, weekly activity, streaks."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import User
from django.db.models.functions import TruncDate
from django.utils import timezone

from learning.graph import closure
from learning.models import (
    Interaction,
    LearnerProfile,
    Progress,
    ProgressStatus,
    Topic,
    TopicMark,
    TopicState,
)
from learning.models.choices import COVERED_TOPIC_STATES
from learning.selectors.catalog import topic_graph_edges


@dataclass(frozen=True)
class TopicNode:
    pk: int
    slug: str
    name: str
    state: TopicState | None  # None for anonymous visitors
    mark: str | None = None  # a TopicMark value: what the learner said they know; None for anonymous visitors


@dataclass(frozen=True)
class TopicMap:
    nodes: list[TopicNode]
    edges: list[tuple[int, int]]  # (topic id, prerequisite id)

    def state_counts(self) -> dict[TopicState, int]:
        counts = dict.fromkeys(TopicState, 0)
        for node in self.nodes:
            if node.state:
                counts[node.state] += 1
        return counts


def topic_map(*, learner: User | None = None) -> TopicMap:
    """Every topic with the learner's state and mark on it, and the prerequisite edges (2 queries, 5 for a learner).

    A topic is completed when the learner finished a resource teaching it, known when their profile says so or they
    skipped such a resource, in progress when they started one, ready when every prerequisite is completed or
    known, and locked otherwise.
    """
    topics = list(Topic.objects.order_by("name").values_list("pk", "slug", "name"))
    edges = topic_graph_edges()
    states: dict[int, TopicState] = {}
    marks: dict[int, str] = {}
    if learner is not None and learner.is_authenticated:
        known = set(
            LearnerProfile.known_topics.through.objects.filter(learnerprofile__user=learner).values_list(
                "topic_id", flat=True
            )
        )
        goals = set(
            LearnerProfile.goal_topics.through.objects.filter(learnerprofile__user=learner).values_list(
                "topic_id", flat=True
            )
        )
        marks = {pk: _mark(pk, known, goals) for pk, _, _ in topics}
        statuses = Progress.objects.filter(learner=learner, resource__topics__isnull=False).values_list(
            "resource__topics", "status"
        )
        states = topic_states([pk for pk, _, _ in topics], edges, known=known, statuses=list(statuses))
    return TopicMap(
        nodes=[
            TopicNode(pk=pk, slug=slug, name=name, state=states.get(pk), mark=marks.get(pk))
            for pk, slug, name in topics
        ],
        edges=edges,
    )


def _mark(topic: int, known: set[int], goals: set[int]) -> str:
    if topic in known:
        return TopicMark.KNOWN
    return TopicMark.LEARNING if topic in goals else TopicMark.NOT_YET


def topic_states(
    topic_ids: Iterable[int], edges: list[tuple[int, int]], *, known: set[int], statuses: list[tuple[int, str]]
) -> dict[int, TopicState]:
    """Each topic's state from the topics the learner knows and their progress statuses per taught topic."""
    by_status: dict[str, set[int]] = {status: set() for status in ProgressStatus.values}
    for topic, status in statuses:
        by_status[status].add(topic)
    known = known | by_status[ProgressStatus.SKIPPED]
    covered = known | by_status[ProgressStatus.COMPLETED]
    requires: dict[int, set[int]] = {}
    for topic, prerequisite in edges:
        requires.setdefault(topic, set()).add(prerequisite)
    states = {}
    for topic in topic_ids:
        if topic in by_status[ProgressStatus.COMPLETED]:
            states[topic] = TopicState.COMPLETED
        elif topic in known:
            states[topic] = TopicState.KNOWN
        elif topic in by_status[ProgressStatus.IN_PROGRESS]:
            states[topic] = TopicState.IN_PROGRESS
        elif requires.get(topic, set()) <= covered:
            states[topic] = TopicState.READY
        else:
            states[topic] = TopicState.LOCKED
    return states


@dataclass(frozen=True)
class GoalCoverage:
    topic: Topic
    covered: int
    total: int  # the goal and every topic it transitively requires

    @property
    def percent(self) -> int:
        return round(100 * self.covered / self.total) if self.total else 100


def learner_goal_coverage(*, learner: User, topic_map: TopicMap) -> list[GoalCoverage]:
    """For each of the learner's goal topics, how much of it and its prerequisites they covered (one query)."""
    covered = {node.pk for node in topic_map.nodes if node.state in COVERED_TOPIC_STATES}
    result = []
    for goal in Topic.objects.filter(goal_of_learners__user=learner).order_by("name"):
        needed = closure([goal.pk], topic_map.edges) | {goal.pk}
        result.append(GoalCoverage(topic=goal, covered=len(needed & covered), total=len(needed)))
    return result


@dataclass(frozen=True)
class WeekActivity:
    start: date  # the Monday
    completions: int
    minutes: int  # estimated minutes of the resources completed that week


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def learner_weekly_activity(*, learner: User, weeks: int = 12, today: date | None = None) -> list[WeekActivity]:
    """Completions and their estimated minutes per week over the last `weeks` weeks, oldest first (one query)."""
    today = today or timezone.localdate()
    first = week_start(today) - timedelta(weeks=weeks - 1)
    since = timezone.make_aware(datetime.combine(first, time.min))
    counts = {first + timedelta(weeks=i): [0, 0] for i in range(weeks)}
    rows = Progress.objects.filter(
        learner=learner, status=ProgressStatus.COMPLETED, completed_at__gte=since
    ).values_list("completed_at", "resource__estimated_minutes")
    for completed_at, minutes in rows:
        bucket = counts.get(week_start(timezone.localdate(completed_at)))
        if bucket is not None:
            bucket[0] += 1
            bucket[1] += minutes
    return [WeekActivity(start, n, minutes) for start, (n, minutes) in counts.items()]


@dataclass(frozen=True)
class Streak:
    days: int  # consecutive days with activity, up to today (or yesterday, while today is still open)
    weeks: int  # consecutive weeks with activity, up to this week (or last week)


STREAK_HORIZON_DAYS = 370


def learner_streak(*, learner: User, today: date | None = None) -> Streak:
    """The learner's current run of active days and weeks, from their event log (one query)."""
    today = today or timezone.localdate()
    since = timezone.make_aware(datetime.combine(today - timedelta(days=STREAK_HORIZON_DAYS), time.min))
    days = set(
        Interaction.objects.filter(learner=learner, occurred_at__gte=since)
        .annotate(day=TruncDate("occurred_at"))
        .order_by()
        .values_list("day", flat=True)
        .distinct()
    )
    return Streak(
        days=run_length(days, today, timedelta(days=1)),
        weeks=run_length({week_start(day) for day in days}, week_start(today), timedelta(weeks=1)),
    )


def run_length(active: set[date], current: date, step: timedelta) -> int:
    """How many consecutive periods in `active` end at `current`, or at the one before when `current` has none."""
    if current not in active:
        current -= step
    length = 0
    while current in active:
        length += 1
        current -= step
    return length
