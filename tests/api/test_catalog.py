import pytest

from learning.services import progress_record
from tests.api.conftest import assert_error
from tests.factories import LearningPathFactory, PathStepFactory, ResourceFactory

pytestmark = pytest.mark.django_db


def _slugs(response) -> list[str]:
    return [item["slug"] for item in response.json()["results"]]


def test_topics_list_their_prerequisites_by_slug(api_client, small_catalog):
    response = api_client.get("/api/v1/topics/")
    assert response.status_code == 200
    by_slug = {topic["slug"]: topic for topic in response.json()["results"]}
    assert by_slug["networks"]["prerequisites"] == ["basics"]
    assert by_slug["basics"]["prerequisites"] == []


def test_a_topic_shows_its_neighbours_and_only_published_resources(api_client, small_catalog):
    data = api_client.get("/api/v1/topics/basics/").json()
    assert [topic["slug"] for topic in data["unlocks"]] == ["networks"]
    assert [resource["slug"] for resource in data["resources"]] == ["intro"]
    assert_error(api_client.get("/api/v1/topics/nope/"), 404, "not_found")


def test_resources_are_paginated_and_published_only(api_client, small_catalog):
    data = api_client.get("/api/v1/resources/", {"page_size": 2}).json()
    assert set(data) == {"count", "next", "previous", "results"}
    assert data["count"] == 3
    assert len(data["results"]) == 2
    assert data["next"] is not None
    assert "draft" not in _slugs(api_client.get("/api/v1/resources/"))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"kind": "video"}, ["deep"]),
        ({"level": "intermediate"}, ["deep"]),
        ({"topic": "networks"}, ["deep", "nets"]),
        ({"framework": "none"}, ["deep", "intro", "nets"]),
        ({"framework": "jax"}, []),
        ({"cost": "paid"}, []),
        ({"max_minutes": 30}, ["deep", "nets"]),
        ({"search": "intro"}, ["intro"]),
        ({"ordering": "-minutes"}, ["intro", "deep", "nets"]),
    ],
)
def test_resources_filter_like_the_web_catalog(api_client, small_catalog, query, expected):
    assert _slugs(api_client.get("/api/v1/resources/", query)) == expected


def test_an_invalid_filter_value_is_a_validation_error(api_client, small_catalog):
    assert "kind" in assert_error(api_client.get("/api/v1/resources/", {"kind": "podcast"}), 400)["fields"]


def test_a_resource_shows_topics_frameworks_and_prerequisites(api_client, small_catalog):
    resource = small_catalog["resources"][1]
    resource.prerequisites.set([small_catalog["topics"][0]])
    data = api_client.get(f"/api/v1/resources/{resource.pk}/").json()
    assert (data["slug"], data["topics"], data["frameworks"], data["prerequisites"]) == (
        "nets",
        ["networks"],
        ["none"],
        ["basics"],
    )


def test_an_unpublished_or_unknown_resource_is_not_found(api_client, small_catalog):
    assert_error(api_client.get(f"/api/v1/resources/{small_catalog['draft'].pk}/"), 404)
    assert_error(api_client.get("/api/v1/resources/99999999999999999999/"), 404)


def test_a_path_lists_ordered_steps_with_the_signed_in_learners_state(api_client, learner_client, learner):
    path = LearningPathFactory(slug="foundations")
    second, first = ResourceFactory(slug="second"), ResourceFactory(slug="first")
    PathStepFactory(path=path, resource=first, position=1)
    PathStepFactory(path=path, resource=second, position=2)
    progress_record(learner=learner, resource=first, status="completed")
    mine = learner_client.get("/api/v1/paths/foundations/").json()
    assert [(step["resource"]["slug"], step["status"]) for step in mine["steps"]] == [
        ("first", "completed"),
        ("second", None),
    ]
    anonymous = api_client.get("/api/v1/paths/foundations/").json()
    assert [step["status"] for step in anonymous["steps"]] == [None, None]
    listed = api_client.get("/api/v1/paths/").json()["results"]
    assert [(p["slug"], p["step_count"], p["total_minutes"]) for p in listed] == [("foundations", 2, 60)]


def test_catalog_reads_send_an_etag_and_answer_a_matching_if_none_match_with_304(api_client, small_catalog):
    first = api_client.get("/api/v1/resources/")
    etag = first["ETag"]
    assert etag
    again = api_client.get("/api/v1/resources/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert api_client.get("/api/v1/resources/", HTTP_IF_NONE_MATCH='"stale"').status_code == 200


def test_the_etag_changes_when_the_catalog_changes(api_client, small_catalog):
    etag = api_client.get("/api/v1/topics/basics/")["ETag"]
    ResourceFactory(slug="newer", topics=[small_catalog["topics"][0]])
    response = api_client.get("/api/v1/topics/basics/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag


def test_a_paths_etag_differs_between_learners_with_different_state(api_client, learner_client, learner):
    path = LearningPathFactory(slug="p")
    step = PathStepFactory(path=path)
    anonymous = api_client.get("/api/v1/paths/p/")["ETag"]
    progress_record(learner=learner, resource=step.resource, status="saved")
    mine = learner_client.get("/api/v1/paths/p/", HTTP_IF_NONE_MATCH=anonymous)
    assert mine.status_code == 200
    assert "Authorization" in mine["Vary"]


def test_catalog_reads_accept_a_token_but_refuse_a_bad_one(learner_client, api_client, small_catalog):
    assert learner_client.get("/api/v1/topics/").status_code == 200
    api_client.credentials(HTTP_AUTHORIZATION="Token bogus")
    assert_error(api_client.get("/api/v1/topics/"), 401)
