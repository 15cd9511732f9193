"""Ratings and completions on cards, resource pages and the API, shown only once 5 learners are behind them."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from learning.models import ProgressStatus
from learning.selectors import SOCIAL_PROOF_MIN_LEARNERS, resource_social_proof
from tests.factories import ProgressFactory, ResourceFactory

pytestmark = pytest.mark.django_db


def _finish_and_rate(resource, learners: int, rating: int = 4) -> None:
    for _ in range(learners):
        ProgressFactory(
            resource=resource, status=ProgressStatus.COMPLETED, completed_at=timezone.now(), rating=rating, percent=100
        )


@pytest.fixture
def resource():
    return ResourceFactory(slug="rated", title="A rated resource")


def test_four_learners_show_nothing_anywhere(resource, client):
    _finish_and_rate(resource, SOCIAL_PROOF_MIN_LEARNERS - 1)
    assert resource_social_proof(resource_ids=[resource.pk]) == {}
    assert "finished it" not in client.get("/resources/").content.decode()
    assert "finished it" not in client.get("/resources/rated/").content.decode()
    row = APIClient().get("/api/v1/resources/").json()["results"][0]
    assert (row["rating_average"], row["rating_count"], row["finished_count"]) == (None, None, None)
    detail = APIClient().get(f"/api/v1/resources/{resource.pk}/").json()
    assert (detail["rating_average"], detail["rating_count"], detail["finished_count"]) == (None, None, None)


def test_five_learners_show_the_average_the_count_and_the_finishers(resource, client):
    _finish_and_rate(resource, 4, rating=4)
    _finish_and_rate(resource, 1, rating=5)
    for page in (client.get("/resources/"), client.get("/resources/rated/")):
        text = page.content.decode()
        assert "Rated 4.2 out of 5 by 5 learners" in text
        assert "5 learners finished it" in text
    row = APIClient().get("/api/v1/resources/").json()["results"][0]
    assert (row["rating_average"], row["rating_count"], row["finished_count"]) == (4.2, 5, 5)
    detail = APIClient().get(f"/api/v1/resources/{resource.pk}/").json()
    assert (detail["rating_average"], detail["rating_count"], detail["finished_count"]) == (4.2, 5, 5)


def test_ratings_and_finishers_are_each_held_back_until_five(resource):
    for _ in range(5):
        ProgressFactory(resource=resource, status=ProgressStatus.COMPLETED, completed_at=timezone.now())
    ProgressFactory(resource=resource, status=ProgressStatus.IN_PROGRESS, rating=2)
    proof = resource_social_proof(resource_ids=[resource.pk])[resource.pk]
    assert (proof.rating_average, proof.rating_count, proof.finished_count) == (None, None, 5)


def test_figures_for_a_whole_page_cost_one_query(django_assert_num_queries):
    resources = [ResourceFactory() for _ in range(6)]
    for resource in resources:
        _finish_and_rate(resource, 5)
    with django_assert_num_queries(1):
        proof = resource_social_proof(resource_ids=[r.pk for r in resources])
    assert set(proof) == {r.pk for r in resources}


def test_the_dashboard_suggestions_show_the_figures(learner_client, graph):
    for resource in [*graph["steps"], graph["extra"]]:
        _finish_and_rate(resource, 5, rating=3)
    page = learner_client.get("/dashboard/").content.decode()
    assert "Rated 3.0 out of 5 by 5 learners" in page
