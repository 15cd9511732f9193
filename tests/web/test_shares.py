"""Public links to a followed path's progress or a saved plan: unguessable, revocable, private to their learner."""

import pytest

from learning.models import PathShare, ProgressStatus
from learning.services import path_follow, progress_record
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def following(learner, graph):
    path_follow(learner=learner, path=graph["path"])
    progress_record(learner=learner, resource=graph["steps"][0], status=ProgressStatus.COMPLETED)
    return graph["path"]


def _share(learner_client, slug: str, **data) -> PathShare:
    response = learner_client.post(f"/paths/{slug}/share/", data)
    assert response.status_code == 302
    return PathShare.objects.get(path__slug=slug)


def test_a_followed_path_can_be_shared_and_the_page_shows_steps_and_progress_but_no_name(
    learner_client, learner, following, client
):
    share = _share(learner_client, "foundations")
    assert len(share.token) >= 43  # secrets.token_urlsafe(32)
    assert share.token in learner_client.get("/paths/foundations/").content.decode()
    learner_client.logout()
    page = client.get(f"/shared/{share.token}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Intro to basics" in text
    assert "Backprop by hand" in text
    assert "1 of 3" in text
    assert learner.username not in text


def test_the_name_shows_only_when_the_learner_chooses(learner_client, learner, following, client):
    share = _share(learner_client, "foundations", show_name="on")
    assert f"Shared by {learner.username}" in client.get(f"/shared/{share.token}/").content.decode()


def test_a_revoked_or_unknown_link_is_a_404(learner_client, following, client):
    share = _share(learner_client, "foundations")
    response = learner_client.post(f"/shared/{share.token}/revoke/", {"next": "/paths/foundations/"})
    assert response["Location"] == "/paths/foundations/"
    assert client.get(f"/shared/{share.token}/").status_code == 404
    assert client.get("/shared/not-a-real-token/").status_code == 404


def test_another_learner_cannot_revoke_a_link(learner_client, other_client, following, client):
    share = _share(learner_client, "foundations")
    assert other_client.post(f"/shared/{share.token}/revoke/").status_code == 404
    assert client.get(f"/shared/{share.token}/").status_code == 200


def test_a_path_not_followed_cannot_be_shared(other_client, following):
    other_client.post("/paths/foundations/share/")
    assert not PathShare.objects.exists()


def test_a_saved_plan_can_be_shared_but_never_by_another_learner(learner, learner_client, other_client, graph):
    from recommender.saved_plans import saved_plan_save

    plan = saved_plan_save(learner=learner, goal_topic=graph["topics"][2])
    share = _share(learner_client, plan.slug)
    assert share.path == plan
    assert other_client.post(f"/paths/{plan.slug}/share/").status_code == 404


def test_the_api_makes_lists_and_revokes_links(learner, other_learner, following, client):
    api = client_for(learner)
    response = api.post("/api/v1/me/shares/", {"path": "foundations", "show_name": True}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["path"] == "foundations"
    assert body["show_name"] is True
    assert body["url"].endswith(f"/shared/{body['token']}/")
    assert [row["token"] for row in api.get("/api/v1/me/shares/").json()] == [body["token"]]
    other = client_for(other_learner)
    assert other.get("/api/v1/me/shares/").json() == []
    assert other.delete(f"/api/v1/me/shares/{body['token']}/").status_code == 404
    assert api.delete(f"/api/v1/me/shares/{body['token']}/").status_code == 204
    assert client.get(f"/shared/{body['token']}/").status_code == 404
    assert api.delete(f"/api/v1/me/shares/{body['token']}/").status_code == 404


def test_the_api_refuses_a_path_the_learner_does_not_follow(other_learner, following):
    response = client_for(other_learner).post("/api/v1/me/shares/", {"path": "foundations"}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "not_shareable"
    assert client_for(other_learner).post("/api/v1/me/shares/", {"path": "nope"}, format="json").status_code == 404
