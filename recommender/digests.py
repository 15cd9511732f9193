"""The weekly digest: the learner's next step with its reason, their week against their goal and their streak.

One content, two ways out: an email (`digests_send`, from `manage.py send_digests` or its task) and
`GET /api/v1/me/digest/` for mobile clients to show as a notification.
"""

import logging
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone

from learning import selectors
from learning.reminder_links import unsubscribe_path
from learning.services import digest_claim, digest_release
from recommender.selectors import Recommendation, recommendation_list

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Digest:
    week: date  # its Monday
    next_step: Recommendation | None
    goal_minutes: int  # 0: no goal set
    minutes_done: int  # estimated minutes of the material completed this week
    streak: selectors.Streak

    @property
    def goal_percent(self) -> int | None:
        return min(100, round(100 * self.minutes_done / self.goal_minutes)) if self.goal_minutes else None

    def as_dict(self) -> dict:
        """The API representation (`DigestSerializer`'s shape)."""
        return {
            "week": self.week.isoformat(),
            "next_step": self.next_step.as_dict() if self.next_step else None,
            "goal": {"minutes": self.goal_minutes, "done_minutes": self.minutes_done, "percent": self.goal_percent},
            "streak": {"days": self.streak.days, "weeks": self.streak.weeks},
        }


def digest_for(*, learner: User, today: date | None = None) -> Digest:
    """The learner's digest for the week of `today` (the recommender's first suggestion is the next step)."""
    today = today or timezone.localdate()
    profile = selectors.learner_profile_get(user=learner)
    this_week = selectors.learner_weekly_activity(learner=learner, weeks=1, today=today)[-1]
    suggestions = recommendation_list(learner=learner, limit=1)
    return Digest(
        week=selectors.week_start(today),
        next_step=suggestions[0] if suggestions else None,
        goal_minutes=profile.weekly_goal_minutes,
        minutes_done=this_week.minutes,
        streak=selectors.learner_streak(learner=learner, today=today),
    )


def digest_email(*, learner: User, digest: Digest) -> EmailMultiAlternatives:
    """The digest as a plain-text and HTML email, with a one-click unsubscribe link (also in the List-Unsubscribe
    headers, so mail clients offer their own button)."""
    site = settings.DEEPPATH_SITE_URL
    unsubscribe = site + unsubscribe_path(learner)
    context = {
        "learner": learner,
        "digest": digest,
        "site": site,
        "unsubscribe_url": unsubscribe,
        "next_url": site + (digest.next_step.resource.get_absolute_url() if digest.next_step else "/dashboard/"),
    }
    subject = render_to_string("recommender/digest_subject.txt", context).strip()
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("recommender/digest_email.txt", context),
        to=[learner.email],
        headers={"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )
    message.attach_alternative(render_to_string("recommender/digest_email.html", context), "text/html")
    return message


@dataclass(frozen=True)
class DigestReport:
    sent: int
    failed: int

    def as_dict(self) -> dict:
        return {"sent": self.sent, "failed": self.failed}


def digests_send(*, today: date | None = None) -> DigestReport:
    """Email every due learner their digest, at most one a week each: the week is claimed before the email goes
    (a concurrent run skips a claimed learner) and released when sending fails (the next run tries again)."""
    today = today or timezone.localdate()
    week = selectors.week_start(today)
    sent = failed = 0
    for learner in selectors.learners_due_digest(today=today).iterator():
        if not digest_claim(learner=learner, week=week):
            continue
        try:
            digest_email(learner=learner, digest=digest_for(learner=learner, today=today)).send()
        except Exception:
            logger.exception("The digest to learner %s could not be sent; the next run tries again.", learner.pk)
            digest_release(learner=learner, week=week)
            failed += 1
        else:
            sent += 1
    return DigestReport(sent=sent, failed=failed)
