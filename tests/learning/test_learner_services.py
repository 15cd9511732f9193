import pytest
from django.contrib.auth import get_user_model

from learning.exceptions import LearningError
from learning.models import Framework, Interaction, LearnerProfile, PathEnrollment, Progress, PublicationStatus
from learning.selectors import learner_data_export
from learning.services import (
    account_delete,
    learner_register,
    path_follow,
    path_unfollow,
    profile_update,
    progress_delete,
    progress_record,
)
from tests.factories import LearningPathFactory, ResourceFactory, TopicFactory

pytestmark = pytest.mark.django_db


def test_register_creates_the_account_and_its_profile():
    user = learner_register(username="newbie", email="newbie@example.com", password="a-Long-passphrase-42")
    assert user.check_password("a-Long-passphrase-42")
    assert LearnerProfile.objects.filter(user=user).exists()


def test_register_lists_every_problem_and_creates_nothing(learner):
    with pytest.raises(LearningError) as raised:
        learner_register(username="ADA", email="nope", password="123")
    assert set(raised.value.fields) == {"username", "email", "password"}
    assert get_user_model().objects.count() == 1


def test_profile_update_changes_only_given_fields(learner):
    topic = TopicFactory()
    torch = Framework.objects.get(slug="pytorch")
    profile_update(user=learner, level="advanced", goal_topic_ids=[topic.pk], framework_ids=[torch.pk])
    profile = profile_update(user=learner, weekly_hours=6)
    assert (profile.level, profile.weekly_hours) == ("advanced", 6)
    assert list(profile.goal_topics.all()) == [topic]
    assert list(profile.preferred_frameworks.all()) == [torch]


def test_profile_update_is_all_or_nothing(learner):
    with pytest.raises(LearningError) as raised:
        profile_update(user=learner, level="expert", weekly_hours=200, known_topic_ids=[999_999])
    assert set(raised.value.fields) == {"level", "weekly_hours", "known_topics"}
    profile = LearnerProfile.objects.get(user=learner)
    assert (profile.level, profile.weekly_hours) == ("beginner", 3)


def test_following_is_idempotent_and_needs_a_published_path(learner):
    path = LearningPathFactory()
    path_follow(learner=learner, path=path)
    path_follow(learner=learner, path=path)
    assert PathEnrollment.objects.count() == 1
    assert path_unfollow(learner=learner, path=path)
    with pytest.raises(LearningError):
        path_follow(learner=learner, path=LearningPathFactory(status=PublicationStatus.DRAFT))


def test_progress_delete_keeps_the_event_log(learner):
    resource = ResourceFactory()
    progress_record(learner=learner, resource=resource, status="completed")
    assert progress_delete(learner=learner, resource=resource)
    assert not Progress.objects.exists()
    assert Interaction.objects.filter(learner=learner).exists()


def test_export_holds_only_the_learners_own_data(learner, other_learner):
    mine, theirs = ResourceFactory(slug="mine"), ResourceFactory(slug="theirs")
    progress_record(learner=learner, resource=mine, status="completed", rating=5)
    progress_record(learner=other_learner, resource=theirs, status="completed")
    data = learner_data_export(user=learner)
    assert [p["resource"] for p in data["progress"]] == ["mine"]
    assert {e["resource"] for e in data["events"]} == {"mine"}
    assert data["account"]["username"] == learner.username


def test_account_delete_removes_everything_of_the_learner_only(learner, other_learner):
    resource = ResourceFactory()
    for user in (learner, other_learner):
        progress_record(learner=user, resource=resource, status="completed")
    account_delete(user=learner)
    assert not get_user_model().objects.filter(pk=learner.pk).exists()
    assert Progress.objects.get().learner == other_learner
    assert Interaction.objects.filter(learner=other_learner).exists()


@pytest.mark.parametrize("username", ["has space", "semi;colon", "x" * 151])
def test_register_refuses_malformed_usernames(username):
    with pytest.raises(LearningError) as raised:
        learner_register(username=username, email="a@example.com", password="a-Long-passphrase-42")
    assert list(raised.value.fields) == ["username"]
