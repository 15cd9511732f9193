"""Onboarding: the profile answers and the goal paths saved together, so a learner never ends up half set up."""

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext

from learning.exceptions import LearningError
from learning.models import LearnerProfile, LearningPath, PathEnrollment
from learning.services.learners import path_follow, path_unfollow, profile_update


@transaction.atomic
def learner_onboard(
    *,
    user: User,
    level: str,
    weekly_hours: int,
    goal_topic_ids: Iterable[int],
    known_topic_ids: Iterable[int],
    framework_ids: Iterable[int],
    path_ids: Iterable[int],
) -> LearnerProfile:
    """Save the onboarding answers and mark the learner onboarded; follow exactly the chosen published paths
    (paths followed before but no longer chosen are unfollowed). All-or-nothing."""
    path_ids = list(dict.fromkeys(path_ids))
    paths = list(LearningPath.objects.published().filter(pk__in=path_ids))
    missing = sorted(set(path_ids) - {path.pk for path in paths})
    if missing:
        raise LearningError(
            gettext("The profile was not changed."),
            {"paths": [gettext("Unknown or unpublished path id(s) %(ids)s.") % {"ids": ", ".join(map(str, missing))}]},
        )
    profile = profile_update(
        user=user,
        level=level,
        weekly_hours=weekly_hours,
        goal_topic_ids=goal_topic_ids,
        known_topic_ids=known_topic_ids,
        framework_ids=framework_ids,
        onboarded=True,
    )
    for enrollment in PathEnrollment.objects.filter(learner=user).exclude(path__in=paths).select_related("path"):
        path_unfollow(learner=user, path=enrollment.path)
    for path in paths:
        path_follow(learner=user, path=path)
    return profile
