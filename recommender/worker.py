"""Is a background worker running? What is queued, what runs, how did the last training end?

A `db_worker` process leaves no trace of its own while it waits for work, so the heartbeat is a task: a small
`worker_heartbeat_task` that, when a worker runs it, queues the next one HEARTBEAT_EVERY later. A worker is "seen"
when any task (a heartbeat or real work) started or finished in the last SEEN_WITHIN. This reflects what matters
to a curator pressing "Retrain now": a worker is taking tasks from this database's queue, not merely that some
process exists. While the only worker is busy with a long task its heartbeat waits; the running task is shown then.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Max
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from recommender.models import ModelVersion

HEARTBEAT_EVERY = timedelta(seconds=20)
SEEN_WITHIN = timedelta(minutes=1)
HEARTBEAT_TASK_PATH = "recommender.worker.worker_heartbeat_task"
KEEP_HEARTBEATS = timedelta(hours=1)
LISTED = 10


@dataclass(frozen=True)
class TaskRow:
    name: str  # the task's function name, such as train_recommender_task
    status: str
    enqueued_at: datetime
    started_at: datetime | None
    worker: str


@dataclass(frozen=True)
class WorkerStatus:
    last_seen: datetime | None  # when a worker last started or finished a task
    alive: bool  # seen within SEEN_WITHIN
    queued: list[TaskRow]  # waiting for a worker (heartbeats left out)
    queued_total: int
    running: list[TaskRow]
    last_run: ModelVersion | None  # the newest finished training run
    last_run_seconds: float | None


def _row(result: DBTaskResult) -> TaskRow:
    workers = result.worker_ids or []
    return TaskRow(
        name=result.task_path.rsplit(".", 1)[-1],
        status=result.get_status_display(),
        enqueued_at=result.enqueued_at,
        started_at=result.started_at,
        worker=workers[-1] if workers else "",
    )


def worker_status() -> WorkerStatus:
    """A fixed number of queries, however long the queue."""
    now = timezone.now()
    seen = DBTaskResult.objects.aggregate(started=Max("started_at"), finished=Max("finished_at"))
    last_seen = max((moment for moment in seen.values() if moment is not None), default=None)
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY).exclude(task_path=HEARTBEAT_TASK_PATH)
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).exclude(task_path=HEARTBEAT_TASK_PATH)
    finished = ModelVersion.objects.exclude(finished_at=None).order_by("-finished_at", "-id").first()
    seconds = None
    if finished is not None and finished.started_at is not None and finished.finished_at is not None:
        seconds = (finished.finished_at - finished.started_at).total_seconds()
    return WorkerStatus(
        last_seen=last_seen,
        alive=last_seen is not None and now - last_seen <= SEEN_WITHIN,
        queued=[_row(result) for result in waiting.order_by("enqueued_at")[:LISTED]],
        queued_total=waiting.count(),
        running=[_row(result) for result in running.order_by("started_at")[:LISTED]],
        last_run=finished,
        last_run_seconds=seconds,
    )


def _database_backend() -> bool:
    """Heartbeats only mean something with the database backend `db_worker` serves (an immediate backend would
    run each next heartbeat at once, forever)."""
    return isinstance(worker_heartbeat_task.get_backend(), DatabaseBackend)


def heartbeat_ensure() -> bool:
    """Queue a heartbeat unless one is already waiting or running; returns whether one was queued. Called when a
    worker starts (`make worker`) and when the model-versions page opens, so a broken chain mends itself."""
    if not _database_backend():
        return False
    pending = DBTaskResult.objects.filter(
        task_path=HEARTBEAT_TASK_PATH, status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
    )
    if pending.exists():
        return False
    worker_heartbeat_task.enqueue()
    return True


def heartbeat_beat() -> None:
    """Run by a worker: queue the next heartbeat and forget old ones (three a minute would pile up)."""
    if not _database_backend():
        return
    now = timezone.now()
    DBTaskResult.objects.filter(
        task_path=HEARTBEAT_TASK_PATH, status=TaskResultStatus.SUCCESSFUL, finished_at__lt=now - KEEP_HEARTBEATS
    ).delete()
    waiting = DBTaskResult.objects.filter(task_path=HEARTBEAT_TASK_PATH, status=TaskResultStatus.READY)
    if not waiting.exists():
        worker_heartbeat_task.using(run_after=now + HEARTBEAT_EVERY).enqueue()


@task()
def worker_heartbeat_task() -> None:
    """Shows the admin a worker is taking tasks; queues the next heartbeat (it lives here, beside what reads it)."""
    heartbeat_beat()
