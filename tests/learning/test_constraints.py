"""The database itself refuses rows that break the domain's rules, whatever code writes them."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from learning.models import Dismissal, DismissalReason, Interaction, Progress, ProgressStatus, TopicPrerequisite
from tests.factories import (
    InteractionFactory,
    LearningPathFactory,
    PathStepFactory,
    ProgressFactory,
    ResourceFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


def test_second_progress_row_for_same_learner_and_resource_is_refused(learner):
    progress = ProgressFactory(learner=learner)

    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressFactory(learner=learner, resource=progress.resource)

    assert Progress.objects.filter(learner=learner).count() == 1


def test_progress_of_two_learners_on_the_same_resource_is_allowed(learner, other_learner):
    progress = ProgressFactory(learner=learner)

    ProgressFactory(learner=other_learner, resource=progress.resource)

    assert Progress.objects.filter(resource=progress.resource).count() == 2


def test_progress_percent_above_100_is_refused(learner):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressFactory(learner=learner, percent=101)


def test_progress_percent_100_is_allowed(learner):
    assert ProgressFactory(learner=learner, percent=100).pk is not None


@pytest.mark.parametrize("rating", [0, 6])
def test_progress_rating_outside_1_to_5_is_refused(learner, rating):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressFactory(learner=learner, rating=rating)


@pytest.mark.parametrize("rating", [None, 1, 5])
def test_progress_rating_between_1_and_5_or_empty_is_allowed(learner, rating):
    assert ProgressFactory(learner=learner, rating=rating).pk is not None


def test_completed_progress_without_completed_at_is_refused(learner):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressFactory(learner=learner, status=ProgressStatus.COMPLETED, percent=100, completed_at=None)


def test_completed_progress_with_completed_at_is_allowed(learner):
    progress = ProgressFactory(
        learner=learner, status=ProgressStatus.COMPLETED, percent=100, completed_at=timezone.now()
    )

    assert progress.pk is not None


def test_two_steps_at_the_same_position_of_a_path_are_refused():
    step = PathStepFactory(position=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        PathStepFactory(path=step.path, position=1)


def test_the_same_resource_twice_in_a_path_is_refused():
    step = PathStepFactory(position=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        PathStepFactory(path=step.path, resource=step.resource, position=2)


def test_the_same_resource_on_two_paths_is_allowed():
    step = PathStepFactory(position=1)

    other = PathStepFactory(path=LearningPathFactory(), resource=step.resource, position=1)

    assert other.pk is not None


def test_topic_prerequisite_self_edge_is_refused_by_the_check_constraint():
    topic = TopicFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        TopicPrerequisite.objects.create(topic=topic, prerequisite=topic)

    assert not TopicPrerequisite.objects.exists()


def test_the_same_topic_prerequisite_edge_twice_is_refused():
    topic, prerequisite = TopicFactory(), TopicFactory()
    TopicPrerequisite.objects.create(topic=topic, prerequisite=prerequisite)

    with pytest.raises(IntegrityError), transaction.atomic():
        TopicPrerequisite.objects.create(topic=topic, prerequisite=prerequisite)


def test_client_event_id_is_unique_per_learner(learner):
    InteractionFactory(learner=learner, client_event_id="event-1")

    with pytest.raises(IntegrityError), transaction.atomic():
        InteractionFactory(learner=learner, client_event_id="event-1")

    assert Interaction.objects.filter(learner=learner).count() == 1


def test_the_same_client_event_id_for_two_learners_is_allowed(learner, other_learner):
    InteractionFactory(learner=learner, client_event_id="event-1")
    InteractionFactory(learner=other_learner, client_event_id="event-1")

    assert Interaction.objects.filter(client_event_id="event-1").count() == 2


def test_many_interactions_without_client_event_id_are_allowed(learner):
    resource = ResourceFactory()
    for _ in range(3):
        InteractionFactory(learner=learner, resource=resource, client_event_id=None)

    assert Interaction.objects.filter(learner=learner, client_event_id__isnull=True).count() == 3


def test_saving_an_existing_interaction_raises_value_error(learner):
    interaction = InteractionFactory(learner=learner, value=1.0)
    interaction.value = 5.0

    with pytest.raises(ValueError, match="append-only"):
        interaction.save()

    assert Interaction.objects.get(pk=interaction.pk).value == 1.0


def test_resource_url_is_unique():
    ResourceFactory(url="https://example.com/same")

    with pytest.raises(IntegrityError), transaction.atomic():
        ResourceFactory(url="https://example.com/same")


def test_resource_slug_is_unique():
    ResourceFactory(slug="same-slug")

    with pytest.raises(IntegrityError), transaction.atomic():
        ResourceFactory(slug="same-slug")


def test_resource_estimated_minutes_of_zero_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        ResourceFactory(estimated_minutes=0)


def test_resource_with_an_unknown_kind_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        ResourceFactory(kind="podcast")


def test_second_dismissal_of_a_resource_by_the_same_learner_is_refused(learner):
    resource = ResourceFactory()
    Dismissal.objects.create(learner=learner, resource=resource, reason=DismissalReason.TOO_EASY)

    with pytest.raises(IntegrityError), transaction.atomic():
        Dismissal.objects.create(learner=learner, resource=resource, reason=DismissalReason.OTHER)

    assert Dismissal.objects.filter(learner=learner).count() == 1


def test_two_learners_may_dismiss_the_same_resource(learner, other_learner):
    resource = ResourceFactory()
    for user in (learner, other_learner):
        Dismissal.objects.create(learner=user, resource=resource, reason=DismissalReason.NOT_RELEVANT)

    assert Dismissal.objects.filter(resource=resource).count() == 2
