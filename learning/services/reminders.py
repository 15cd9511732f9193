"""Weekly digests: recording a send so no learner gets two in one week, and turning reminders off."""

from datetime import date

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from learning.models import DigestSend, LearnerProfile, ReminderChannel


def digest_claim(*, learner: User, week: date) -> bool:
    """Record that the learner's digest for `week` (its Monday) is being sent; False when one already was.

    The unique (learner, week) row decides, so two senders running at once never both send.
    """
    try:
        with transaction.atomic():
            DigestSend.objects.create(learner=learner, week=week)
    except IntegrityError:
        return False
    return True


def digest_release(*, learner: User, week: date) -> None:
    """Forget a claim whose email could not be sent, so the next run tries again."""
    DigestSend.objects.filter(learner=learner, week=week).delete()


def reminders_stop(*, learner: User) -> bool:
    """Turn the learner's reminders off (the unsubscribe link); True when they were on."""
    changed = (
        LearnerProfile.objects.filter(user=learner)
        .exclude(reminder_channel=ReminderChannel.NONE)
        .update(reminder_channel=ReminderChannel.NONE)
    )
    return bool(changed)
