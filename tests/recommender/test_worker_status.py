"""The model-versions page shows whether a worker is taking tasks, what is queued and running, the last run, and
its metrics as a table; "Retrain now" says plainly when no worker runs and how to start one."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from recommender.models import ModelVersion
from recommender.tasks import train_recommender_task
from recommender.worker import HEARTBEAT_TASK_PATH, heartbeat_ensure, worker_status

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, staff_user):
    client.force_login(staff_user)
    return client


def changelist(client) -> str:
    response = client.get(reverse("admin:recommender_modelversion_changelist"))
    assert response.status_code == 200
    return response.content.decode()


def test_without_a_worker_the_page_and_retrain_now_say_how_to_start_one(
    admin_client, django_capture_on_commit_callbacks
):
    page = changelist(admin_client)
    assert 'id="no-worker"' in page
    assert "make worker" in page
    assert "Never seen." in page

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("admin:recommender_modelversion_retrain"))

    texts = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("No worker has been seen in the last minute" in text and "make worker" in text for text in texts)
    page = changelist(admin_client)
    assert "1 task queued: train_recommender_task" in page


# A real db_worker closes connections it finds inside a transaction (PostgreSQL): this test commits for real.
@pytest.mark.django_db(transaction=True)
def test_the_page_queues_one_heartbeat_and_a_real_worker_run_shows_the_worker_alive(
    admin_client, django_capture_on_commit_callbacks
):
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):  # tasks are queued when the request commits
            changelist(admin_client)
    assert DBTaskResult.objects.filter(task_path=HEARTBEAT_TASK_PATH).count() == 1
    assert not worker_status().alive

    with django_capture_on_commit_callbacks(execute=True):
        call_command("db_worker", batch=True, startup_delay=False, verbosity=0)

    status = worker_status()
    assert status.alive
    assert timezone.now() - status.last_seen < timedelta(seconds=30)
    waiting = DBTaskResult.objects.filter(task_path=HEARTBEAT_TASK_PATH, status=TaskResultStatus.READY).get()
    assert waiting.run_after > timezone.now(), "the next heartbeat waits its turn"
    page = changelist(admin_client)
    assert "Worker: running." in page
    assert 'id="no-worker"' not in page
    assert "0 tasks queued" in page, "heartbeats are not listed as work"


def test_a_worker_last_seen_over_a_minute_ago_is_not_running(admin_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        heartbeat_ensure()
    DBTaskResult.objects.update(
        status=TaskResultStatus.SUCCESSFUL,
        started_at=timezone.now() - timedelta(minutes=2),
        finished_at=timezone.now() - timedelta(seconds=90),
    )
    assert not worker_status().alive
    assert 'id="no-worker"' in changelist(admin_client)


def test_running_tasks_and_the_last_runs_outcome_and_duration_are_shown(
    admin_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        train_recommender_task.enqueue(run_id=1)
    result = DBTaskResult.objects.get()
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now(), worker_ids=["worker-7"]
    )
    finished = timezone.now() - timedelta(minutes=5)
    ModelVersion.objects.create(
        version="v-test",
        status=ModelVersion.Status.REJECTED,
        started_at=finished - timedelta(seconds=42),
        finished_at=finished,
        reason="did not beat popularity",
    )

    status = worker_status()

    assert [task.name for task in status.running] == ["train_recommender_task"]
    assert status.last_run_seconds == pytest.approx(42)
    page = changelist(admin_client)
    assert "Running: train_recommender_task" in page
    assert "worker-7" in page
    assert "Worker: running." in page, "a task started in the last minute shows a live worker"
    assert "after 42.0 s" in page
    assert "did not beat popularity" in page


def test_a_versions_metrics_show_as_a_table_with_the_learned_blend(admin_client):
    run = ModelVersion.objects.create(
        version="v-metrics",
        algorithm="hybrid",
        status=ModelVersion.Status.ACTIVE,
        metrics={"hybrid": {"hr": 0.52, "ndcg": 0.31}, "popularity": {"hr": 0.2, "ndcg": 0.11}},
        parameters={"learned": {"learned": True, "weights": {"cf": 0.6, "popularity": 0.4}, "validation": {}}},
    )

    page = admin_client.get(reverse("admin:recommender_modelversion_change", args=[run.pk])).content.decode()

    assert "<th>HR@10</th><th>NDCG@10</th>" in page
    assert "<tr><td>hybrid</td><td>0.52</td><td>0.31</td></tr>" in page
    assert "<tr><td>popularity</td><td>0.2</td><td>0.11</td></tr>" in page
    assert "<tr><td>cf</td><td>0.6</td></tr>" in page
    assert "&quot;ndcg&quot;" not in page, "no raw JSON of the metrics"
    listing = changelist(admin_client)
    assert "0.31" in listing
