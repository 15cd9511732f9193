"""The offline sync's write path: its query count does not grow with the batch, one retrain check per request,
and the bulk path leaves the same rows as recording each change on its own."""

from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from learning.models import Dismissal, Interaction, Progress
from learning.services import progress_record
from learning.services.sync import SyncEvent, events_sync
from recommender import retraining
from tests.api.conftest import client_for, make_learner
from tests.factories import ResourceFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/me/events/"
KINDS = ["viewed", "saved", "started", "progressed", "completed", "rated", "skipped"]


def _batch(resources, size: int, prefix: str) -> list[dict]:
    start = timezone.now() - timedelta(hours=1)
    events = []
    for index in range(size):
        kind = KINDS[index % len(KINDS)]
        value = {"progressed": index % 100, "rated": index % 5 + 1}.get(kind)
        events.append(
            {
                "client_event_id": f"{prefix}-{index}",
                "resource_id": resources[index % len(resources)].pk,
                "kind": kind,
                "occurred_at": (start + timedelta(seconds=index)).isoformat(),
                "value": value,
            }
        )
    return events


def _queries_for(size: int, resources) -> tuple[int, int, int]:
    """(queries, queries other than inserts, events applied) of one sync through the API."""
    client = client_for(make_learner(f"bulk-{size}"))
    with CaptureQueriesContext(connection) as captured:
        response = client.post(URL, {"events": _batch(resources, size, f"b{size}")}, format="json")
    assert response.status_code == 200, response.content
    others = [query for query in captured.captured_queries if not query["sql"].startswith("INSERT")]
    return len(captured), len(others), response.json()["applied"]


def test_a_500_event_sync_costs_a_bounded_number_of_queries(settings):
    settings.DEEPPATH_RETRAIN_AFTER_INTERACTIONS = 0
    resources = [ResourceFactory() for _ in range(60)]
    _, small_others, _ = _queries_for(20, resources)
    large, large_others, applied = _queries_for(500, resources)
    assert applied > 400  # ratings before a start are refused: the rest apply
    assert large <= 20, f"{large} queries for 500 events"
    # Only the bulk inserts (500 rows a statement) grow with the batch.
    assert large_others == small_others


def test_a_sync_checks_for_a_retraining_once_per_request(monkeypatch, django_capture_on_commit_callbacks):
    calls = []
    monkeypatch.setattr(retraining, "retrain_if_due", lambda: calls.append(1))
    resources = [ResourceFactory() for _ in range(10)]
    client = client_for(make_learner("checked"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"events": _batch(resources, 200, "c")}, format="json")
    assert response.status_code == 200, response.content
    assert calls == [1]


def test_the_bulk_sync_leaves_the_rows_that_recording_each_change_leaves():
    resources = [ResourceFactory() for _ in range(6)]
    batch = [
        SyncEvent(
            client_event_id=item["client_event_id"],
            resource_id=item["resource_id"],
            kind=item["kind"],
            occurred_at=timezone.datetime.fromisoformat(item["occurred_at"]),
            value=item["value"],
        )
        for item in _batch(resources, 60, "same")
    ]
    bulk, one_by_one = make_learner("bulk"), make_learner("single")
    outcomes = events_sync(learner=bulk, events=batch)
    for event, outcome in zip(batch, outcomes, strict=True):
        resource = next(r for r in resources if r.pk == event.resource_id)
        change = {
            "started": {"status": "in_progress"},
            "saved": {"status": "saved"},
            "skipped": {"status": "skipped"},
            "completed": {"status": "completed"},
            "progressed": {"percent": int(event.value or 0)},
            "rated": {"rating": int(event.value or 0)},
        }.get(event.kind)
        if change is None or outcome.outcome != "applied":
            continue
        progress_record(learner=one_by_one, resource=resource, occurred_at=event.occurred_at, **change)

    def rows(learner):
        fields = ("resource_id", "status", "percent", "rating", "started_at", "completed_at", "updated_at")
        return sorted(Progress.objects.filter(learner=learner).values_list(*fields))

    def events(learner):
        return Interaction.objects.filter(learner=learner).values_list("resource_id", "kind", "value")

    assert rows(bulk) == rows(one_by_one)
    # The sync logs the same events, plus the event itself where it changed nothing (a view, a repeated start).
    assert not Counter(events(one_by_one)) - Counter(events(bulk))
    applied = [o.client_event_id for o in outcomes if o.outcome == "applied"]
    tagged = Interaction.objects.filter(learner=bulk, client_event_id__isnull=False)
    assert sorted(tagged.values_list("client_event_id", flat=True)) == sorted(applied)
    assert not Dismissal.objects.exists()
    refused = [o for o in outcomes if o.outcome == "error"]
    assert all(o.code == "not_rateable" for o in refused)
