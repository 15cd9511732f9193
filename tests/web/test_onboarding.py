import pytest

from learning.models import Framework, LearnerProfile, PathEnrollment
from tests.factories import LearningPathFactory

pytestmark = pytest.mark.django_db


def _answers(graph, **overrides):
    basics, networks, backprop = graph["topics"]
    data = {
        "level": "intermediate",
        "goal_paths": [graph["path"].pk],
        "goal_topics": [backprop.pk],
        "frameworks": [Framework.objects.get(slug="pytorch").pk],
        "weekly_hours": "6",
        "known_topics": [basics.pk],
    }
    data.update(overrides)
    return data


def test_onboarding_needs_a_login(client):
    assert client.get("/onboarding/")["Location"] == "/accounts/login/?next=/onboarding/"


def test_onboarding_asks_level_goals_frameworks_hours_and_known_topics(learner_client, graph):
    page = learner_client.get("/onboarding/").content.decode()
    for name in ("level", "goal_paths", "goal_topics", "frameworks", "weekly_hours", "known_topics"):
        assert f'name="{name}"' in page
    assert "Foundations" in page
    assert "Backprop" in page
    assert "PyTorch" in page
    assert "Skip for now" in page


def test_saving_onboarding_sets_the_profile_and_follows_the_goal_paths(learner_client, learner, graph):
    response = learner_client.post("/onboarding/", _answers(graph))
    assert response["Location"] == "/dashboard/"
    profile = LearnerProfile.objects.get(user=learner)
    assert profile.onboarded
    assert (profile.level, profile.weekly_hours) == ("intermediate", 6)
    assert [t.slug for t in profile.goal_topics.all()] == ["backprop"]
    assert [t.slug for t in profile.known_topics.all()] == ["basics"]
    assert [f.slug for f in profile.preferred_frameworks.all()] == ["pytorch"]
    assert PathEnrollment.objects.filter(learner=learner, path=graph["path"]).exists()


def test_onboarding_can_be_edited_later_and_unchecking_a_path_unfollows_it(learner_client, learner, graph):
    learner_client.post("/onboarding/", _answers(graph))
    page = learner_client.get("/onboarding/").content.decode()
    assert "Your learning profile" in page
    assert f'value="{graph["path"].pk}"' in page
    assert "checked" in page
    other = LearningPathFactory(title="Another path")
    learner_client.post("/onboarding/", _answers(graph, goal_paths=[other.pk], weekly_hours="2"))
    assert list(PathEnrollment.objects.filter(learner=learner).values_list("path__title", flat=True)) == [
        "Another path"
    ]
    assert LearnerProfile.objects.get(user=learner).weekly_hours == 2


def test_skipping_onboarding_marks_it_done_and_changes_nothing_else(learner_client, learner, graph):
    response = learner_client.post("/onboarding/", {"skip": "1", "weekly_hours": "999"})
    assert response["Location"] == "/dashboard/"
    profile = LearnerProfile.objects.get(user=learner)
    assert profile.onboarded
    assert profile.weekly_hours == 3
    assert not PathEnrollment.objects.filter(learner=learner).exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("weekly_hours", "0"),
        ("weekly_hours", "81"),
        ("weekly_hours", "lots"),
        ("level", "guru"),
        ("known_topics", "999"),
    ],
)
def test_bad_onboarding_answers_show_field_errors_and_save_nothing(learner_client, learner, graph, field, value):
    response = learner_client.post("/onboarding/", _answers(graph, **{field: value}))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not LearnerProfile.objects.get(user=learner).onboarded
    assert not PathEnrollment.objects.filter(learner=learner).exists()


def test_onboarding_changes_only_the_learners_own_profile(learner_client, other_learner, graph):
    learner_client.post("/onboarding/", _answers(graph))
    other = LearnerProfile.objects.get(user=other_learner)
    assert not other.onboarded
    assert not other.known_topics.exists()
    assert not PathEnrollment.objects.filter(learner=other_learner).exists()


def test_onboarding_page_stays_within_the_query_budget(learner_client, catalog, django_assert_max_num_queries):
    with django_assert_max_num_queries(15):
        assert learner_client.get("/onboarding/").status_code == 200
