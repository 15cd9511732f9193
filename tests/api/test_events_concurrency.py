import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from learning.models import Interaction
from tests.api.conftest import client_for, make_learner
from tests.factories import ResourceFactory

COPIES = 30
EVENTS = 10


@pytest.mark.django_db(transaction=True)
def test_concurrent_copies_of_one_batch_apply_each_event_exactly_once():
    if connection.vendor != "postgresql":
        pytest.skip("needs real concurrent writers: run with DATABASE_URL=postgres://... (SQLite serialises them)")
    learner = make_learner("retrier")
    resources = [ResourceFactory() for _ in range(EVENTS)]
    at = (timezone.now() - timedelta(hours=1)).isoformat()
    kinds = ["saved", "started", "completed", "viewed", "skipped"]
    batch = [
        {"client_event_id": f"e{i}", "resource_id": r.pk, "kind": kinds[i % len(kinds)], "occurred_at": at}
        for i, r in enumerate(resources)
    ]
    clients = [client_for(learner) for _ in range(COPIES)]
    start = threading.Barrier(COPIES)
    answers: list = []

    def send(client) -> None:
        try:
            start.wait()
            answers.append(client.post("/api/v1/me/events/", {"events": batch}, format="json"))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(answer.status_code for answer in answers) == [200] * COPIES
    outcomes = [(item["client_event_id"], item["outcome"]) for a in answers for item in a.json()["events"]]
    applied = Counter(event_id for event_id, outcome in outcomes if outcome == "applied")
    assert applied == Counter({f"e{i}": 1 for i in range(EVENTS)})
    assert Counter(outcome for _, outcome in outcomes) == {"applied": EVENTS, "duplicate": EVENTS * (COPIES - 1)}
    stored = Interaction.objects.filter(learner=learner).exclude(client_event_id=None)
    assert sorted(stored.values_list("client_event_id", flat=True)) == sorted(f"e{i}" for i in range(EVENTS))
