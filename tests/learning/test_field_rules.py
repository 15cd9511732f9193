"""Ranges and choices live in the models' fields: the services refuse exactly what the fields refuse, with the
fields' own messages."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from learning.exceptions import LearningError
from learning.models import Dismissal, LearnerProfile, Progress
from learning.models.learners import MAX_WEEKLY_HOURS
from learning.services import dismissal_record, profile_update, progress_record
from learning.services.sync import SyncEvent, events_sync
from tests.factories import ResourceFactory

pytestmark = pytest.mark.django_db


def _field_messages(model: type[models.Model], name: str, value: object) -> list[str]:
    with pytest.raises(ValidationError) as refused:
        model._meta.get_field(name).clean(value, None)  # type: ignore[union-attr]
    return refused.value.messages


@pytest.mark.parametrize(("name", "value"), [("status", "finished"), ("percent", 101), ("rating", 6), ("rating", 0)])
def test_progress_is_refused_with_the_model_fields_messages(learner, name, value):
    with pytest.raises(LearningError) as raised:
        progress_record(learner=learner, resource=ResourceFactory(), **{name: value})
    assert raised.value.fields == {name: _field_messages(Progress, name, value)}
    assert not Progress.objects.exists()


@pytest.mark.parametrize(
    ("name", "value"), [("weekly_hours", MAX_WEEKLY_HOURS + 1), ("weekly_hours", 0), ("level", "guru")]
)
def test_profile_update_is_refused_with_the_model_fields_messages(learner, name, value):
    with pytest.raises(LearningError) as raised:
        profile_update(user=learner, **{name: value})
    assert raised.value.fields == {name: _field_messages(LearnerProfile, name, value)}


@pytest.mark.parametrize("value", [True, 2.5, "3"])
def test_a_whole_number_field_takes_only_whole_numbers(learner, value):
    with pytest.raises(LearningError) as raised:
        profile_update(user=learner, weekly_hours=value)
    assert list(raised.value.fields) == ["weekly_hours"]
    profile_update(user=learner, weekly_hours=MAX_WEEKLY_HOURS)
    assert LearnerProfile.objects.get(user=learner).weekly_hours == MAX_WEEKLY_HOURS


def test_a_dismissal_reason_is_checked_by_its_field(learner):
    with pytest.raises(LearningError) as raised:
        dismissal_record(learner=learner, resource=ResourceFactory(), reason="meh")
    assert raised.value.fields == {"reason": _field_messages(Dismissal, "reason", "meh")}
    assert not Dismissal.objects.exists()


@pytest.mark.parametrize(("kind", "value", "field"), [("progressed", 140, "percent"), ("rated", 9, "rating")])
def test_an_offline_event_value_is_checked_by_the_field_it_sets(learner, kind, value, field):
    event = SyncEvent("e1", ResourceFactory().pk, kind, timezone.now() - timedelta(minutes=1), value=value)
    [outcome] = events_sync(learner=learner, events=[event])
    assert (outcome.outcome, outcome.fields) == ("error", {"value": _field_messages(Progress, field, value)})
    assert not Progress.objects.exists()
