"""The shared-fixture machinery (tests/snapshots.py) gives later tests exactly the rows the real build wrote."""

import pytest
from django.conf import settings
from django.db import transaction

from learning.models import LearningPath, Resource, Topic
from learning.services import catalog_import_file
from tests import snapshots
from tests.factories import TopicFactory

pytestmark = pytest.mark.django_db


def _state() -> dict:
    return {
        model.__name__: sorted(model.objects.values_list())
        for model in (Topic, Resource, LearningPath, Resource.topics.through)
    }


def _build_then_forget(make) -> tuple[snapshots.Snapshot, dict]:
    with transaction.atomic():
        recorded = snapshots.build(make)
        built = _state()
        transaction.set_rollback(True)
    return recorded, built


def test_restoring_gives_back_the_rows_the_import_wrote_with_their_timestamps():
    recorded, built = _build_then_forget(lambda: catalog_import_file(path=settings.DEEPPATH_CATALOG_FILE))
    assert Topic.objects.count() == 0
    assert snapshots.restore(recorded)
    assert _state() == built
    assert min(Topic.objects.values_list("pk", flat=True)) > snapshots.ID_FLOOR


def test_rows_made_after_a_restore_get_fresh_ids():
    recorded, _ = _build_then_forget(lambda: TopicFactory(slug="recorded"))
    assert snapshots.restore(recorded)
    assert TopicFactory(slug="later").pk > Topic.objects.get(slug="recorded").pk


def test_a_restore_that_would_collide_writes_nothing_and_says_so():
    recorded, _ = _build_then_forget(lambda: TopicFactory(slug="recorded", name="Recorded"))
    TopicFactory(slug="recorded", name="Made by the test first")
    assert not snapshots.restore(recorded)
    assert list(Topic.objects.values_list("name", flat=True)) == ["Made by the test first"]
