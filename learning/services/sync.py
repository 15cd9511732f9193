"""Offline sync: a batch of events recorded by a client while offline, applied once each.

Each event follows the same state rules as the web site and the API (`progress_change`, the rules
`progress_record` uses; "not for me" as `dismissal_record`), so the state and the event log stay the same; the
latest `occurred_at` wins because events are applied in time order and a change older than the row's last update
is logged but not applied. The batch is worked out in memory under the learner's lock and written in bulk, so
its cost in queries does not grow with its length beyond the inserts.

Idempotency: every applied event leaves exactly one `Interaction` carrying its `client_event_id` (the first event
it logs; when it changed nothing, the event itself is logged), and the unique (learner, client_event_id)
constraint makes that the single source of truth: an id already stored is a duplicate, and the learner's lock
makes a second copy of a batch wait for the first and then read its ids as stored.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from learning.exceptions import LearningError
from learning.models import Dismissal, DismissalReason, Interaction, InteractionKind, Progress, Resource
from learning.models.choices import EVENT_STATUS
from learning.services.progress import CHANGEABLE as PROGRESS_FIELDS
from learning.services.progress import learner_lock, progress_change
from learning.services.validation import field_problems, fields_check

MAX_BATCH = 500
MAX_ID = 2**63 - 1  # the largest primary key; a bigger number would overflow the database driver in `IN (...)`
APPLIED, DUPLICATE, ERROR = "applied", "duplicate", "error"
# The Progress field an event's value sets: its range is that field's.
VALUE_FIELD: dict[str, str] = {InteractionKind.PROGRESSED: "percent", InteractionKind.RATED: "rating"}


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

    A failing event is left out alone and reported; the others still apply. Replaying a batch changes nothing and
    reports its events as duplicates. The batch is applied in memory under the learner's lock and written in
    bulk: a handful of queries plus the inserts, however many events it holds.
    """
    if len(events) > MAX_BATCH:
        raise LearningError(
            gettext("Send at most %(count)d events per batch.") % {"count": MAX_BATCH},
            {"events": [gettext("At most %(count)d.") % {"count": MAX_BATCH}]},
        )
    learner_lock(learner)
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
    batch.write()
    return [_repeat(outcomes[first_of[e.client_event_id]], i, first_of, e) for i, e in enumerate(events)]


def _repeat(first: EventOutcome, index: int, first_of: dict[str, int], event: SyncEvent) -> EventOutcome:
    """A second copy of an id within one batch is a duplicate of the first, or shares its error."""
    if first_of[event.client_event_id] == index or first.outcome == ERROR:
        return first
    return EventOutcome(event.client_event_id, DUPLICATE)


