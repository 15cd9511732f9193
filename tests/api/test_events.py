from datetime import timedelta

import pytest
from django.utils import timezone

from learning.models import Dismissal, Interaction, Progress
from learning.services.sync import SyncEvent, events_sync
from tests.api.conftest import assert_error
from tests.factories import ResourceFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/me/events/"


def _event(client_id: str, resource, kind: str, minutes_ago: int, value=None, **extra) -> dict:
    at = timezone.now() - timedelta(minutes=minutes_ago)
    body = {"client_event_id": client_id, "resource_id": resource.pk, "kind": kind, "occurred_at": at.isoformat()}
    return {**body, "value": value, **extra}


def _outcomes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["outcome"] for item in response.json()["events"]]


def _rows(learner) -> tuple:
    return (
        list(Interaction.objects.filter(learner=learner).order_by("pk").values_list("kind", "client_event_id")),
        list(Progress.objects.filter(learner=learner).values_list("resource_id", "status", "percent", "rating")),
        list(Dismissal.objects.filter(learner=learner).values_list("resource_id", "reason")),
    )


def test_a_batch_applies_each_event_and_reports_applied(learner_client, learner):
    course, video, essay = ResourceFactory(), ResourceFactory(), ResourceFactory()
    batch = [
        _event("e1", course, "viewed", 50),
        _event("e2", course, "started", 40),
        _event("e3", course, "progressed", 30, 60),
        _event("e4", course, "completed", 20),
        _event("e5", course, "rated", 10, 4),
        _event("e6", video, "saved", 5),
        _event("e7", essay, "dismissed", 5, reason="too_easy"),
    ]
    response = learner_client.post(URL, {"events": batch})
    assert _outcomes(response) == ["applied"] * 7
    assert response.json()["applied"] == 7
    progress = Progress.objects.get(learner=learner, resource=course)
    assert (progress.status, progress.percent, progress.rating) == ("completed", 100, 4)
    assert Progress.objects.get(learner=learner, resource=video).status == "saved"
    assert Dismissal.objects.get(learner=learner).reason == "too_easy"
    tagged = set(Interaction.objects.exclude(client_event_id=None).values_list("client_event_id", flat=True))
    assert tagged == {f"e{i}" for i in range(1, 8)}


def test_a_replayed_event_batch_adds_nothing(learner_client, learner):
    course = ResourceFactory()
    batch = [
        _event("a", course, "started", 30),
        _event("b", course, "progressed", 20, 50),
        _event("c", course, "viewed", 10),
    ]
    assert _outcomes(learner_client.post(URL, {"events": batch})) == ["applied"] * 3
    before = _rows(learner)
    replay = learner_client.post(URL, {"events": batch})
    assert _outcomes(replay) == ["duplicate"] * 3
    assert replay.json()["duplicates"] == 3
    assert _rows(learner) == before


def test_a_replay_after_newer_changes_adds_nothing_either(learner_client, learner):
    course = ResourceFactory()
    batch = [_event("old", course, "saved", 60)]
    learner_client.post(URL, {"events": batch})
    learner_client.put(f"/api/v1/me/progress/{course.pk}/", {"status": "completed"})
    before = _rows(learner)
    assert _outcomes(learner_client.post(URL, {"events": batch})) == ["duplicate"]
    assert _rows(learner) == before


def test_the_latest_occurred_at_wins_whatever_the_order_sent(learner_client, learner):
    course = ResourceFactory()
    batch = [_event("late", course, "completed", 5), _event("early", course, "saved", 50)]
    assert _outcomes(learner_client.post(URL, {"events": batch})) == ["applied", "applied"]
    assert Progress.objects.get(learner=learner).status == "completed"


def test_an_older_offline_event_does_not_overwrite_newer_progress(learner_client, learner):
    course = ResourceFactory()
    learner_client.put(f"/api/v1/me/progress/{course.pk}/", {"status": "completed"})
    response = learner_client.post(URL, {"events": [_event("stale", course, "started", 120)]})
    assert _outcomes(response) == ["applied"]
    assert Progress.objects.get(learner=learner).status == "completed"
    assert Interaction.objects.filter(client_event_id="stale").count() == 1


