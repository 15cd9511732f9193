"""Background retraining through django-tasks (the database backend; `manage.py db_worker` runs it)."""

from django_tasks import task

from recommender.models import ModelVersion


@task()
def train_recommender_task(run_id: int) -> dict:
    """Run a queued training; the outcome is recorded on its ModelVersion row whatever happens."""
    # Imported when a worker runs it: the admin imports this module at start-up (to queue the task), and training
    # would bring scikit-learn with it, about a second of every process start, commands included.
    from recommender.services import recommender_train

    run = ModelVersion.objects.get(pk=run_id)
    report = recommender_train(run=run)
    return {"run": run.pk, "status": report.run.status, "version": report.run.version, "reason": report.reason}


@task()
def send_digests_task(today: str | None = None) -> dict:
    """Send the weekly digests that are due (`manage.py send_digests --enqueue` queues this for `make worker`)."""
    from datetime import date

    from recommender.digests import digests_send

    return digests_send(today=date.fromisoformat(today) if today else None).as_dict()
