from types import SimpleNamespace

import pytest
from django.db import DatabaseError

from learning.models import Dismissal, Framework
from learning.services import dismissal_record
from tests.api.conftest import assert_error
from tests.factories import ResourceFactory, TopicFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/me/recommendations/"


def test_recommendations_list_resources_with_score_and_reasons(learner_client, small_catalog):
    response = learner_client.get(URL, {"limit": 2})
    assert response.status_code == 200
    items = response.json()
    assert 1 <= len(items) <= 2
    for item in items:
        assert set(item) == {"resource", "score", "reasons"}
        assert {"id", "slug", "title", "topics", "frameworks"} <= set(item["resource"])
        assert item["reasons"]
        assert all({"code", "text"} <= set(reason) for reason in item["reasons"])
        assert all(value is not None for reason in item["reasons"] for value in reason.values())
    assert "draft" not in [item["resource"]["slug"] for item in items]


def test_recommendations_limit_is_validated(learner_client, small_catalog):
    assert "limit" in assert_error(learner_client.get(URL, {"limit": 0}), 400)["fields"]
    assert "limit" in assert_error(learner_client.get(URL, {"limit": "ten"}), 400)["fields"]


def test_a_dismissed_resource_is_not_recommended_again(learner_client, learner, small_catalog):
    intro = small_catalog["resources"][0]
    response = learner_client.post(f"{URL}{intro.pk}/dismiss/", {"reason": "too_easy", "comment": "Seen it"})
    assert response.status_code == 200
    assert response.json()["reason"] == "too_easy"
    assert Dismissal.objects.get(learner=learner).comment == "Seen it"
    slugs = [item["resource"]["slug"] for item in learner_client.get(URL).json()]
    assert "intro" not in slugs


def test_dismissing_needs_a_known_reason_and_a_published_resource(learner_client, small_catalog):
    intro = small_catalog["resources"][0]
    assert "reason" in assert_error(learner_client.post(f"{URL}{intro.pk}/dismiss/", {"reason": "meh"}), 400)["fields"]
    assert_error(learner_client.post(f"{URL}{small_catalog['draft'].pk}/dismiss/", {"reason": "other"}), 404)
    assert not Dismissal.objects.exists()


def test_a_dismissal_can_be_taken_back_by_its_learner_only(learner_client, other_client, learner, small_catalog):
    intro = small_catalog["resources"][0]
    dismissal_record(learner=learner, resource=intro, reason="other")
    assert_error(other_client.delete(f"{URL}{intro.pk}/dismiss/"), 404)
    assert Dismissal.objects.exists()
    assert learner_client.delete(f"{URL}{intro.pk}/dismiss/").status_code == 204
    assert not Dismissal.objects.exists()


def test_recommendations_are_throttled_with_retry_after(learner_client, settings, small_catalog):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"recommendations": "1/min"}}
    assert learner_client.get(URL).status_code == 200
    throttled = learner_client.get(URL)
    assert_error(throttled, 429, "throttled")
    assert int(throttled["Retry-After"]) > 0


def test_the_plan_leads_through_missing_prerequisites_to_the_goal(learner_client, small_catalog):
    data = learner_client.get("/api/v1/me/plan/", {"goal": "networks"}).json()
    assert data["goal"]["slug"] == "networks"
    assert [step["topic"]["slug"] for step in data["steps"]] == ["basics", "networks"]
    assert data["steps"][0]["resource"]["slug"] == "intro"
    assert data["total_minutes"] == sum(step["resource"]["estimated_minutes"] for step in data["steps"])
    assert data["already_covered"] is False


def test_the_plan_needs_a_known_goal(learner_client, small_catalog):
    assert "goal" in assert_error(learner_client.get("/api/v1/me/plan/"), 400)["fields"]
    assert "goal" in assert_error(learner_client.get("/api/v1/me/plan/", {"goal": "nope"}), 400)["fields"]


def test_the_plan_finds_a_topic_newer_than_the_cached_catalog(learner_client, small_catalog):
    learner_client.get("/api/v1/me/plan/", {"goal": "networks"})
    newer = TopicFactory(slug="attention")
    ResourceFactory(slug="attention-paper", topics=[newer])
    data = learner_client.get("/api/v1/me/plan/", {"goal": "attention"}).json()
    assert data["steps"][-1]["resource"]["slug"] == "attention-paper"


def test_health_needs_no_token_and_reports_no_model_when_none_is_active(api_client):
    response = api_client.get("/api/v1/health/", HTTP_AUTHORIZATION="Token stale-token-from-an-old-install")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": True, "model_version": None, "reason": None}


def test_health_reports_the_active_model_version(api_client, monkeypatch):
    monkeypatch.setattr("recommender.health.active_model", lambda: SimpleNamespace(version="20261124-000000-1"))
    assert api_client.get("/api/v1/health/").json()["model_version"] == "20261124-000000-1"


def test_health_answers_503_when_the_database_does_not(api_client, monkeypatch):
    def broken_cursor():
        raise DatabaseError("connection refused")

    monkeypatch.setattr("recommender.health.connection.cursor", broken_cursor)
    response = api_client.get("/api/v1/health/")
    assert response.status_code == 503
    assert response.json()["database"] is False


def test_an_empty_catalog_gives_no_recommendations_and_a_plan_without_resources(learner_client):
    TopicFactory(slug="lonely")
    assert learner_client.get(URL).json() == []
    plan = learner_client.get("/api/v1/me/plan/", {"goal": "lonely"}).json()
    assert (plan["goal"]["slug"], plan["already_covered"], plan["total_minutes"]) == ("lonely", False, 0)
    assert [(step["topic"]["slug"], step["resource"]) for step in plan["steps"]] == [("lonely", None)]


def test_a_goal_that_cannot_be_a_slug_is_refused_before_any_lookup(learner_client, small_catalog):
    assert "goal" in assert_error(learner_client.get("/api/v1/me/plan/", {"goal": "a\x00b"}), 400)["fields"]


def test_a_recommended_resource_reads_exactly_as_the_catalog_endpoint_shows_it(learner_client):
    """Cards come from the cached catalog, not from the rows: they must still match the resource endpoint field
    for field, topics and frameworks in the same order."""
    topics = [TopicFactory(slug=slug, name=name) for slug, name in (("zeta", "Zeta"), ("alpha", "Alpha"))]
    frameworks = list(Framework.objects.filter(slug__in=["pytorch", "jax", "tensorflow"]).order_by("-pk"))
    ResourceFactory(slug="mixed", topics=topics, frameworks=frameworks, summary="Two topics, three frameworks.")
    ResourceFactory(slug="plain", topics=topics[:1], kind="course")
    items = learner_client.get(URL).json()
    assert {item["resource"]["slug"] for item in items} == {"mixed", "plain"}
    for item in items:
        detail = learner_client.get(f"/api/v1/resources/{item['resource']['id']}/").json()
        detail.pop("prerequisites")
        detail.pop("touches")  # detail-only, like prerequisites
        for figure in ("rating_average", "rating_count", "finished_count"):
            detail.pop(figure)  # the catalog endpoints' social proof, not part of a resource card
        assert item["resource"] == detail
