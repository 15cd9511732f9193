"""Reads of the learning domain for pages, endpoints and commands, each with a bounded number of queries."""

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from learning.models import LearningPath, PathStep, ProgressStatus, Resource, Topic, TopicPrerequisite


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
        .order_by("level", "title")
    )


def resource_get(*, slug: str) -> Resource:
    """A published resource with its topics, prerequisites, frameworks and the paths it belongs to (or 404)."""
    return get_object_or_404(
        Resource.objects.published().prefetch_related(
            "frameworks",
            "topics",
            "prerequisites",
            Prefetch("path_steps", queryset=PathStep.objects.filter(path__status="published").select_related("path")),
        ),
        slug=slug,
    )


def path_get(*, slug: str) -> LearningPath:
    """A published path with its ordered steps and their resources (or 404)."""
    steps = PathStep.objects.select_related("resource").prefetch_related("resource__topics").order_by("position")
    return get_object_or_404(
        LearningPath.objects.published().prefetch_related("goal_topics", Prefetch("steps", queryset=steps)),
        slug=slug,
    )


def topic_get(*, slug: str) -> Topic:
    """A topic with its direct prerequisites, what it unlocks, and the published resources teaching it (or 404)."""
    return get_object_or_404(
        Topic.objects.prefetch_related(
            "prerequisites",
            "unlocks",
            Prefetch("resources", queryset=Resource.objects.published().order_by("level", "title")),
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
