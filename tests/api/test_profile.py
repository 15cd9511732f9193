import pytest

from learning.models import LearnerProfile
from tests.api.conftest import assert_error
from tests.factories import TopicFactory

pytestmark = pytest.mark.django_db


def test_me_shows_the_account_and_profile_with_slugs(learner_client, learner):
    profile = LearnerProfile.objects.get(user=learner)
    profile.goal_topics.set([TopicFactory(slug="transformers")])
    data = learner_client.get("/api/v1/me/").json()
    assert data["username"] == "ada"
    assert data["goal_topics"] == ["transformers"]
    assert (data["level"], data["weekly_hours"], data["known_topics"], data["frameworks"]) == ("beginner", 3, [], [])


def test_patch_changes_only_what_is_given_and_takes_slugs(learner_client, learner):
    TopicFactory(slug="cnn")
    TopicFactory(slug="calculus")
    body = {"level": "advanced", "goal_topics": ["cnn"], "known_topics": ["calculus"], "frameworks": ["jax"]}
    data = learner_client.patch("/api/v1/me/", body).json()
    assert (data["level"], data["goal_topics"], data["known_topics"], data["frameworks"]) == (
        "advanced",
        ["cnn"],
        ["calculus"],
        ["jax"],
    )
    assert data["weekly_hours"] == 3
    learner_client.patch("/api/v1/me/", {"weekly_hours": 10})
    profile = LearnerProfile.objects.get(user=learner)
    assert (profile.level, profile.weekly_hours, profile.goal_topics.get().slug) == ("advanced", 10, "cnn")


def test_patch_with_an_unknown_slug_changes_nothing_and_names_the_field(learner_client, learner):
    error = assert_error(learner_client.patch("/api/v1/me/", {"level": "advanced", "goal_topics": ["nope"]}), 400)
    assert error["fields"] == {"goal_topics.0": ["Object with slug=nope does not exist."]}
    assert LearnerProfile.objects.get(user=learner).level == "beginner"


def test_me_reads_a_missing_profile_as_the_defaults_without_creating_it(other_client, other_learner):
    LearnerProfile.objects.filter(user=other_learner).delete()
    body = other_client.get("/api/v1/me/").json()
    assert body["level"] == "beginner"
    assert body["username"] == "grace"
    assert body["goal_topics"] == body["known_topics"] == body["frameworks"] == []
    assert not LearnerProfile.objects.filter(user=other_learner).exists(), "a GET must not write"
    assert other_client.patch("/api/v1/me/", {"weekly_hours": 3}, format="json").status_code == 200
    assert LearnerProfile.objects.get(user=other_learner).weekly_hours == 3