def test_one_bad_event_does_not_sink_the_batch(learner_client, learner):
    course, draft = ResourceFactory(), ResourceFactory(status="draft")
    batch = [
        _event("ok-1", course, "started", 30),
        _event("unknown", course, "started", 25) | {"resource_id": 99_999_999},
        _event("draft", draft, "saved", 20),
        _event("bad-value", course, "rated", 15, 9),
        {"client_event_id": "bad-kind", "resource_id": course.pk, "kind": "shared", "occurred_at": "yesterday"},
        "not an event",
        _event("ok-2", course, "progressed", 10, 70),
    ]
    response = learner_client.post(URL, {"events": batch})
    assert _outcomes(response) == ["applied", "error", "error", "error", "error", "error", "applied"]
    results = response.json()["events"]
    assert results[1]["error"]["code"] == "not_found"
    assert results[2]["error"]["code"] == "not_available"
    assert "value" in results[3]["error"]["fields"]
    assert set(results[4]["error"]["fields"]) == {"kind", "occurred_at"}
    assert results[4]["client_event_id"] == "bad-kind"
    assert results[5]["client_event_id"] is None
    assert response.json()["errors"] == 5
    assert Progress.objects.get(learner=learner).percent == 70
    assert not Interaction.objects.filter(client_event_id__in=["unknown", "draft", "bad-value"]).exists()


def test_a_failed_event_can_be_sent_again_once_it_can_apply(learner_client, learner):
    course = ResourceFactory()
    rate = _event("rate", course, "rated", 5, 5)
    assert _outcomes(learner_client.post(URL, {"events": [rate]})) == ["error"]
    learner_client.post(URL, {"events": [_event("done", course, "completed", 10)]})
    assert _outcomes(learner_client.post(URL, {"events": [rate]})) == ["applied"]
    assert Progress.objects.get(learner=learner).rating == 5


def test_the_same_id_twice_in_one_batch_applies_once(learner_client, learner):
    course = ResourceFactory()
    event = _event("twice", course, "viewed", 5)
    assert _outcomes(learner_client.post(URL, {"events": [event, event]})) == ["applied", "duplicate"]
    assert Interaction.objects.filter(learner=learner).count() == 1


def test_event_ids_belong_to_each_learner(learner_client, other_client, learner, other_learner):
    course = ResourceFactory()
    event = _event("shared-id", course, "viewed", 5)
    assert _outcomes(learner_client.post(URL, {"events": [event]})) == ["applied"]
    assert _outcomes(other_client.post(URL, {"events": [event]})) == ["applied"]


def test_a_clock_ahead_does_not_date_progress_in_the_future(learner_client, learner):
    course = ResourceFactory()
    future = _event("future", course, "saved", -600)
    learner_client.post(URL, {"events": [future]})
    assert Progress.objects.get(learner=learner).updated_at <= timezone.now()
    learner_client.put(f"/api/v1/me/progress/{course.pk}/", {"status": "completed"})
    assert Progress.objects.get(learner=learner).status == "completed"


def test_batches_hold_at_most_500_events(learner_client):
    course = ResourceFactory()
    batch = [_event(f"e{i}", course, "viewed", 1) for i in range(501)]
    assert "events" in assert_error(learner_client.post(URL, {"events": batch}), 400)["fields"]
    assert_error(learner_client.post(URL, {"events": "nope"}), 400)
    assert_error(learner_client.post(URL, {}), 400)


def test_the_sync_service_reports_outcomes_in_the_order_given(learner):
    course = ResourceFactory()
    now = timezone.now()
    events = [
        SyncEvent("second", course.pk, "completed", now - timedelta(minutes=1)),
        SyncEvent("first", course.pk, "started", now - timedelta(minutes=2)),
    ]
    outcomes = events_sync(learner=learner, events=events)
    assert [(o.client_event_id, o.outcome) for o in outcomes] == [("second", "applied"), ("first", "applied")]
    assert [o.outcome for o in events_sync(learner=learner, events=events)] == ["duplicate", "duplicate"]
