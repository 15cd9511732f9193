import threading

import pytest
from django.db import connection, connections

from learning.models import Progress
from tests.api.conftest import client_for, make_learner
from tests.factories import ResourceFactory

CONCURRENT = 20


@pytest.mark.django_db(transaction=True)
def test_concurrent_puts_on_the_same_progress_leave_one_row_and_no_server_error(migration_rows):
    if connection.vendor != "postgresql":
        pytest.skip("needs real concurrent writers: run with DATABASE_URL=postgres://... (SQLite serialises them)")
    learner = make_learner("racer")
    resource = ResourceFactory()
    clients = [client_for(learner) for _ in range(CONCURRENT)]
    start = threading.Barrier(CONCURRENT)
    statuses: list[int] = []

    def put(client, index: int) -> None:
        try:
            start.wait()
            body = {"status": "in_progress", "percent": index * 5}
            statuses.append(client.put(f"/api/v1/me/progress/{resource.pk}/", body, format="json").status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=put, args=(client, i)) for i, client in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == [200] * CONCURRENT
    assert Progress.objects.filter(learner=learner, resource=resource).count() == 1
