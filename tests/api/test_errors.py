import pytest
from rest_framework.test import APIClient

from learning.api.errors import flatten_detail, learning_error_response
from learning.exceptions import LearningError
from tests.api.conftest import assert_error

pytestmark = pytest.mark.django_db


def test_an_unknown_api_address_answers_json_404(api_client):
    assert_error(api_client.get("/api/v1/no-such-thing/"), 404, "not_found")
    assert_error(api_client.get("/api/nothing"), 404, "not_found")


def test_an_unknown_api_address_answers_json_404_to_writes_too_never_a_csrf_page():
    client = APIClient(enforce_csrf_checks=True)
    assert_error(client.post("/api/v1/me/progress/not-an-id/", {}), 404, "not_found")
    assert_error(client.delete("/api/v1/nothing/"), 404, "not_found")


def test_an_unknown_api_address_answers_json_even_with_debug_on(api_client, settings):
    settings.DEBUG = True
    assert_error(api_client.get("/api/v1/no-such-thing/"), 404, "not_found")


def test_a_missing_token_answers_json_401_with_the_scheme_to_use(api_client):
    response = api_client.get("/api/v1/me/")
    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == "Token"


def test_an_unknown_token_answers_json_401(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert_error(api_client.get("/api/v1/me/"), 401, "authentication_failed")


def test_a_wrong_method_answers_json_405(learner_client):
    assert_error(learner_client.delete("/api/v1/me/"), 405, "method_not_allowed")
    assert_error(learner_client.get("/api/v1/me/events/"), 405, "method_not_allowed")


def test_html_is_never_negotiated_under_the_api(learner_client):
    response = learner_client.get("/api/v1/topics/", HTTP_ACCEPT="text/html")
    assert response["Content-Type"].startswith("application/json")


def test_validation_errors_name_each_field(learner_client):
    error = assert_error(learner_client.patch("/api/v1/me/", {"weekly_hours": 0, "level": "guru"}), 400, "invalid")
    assert set(error["fields"]) == {"weekly_hours", "level"}
    assert all(isinstance(messages, list) and messages for messages in error["fields"].values())


def test_malformed_json_has_the_error_shape(learner_client):
    response = learner_client.generic("PATCH", "/api/v1/me/", "{not json", content_type="application/json")
    assert_error(response, 400, "parse_error")


def test_a_learning_error_becomes_a_400_with_its_code_and_problems_as_fields(api_client):
    body = {"username": "ada", "email": "ada@example.com", "password": "short"}
    error = assert_error(api_client.post("/api/v1/auth/register/", body), 400, "invalid")
    assert "password" in error["fields"]


def test_nested_errors_are_flattened_to_dotted_paths():
    detail = {"events": [{}, {"kind": ["Bad kind."]}], "non_field_errors": ["Whole."]}
    assert flatten_detail(detail) == {"events.1.kind": ["Bad kind."], "non_field_errors": ["Whole."]}


def test_a_learning_error_keeps_its_fields_as_given_even_when_a_message_contains_a_colon():
    error = LearningError("Not saved.", {"level": ["Must be one of: a, b."], "non_field_errors": ["Try: later."]})
    response = learning_error_response(error)
    assert response.status_code == 400
    assert response.data == {
        "error": {
            "code": "invalid",
            "message": "Not saved.",
            "fields": {"level": ["Must be one of: a, b."], "non_field_errors": ["Try: later."]},
        }
    }
