"""A learner's progress on resources: the one write path for the web site, the API and offline sync.

Every change is written twice on purpose: as the learner's current `Progress` row (what pages show) and as
`Interaction` events (the append-only log the recommender learns from). Whether the new events make a
retraining due is the interface's concern (one check per request, see `recommender.retraining.retrain_check_after`):
learning's write path never reaches into the recommender.
"""

import copy
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from learning.exceptions import LearningError
from learning.models import Dismissal, Interaction, InteractionKind, Progress, ProgressStatus, Resource
from learning.models.choices import STATUS_EVENT
from learning.services.validation import fields_check

RATEABLE = {ProgressStatus.IN_PROGRESS, ProgressStatus.COMPLETED}
CHANGEABLE = ("status", "percent", "rating", "started_at", "completed_at", "updated_at")


def _check_values(status: str | None, percent: int | None, rating: int | None) -> None:
    fields_check(Progress, gettext("Invalid progress."), {"status": status, "percent": percent, "rating": rating})


def _apply_status(progress: Progress, status: str, at: datetime, events: list, *, force: bool = False) -> None:
    if status == progress.status and not force:
        return
    progress.status = status
    progress.completed_at = at if status == ProgressStatus.COMPLETED else None
    if status in (ProgressStatus.IN_PROGRESS, ProgressStatus.COMPLETED):
        progress.started_at = progress.started_at or at
    if status == ProgressStatus.COMPLETED:
        progress.percent = 100
    events.append((STATUS_EVENT[status], 100.0 if status == ProgressStatus.COMPLETED else None))


def _lock_or_create(learner: User, resource: Resource, at: datetime) -> tuple[Progress, bool]:
    progress = Progress.objects.select_for_update().filter(learner=learner, resource=resource).first()
    if progress is not None:
        return progress, False
    if not resource.is_published:
        raise LearningError(gettext("This resource is not available."), code="not_available")
    # An offline sync creates its rows in bulk holding the learner's lock: wait for it, then look again.
    learner_lock(learner)
    progress = Progress.objects.select_for_update().filter(learner=learner, resource=resource).first()
    if progress is not None:
        return progress, False
    try:
        with transaction.atomic():
            row = Progress(
                learner=learner, resource=resource, status=ProgressStatus.SAVED, created_at=at, updated_at=at
            )
            row.save(force_insert=True)
            return row, True
    except IntegrityError:  # a concurrent request created it first: continue from its row
        return Progress.objects.select_for_update().get(learner=learner, resource=resource), False


def learner_lock(learner: User) -> None:
    """Make one learner's row-creating writes run one after another (on PostgreSQL; SQLite serialises writers).

    An offline sync holds it for its whole batch, so it can read the learner's rows once, apply the batch in
    memory and write in bulk, with no other request creating a row in between. NO KEY UPDATE, not UPDATE: the
    foreign-key checks of every insert that names the learner take KEY SHARE on the same row, and must not wait
    for it (a writer holding a progress row would deadlock with one holding this lock).
    """
    list(get_user_model().objects.select_for_update(no_key=True).filter(pk=learner.pk).values_list("pk", flat=True))


@transaction.atomic
def progress_record(
    *,
    learner: User,
    resource: Resource,
    status: str | None = None,
    percent: int | None = None,
    rating: int | None = None,
    occurred_at: datetime | None = None,
    client_event_id: str | None = None,
) -> Progress:
    """Set the learner's status, percent and/or rating on a resource, logging the matching events.

    Idempotent: repeating the same values changes nothing and logs nothing. A change dated before the row's last
    update (an offline client catching up) is logged but does not overwrite the newer state. `client_event_id`
    (offline sync) names the first event logged.
    """
    if status is None and percent is None and rating is None:
        raise LearningError(gettext("Nothing to record: give a status, a percent or a rating."), code="empty")
    _check_values(status, percent, rating)
    at = occurred_at or timezone.now()
    progress, created = _lock_or_create(learner, resource, at)
    stale = _is_stale(progress, created, at)
    events = progress_change(progress, created=created, status=status, percent=percent, rating=rating, at=at)
    if events and not stale:
        progress.save()
    _log(learner, resource, events, at, client_event_id)
    return progress


def _is_stale(progress: Progress, created: bool, at: datetime) -> bool:
    return not created and at < progress.updated_at


def progress_change(
    progress: Progress,
    *,
    created: bool,
    status: str | None = None,
    percent: int | None = None,
    rating: int | None = None,
    at: datetime,
) -> list[tuple[str, float | None]]:
    """Apply a change to a progress row in memory; the events it makes, as (kind, value), oldest first.

    The one place the state rules live: `progress_record` saves the row afterwards, the offline sync applies a
    whole batch in memory and saves the rows in bulk. A change dated before the row's last update leaves the row
    as it is (its events are still returned, to be logged). Raises `LearningError` before changing anything.
    """
    _check_values(status, percent, rating)
    stale = _is_stale(progress, created, at)
    # Every change is worked out on a scratch copy, copied back only when it is neither stale nor refused.
    target = copy.copy(progress)
    events: list[tuple[str, float | None]] = []
    if status is not None:
        _apply_status(target, status, at, events, force=created)
    if percent is not None and percent != target.percent:
        target.percent = percent
        events.append((InteractionKind.PROGRESSED, float(percent)))
        if target.status == ProgressStatus.SAVED:
            _apply_status(target, ProgressStatus.IN_PROGRESS, at, events)
    if rating is not None and rating != target.rating:
        if target.status not in RATEABLE:
            raise LearningError(gettext("Start or finish a resource before rating it."), code="not_rateable")
        target.rating = rating
        events.append((InteractionKind.RATED, float(rating)))
    if created and not events:
        events.append((InteractionKind.SAVED, None))
    if events and not stale:
        target.updated_at = max(at, progress.updated_at)
        for name in CHANGEABLE:
            setattr(progress, name, getattr(target, name))
    return events


def _log(
    learner: User,
    resource: Resource,
    events: list[tuple[str, float | None]],
    at: datetime,
    client_event_id: str | None = None,
) -> None:
    if not events:
        return
    now = timezone.now()
    Interaction.objects.bulk_create(
        [
            Interaction(
                learner=learner,
                resource=resource,
                kind=kind,
                value=value,
                occurred_at=at,
                received_at=now,
                client_event_id=client_event_id if index == 0 else None,
            )
            for index, (kind, value) in enumerate(events)
        ]
    )


@transaction.atomic
def dismissal_record(
    *,
    learner: User,
    resource: Resource,
    reason: str,
    comment: str = "",
    occurred_at: datetime | None = None,
    client_event_id: str | None = None,
) -> Dismissal:
    """Mark a resource "not for me"; it is never recommended to this learner again."""
    fields_check(Dismissal, gettext("Unknown reason."), {"reason": reason})
    learner_lock(learner)
    dismissal, created = Dismissal.objects.update_or_create(
        learner=learner, resource=resource, defaults={"reason": reason, "comment": comment[:300]}
    )
    if created:
        at = occurred_at or timezone.now()
        if at < dismissal.created_at:
            Dismissal.objects.filter(pk=dismissal.pk).update(created_at=at)
        _log(learner, resource, [(InteractionKind.DISMISSED, None)], at, client_event_id)
    return dismissal


@transaction.atomic
def dismissal_undo(*, learner: User, resource: Resource) -> bool:
    """Take back a "not for me"; returns whether there was one."""
    deleted, _ = Dismissal.objects.filter(learner=learner, resource=resource).delete()
    return bool(deleted)
