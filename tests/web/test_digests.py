"""Weekly goals and digests: the account form, `send_digests`, the once-a-week rule and the unsubscribe link."""

import re
import threading
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core import mail, signing
from django.core.management import CommandError, call_command
from django.db import connection

from learning.models import DigestSend, LearnerProfile, ReminderChannel
from learning.reminder_links import unsubscribe_learner, unsubscribe_path
from learning.services import digest_claim, profile_update, progress_record
from recommender.digests import digest_for, digests_send

pytestmark = pytest.mark.django_db

WEDNESDAY = date(2026, 11, 25)


@pytest.fixture(autouse=True)
def _locmem_email(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DEEPPATH_SITE_URL = "https://deeppath.example"


def _remind(user, *, day: int = WEDNESDAY.weekday(), goal: int = 120) -> None:
    profile_update(user=user, reminder_channel="email", reminder_day=day, weekly_goal_minutes=goal)


def test_reminders_are_off_by_default(learner):
    profile = LearnerProfile.objects.get_or_create(user=learner)[0]
    assert profile.reminder_channel == ReminderChannel.NONE
    assert digests_send(today=WEDNESDAY).sent == 0
    assert mail.outbox == []


def test_the_account_page_sets_the_weekly_goal_and_the_reminder(learner_client, learner):
    page = learner_client.get("/account/").content.decode()
    assert "Weekly goal and reminders" in page
    response = learner_client.post(
        "/account/", {"reminders": "1", "weekly_goal_minutes": "150", "reminder_day": "4", "reminder_channel": "email"}
    )
    assert response.status_code == 302
    profile = LearnerProfile.objects.get(user=learner)
    assert (profile.weekly_goal_minutes, profile.reminder_day, profile.reminder_channel) == (150, 4, "email")
    assert profile.level == "beginner", "the other form's fields are left alone"


def test_bad_reminder_input_is_a_form_error_and_saves_nothing(learner_client, learner):
    response = learner_client.post(
        "/account/", {"reminders": "1", "weekly_goal_minutes": "-5", "reminder_day": "9", "reminder_channel": "fax"}
    )
    assert response.status_code == 400
    form = response.context["reminders_form"]
    assert set(form.errors) == {"weekly_goal_minutes", "reminder_day", "reminder_channel"}
    assert LearnerProfile.objects.get_or_create(user=learner)[0].reminder_channel == "none"


def test_a_due_learner_gets_one_email_with_next_step_reason_goal_streak_and_unsubscribe(learner, graph):
    _remind(learner, day=0)  # Monday: due whatever day the test runs
    progress_record(learner=learner, resource=graph["steps"][0], status="completed")  # 60 minutes, today
    digest = digest_for(learner=learner)
    report = digests_send()
    assert report.sent == 1
    (email,) = mail.outbox
    assert email.to == [learner.email]
    assert digest.next_step is not None
    assert digest.next_step.resource.title in email.subject
    assert digest.next_step.reasons[0].text in email.body
    assert "This week: 1 h of your 2 h goal (50%)." in email.body
    assert "Streak: 1 day in a row" in email.body
    (unsubscribe,) = re.findall(r"https://deeppath\.example/reminders/unsubscribe/[^/\s]+/", email.body)
    assert unsubscribe_learner(unsubscribe.rstrip("/").rsplit("/", 1)[1]) == learner
    assert email.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html"
    assert digest.next_step.resource.title in html
    assert unsubscribe in html


def test_never_two_digests_in_one_week(learner, graph):
    _remind(learner, day=0)
    assert digests_send(today=WEDNESDAY).sent == 1
    assert digests_send(today=WEDNESDAY).sent == 0
    assert digests_send(today=WEDNESDAY + timedelta(days=4)).sent == 0, "Sunday of the same week"
    assert digests_send(today=WEDNESDAY + timedelta(days=5)).sent == 1, "Monday of the next week"
    assert len(mail.outbox) == 2
    assert DigestSend.objects.filter(learner=learner).count() == 2


def test_a_learner_is_due_from_their_reminder_day_on(learner, graph):
    _remind(learner, day=WEDNESDAY.weekday())
    assert digests_send(today=WEDNESDAY - timedelta(days=1)).sent == 0
    assert digests_send(today=WEDNESDAY + timedelta(days=2)).sent == 1, "a run missed on the day catches up"


def test_accounts_without_an_email_or_inactive_get_nothing(learner, other_learner, graph):
    _remind(learner)
    _remind(other_learner)
    learner.email = ""
    learner.save()
    other_learner.is_active = False
    other_learner.save()
    assert digests_send(today=WEDNESDAY).sent == 0


def test_the_week_is_claimed_once_even_by_concurrent_senders(learner):
    monday = WEDNESDAY - timedelta(days=2)
    assert digest_claim(learner=learner, week=monday) is True
    assert digest_claim(learner=learner, week=monday) is False


@pytest.mark.skipif(
    "sqlite" in settings.DATABASES["default"]["ENGINE"],
    reason="SQLite serialises writers; the unique claim is what this checks on PostgreSQL",
)
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_one_digest(learner, graph):
    _remind(learner)
    barrier = threading.Barrier(2)
    reports = []

    def run() -> None:
        barrier.wait()
        reports.append(digests_send(today=WEDNESDAY))
        connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(report.sent for report in reports) == [0, 1]
    assert len(mail.outbox) == 1


def test_a_failed_send_is_released_for_the_next_run(learner, graph, monkeypatch):
    _remind(learner)

    def broken(self, fail_silently=False):
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", broken)
    assert digests_send(today=WEDNESDAY).failed == 1
    assert not DigestSend.objects.exists()
    monkeypatch.undo()
    assert digests_send(today=WEDNESDAY).sent == 1


def test_the_unsubscribe_link_needs_no_login_and_turns_reminders_off(client, learner, other_learner):
    _remind(learner)
    _remind(other_learner)
    response = client.get(unsubscribe_path(learner))
    assert response.status_code == 200
    assert "You will get no more reminders" in response.content.decode()
    assert LearnerProfile.objects.get(user=learner).reminder_channel == "none"
    assert LearnerProfile.objects.get(user=other_learner).reminder_channel == "email", "only the signed learner"
    assert client.post(unsubscribe_path(other_learner)).status_code == 200, "the mail client's one-click POST"
    assert LearnerProfile.objects.get(user=other_learner).reminder_channel == "none"


@pytest.mark.parametrize(
    "token",
    [
        "nonsense",
        signing.dumps(1, salt="another.purpose"),
        signing.dumps("1", salt="deeppath.digest.unsubscribe"),
        "a" * 300,
    ],
    ids=["nonsense", "signed-for-another-purpose", "not-a-learner-id", "too-long"],
)
def test_a_forged_or_damaged_unsubscribe_link_is_a_clear_400(client, learner, token):
    _remind(learner)
    response = client.get(f"/reminders/unsubscribe/{token}/")
    assert response.status_code == 400
    assert "This unsubscribe link does not work" in response.content.decode()
    assert LearnerProfile.objects.get(user=learner).reminder_channel == "email"


def test_a_tampered_signature_of_a_real_link_is_refused(client, learner):
    _remind(learner)
    path = unsubscribe_path(learner)
    tampered = path[:-3] + ("A" if path[-3] != "A" else "B") + path[-2:]
    assert client.get(tampered).status_code == 400
    assert LearnerProfile.objects.get(user=learner).reminder_channel == "email"


def test_send_digests_command_and_its_queued_task(learner, graph, capsys):
    _remind(learner)
    call_command("send_digests", "--today", WEDNESDAY.isoformat())
    assert "Digests sent: 1, failed: 0." in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("send_digests", "--today", "next tuesday")
    from recommender.tasks import send_digests_task

    DigestSend.objects.all().delete()
    assert send_digests_task.call(today=WEDNESDAY.isoformat()) == {"sent": 1, "failed": 0}
