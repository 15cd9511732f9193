"""What learners do with the catalog, for curators: per resource, per path (a funnel) and per topic.

Privacy: every figure shown aggregates at least MIN_LEARNERS learners. A count below it, or a rate, share or
distribution whose base (the learners it is computed over) is below it, is returned as None, which the pages show
as "too few to show". A distribution (ratings, dismissal reasons) is shown or hidden as a whole by its base.

Every read here is a fixed number of grouped queries, whatever the size of the catalog or the number of learners.
The activity of the whole catalog (a scan of every progress row) is kept in the cache for ACTIVITY_CACHE_SECONDS:
the pages say when their figures were counted.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.core.cache import cache
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from learning.models import (
    Dismissal,
    DismissalReason,
    LearnerProfile,
    LearningPath,
    Level,
    PathEnrollment,
    Progress,
    ProgressStatus,
    PublicationStatus,
    Resource,
    Topic,
)

MIN_LEARNERS = 5
RATINGS = (1, 2, 3, 4, 5)
# A learner has started a resource when they are working on it or finished it; a saved bookmark is not a start.
STARTED_STATUSES = (ProgressStatus.IN_PROGRESS, ProgressStatus.COMPLETED)
# A learner reaches a path step when they started, finished or skipped its resource.
REACHED_STATUSES = (ProgressStatus.IN_PROGRESS, ProgressStatus.COMPLETED, ProgressStatus.SKIPPED)


def shown(count: int) -> int | None:
    """A count of learners, or None when it is too few to show."""
    return count if count >= MIN_LEARNERS else None


def share(part: int, base: int) -> float | None:
    """part / base, or None when the base is too few learners to show."""
    return part / base if base >= MIN_LEARNERS else None


@dataclass
class ResourceActivity:
    """Raw counts for one resource; the rules read these, the pages read `ResourceInsight` (thresholded)."""

    starts: int = 0
    completions: int = 0
    skips: int = 0
    raters: int = 0
    rating_sum: int = 0
    ratings: dict[int, int] = field(default_factory=dict)
    dismissals: dict[str, int] = field(default_factory=dict)
    beginner_dismissals: int = 0
    beginner_too_hard: int = 0

    @property
    def dismissal_total(self) -> int:
        return sum(self.dismissals.values())

    @property
    def mean_rating(self) -> float | None:
        return self.rating_sum / self.raters if self.raters else None

    @property
    def completion_rate(self) -> float | None:
        return self.completions / self.starts if self.starts else None


@dataclass(frozen=True)
class ResourceInsight:
    pk: int
    title: str
    level: str
    status: str
    starts: int | None
    completions: int | None
    completion_rate: float | None
    skips: int | None
    raters: int | None
    mean_rating: float | None
    ratings: dict[int, int] | None  # rating -> learners, or None when fewer than MIN_LEARNERS rated it
    dismissal_total: int | None
    dismissals: dict[str, int] | None  # reason -> learners, or None when fewer than MIN_LEARNERS dismissed it

    @classmethod
    def of(cls, resource: dict, activity: ResourceActivity) -> "ResourceInsight":
        a = activity
        enough_raters, enough_dismissals = a.raters >= MIN_LEARNERS, a.dismissal_total >= MIN_LEARNERS
        return cls(
            pk=resource["pk"],
            title=resource["title"],
            level=resource["level"],
            status=resource["status"],
            starts=shown(a.starts),
            completions=shown(a.completions),
            completion_rate=share(a.completions, a.starts),
            skips=shown(a.skips),
            raters=shown(a.raters),
            mean_rating=a.mean_rating if enough_raters else None,
            ratings={r: a.ratings.get(r, 0) for r in RATINGS} if enough_raters else None,
            dismissal_total=shown(a.dismissal_total),
            dismissals=dict(sorted(a.dismissals.items())) if enough_dismissals else None,
        )


def resource_activity(*, resource_ids: list[int] | None = None) -> dict[int, ResourceActivity]:
    """Raw activity per resource (all resources, or those given): two grouped queries, the one over progress
    answered from its (resource, status, rating) index alone."""
    progress = Progress.objects.order_by()
    dismissals = Dismissal.objects.order_by()
    if resource_ids is not None:
        progress = progress.filter(resource_id__in=resource_ids)
        dismissals = dismissals.filter(resource_id__in=resource_ids)
    activity: dict[int, ResourceActivity] = defaultdict(ResourceActivity)
    counts = progress.values_list("resource_id", "status", "rating").annotate(n=Count("pk"))
    for resource_id, status, rating, learners in counts:
        item = activity[resource_id]
        if status in STARTED_STATUSES:
            item.starts += learners
        if status == ProgressStatus.COMPLETED:
            item.completions += learners
        elif status == ProgressStatus.SKIPPED:
            item.skips += learners
        if rating is not None:
            item.ratings[rating] = item.ratings.get(rating, 0) + learners
            item.raters += learners
            item.rating_sum += rating * learners
    beginner = Q(learner__learner_profile__level=Level.BEGINNER)
    for row in dismissals.values("resource_id", "reason").annotate(
        learners=Count("pk"), beginners=Count("pk", filter=beginner)
    ):
        item = activity[row["resource_id"]]
        item.dismissals[row["reason"]] = row["learners"]
        item.beginner_dismissals += row["beginners"]
        if row["reason"] == DismissalReason.TOO_HARD:
            item.beginner_too_hard += row["beginners"]
    return activity


ACTIVITY_CACHE_KEY = "insights:catalog-activity:v1"
ACTIVITY_CACHE_SECONDS = 60


@dataclass(frozen=True)
class CatalogActivity:
    counted_at: datetime
    by_resource: dict[int, ResourceActivity]

    def of(self, resource_id: int) -> ResourceActivity:
        return self.by_resource.get(resource_id) or ResourceActivity()


def catalog_activity() -> CatalogActivity:
    """Every resource's activity, counted at most once every ACTIVITY_CACHE_SECONDS."""
    cached = cache.get(ACTIVITY_CACHE_KEY)
    if isinstance(cached, CatalogActivity):
        return cached
    fresh = CatalogActivity(counted_at=timezone.now(), by_resource=dict(resource_activity()))
    cache.set(ACTIVITY_CACHE_KEY, fresh, ACTIVITY_CACHE_SECONDS)
    return fresh


