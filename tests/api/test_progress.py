import pytest

from learning.models import Interaction, Progress
from learning.services import progress_record
from tests.api.conftest import assert_error
from tests.factories import ResourceFactory

pytestmark = pytest.mark.django_db


def _url(resource) -> str:
    return f"/api/v1/me/progress/{resource.pk}/"


def test_progress_put_is_idempotent(learner_client, learner):
    resource = ResourceFactory()
    first = learner_client.put(_url(resource), {"status": "in_progress", "percent": 40})
    assert first.status_code == 200
    events = Interaction.objects.count()
    second = learner_client.put(_url(resource), {"status": "in_progress", "percent": 40})
    assert second.status_code == 200
    assert second.json() == first.json()
    assert Progress.objects.filter(learner=learner).count() == 1
    assert Interaction.objects.count() == events


def test_put_records_through_the_progress_rules(learner_client):
    resource = ResourceFactory()
    data = learner_client.put(_url(resource), {"status": "completed", "rating": 5}).json()
    assert (data["status"], data["percent"], data["rating"], data["resource_id"]) == ("completed", 100, 5, resource.pk)
    assert data["completed_at"] is not None


def test_put_with_nothing_to_record_or_bad_values_is_refused(learner_client):
    resource = ResourceFactory()
    assert_error(learner_client.put(_url(resource), {}), 400, "invalid")
    error = assert_error(learner_client.put(_url(resource), {"percent": 101, "status": "done"}), 400)
    assert set(error["fields"]) == {"percent", "status"}


def test_rating_an_untouched_resource_reports_the_domain_rule(learner_client):
    assert_error(learner_client.put(_url(ResourceFactory()), {"rating": 4}), 400, "not_rateable")
    assert not Progress.objects.exists()


def test_put_on_an_unknown_or_unpublished_resource_is_not_found(learner_client):
    assert_error(learner_client.put("/api/v1/me/progress/987654/", {"status": "saved"}), 404)
    assert_error(learner_client.put(_url(ResourceFactory(status="draft")), {"status": "saved"}), 404)
    assert not Progress.objects.exists()


def test_another_learners_progress_is_not_found_not_shown(learner, other_client):
    resource = ResourceFactory()
    progress_record(learner=learner, resource=resource, status="completed")
    assert_error(other_client.get(_url(resource)), 404)
    assert_error(other_client.delete(_url(resource)), 404)
    assert other_client.get("/api/v1/me/progress/").json()["results"] == []
    assert Progress.objects.get(learner=learner).status == "completed"


def test_delete_forgets_the_progress_and_keeps_the_event_log(learner_client, learner):
    resource = ResourceFactory()
    progress_record(learner=learner, resource=resource, status="saved")
    assert learner_client.delete(_url(resource)).status_code == 204
    assert not Progress.objects.exists()
    assert Interaction.objects.filter(learner=learner).exists()
    assert_error(learner_client.get(_url(resource)), 404)


def test_progress_list_filters_by_status_and_pages_with_a_cursor(learner_client, learner):
    resources = [ResourceFactory() for _ in range(5)]
    for resource in resources[:3]:
        progress_record(learner=learner, resource=resource, status="saved")
    for resource in resources[3:]:
        progress_record(learner=learner, resource=resource, status="completed")
    page = learner_client.get("/api/v1/me/progress/", {"page_size": 2}).json()
    assert set(page) == {"next", "previous", "results"}
    seen = [item["resource_id"] for item in page["results"]]
    while page["next"]:
        page = learner_client.get(page["next"]).json()
        seen += [item["resource_id"] for item in page["results"]]
    assert sorted(seen) == sorted(r.pk for r in resources)
    assert len(seen) == 5
    completed = learner_client.get("/api/v1/me/progress/", {"status": "completed"}).json()["results"]
    assert {item["resource_id"] for item in completed} == {r.pk for r in resources[3:]}
    assert_error(learner_client.get("/api/v1/me/progress/", {"status": "finished"}), 400)
    assert_error(learner_client.get("/api/v1/me/progress/", {"cursor": "garbage"}), 400)
