"""A plan saved as the learner's own followable path: web and API, private, on the dashboard, re-planned."""

import pytest

from learning.models import LearnerProfile, LearningPath
from learning.services import catalog_export_json
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db


def test_saving_a_plan_through_the_api_makes_a_private_followed_path(learner, other_learner, graph, client):
    api = client_for(learner)
    answer = api.post("/api/v1/me/plans/", {"goal": "backprop"}, format="json")
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["resources"] == ["extra", "nets", "bp"]  # the extra video is the shorter way to basics
    assert body["goal"] == "backprop"
    detail = api.get(f"/api/v1/paths/{body['slug']}/").json()
    assert detail["progress"]["summary"] == "0 of 3 required"
    assert client_for(other_learner).get(f"/api/v1/paths/{body['slug']}/").status_code == 404
    assert body["slug"] not in {p["slug"] for p in api.get("/api/v1/paths/").json()["results"]}
    assert body["slug"] not in catalog_export_json()
    client.force_login(learner)
    dashboard = client.get("/dashboard/").content.decode()
    assert "My path to Backprop" in dashboard
    assert "0 of 3 required" in dashboard
    assert "you finish around" in dashboard


def test_a_saved_plan_re_plans_when_known_topics_change(learner, graph):
    api = client_for(learner)
    slug = api.post("/api/v1/me/plans/", {"goal": "backprop"}, format="json").json()["slug"]
    assert api.patch("/api/v1/me/", {"known_topics": ["networks"]}, format="json").status_code == 200
    steps = LearningPath.objects.get(slug=slug).steps.order_by("position")
    assert [step.resource.slug for step in steps] == ["bp"]
    again = api.post("/api/v1/me/plans/", {"goal": "backprop", "thorough": True}, format="json")
    assert again.json()["slug"] == slug  # one saved plan per goal, updated


def test_nothing_to_plan_is_a_clear_400(learner, graph):
    api = client_for(learner)
    api.patch("/api/v1/me/", {"known_topics": ["backprop"]}, format="json")
    answer = api.post("/api/v1/me/plans/", {"goal": "backprop"}, format="json")
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "nothing_to_plan"


def test_the_web_saves_a_plan_and_preselects_the_onboarding_goal(learner_client, learner, graph):
    profile, _ = LearnerProfile.objects.get_or_create(user=learner)
    profile.goal_topics.set([graph["topics"][2]])
    page = learner_client.get("/paths/").content.decode()
    assert '<option value="backprop" selected>' in page
    shown = learner_client.get("/paths/", {"goal": "backprop"}).content.decode()
    assert "Save as my path" in shown
    answer = learner_client.post("/paths/plan/save/", {"goal": "backprop"})
    path = LearningPath.objects.get(owner=learner)
    assert answer.status_code == 302
    assert answer["Location"] == path.get_absolute_url()
    assert learner_client.get(path.get_absolute_url()).status_code == 200
