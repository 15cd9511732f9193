"""When to retrain: queue a background training run (the admin's button, or enough new interactions), at most one
at a time. Separate from `services` (the training itself) so that `tasks` -> `services` is the only direction."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.db import connection, transaction
from django.utils import timezone

from recommender.data import interactions_received_since
from recommender.models import ModelVersion
from recommender.tasks import train_recommender_task

STALE_RUN = timedelta(hours=6)
# Any fixed number: PostgreSQL's transaction-scoped advisory lock that serialises "is a run queued? then queue".
_QUEUE_LOCK = 0x5EED_7A1


def training_enqueue(*, trigger: str, requested_by: AbstractBaseUser | AnonymousUser | None = None) -> ModelVersion:
    """Queue a background training run (django-tasks; `manage.py db_worker` runs it), recording who asked."""
    user = requested_by if isinstance(requested_by, User) else None
    run = ModelVersion.objects.create(trigger=trigger, requested_by=user)
    transaction.on_commit(lambda: train_recommender_task.enqueue(run_id=run.pk))
    return run


def training_in_flight() -> bool:
    recent = timezone.now() - STALE_RUN
    return ModelVersion.objects.filter(
        status__in=[ModelVersion.Status.QUEUED, ModelVersion.Status.RUNNING], created_at__gte=recent
    ).exists()


def training_enqueue_unless_in_flight(
    *, trigger: str, requested_by: AbstractBaseUser | AnonymousUser | None = None
) -> ModelVersion | None:
    """Queue a run unless one is already queued or running (then None). The check and the insert hold one lock,
    so two admins pressing "retrain now" together, or two requests crossing the threshold, queue one run."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_QUEUE_LOCK])
        # SQLite: the settings open every transaction IMMEDIATE, which already takes the database's write lock.
        if training_in_flight():
            return None
        return training_enqueue(trigger=trigger, requested_by=requested_by)


def retrain_requests() -> list[list[str]]:
    """Every queued training run as rows of the catalog's audit export (learning/selectors/audit.py), newest first:
    when, who, source, model, id, run, action, field, before, after."""
    runs = ModelVersion.objects.select_related("requested_by").order_by("-created_at", "-id")
    return [
        [
            run.created_at.strftime("%Y-%m-%d %H:%M:%S"),
            run.requested_by.get_username() if run.requested_by else "",
            f"retrain request ({run.get_trigger_display()})",
            "model version",
            str(run.pk),
            str(run),
            "requested",
            "status",
            "",
            run.get_status_display(),
        ]
        for run in runs
    ]


def retrain_check_after() -> None:
    """Check once, after the current request's writes commit, whether they made a retraining due.

    The interfaces (web views, API) call it once per request that logged events, never per event: a 500-event
    sync costs one check, not 500. Outside a transaction the check runs at once.
    """
    transaction.on_commit(retrain_if_due)


def retrain_if_due() -> ModelVersion | None:
    """Queue a retraining once DEEPPATH_RETRAIN_AFTER_INTERACTIONS new interactions arrived since the data the
    newest run used, unless one is already queued or running."""
    threshold = settings.DEEPPATH_RETRAIN_AFTER_INTERACTIONS
    if not threshold or training_in_flight():
        return None
    last = ModelVersion.objects.exclude(data_until=None).order_by("-data_until").values_list("data_until", flat=True)
    if interactions_received_since(last.first()) < threshold:
        return None
    return training_enqueue_unless_in_flight(trigger=ModelVersion.Trigger.AUTO)
