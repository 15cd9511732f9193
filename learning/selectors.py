"""Reads of the learning domain for pages, endpoints and commands, each with a bounded number of queries."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from learning.models import (
    Dismissal,
    Interaction,
    LearnerProfile,
    LearningPath,
    PathEnrollment,
    PathStep,
    Progress,
    ProgressStatus,
    Resource,
    Topic,
    TopicPrerequisite,
)


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


def learner_progress(*, learner, status: str | None = None) -> QuerySet:
    """The learner's progress rows, newest activity first, with their resources."""
    queryset = Progress.objects.filter(learner=learner).select_related("resource").order_by("-updated_at", "-id")
    return queryset.filter(status=status) if status else queryset


def learner_progress_by_resource(*, learner, resource_ids) -> dict[int, Progress]:
    """The learner's progress on the given resources, keyed by resource id (one query)."""
    return {p.resource_id: p for p in Progress.objects.filter(learner=learner, resource_id__in=list(resource_ids))}


@dataclass(frozen=True)
class StepState:
    step: PathStep
    status: str | None  # the learner's progress status, None when untouched or anonymous


def path_steps_with_state(*, path: LearningPath, learner=None) -> list[StepState]:
    """The path's ordered steps (as prefetched by `path_get`) with the learner's state on each."""
    steps = list(path.steps.all())
    states = {}
    if learner is not None and learner.is_authenticated:
        states = learner_progress_by_resource(learner=learner, resource_ids=[s.resource_id for s in steps])
    return [StepState(step=s, status=states[s.resource_id].status if s.resource_id in states else None) for s in steps]


def learner_data_export(*, user) -> dict:
    """Everything DeepPath stores about one learner, as JSON-ready data (for "export my data")."""
    profile = (
        LearnerProfile.objects.filter(user=user)
        .prefetch_related("goal_topics", "known_topics", "preferred_frameworks")
        .first()
    )
    return {
        "account": {"username": user.username, "email": user.email, "date_joined": user.date_joined.isoformat()},
        "profile": None
        if profile is None
        else {
            "level": profile.level,
            "weekly_hours": profile.weekly_hours,
            "onboarded": profile.onboarded,
            "goal_topics": sorted(t.slug for t in profile.goal_topics.all()),
            "known_topics": sorted(t.slug for t in profile.known_topics.all()),
            "preferred_frameworks": sorted(f.slug for f in profile.preferred_frameworks.all()),
        },
        "followed_paths": list(
            PathEnrollment.objects.filter(learner=user).order_by("enrolled_at").values_list("path__slug", flat=True)
        ),
        "progress": [
            {
                "resource": p.resource.slug,
                "status": p.status,
                "percent": p.percent,
                "rating": p.rating,
                "started_at": _iso(p.started_at),
                "completed_at": _iso(p.completed_at),
                "updated_at": _iso(p.updated_at),
            }
            for p in learner_progress(learner=user)
        ],
        "dismissals": [
            {"resource": slug, "reason": reason, "created_at": _iso(at)}
            for slug, reason, at in Dismissal.objects.filter(learner=user)
            .order_by("created_at")
            .values_list("resource__slug", "reason", "created_at")
        ],
        "events": [
            {"resource": slug, "kind": kind, "value": value, "occurred_at": _iso(at), "client_event_id": client_id}
            for slug, kind, value, at, client_id in Interaction.objects.filter(learner=user)
            .order_by("occurred_at", "id")
            .values_list("resource__slug", "kind", "value", "occurred_at", "client_event_id")
        ],
    }


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None
