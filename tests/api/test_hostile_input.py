"""Input an attacker sends on purpose: JSON nested to exhaust the stack, strings that are not Unicode, crafted
cursors, ids too big for the database, bodies over the size limit. Each is a 4xx in the error shape, never a 500,
and changes nothing."""

import base64

import pytest

from learning.models import Interaction, LearnerProfile, Progress
from tests.api.conftest import assert_error
from tests.factories import ResourceFactory, TopicFactory

pytestmark = pytest.mark.django_db

DEEP_LIST = "[" * 1000 + "]" * 1000
DEEP_OBJECT = '{"a":' * 1000 + "1" + "}" * 1000
TOO_DEEP_FOR_THE_LIMIT = "[" * 40 + "]" * 40  # far from the stack's limit, still beyond any body DeepPath reads
LONE_SURROGATE = "\\ud800"  # as sent: the six characters of a JSON escape


def _send(client, method: str, url: str, text: str):
    return client.generic(method, url, text, content_type="application/json")


WRITES = [
    ("POST", "/api/v1/auth/token/"),
    ("POST", "/api/v1/auth/register/"),
    ("POST", "/api/v1/me/events/"),
    ("PATCH", "/api/v1/me/"),
    ("PUT", "/api/v1/me/progress/{id}/"),
]


@pytest.mark.parametrize(("method", "url"), WRITES)
@pytest.mark.parametrize("text", [DEEP_LIST, DEEP_OBJECT, TOO_DEEP_FOR_THE_LIMIT], ids=["list", "object", "40"])
def test_deeply_nested_json_is_a_400_parse_error(learner_client, method, url, text):
    url = url.replace("{id}", str(ResourceFactory().pk))
    error = assert_error(_send(learner_client, method, url, text), 400, "parse_error")
    assert "nested" in error["message"]


def test_deeply_nested_json_is_refused_before_signing_in(api_client):
    assert_error(_send(api_client, "POST", "/api/v1/auth/token/", DEEP_LIST), 400, "parse_error")


def test_json_nested_as_deep_as_real_bodies_is_read(learner_client, learner):
    topic = TopicFactory(slug="basics")
    response = learner_client.patch("/api/v1/me/", {"goal_topics": [topic.slug]})
    assert response.status_code == 200, response.content
    assert list(LearnerProfile.objects.get(user=learner).goal_topics.all()) == [topic]


def _event(client_event_id: str, resource_id: int | str, kind: str = "saved", **extra) -> str:
    fields = {"client_event_id": f'"{client_event_id}"', "resource_id": str(resource_id), "kind": f'"{kind}"'}
    fields["occurred_at"] = '"2026-01-05T10:00:00Z"'
    fields.update({name: f'"{value}"' for name, value in extra.items()})
    return "{" + ", ".join(f'"{name}": {value}' for name, value in fields.items()) + "}"


@pytest.mark.parametrize(
    ("method", "url", "text"),
    [
        ("PATCH", "/api/v1/me/", f'{{"level": "{LONE_SURROGATE}"}}'),
        ("PATCH", "/api/v1/me/", f'{{"goal_topics": ["{LONE_SURROGATE}"]}}'),
        ("PATCH", "/api/v1/me/", f'{{"{LONE_SURROGATE}": 1}}'),
        ("PUT", "/api/v1/me/progress/{id}/", f'{{"status": "{LONE_SURROGATE}"}}'),
        ("POST", "/api/v1/me/events/", f'{{"events": [{_event(LONE_SURROGATE, "{id}")}]}}'),
        ("POST", "/api/v1/me/events/", f'{{"events": [{_event("e1", "{id}", kind=LONE_SURROGATE)}]}}'),
        ("POST", "/api/v1/me/events/", f'{{"events": [{_event("e1", "{id}", "dismissed", reason=LONE_SURROGATE)}]}}'),
        ("POST", "/api/v1/auth/token/", f'{{"username": "a{LONE_SURROGATE}", "password": "x"}}'),
        ("POST", "/api/v1/auth/register/", f'{{"username": "{LONE_SURROGATE}", "email": "a@b.co", "password": "x"}}'),
    ],
)
def test_a_lone_surrogate_anywhere_is_a_400_that_does_not_echo_it(learner_client, learner, method, url, text):
    resource = ResourceFactory()
    response = _send(
        learner_client, method, url.replace("{id}", str(resource.pk)), text.replace("{id}", str(resource.pk))
    )
    text_body = response.content.decode("utf-8")  # the answer itself must be valid UTF-8
    error = assert_error(response, 400, "parse_error")
    assert "Unicode" in error["message"]
    assert "\ud800" not in text_body
    assert not Progress.objects.exists()


