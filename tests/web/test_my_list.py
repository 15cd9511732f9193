"""My list (/me/list/): saved and in-progress items, sortable, with the actions of a card (htmx and plain forms)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from learning.models import Progress, ProgressStatus
from tests.factories import ProgressFactory, ResourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(learner):
    now = timezone.now()
    rows = {
        "short": ResourceFactory(slug="short", title="Zebra notes", estimated_minutes=10),
        "long": ResourceFactory(slug="long", title="Aardvark course", estimated_minutes=600),
        "mid": ResourceFactory(slug="mid", title="Mongoose video", estimated_minutes=60),
    }
    ProgressFactory(learner=learner, resource=rows["short"], status=ProgressStatus.SAVED, created_at=now)
    ProgressFactory(
        learner=learner, resource=rows["long"], status=ProgressStatus.IN_PROGRESS, created_at=now - timedelta(days=2)
    )
    ProgressFactory(learner=learner, resource=rows["mid"], status=ProgressStatus.SAVED, created_at=now - timedelta(1))
    done = ResourceFactory(slug="done", title="Finished one")
    ProgressFactory(learner=learner, resource=done, status=ProgressStatus.COMPLETED, completed_at=now)
    return rows


def _slugs(response) -> list[str]:
    return [row.resource.slug for row in response.context["rows"]]


def test_my_list_needs_a_login(client):
    assert client.get("/me/list/")["Location"] == "/accounts/login/?next=/me/list/"


def test_my_list_shows_saved_and_in_progress_items_newest_saved_first(learner_client, listed):
    response = learner_client.get("/me/list/")
    assert _slugs(response) == ["short", "mid", "long"]
    page = response.content.decode()
    assert "Finished one" not in page
    assert 'href="/me/list/" aria-current="page"' in page


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("title", ["long", "mid", "short"]),
        ("minutes", ["short", "mid", "long"]),
        ("nonsense", ["short", "mid", "long"]),
    ],
)
def test_my_list_sorts(learner_client, listed, sort, expected):
    assert _slugs(learner_client.get("/me/list/", {"sort": sort})) == expected


def test_my_list_shows_nothing_of_another_learner(other_client, listed):
    response = other_client.get("/me/list/")
    assert _slugs(response) == []
    assert "Zebra notes" not in response.content.decode()


def test_starting_from_my_list_without_javascript_redirects_back(learner_client, learner, listed):
    response = learner_client.post(
        "/resources/short/progress/", {"status": "in_progress", "next": "/me/list/?sort=title"}
    )
    assert response["Location"] == "/me/list/?sort=title"
    assert Progress.objects.get(learner=learner, resource=listed["short"]).status == ProgressStatus.IN_PROGRESS


def test_completing_from_my_list_with_htmx_replaces_the_card(learner_client, learner, listed):
    response = learner_client.post(
        "/resources/mid/progress/", {"status": "completed", "partial": "card"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert 'id="rec-' in response.content.decode()
    assert "mid" not in _slugs(learner_client.get("/me/list/"))


def test_removing_from_my_list_forgets_the_item(learner_client, learner, listed):
    response = learner_client.post("/resources/long/forget/", {"next": "/me/list/"})
    assert response["Location"] == "/me/list/"
    assert _slugs(learner_client.get("/me/list/")) == ["short", "mid"]


def test_my_list_stays_within_the_query_budget(learner_client, listed, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        assert learner_client.get("/me/list/").status_code == 200
