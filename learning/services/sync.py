"""Offline sync: a batch of events recorded by a client while offline, applied once each.

Each event goes through the same services as the web site and the API (`progress_record`, `dismissal_record`),
so the state rules and the event log stay the same; the latest `occurred_at` wins because events are applied
in time order and `progress_record` logs, but does not apply, a change older than the row's last update.

Idempotency: every applied event leaves exactly one `Interaction` carrying its `client_event_id` (the services
name the first event they log with it; when they had nothing to log, the event itself is logged), and the
unique (learner, client_event_id) constraint makes that the single source of truth: an id already stored is a
duplicate, even when two copies of a batch race each other.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from learning.exceptions import LearningError
from learning.models import DismissalReason, Interaction, InteractionKind, ProgressStatus, Resource
from learning.services.progress import dismissal_record, interaction_log, progress_record

MAX_BATCH = 500
MAX_ID = 2**63 - 1  # the largest primary key; a bigger number would overflow the database driver in `IN (...)`
APPLIED, DUPLICATE, ERROR = "applied", "duplicate", "error"
STATUS_OF_KIND = {
    InteractionKind.SAVED: ProgressStatus.SAVED,
    InteractionKind.STARTED: ProgressStatus.IN_PROGRESS,
    InteractionKind.COMPLETED: ProgressStatus.COMPLETED,
    InteractionKind.SKIPPED: ProgressStatus.SKIPPED,
}
VALUE_RANGE = {InteractionKind.PROGRESSED: (0, 100), InteractionKind.RATED: (1, 5)}


@dataclass(frozen=True)
class SyncEvent:
    client_event_id: str
    resource_id: int
    kind: str
    occurred_at: datetime
    value: float | None = None
    reason: str | None = None  # for "dismissed"; "other" when absent


@dataclass(frozen=True)
class EventOutcome:
    client_event_id: str | None
    outcome: str  # applied, duplicate or error
    code: str = ""
    message: str = ""
    fields: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def failed(cls, client_event_id: str | None, error: LearningError) -> "EventOutcome":
        return cls(client_event_id, ERROR, error.code, error.message, error.fields)


@transaction.atomic
def events_sync(*, learner: User, events: Sequence[SyncEvent]) -> list[EventOutcome]:
    """Apply the events not applied before, oldest first; one outcome per event, in the order given.

    A failing event is rolled back alone (a savepoint each) and reported; the others still apply. Replaying a
    batch changes nothing and reports its events as duplicates.
    """
    if len(events) > MAX_BATCH:
        raise LearningError(f"Send at most {MAX_BATCH} events per batch.", {"events": [f"At most {MAX_BATCH}."]})
    _lock_learner(learner)
    ids = {event.client_event_id for event in events}
    stored = set(
        Interaction.objects.filter(learner=learner, client_event_id__in=ids).values_list("client_event_id", flat=True)
    )
    first_of: dict[str, int] = {}
    for index, event in enumerate(events):
        first_of.setdefault(event.client_event_id, index)
    known = {e.resource_id for e in events if 0 < e.resource_id <= MAX_ID}
    batch = _Batch(learner, Resource.objects.in_bulk(known))
    outcomes: dict[int, EventOutcome] = {}
    for index in sorted(first_of.values(), key=lambda i: (events[i].occurred_at, i)):
        event = events[index]
        if event.client_event_id in stored:
            outcomes[index] = EventOutcome(event.client_event_id, DUPLICATE)
        else:
            outcomes[index] = batch.apply(event)
    return [_repeat(outcomes[first_of[e.client_event_id]], i, first_of, e) for i, e in enumerate(events)]


def _lock_learner(learner: User) -> None:
    """Make concurrent batches of one learner run one after another (a client retrying a batch it thinks lost).

    Without it, two copies both read an id as not stored; the later one then finds the progress already changed
    and the id logged by the other copy, and reported the event "applied" a second time. Once it holds the lock,
    the later copy reads the ids the earlier one committed and reports them as duplicates.
    """
    list(get_user_model().objects.select_for_update().filter(pk=learner.pk).values_list("pk", flat=True))


def _repeat(first: EventOutcome, index: int, first_of: dict[str, int], event: SyncEvent) -> EventOutcome:
    """A second copy of an id within one batch is a duplicate of the first, or shares its error."""
    if first_of[event.client_event_id] == index or first.outcome == ERROR:
        return first
    return EventOutcome(event.client_event_id, DUPLICATE)


class _Batch:
    def __init__(self, learner: User, resources: dict[int, Resource]) -> None:
        self.learner = learner
        self.resources = resources

    def apply(self, event: SyncEvent) -> EventOutcome:
        resource = self.resources.get(event.resource_id)
        if resource is None:
            return EventOutcome.failed(
                event.client_event_id,
                LearningError("No such resource.", {"resource_id": ["Unknown resource."]}, code="not_found"),
            )
        # A clock running ahead must not date progress in the future, where it would outrank every later change.
        at = min(event.occurred_at, timezone.now())
        try:
            with transaction.atomic():
                _perform(self.learner, resource, event, at)
                if not Interaction.objects.filter(learner=self.learner, client_event_id=event.client_event_id).exists():
                    value = event.value if event.kind in VALUE_RANGE else None
                    interaction_log(
                        learner=self.learner,
                        resource=resource,
                        kind=event.kind,
                        value=value,
                        occurred_at=at,
                        client_event_id=event.client_event_id,
                    )
        except LearningError as error:
            return EventOutcome.failed(event.client_event_id, error)
        except IntegrityError:
            # Another copy of this batch stored the id first (the unique constraint) or a concurrent write won.
            if Interaction.objects.filter(learner=self.learner, client_event_id=event.client_event_id).exists():
                return EventOutcome(event.client_event_id, DUPLICATE)
            return EventOutcome.failed(
                event.client_event_id, LearningError("A concurrent change conflicted; send it again.", code="conflict")
            )
        return EventOutcome(event.client_event_id, APPLIED)


def _whole_value(event: SyncEvent) -> int:
    low, high = VALUE_RANGE[event.kind]
    value = event.value
    if value is None or not float(value).is_integer() or not low <= value <= high:
        raise LearningError(
            f"A {event.kind} event needs a whole value from {low} to {high}.",
            {"value": [f"Must be a whole number from {low} to {high}."]},
        )
    return int(value)


def _perform(learner: User, resource: Resource, event: SyncEvent, at: datetime) -> None:
    named = {"occurred_at": at, "client_event_id": event.client_event_id}
    if event.kind in STATUS_OF_KIND:
        progress_record(learner=learner, resource=resource, status=STATUS_OF_KIND[event.kind], **named)
    elif event.kind == InteractionKind.PROGRESSED:
        progress_record(learner=learner, resource=resource, percent=_whole_value(event), **named)
    elif event.kind == InteractionKind.RATED:
        progress_record(learner=learner, resource=resource, rating=_whole_value(event), **named)
    elif not resource.is_published:
        raise LearningError("This resource is not available.", code="not_available")
    elif event.kind == InteractionKind.DISMISSED:
        dismissal_record(learner=learner, resource=resource, reason=event.reason or DismissalReason.OTHER, **named)
    elif event.kind != InteractionKind.VIEWED:
        raise LearningError("Unknown event kind.", {"kind": [f"Unknown kind {event.kind!r}."]})
