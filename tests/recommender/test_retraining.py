"""Queuing background retraining: at most one run queued or running at a time."""

import pytest
from django_tasks_db.models import DBTaskResult

from recommender.models import ModelVersion
from recommender.retraining import training_enqueue_unless_in_flight

pytestmark = pytest.mark.django_db


def test_a_second_request_while_a_run_is_queued_queues_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = training_enqueue_unless_in_flight(trigger=ModelVersion.Trigger.ADMIN)
        second = training_enqueue_unless_in_flight(trigger=ModelVersion.Trigger.ADMIN)
    assert first is not None
    assert first.status == ModelVersion.Status.QUEUED
    assert second is None
    assert ModelVersion.objects.count() == 1
    assert DBTaskResult.objects.count() == 1


def test_a_finished_run_does_not_block_the_next(django_capture_on_commit_callbacks):
    ModelVersion.objects.create(trigger=ModelVersion.Trigger.ADMIN, status=ModelVersion.Status.ACTIVE)
    assert training_enqueue_unless_in_flight(trigger=ModelVersion.Trigger.ADMIN) is not None
