"""Background retraining through django-tasks (the database backend; `manage.py db_worker` runs it)."""

from django_tasks import task

from recommender.models import ModelVersion


@task()
def train_recommender_task(run_id: int) -> dict:
    """Run a queued training; the outcome is recorded on its ModelVersion row whatever happens."""
    # Imported when a worker runs it: the processes that only queue it (every web worker, through the admin and
    # the write paths' retrain check) never load scikit-learn and SciPy, about a second of every start-up.
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
