"""GET /api/v1/me/digest/ and the reminder fields of PATCH /api/v1/me/."""

import pytest
from django.core import mail

from learning.models import LearnerProfile
from learning.services import profile_update, progress_record
from recommender.digests import digest_for
from tests.api.conftest import assert_error

pytestmark = pytest.mark.django_db


def test_the_digest_endpoint_returns_what_the_email_says(learner_client, learner, small_catalog):
    profile_update(user=learner, weekly_goal_minutes=120)
    progress_record(learner=learner, resource=small_catalog["resources"][0], status="completed")
    body = learner_client.get("/api/v1/me/digest/").json()
    expected = digest_for(learner=learner)
    assert body["goal"] == {"minutes": 120, "done_minutes": 60, "percent": 50}
    assert body["streak"] == {"days": 1, "weeks": 1}
    assert body["next_step"]["resource"]["id"] == expected.next_step.resource.id
    assert body["next_step"]["reasons"] == [reason.as_dict() for reason in expected.next_step.reasons]
    assert body["week"] == expected.week.isoformat()
    assert mail.outbox == [], "reading the digest sends nothing"


def test_the_digest_is_the_learners_own_and_needs_a_token(api_client, learner_client, other_learner, small_catalog):
    progress_record(learner=other_learner, resource=small_catalog["resources"][0], status="completed")
    assert learner_client.get("/api/v1/me/digest/").json()["goal"]["done_minutes"] == 0
    assert_error(api_client.get("/api/v1/me/digest/"), 401)


def test_patch_me_sets_the_weekly_goal_and_reminder(learner_client, learner):
    response = learner_client.patch(
        "/api/v1/me/", {"weekly_goal_minutes": 90, "reminder_day": 6, "reminder_channel": "email"}, format="json"
    )
    assert response.status_code == 200
    assert {k: response.json()[k] for k in ("weekly_goal_minutes", "reminder_day", "reminder_channel")} == {
        "weekly_goal_minutes": 90,
        "reminder_day": 6,
        "reminder_channel": "email",
    }
    profile = LearnerProfile.objects.get(user=learner)
    assert (profile.weekly_goal_minutes, profile.reminder_day, profile.reminder_channel) == (90, 6, "email")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("weekly_goal_minutes", -1),
        ("weekly_goal_minutes", 100_000),
        ("reminder_day", 7),
        ("reminder_day", "1"),
        ("reminder_channel", "sms"),
        ("reminder_channel", 1),
    ],
)
def test_bad_reminder_values_are_a_400_and_change_nothing(learner_client, learner, field, value):
    error = assert_error(learner_client.patch("/api/v1/me/", {field: value}, format="json"), 400)
    assert field in error["fields"]
    profile = LearnerProfile.objects.get_or_create(user=learner)[0]
    assert (profile.weekly_goal_minutes, profile.reminder_day, profile.reminder_channel) == (0, 0, "none")


def test_the_digest_endpoint_is_in_the_openapi_schema(api_client):
    schema = api_client.get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/me/digest/"]["get"]
    assert operation["operationId"] == "me_digest_retrieve"
    assert set(operation["responses"]) >= {"200", "401"}
