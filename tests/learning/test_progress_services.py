from datetime import timedelta

import pytest
from django.utils import timezone

from learning.exceptions import LearningError
from learning.models import Dismissal, Interaction, Progress, PublicationStatus
from learning.services import dismissal_record, dismissal_undo, progress_record
from tests.factories import ProgressFactory, ResourceFactory

pytestmark = pytest.mark.django_db


def _kinds(learner) -> list[str]:
    return list(Interaction.objects.filter(learner=learner).order_by("id").values_list("kind", flat=True))


def test_completing_sets_times_percent_and_logs_events(learner):
    resource = ResourceFactory()
    progress = progress_record(learner=learner, resource=resource, status="completed")
    assert (progress.status, progress.percent) == ("completed", 100)
    assert progress.completed_at is not None
    assert progress.started_at is not None
    assert _kinds(learner) == ["completed"]


def test_recording_the_same_values_twice_changes_nothing(learner):
    resource = ResourceFactory()
    progress_record(learner=learner, resource=resource, status="in_progress", percent=40)
    before = Progress.objects.get().updated_at
    progress_record(learner=learner, resource=resource, status="in_progress", percent=40)
    assert Progress.objects.count() == 1
    assert Progress.objects.get().updated_at == before
    assert _kinds(learner) == ["started", "progressed"]


def test_percent_alone_starts_a_saved_resource(learner):
    resource = ResourceFactory()
    progress_record(learner=learner, resource=resource, status="saved")
    progress = progress_record(learner=learner, resource=resource, percent=30)
    assert progress.status == "in_progress"
    assert _kinds(learner) == ["saved", "progressed", "started"]


def test_rating_needs_a_started_or_finished_resource(learner):
    resource = ResourceFactory()
    with pytest.raises(LearningError, match="before rating"):
        progress_record(learner=learner, resource=resource, rating=4)
    assert not Progress.objects.exists()
    progress_record(learner=learner, resource=resource, status="completed", rating=4)
    assert Progress.objects.get().rating == 4


@pytest.mark.parametrize(("field", "value"), [("status", "finished"), ("percent", 101), ("rating", 0), ("percent", -1)])
def test_invalid_values_are_refused_with_the_field_named(learner, field, value):
    with pytest.raises(LearningError) as raised:
        progress_record(learner=learner, resource=ResourceFactory(), **{field: value})
    assert list(raised.value.fields) == [field]
    assert not Progress.objects.exists()


def test_nothing_to_record_is_refused(learner):
    with pytest.raises(LearningError, match="Nothing to record"):
        progress_record(learner=learner, resource=ResourceFactory())


def test_unpublished_resources_cannot_be_started(learner):
    with pytest.raises(LearningError, match="not available"):
        progress_record(learner=learner, resource=ResourceFactory(status=PublicationStatus.DRAFT), status="saved")


def test_a_stale_offline_change_is_logged_but_does_not_overwrite_newer_state(learner):
    resource = ResourceFactory()
    progress_record(learner=learner, resource=resource, status="completed")
    progress_record(
        learner=learner, resource=resource, status="in_progress", occurred_at=timezone.now() - timedelta(days=2)
    )
    assert Progress.objects.get().status == "completed"
    assert _kinds(learner) == ["completed", "started"]


def test_progress_rows_are_per_learner(learner, other_learner):
    resource = ResourceFactory()
    ProgressFactory(learner=other_learner, resource=resource, status="in_progress", percent=10)
    progress_record(learner=learner, resource=resource, status="completed")
    assert Progress.objects.get(learner=other_learner).status == "in_progress"


def test_dismissing_twice_keeps_one_row_and_updates_the_reason(learner):
    resource = ResourceFactory()
    dismissal_record(learner=learner, resource=resource, reason="too_easy")
    dismissal_record(learner=learner, resource=resource, reason="paywalled")
    assert Dismissal.objects.get().reason == "paywalled"
    assert _kinds(learner) == ["dismissed"]
    assert dismissal_undo(learner=learner, resource=resource)
    assert not Dismissal.objects.exists()


def test_unknown_dismissal_reason_is_refused(learner):
    with pytest.raises(LearningError):
        dismissal_record(learner=learner, resource=ResourceFactory(), reason="boring")