ORDERINGS = {
    "starts": lambda item: (-(item[1].starts), item[0]["title"]),
    "completion": lambda item: (item[1].completion_rate if item[1].starts >= MIN_LEARNERS else 2.0, item[0]["title"]),
    "dismissals": lambda item: (-(item[1].dismissal_total), item[0]["title"]),
    "title": lambda item: (item[0]["title"],),
}


@dataclass(frozen=True)
class ResourceInsightPage:
    rows: list[ResourceInsight]
    total: int
    page: int
    pages: int
    counted_at: datetime


def resource_insights(*, order: str = "starts", page: int = 1, per_page: int = 50) -> ResourceInsightPage:
    """Published resources with their figures, ordered by `order` (a key of ORDERINGS), one page of them."""
    resources = list(
        Resource.objects.published().select_related(None).order_by().values("pk", "title", "level", "status")
    )
    activity = catalog_activity()
    items = [(resource, activity.of(resource["pk"])) for resource in resources]
    items.sort(key=ORDERINGS.get(order, ORDERINGS["starts"]))
    pages = max(1, -(-len(items) // per_page))
    page = min(max(1, page), pages)
    chosen = items[(page - 1) * per_page : page * per_page]
    rows = [ResourceInsight.of(r, a) for r, a in chosen]
    return ResourceInsightPage(rows, len(items), page, pages, activity.counted_at)


def resource_insight(*, resource_id: int) -> tuple[Resource, ResourceInsight]:
    resource = get_object_or_404(Resource.objects.select_related(None), pk=resource_id)
    activity = resource_activity(resource_ids=[resource.pk]).get(resource.pk, ResourceActivity())
    fields = {"pk": resource.pk, "title": resource.title, "level": resource.level, "status": resource.status}
    return resource, ResourceInsight.of(fields, activity)


@dataclass(frozen=True)
class FunnelStep:
    position: int
    resource_id: int
    title: str
    reached: int | None  # learners whose furthest step is this one or later; None when too few
    lost: int | None  # learners whose furthest step is this one (not the last step); None when too few
    loses_most: bool = False


@dataclass(frozen=True)
class PathFunnel:
    path: LearningPath
    learners: int | None  # learners who reached at least the first step they took on this path
    followers: int | None
    steps: list[FunnelStep]


def path_funnel(*, path_id: int) -> PathFunnel:
    """Learners reaching each step of a curated path (a learner reaches every step up to the furthest one they
    started, finished or skipped), and the step after which most learners stop (marked, never the last step)."""
    path = get_object_or_404(LearningPath.objects.curated(), pk=path_id)
    steps = list(path.steps.order_by("position").values_list("position", "resource_id", "resource__title"))
    position_of = {resource_id: position for position, resource_id, _ in steps}
    furthest: dict[int, int] = {}
    for learner_id, resource_id in Progress.objects.filter(
        resource_id__in=list(position_of), status__in=REACHED_STATUSES
    ).values_list("learner_id", "resource_id"):
        furthest[learner_id] = max(furthest.get(learner_id, 0), position_of[resource_id])
    stopped_at = Counter(furthest.values())
    reached, remaining = {}, len(furthest)
    for position, _, _ in steps:
        reached[position] = remaining
        remaining -= stopped_at.get(position, 0)
    last = steps[-1][0] if steps else 0
    losses = {position: stopped_at.get(position, 0) for position, _, _ in steps if position != last}
    worst = max(losses, key=lambda p: (losses[p], -p), default=None)
    marked = worst if worst is not None and losses[worst] >= MIN_LEARNERS else None
    funnel = [
        FunnelStep(
            position=position,
            resource_id=resource_id,
            title=title,
            reached=shown(reached[position]),
            lost=shown(losses[position]) if position in losses else None,
            loses_most=position == marked,
        )
        for position, resource_id, title in steps
    ]
    followers = PathEnrollment.objects.filter(path=path).count()
    return PathFunnel(path=path, learners=shown(len(furthest)), followers=shown(followers), steps=funnel)


@dataclass(frozen=True)
class PathSummary:
    pk: int
    title: str
    status: str
    steps: int
    followers: int | None


def path_summaries() -> list[PathSummary]:
    """Curated paths with their step count and followers (one query)."""
    rows = (
        LearningPath.objects.curated()
        .annotate(step_total=Count("steps", distinct=True), follower_total=Count("enrollments", distinct=True))
        .order_by("title")
        .values("pk", "title", "status", "step_total", "follower_total")
    )
    return [
        PathSummary(row["pk"], row["title"], row["status"], row["step_total"], shown(row["follower_total"]))
        for row in rows
    ]


@dataclass(frozen=True)
class TopicLevelFigures:
    level: str
    goal_learners: int | None  # learners at this level with the topic as a goal; None when too few
    resources: int  # published resources teaching the topic at this level (not about learners: always shown)


@dataclass(frozen=True)
class TopicInsight:
    pk: int
    name: str
    goal_learners: int | None
    levels: list[TopicLevelFigures]


@dataclass(frozen=True)
class TopicDemand:
    """Raw counts per topic and level, read by the rules."""

    names: dict[int, str]
    goal_learners: dict[tuple[int, str], int]
    resources: dict[tuple[int, str], int]


DEMAND_CACHE_KEY = "insights:topic-demand:v1"


def topic_demand() -> TopicDemand:
    """Goal learners and published teaching resources per (topic, level), counted at most once every
    ACTIVITY_CACHE_SECONDS (three grouped queries when counted)."""
    cached = cache.get(DEMAND_CACHE_KEY)
    if isinstance(cached, TopicDemand):
        return cached
    fresh = _topic_demand_count()
    cache.set(DEMAND_CACHE_KEY, fresh, ACTIVITY_CACHE_SECONDS)
    return fresh


def _topic_demand_count() -> TopicDemand:
    goals_through = LearnerProfile.goal_topics.through
    goal_learners = {
        (row["topic_id"], row["learnerprofile__level"]): row["learners"]
        for row in goals_through.objects.values("topic_id", "learnerprofile__level")
        .annotate(learners=Count("learnerprofile_id"))
        .order_by()
    }
    teaches = Resource.topics.through
    resources = {
        (row["topic_id"], row["resource__level"]): row["resources"]
        for row in teaches.objects.filter(resource__status=PublicationStatus.PUBLISHED)
        .values("topic_id", "resource__level")
        .annotate(resources=Count("resource_id"))
        .order_by()
    }
    names = dict(Topic.objects.order_by("name").values_list("pk", "name"))
    return TopicDemand(names=names, goal_learners=goal_learners, resources=resources)


def topic_insights() -> list[TopicInsight]:
    demand = topic_demand()
    result = []
    for pk, name in demand.names.items():
        levels = [
            TopicLevelFigures(
                level=level,
                goal_learners=shown(demand.goal_learners.get((pk, level), 0)),
                resources=demand.resources.get((pk, level), 0),
            )
            for level in Level.values
        ]
        total = sum(demand.goal_learners.get((pk, level), 0) for level in Level.values)
        result.append(TopicInsight(pk=pk, name=name, goal_learners=shown(total), levels=levels))
    return result