class _Batch:
    """One learner's rows for the resources of a batch, changed in memory, then written in bulk."""

    def __init__(self, learner: User, resources: dict[int, Resource]) -> None:
        self.learner = learner
        self.resources = resources
        self.progress = {
            row.resource_id: row
            for row in Progress.objects.select_for_update().filter(learner=learner, resource_id__in=list(resources))
        }
        self.dismissals = {
            row.resource_id: row for row in Dismissal.objects.filter(learner=learner, resource_id__in=list(resources))
        }
        self.created_progress: set[int] = set()
        self.changed_progress: set[int] = set()
        self.created_dismissals: set[int] = set()
        self.changed_dismissals: set[int] = set()
        self.interactions: list[Interaction] = []
        self.received_at = timezone.now()

    def apply(self, event: SyncEvent) -> EventOutcome:
        resource = self.resources.get(event.resource_id)
        if resource is None:
            return EventOutcome.failed(
                event.client_event_id,
                LearningError(
                    gettext("No such resource."), {"resource_id": [gettext("Unknown resource.")]}, code="not_found"
                ),
            )
        # A clock running ahead must not date progress in the future, where it would outrank every later change.
        at = min(event.occurred_at, self.received_at)
        try:
            logged = self._perform(resource, event, at)
        except LearningError as error:
            return EventOutcome.failed(event.client_event_id, error)
        if not logged:  # nothing changed (a view, or a change made before): the event itself is the record
            logged = [(event.kind, event.value if event.kind in VALUE_FIELD else None)]
        self.interactions.extend(
            Interaction(
                learner=self.learner,
                resource=resource,
                kind=kind,
                value=value,
                occurred_at=at,
                received_at=self.received_at,
                client_event_id=event.client_event_id if position == 0 else None,
            )
            for position, (kind, value) in enumerate(logged)
        )
        return EventOutcome(event.client_event_id, APPLIED)

    def _perform(self, resource: Resource, event: SyncEvent, at: datetime) -> list[tuple[str, float | None]]:
        """The events to log for one offline event, its changes made to the rows in memory (none on an error)."""
        if event.kind in EVENT_STATUS:
            return self._progress(resource, at, status=EVENT_STATUS[event.kind])
        if event.kind == InteractionKind.PROGRESSED:
            return self._progress(resource, at, percent=_whole_value(event))
        if event.kind == InteractionKind.RATED:
            return self._progress(resource, at, rating=_whole_value(event))
        if not resource.is_published:
            raise LearningError(gettext("This resource is not available."), code="not_available")
        if event.kind == InteractionKind.DISMISSED:
            return self._dismiss(resource, event.reason or DismissalReason.OTHER, at)
        if event.kind != InteractionKind.VIEWED:
            raise LearningError(
                gettext("Unknown event kind."), {"kind": [gettext("Unknown kind %(kind)r.") % {"kind": event.kind}]}
            )
        return []

    def _progress(self, resource: Resource, at: datetime, **change: Any) -> list[tuple[str, float | None]]:
        found = self.progress.get(resource.pk)
        created = found is None
        if found is not None:
            row = found
        else:
            if not resource.is_published:
                raise LearningError(gettext("This resource is not available."), code="not_available")
            row = Progress(learner=self.learner, resource=resource, created_at=at, updated_at=at)
        events = progress_change(row, created=created, at=at, **change)
        if created:
            self.progress[resource.pk] = row
            self.created_progress.add(resource.pk)
        elif events:
            self.changed_progress.add(resource.pk)
        return events

    def _dismiss(self, resource: Resource, reason: str, at: datetime) -> list[tuple[str, float | None]]:
        """As `dismissal_record`: a new "not for me" is logged; a second one only updates the reason."""
        fields_check(Dismissal, gettext("Unknown reason."), {"reason": reason})
        row = self.dismissals.get(resource.pk)
        if row is not None:
            row.reason, row.comment = reason, ""
            if resource.pk not in self.created_dismissals:
                self.changed_dismissals.add(resource.pk)
            return []
        self.dismissals[resource.pk] = Dismissal(learner=self.learner, resource=resource, reason=reason, created_at=at)
        self.created_dismissals.add(resource.pk)
        return [(InteractionKind.DISMISSED, None)]

    def write(self) -> None:
        """Everything the batch changed, in bulk: one statement per table and kind of change (per 500 rows)."""
        Progress.objects.bulk_create([self.progress[pk] for pk in sorted(self.created_progress)], batch_size=500)
        changed = [self.progress[pk] for pk in sorted(self.changed_progress - self.created_progress)]
        Progress.objects.bulk_update(changed, fields=list(PROGRESS_FIELDS), batch_size=500)
        Dismissal.objects.bulk_create([self.dismissals[pk] for pk in sorted(self.created_dismissals)], batch_size=500)
        updated = [self.dismissals[pk] for pk in sorted(self.changed_dismissals)]
        Dismissal.objects.bulk_update(updated, fields=["reason", "comment"], batch_size=500)
        Interaction.objects.bulk_create(self.interactions, batch_size=500)


def _whole_value(event: SyncEvent) -> int:
    """The event's value as the whole number its Progress field takes, within that field's validators."""
    value = event.value
    if value is None or not float(value).is_integer():
        problems = [gettext("Enter a whole number.")]
    else:
        problems = field_problems(Progress, {VALUE_FIELD[event.kind]: int(value)}).get(VALUE_FIELD[event.kind], [])
    if value is None or problems:
        raise LearningError(gettext("Invalid value for a %(kind)s event.") % {"kind": event.kind}, {"value": problems})
    return int(value)
