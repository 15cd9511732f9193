"""Catalog reads: published resources, paths and topics, and what learners did after a resource."""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from learning.graph import depths
from learning.models import (
    Framework,
    LearningPath,
    PathEnrollment,
    PathStep,
    Progress,
    ProgressStatus,
    PublicationStatus,
    Resource,
    Topic,
    TopicPrerequisite,
)
from learning.models.choices import LEVEL_RANK
from learning.selectors.path_progress import learner_covered_topic_ids


def published_resources() -> QuerySet[Resource]:
    return Resource.objects.published().prefetch_related("frameworks", "topics")


def highlighted_resources(*, limit: int = 8) -> list[Resource]:
    """Published resources learners finish and rate most, so visitors see what works first."""
    return list(
        published_resources()
        .annotate(
            completions=Count("progress", filter=Q(progress__status=ProgressStatus.COMPLETED)),
            rating_sum=Sum("progress__rating"),
        )
        .order_by("-completions", "-rating_sum", "title")[:limit]
    )


def published_paths() -> QuerySet[LearningPath]:
    return (
        LearningPath.objects.published()
        .annotate(
            step_count=Count("steps", distinct=True),
            total_minutes=Sum("steps__resource__estimated_minutes"),
        )
        .prefetch_related("goal_topics")
        .annotate(level_rank=level_rank())
        .order_by("level_rank", "title")
    )


def resource_get(*, slug: str) -> Resource:
    """A published resource with its topics, prerequisites, frameworks and the paths it belongs to (or 404)."""
    return get_object_or_404(
        Resource.objects.published().prefetch_related(
            "frameworks",
            "topics",
            "touches",
            "prerequisites",
            Prefetch(
                "path_steps",
                queryset=PathStep.objects.filter(
                    path__status=PublicationStatus.PUBLISHED, path__owner__isnull=True
                ).select_related("path"),
            ),
        ),
        slug=slug,
    )


def path_get(*, slug: str, learner: User | AnonymousUser | None = None) -> LearningPath:
    """A published path, or the learner's own saved plan, with its ordered steps and their resources (or 404)."""
    steps = (
        PathStep.objects.select_related("resource__provider").prefetch_related("resource__topics").order_by("position")
    )
    return get_object_or_404(
        LearningPath.objects.visible_to(learner).prefetch_related("goal_topics", Prefetch("steps", queryset=steps)),
        slug=slug,
    )


def topic_get(*, slug: str) -> Topic:
    """A topic with its direct prerequisites, what it unlocks, and the published resources teaching it (or 404)."""
    return get_object_or_404(
        Topic.objects.prefetch_related(
            "prerequisites",
            "unlocks",
            Prefetch(
                "resources",
                queryset=Resource.objects.published()
                .annotate(level_rank=level_rank())
                .order_by("level_rank", "title")
                .prefetch_related("topics"),
            ),
        ),
        slug=slug,
    )


def topic_graph_edges() -> list[tuple[int, int]]:
    """Every prerequisite edge as `(topic_id, prerequisite_id)`."""
    return list(TopicPrerequisite.objects.values_list("topic_id", "prerequisite_id"))


def catalog_summary() -> dict[str, int]:
    """Headline counts for the landing page: published resources and paths, and topics."""
    return {
        "resources": Resource.objects.published().count(),
        "topics": Topic.objects.count(),
        "paths": LearningPath.objects.published().count(),
    }


NEXT_AFTER_MIN_LEARNERS = 2  # one learner's history alone must never show through "learners went on to"


def paths_for_learner(*, learner: User | None = None) -> QuerySet[LearningPath]:
    """`published_paths()` from beginner to advanced, each annotated with `followed` for this learner (False for
    anonymous visitors)."""
    followed = (
        Exists(PathEnrollment.objects.filter(learner=learner, path=OuterRef("pk")))
        if learner is not None and learner.is_authenticated
        else Value(False, output_field=BooleanField())
    )
    return published_paths().annotate(followed=followed).order_by("level_rank", "title")


def topic_choices() -> list[Topic]:
    """Every topic with just its slug and name, by name, for pickers."""
    return list(Topic.objects.only("pk", "slug", "name").order_by("name"))


# Topic groups for long pickers, by the longest chain of prerequisites below a topic: (deepest chain, name).
TOPIC_GROUPS = ((2, _("Foundations")), (4, _("Built on the foundations")), (None, _("Further on")))


def topic_groups() -> list[tuple[str, list[tuple[int, str]]]]:
    """Every topic as (pk, name), in groups by how much it builds on (see TOPIC_GROUPS), by name in each; empty
    groups are left out (2 queries)."""
    topics = list(Topic.objects.order_by("name").values_list("pk", "name"))
    requires: dict[int, set[int]] = {}
    for topic, prerequisite in topic_graph_edges():
        requires.setdefault(topic, set()).add(prerequisite)
    try:
        depth = depths([pk for pk, _ in topics], requires.items())
    except ValueError:  # a cycle (curators are stopped before one lands): one flat group rather than an error
        depth = dict.fromkeys((pk for pk, _ in topics), 0)
    groups: list[tuple[str, list[tuple[int, str]]]] = []
    for deepest, label in TOPIC_GROUPS:
        chosen = [(pk, name) for pk, name in topics if depth[pk] <= (deepest if deepest is not None else depth[pk])]
        topics = [item for item in topics if item not in chosen]
        if chosen:
            groups.append((str(label), chosen))
    return groups


def framework_choices() -> list[tuple[str, str]]:
    return list(Framework.objects.values_list("slug", "name"))


def level_rank() -> Case:
    """Levels in learning order (beginner, intermediate, advanced) for ORDER BY, where their names sort wrongly."""
    whens = [When(level=level, then=Value(rank)) for level, rank in LEVEL_RANK.items()]
    return Case(*whens, output_field=IntegerField())


@dataclass(frozen=True)
class NextAfter:
    resource: Resource
    learners: int


def resource_next_after(
    *, resource: Resource, limit: int = 4, learner: User | AnonymousUser | None = None
) -> list[NextAfter]:
    """What learners who finished `resource` completed after it, most learners first (2 queries).

    Only resources at least NEXT_AFTER_MIN_LEARNERS learners went on to are shown, so no single learner's history
    can be read from the page.
    """
    finished_it_before = Progress.objects.filter(
        learner=OuterRef("learner"),
        resource=resource,
        status=ProgressStatus.COMPLETED,
        completed_at__lt=OuterRef("completed_at"),
    )
    completers = Progress.objects.filter(resource=resource, status=ProgressStatus.COMPLETED).values("learner_id")
    rows = list(
        Progress.objects.filter(
            status=ProgressStatus.COMPLETED, learner_id__in=completers, resource__status=PublicationStatus.PUBLISHED
        )
        .exclude(resource=resource)
        .filter(Exists(finished_it_before))
        .values("resource_id")
        .annotate(learners=Count("learner_id", distinct=True))
        .filter(learners__gte=NEXT_AFTER_MIN_LEARNERS)
        .order_by("-learners", "resource_id")[:limit]
    )
    resources = Resource.objects.published().prefetch_related("topics").in_bulk([row["resource_id"] for row in rows])
    if learner is not None and learner.is_authenticated:
        # Known means known here too: nothing teaching only what the learner has is offered as a next step.
        covered = learner_covered_topic_ids(learner=learner)
        resources = {pk: r for pk, r in resources.items() if not {t.pk for t in r.topics.all()} <= covered}
    return [
        NextAfter(resources[row["resource_id"]], row["learners"]) for row in rows if row["resource_id"] in resources
    ]
