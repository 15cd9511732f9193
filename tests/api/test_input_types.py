"""Bodies take JSON types at their word, and query values that could not be what the schema says are refused."""

import pytest
from django.utils import timezone

from learning.models import LearnerProfile
from tests.api.conftest import assert_error
from tests.factories import ResourceFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("field", "value"),
    [("onboarded", 0), ("onboarded", "true"), ("weekly_hours", "5"), ("weekly_hours", 5.5), ("level", 1)],
)
def test_profile_fields_refuse_values_of_another_json_type(learner_client, learner, field, value):
    assert set(assert_error(learner_client.patch("/api/v1/me/", {field: value}), 400)["fields"]) == {field}
    assert LearnerProfile.objects.get(user=learner).weekly_hours == 3


def test_a_whole_number_written_as_a_float_is_still_a_whole_number(learner_client):
    assert learner_client.patch("/api/v1/me/", {"weekly_hours": 5.0}).json()["weekly_hours"] == 5


def test_a_list_field_refuses_an_object(learner_client):
    assert "goal_topics" in assert_error(learner_client.patch("/api/v1/me/", {"goal_topics": {}}), 400)["fields"]


def test_a_slug_with_a_nul_character_is_refused_without_reaching_the_database(learner_client):
    error = assert_error(learner_client.patch("/api/v1/me/", {"known_topics": ["bad\x00slug"]}), 400)
    assert set(error["fields"]) == {"known_topics.0"}


def test_registration_refuses_a_number_for_a_username(api_client):
    body = {"username": 12345, "email": "n@example.com", "password": "correct-horse-battery-staple"}
    assert "username" in assert_error(api_client.post("/api/v1/auth/register/", body), 400)["fields"]


@pytest.mark.parametrize("value", ["abc", "0", "101", "2.0", "-1"])
def test_page_size_must_be_a_whole_number_within_bounds(api_client, value):
    assert "page_size" in assert_error(api_client.get("/api/v1/resources/", {"page_size": value}), 400)["fields"]


def test_empty_optional_query_values_mean_not_given(api_client, learner_client):
    ResourceFactory()
    assert api_client.get("/api/v1/resources/", {"page_size": "", "kind": "", "ordering": ""}).status_code == 200
    assert learner_client.get("/api/v1/me/progress/", {"status": "", "page_size": ""}).status_code == 200
    assert learner_client.get("/api/v1/me/recommendations/", {"limit": ""}).status_code == 200


@pytest.mark.parametrize(("name", "value"), [("ordering", "title,,"), ("max_minutes", "2.5")])
def test_resource_filters_refuse_values_the_schema_does_not_allow(api_client, name, value):
    assert name in assert_error(api_client.get("/api/v1/resources/", {name: value}), 400)["fields"]


def test_recommendation_limit_takes_digits_only(learner_client):
    assert "limit" in assert_error(learner_client.get("/api/v1/me/recommendations/", {"limit": "2.0"}), 400)["fields"]


def test_an_id_too_large_for_the_database_is_a_404_not_an_overflow(learner_client):
    assert_error(learner_client.get("/api/v1/me/progress/1234567890123456789012/"), 404)
    assert_error(learner_client.put("/api/v1/me/progress/1234567890123456789012/", {"status": "saved"}), 404)


def test_an_event_for_an_id_too_large_for_the_database_is_reported_alone(learner_client):
    course = ResourceFactory()
    now = timezone.now().isoformat()
    events = [
        {"client_event_id": "big", "resource_id": 2**70, "kind": "viewed", "occurred_at": now},
        {"client_event_id": "fine", "resource_id": course.pk, "kind": "viewed", "occurred_at": now},
    ]
    results = learner_client.post("/api/v1/me/events/", {"events": events}).json()["events"]
    assert [item["outcome"] for item in results] == ["error", "applied"]
    assert "resource_id" in results[0]["error"]["fields"]
