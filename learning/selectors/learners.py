"""One learner's data: progress, profile, followed paths, the state of prerequisites, and the data export."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from learning.models import (
    DigestSend,
    Dismissal,
    Interaction,
    LearnerProfile,
    LearningPath,
    PathEnrollment,
    Progress,
    Resource,
    Topic,
    TopicMark,
)
from learning.selectors.path_progress import learner_covered_topic_ids


def learner_progress(*, learner: User, status: str | None = None) -> QuerySet:
    """The learner's progress rows, newest activity first, with their resources."""
    queryset = (
        Progress.objects.filter(learner=learner).select_related("resource__provider").order_by("-updated_at", "-id")
    )
    return queryset.filter(status=status) if status else queryset


def learner_progress_by_resource(*, learner: User, resource_ids: Iterable[int]) -> dict[int, Progress]:
    """The learner's progress on the given resources, keyed by resource id (one query)."""
    return {p.resource_id: p for p in Progress.objects.filter(learner=learner, resource_id__in=list(resource_ids))}


def learner_data_export(*, user: User) -> dict:
    """Everything DeepPath stores about one learner, as JSON-ready data (for "export my data")."""
    profile = learner_profile_with_choices(user=user)
    return {
        "account": {"username": user.username, "email": user.email, "date_joined": user.date_joined.isoformat()},
        "profile": None
        if profile.pk is None
        else {
            "level": profile.level,
            "weekly_hours": profile.weekly_hours,
            "onboarded": profile.onboarded,
            "weekly_goal_minutes": profile.weekly_goal_minutes,
            "reminder_day": profile.reminder_day,
            "reminder_channel": profile.reminder_channel,
            "goal_topics": sorted(t.slug for t in profile.goal_topics.all()),
            "known_topics": sorted(t.slug for t in profile.known_topics.all()),
            "preferred_frameworks": sorted(f.slug for f in profile.preferred_frameworks.all()),
            "created_at": _iso(profile.created_at),
            "updated_at": _iso(profile.updated_at),
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
                "created_at": _iso(p.created_at),
                "updated_at": _iso(p.updated_at),
            }
            for p in learner_progress(learner=user)
        ],
        "digests_sent": [
            {"week": week.isoformat(), "sent_at": _iso(at)}
            for week, at in DigestSend.objects.filter(learner=user).order_by("week").values_list("week", "sent_at")
        ],
        "dismissals": [
            {"resource": slug, "reason": reason, "comment": comment, "created_at": _iso(at)}
            for slug, reason, comment, at in Dismissal.objects.filter(learner=user)
            .order_by("created_at")
            .values_list("resource__slug", "reason", "comment", "created_at")
        ],
        "events": [
            {
                "resource": slug,
                "kind": kind,
                "value": value,
                "occurred_at": _iso(at),
                "received_at": _iso(received),
                "client_event_id": client_id,
            }
            for slug, kind, value, at, received, client_id in Interaction.objects.filter(learner=user)
            .order_by("occurred_at", "id")
            .values_list("resource__slug", "kind", "value", "occurred_at", "received_at", "client_event_id")
        ],
    }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


# The learner's side of the web pages. Each read is one query unless its docstring says otherwise, so a page that


def learner_profile_get(*, user: User) -> LearnerProfile:
    """The learner's profile, or an unsaved one with the defaults when they have none yet (no write on a read)."""
    return LearnerProfile.objects.filter(user=user).first() or LearnerProfile(user=user)


def learner_goal_slugs(*, learner: User) -> list[str]:
    """Slugs of the learner's goal topics, by name (one query)."""
    through = LearnerProfile.goal_topics.through.objects.filter(learnerprofile__user=learner)
    return list(through.order_by("topic__name").values_list("topic__slug", flat=True))


def learner_profile_with_choices(*, user: User) -> LearnerProfile:
    """The profile with its goal topics, known topics and preferred frameworks (4 queries), for the profile forms."""
    profile = (
        LearnerProfile.objects.filter(user=user)
        .prefetch_related("goal_topics", "known_topics", "preferred_frameworks")
        .first()
    )
    return profile or LearnerProfile(user=user)


def learner_follows(*, learner: User, path: LearningPath) -> bool:
    if learner is None or not learner.is_authenticated:
        return False
    return PathEnrollment.objects.filter(learner=learner, path=path).exists()


def learner_followed_path_ids(*, learner: User) -> list[int]:
    return list(
        PathEnrollment.objects.filter(learner=learner).order_by("enrolled_at").values_list("path_id", flat=True)
    )


@dataclass(frozen=True)
class ResourceState:
    progress: Progress | None
    dismissal: Dismissal | None

    @property
    def status(self) -> str | None:
        return self.progress.status if self.progress else None


def learner_resource_state(*, learner: User, resource: Resource) -> ResourceState:
    """The learner's progress and "not for me" on one resource (2 queries; nothing for anonymous visitors)."""
    if learner is None or not learner.is_authenticated:
        return ResourceState(progress=None, dismissal=None)
    return ResourceState(
        progress=Progress.objects.filter(learner=learner, resource=resource).first(),
        dismissal=Dismissal.objects.filter(learner=learner, resource=resource).first(),
    )


@dataclass(frozen=True)
class TopicCheck:
    topic: Topic
    met: bool | None  # None for anonymous visitors


def resource_prerequisite_checks(*, resource: Resource, learner: User | None = None) -> list[TopicCheck]:
    """What to know before the resource: its own extra prerequisites and the direct prerequisites of the topics it
    teaches (minus those it teaches itself), each marked met or not for the learner. Expects `resource_get`'s
    prefetches; 1 query for a visitor, 2 for a learner."""
    taught = {topic.pk for topic in resource.topics.all()}
    inherited = Topic.objects.filter(unlock_links__topic_id__in=taught).exclude(pk__in=taught).distinct()
    topics = {topic.pk: topic for topic in [*resource.prerequisites.all(), *inherited] if topic.pk not in taught}
    covered = learner_covered_topic_ids(learner=learner) if learner is not None and learner.is_authenticated else None
    return [
        TopicCheck(topic=topic, met=None if covered is None else topic.pk in covered)
        for topic in sorted(topics.values(), key=lambda topic: topic.name)
    ]


def learner_resource_labels(*, learner: User, resources: list[Resource]) -> dict[int, str]:
    """The learner's state on each resource in words: its progress status (saved, in progress, completed, skipped),
    else "Known" when every topic it teaches is covered (the path pages' rule). Expects the resources' topics
    prefetched; 4 queries, none for a visitor."""
    if learner is None or not learner.is_authenticated:
        return {}
    progress = learner_progress_by_resource(learner=learner, resource_ids=[r.pk for r in resources])
    covered = learner_covered_topic_ids(learner=learner)
    labels = {pk: str(row.get_status_display()) for pk, row in progress.items()}
    for resource in resources:
        taught = {topic.pk for topic in resource.topics.all()}
        if resource.pk not in labels and taught and taught <= covered:
            labels[resource.pk] = _("Known")
    return labels


def learner_topic_mark(*, learner: User, topic: Topic) -> str:
    """What the learner said they know of the topic, a TopicMark value (2 queries at most)."""
    profiles = LearnerProfile.objects.filter(user=learner)
    if profiles.filter(known_topics=topic).exists():
        return TopicMark.KNOWN
    return TopicMark.LEARNING if profiles.filter(goal_topics=topic).exists() else TopicMark.NOT_YET