def test_a_batch_with_one_event_that_is_not_unicode_stores_nothing(learner_client, learner):
    resource = ResourceFactory()
    good = _event("good", resource.pk)
    bad = _event("bad", resource.pk, "dismissed", reason=LONE_SURROGATE)
    response = _send(learner_client, "POST", "/api/v1/me/events/", f'{{"events": [{good}, {bad}]}}')
    assert_error(response, 400, "parse_error")
    assert not Interaction.objects.filter(learner=learner).exists()
    assert not Progress.objects.filter(learner=learner).exists()


def test_a_batch_whose_answer_fails_stores_nothing(learner_client, learner, monkeypatch):
    def broken(outcome):
        raise RuntimeError("the answer could not be written")

    monkeypatch.setattr("learning.api.views.events._rendered", broken)
    learner_client.raise_request_exception = False
    text = f'{{"events": [{_event("one", ResourceFactory().pk)}, {_event("two", ResourceFactory().pk)}]}}'
    response = _send(learner_client, "POST", "/api/v1/me/events/", text)
    assert_error(response, 500, "server_error")
    assert not Interaction.objects.filter(learner=learner).exists()
    assert not Progress.objects.filter(learner=learner).exists()


def _cursor(query: str) -> str:
    return base64.b64encode(query.encode("ascii")).decode("ascii")


@pytest.mark.parametrize(
    "cursor",
    [
        _cursor("o=0&p=notadate"),
        _cursor("o=0&p=9999-12-31 23:59:59-14:00"),
        _cursor("o=0&p=0001-01-01 00:00:00+14:00"),
        _cursor("o=0&p=2026-01-01%00"),
        _cursor("o=0&r=1&p="),
        _cursor("o=notanumber"),
        "garbage",
    ],
)
def test_a_crafted_progress_cursor_is_a_400_naming_the_cursor(learner_client, learner, cursor):
    Progress.objects.create(learner=learner, resource=ResourceFactory(), status="saved")
    error = assert_error(learner_client.get("/api/v1/me/progress/", {"cursor": cursor}), 400, "invalid")
    assert list(error["fields"]) == ["cursor"]


def test_a_cursor_from_the_api_itself_still_pages(learner_client, learner):
    for _ in range(3):
        Progress.objects.create(learner=learner, resource=ResourceFactory(), status="saved")
    first = learner_client.get("/api/v1/me/progress/", {"page_size": 2}).json()
    second = learner_client.get(first["next"])
    assert second.status_code == 200, second.content
    assert len(second.json()["results"]) == 1


def test_an_oversize_api_body_is_a_json_413_in_the_error_shape(learner_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    text = '{"events": [' + ", ".join([_event("e", 1)] * 50) + "]}"
    response = _send(learner_client, "POST", "/api/v1/me/events/", text)
    assert_error(response, 413, "too_large")


def test_a_bad_host_under_the_api_is_a_json_400(api_client):
    assert_error(api_client.get("/api/v1/topics/", HTTP_HOST="evil.example"), 400, "bad_request")


@pytest.mark.parametrize("value", [str(2**63), "9" * 40, "1e400", "-1", "NaN", "Infinity", "1.5"])
def test_numbers_out_of_any_range_in_catalog_filters_are_a_4xx_or_match_nothing(api_client, value):
    ResourceFactory()
    for url in ("/api/v1/resources/", "/resources/"):
        response = api_client.get(url, {"max_minutes": value})
        assert response.status_code < 500, (url, value, response.status_code)


@pytest.mark.parametrize("url", ["/api/v1/resources/{id}/", "/api/v1/me/progress/{id}/"])
def test_path_ids_too_big_for_the_database_are_a_404(learner_client, url):
    for huge in (str(2**63), "9" * 30):
        assert_error(learner_client.get(url.replace("{id}", huge)), 404, "not_found")
