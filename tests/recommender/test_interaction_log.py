"""The incremental columnar copy of the interaction log: appended from its high-water mark, checked against the
database on every read, rebuilt when it does not match."""

import gzip
import json
from datetime import timedelta

import numpy as np
import pytest
from django.core.management import call_command
from django.utils import timezone

from learning.models import Interaction
from recommender.data.events import FOLDER, _read_columns, interaction_snapshot
from tests.api.conftest import make_learner
from tests.factories import ResourceFactory

pytestmark = pytest.mark.django_db


def _log(learner, resources, count: int, age: timedelta) -> None:
    at = timezone.now() - age
    Interaction.objects.bulk_create(
        Interaction(
            learner=learner, resource=resources[i % len(resources)], kind="started", occurred_at=at, received_at=at
        )
        for i in range(count)
    )


def _as_rows(snapshot) -> list[tuple]:
    return sorted(
        zip(
            snapshot.learner_ids.tolist(),
            snapshot.resource_ids.tolist(),
            snapshot.kinds.tolist(),
            snapshot.times.tolist(),
            strict=True,
        )
    )


def _direct(until) -> list[tuple]:
    columns = _read_columns(after_id=0, received_until=until)
    from learning.models import InteractionKind

    kinds = np.asarray(InteractionKind.values)[columns["kind_codes"]].tolist()
    return sorted(
        zip(
            columns["learner_ids"].tolist(),
            columns["resource_ids"].tolist(),
            kinds,
            columns["times"].tolist(),
            strict=True,
        )
    )


def _manifest(settings) -> dict:
    return json.loads((settings.DEEPPATH_MODEL_DIR / FOLDER / "manifest.json").read_text())


def test_each_read_appends_only_the_settled_new_events_and_equals_a_full_read(settings):
    resources = [ResourceFactory() for _ in range(4)]
    ada, bo = make_learner("ada"), make_learner("bo")
    _log(ada, resources, 30, timedelta(hours=2))
    first = interaction_snapshot(until=timezone.now())
    assert (len(first), _manifest(settings)["rows"]) == (30, 30)
    _log(bo, resources, 12, timedelta(hours=1))
    _log(bo, resources, 5, timedelta(seconds=5))  # too recent to copy: read, not stored
    until = timezone.now()
    second = interaction_snapshot(until=until)
    assert _as_rows(second) == _direct(until)
    manifest = _manifest(settings)
    assert (manifest["rows"], len(manifest["parts"])) == (42, 2)
    assert len(second) == 47


def test_the_copy_is_rebuilt_when_the_database_lost_events_or_the_copy_is_damaged(settings):
    resources = [ResourceFactory() for _ in range(3)]
    ada, bo = make_learner("ada"), make_learner("bo")
    _log(ada, resources, 10, timedelta(hours=2))
    _log(bo, resources, 10, timedelta(hours=2))
    interaction_snapshot(until=timezone.now())
    bo.delete()  # an account deleted with its events: they must not live on in the copy
    until = timezone.now()
    assert _as_rows(interaction_snapshot(until=until)) == _direct(until)
    assert set(interaction_snapshot(until=until).learner_ids.tolist()) == {ada.pk}
    (settings.DEEPPATH_MODEL_DIR / FOLDER / "manifest.json").write_text("{not json")
    assert _as_rows(interaction_snapshot(until=until)) == _direct(until)
    assert _manifest(settings)["rows"] == 10


def test_export_interactions_writes_the_log_as_csv(settings, tmp_path):
    resources = [ResourceFactory() for _ in range(2)]
    _log(make_learner("ada"), resources, 4, timedelta(hours=1))
    call_command("export_interactions", str(tmp_path / "log.csv.gz"))
    with gzip.open(tmp_path / "log.csv.gz", "rt") as stream:
        lines = stream.read().splitlines()
    assert lines[0] == "learner_id,resource_id,kind,value,occurred_at_epoch"
    assert len(lines) == 5
    assert all(line.split(",")[2] == "started" for line in lines[1:])


def test_event_times_read_as_the_same_epoch_seconds_on_older_sqlite_libraries(monkeypatch):
    """unixepoch() needs SQLite 3.38; older libraries read the same seconds through strftime."""
    learner, resources = make_learner("ada"), [ResourceFactory()]
    _log(learner, resources, 3, timedelta(days=2, microseconds=999_999))
    Interaction.objects.update(occurred_at=timezone.now() - timedelta(hours=5, microseconds=500_000))
    until = timezone.now()
    current = _read_columns(after_id=0, received_until=until)
    from django.db import connection

    if connection.vendor == "sqlite":
        monkeypatch.setattr("sqlite3.sqlite_version_info", (3, 37, 2))
    older = _read_columns(after_id=0, received_until=until)
    expected = int((Interaction.objects.first().occurred_at).timestamp())
    assert current["times"].tolist() == older["times"].tolist()
    assert abs(current["times"][0] - expected) <= 1
