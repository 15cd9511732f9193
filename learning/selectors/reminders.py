"""Who is due a weekly digest."""

from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from learning.models import ReminderChannel
from learning.selectors.progress import week_start


def learners_due_digest(*, today: date) -> QuerySet:
    """Active learners with email reminders on and an email address whose reminder day has come this week (a run
    missed on the day catches up later in the week) and who have had no digest this week, by id (one query).

    Accounts have no email verification step yet, so an account with an address is as verified as it gets.
    """
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            learner_profile__reminder_channel=ReminderChannel.EMAIL,
            learner_profile__reminder_day__lte=today.weekday(),
        )
        .exclude(email="")
        .exclude(digest_sends__week=week_start(today))
        .select_related("learner_profile")
        .order_by("pk")
    )
