"""Learner accounts and profiles: registration, preferences, followed paths, data export and deletion."""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from knox.models import AuthToken

from learning.exceptions import LearningError, add_problem
from learning.models import (
    Framework,
    LearnerProfile,
    LearningPath,
    PathEnrollment,
    Progress,
    PublicationStatus,
    Resource,
    Topic,
    TopicMark,
)
from learning.services.credentials import credentials_revoke
from learning.services.validation import field_problems
from learning.usernames import username_normalise, username_problem


def learner_profile_ensure(*, user: User) -> LearnerProfile:
    """The learner's profile, created with defaults the first time it is needed."""
    profile, _ = LearnerProfile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def device_token_issue(*, user: User) -> tuple[AuthToken, str]:
    """A new API token for one of the learner's devices, (stored row, token text shown once).

    The learner's expired tokens are deleted on the way: request authentication leaves them alone for speed.
    """
    AuthToken.objects.filter(user=user, expiry__lt=timezone.now()).delete()
    return AuthToken.objects.create(user)


@transaction.atomic
def learner_register(*, username: str, email: str, password: str) -> User:
    """Create a learner account (Django's password validators apply) and its profile."""
    user_model = get_user_model()
    problems: dict[str, list[str]] = {}
    username = username_normalise(username)
    if not username:
        add_problem(problems, "username", gettext("This field is required."))
    elif problem := username_problem(username):
        add_problem(problems, "username", problem)
    elif user_model.objects.filter(username__iexact=username).exists():
        add_problem(problems, "username", gettext("A user with that username already exists."))
    if not email or "@" not in email:
        add_problem(problems, "email", gettext("Enter a valid email address."))
    candidate = user_model(username=username, email=email)
    try:
        validate_password(password, user=candidate)
    except ValidationError as error:
        problems["password"] = list(error.messages)
    if problems:
        raise LearningError(gettext("The account could not be created."), problems)
    try:
        with transaction.atomic():
            user = user_model.objects.create_user(username=username, email=email, password=password)
    except IntegrityError:
        raise LearningError(
            gettext("The account could not be created."),
            {"username": [gettext("A user with that username already exists.")]},
        ) from None
    LearnerProfile.objects.create(user=user)
    return user


def _existing(
    model: type[Topic] | type[Framework], ids: Iterable[int] | None, field: str, problems: dict[str, list[str]]
) -> list | None:
    if ids is None:
        return None
    ids = list(dict.fromkeys(ids))
    found = list(model.objects.filter(pk__in=ids))
    missing = sorted(set(ids) - {obj.pk for obj in found})
    if missing:
        add_problem(problems, field, gettext("Unknown id(s) %(ids)s.") % {"ids": ", ".join(map(str, missing))})
    return found


@transaction.atomic
def profile_update(
    *,
    user: User,
    level: str | None = None,
    weekly_hours: int | None = None,
    goal_topic_ids: Iterable[int] | None = None,
    known_topic_ids: Iterable[int] | None = None,
    framework_ids: Iterable[int] | None = None,
    onboarded: bool | None = None,
    weekly_goal_minutes: int | None = None,
    reminder_day: int | None = None,
    reminder_channel: str | None = None,
) -> LearnerProfile:
    """Change any subset of the profile; fields left as None keep their value. All-or-nothing."""
    problems = field_problems(
        LearnerProfile,
        {
            "level": level,
            "weekly_hours": weekly_hours,
            "weekly_goal_minutes": weekly_goal_minutes,
            "reminder_day": reminder_day,
            "reminder_channel": reminder_channel,
        },
    )
    goals = _existing(Topic, goal_topic_ids, "goal_topics", problems)
    known = _existing(Topic, known_topic_ids, "known_topics", problems)
    frameworks = _existing(Framework, framework_ids, "frameworks", problems)
    if problems:
        raise LearningError(gettext("The profile was not changed."), problems)
    profile = LearnerProfile.objects.select_for_update().get(pk=learner_profile_ensure(user=user).pk)
    for name, value in (
        ("level", level),
        ("weekly_hours", weekly_hours),
        ("onboarded", onboarded),
        ("weekly_goal_minutes", weekly_goal_minutes),
        ("reminder_day", reminder_day),
        ("reminder_channel", reminder_channel),
    ):
        if value is not None:
            setattr(profile, name, value)
    profile.save()
    for relation, values in (
        (profile.goal_topics, goals),
        (profile.known_topics, known),
        (profile.preferred_frameworks, frameworks),
    ):
        if values is not None:
            relation.set(values)
    return profile


@transaction.atomic
def topic_mark(*, user: User, topic: Topic, mark: str) -> LearnerProfile:
    """Say what the learner knows of one topic: `known` puts it among their known topics (what the recommender treats
    as covered, as onboarding and the account page do), `learning` among their goals, `not_yet` in neither."""
    if mark not in TopicMark.values:
        choices = ", ".join(TopicMark.values)
        raise LearningError(_("The topic was not marked."), {"mark": [_("Must be one of %s.") % choices]})
    profile = LearnerProfile.objects.select_for_update().get(pk=learner_profile_ensure(user=user).pk)
    if mark == TopicMark.KNOWN:
        profile.known_topics.add(topic)
        profile.goal_topics.remove(topic)
    elif mark == TopicMark.LEARNING:
        profile.known_topics.remove(topic)
        profile.goal_topics.add(topic)
    else:
        profile.known_topics.remove(topic)
        profile.goal_topics.remove(topic)
    profile.save(update_fields=["updated_at"])
    return profile


def path_follow(*, learner: User, path: LearningPath) -> PathEnrollment:
    """Follow a published path; following it again changes nothing."""
    if path.status != PublicationStatus.PUBLISHED:
        raise LearningError(gettext("This path is not available."), code="not_available")
    enrollment, _ = PathEnrollment.objects.get_or_create(learner=learner, path=path)
    return enrollment


def path_unfollow(*, learner: User, path: LearningPath) -> bool:
    deleted, _ = PathEnrollment.objects.filter(learner=learner, path=path).delete()
    return bool(deleted)


@transaction.atomic
def progress_delete(*, learner: User, resource: Resource) -> bool:
    """Forget the learner's progress on a resource (the event log keeps its history)."""
    deleted, _ = Progress.objects.filter(learner=learner, resource=resource).delete()
    return bool(deleted)


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Delete the account and everything that belongs to the learner (profile, progress, events, dismissals)."""
    credentials_revoke(user=user)
    get_user_model().objects.filter(pk=user.pk).delete()
