"""POST /me/events/: what an offline client recorded, applied once per client_event_id."""

from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from learning.api.errors import error_body, flatten_detail
from learning.api.schema import errors
from learning.api.serializers.events import (
    EventBatchEnvelopeSerializer,
    EventBatchResultSerializer,
    EventBatchSerializer,
    EventSerializer,
)
from learning.services.sync import APPLIED, DUPLICATE, ERROR, EventOutcome, SyncEvent, events_sync
from recommender.retraining import retrain_check_after


def _client_id(raw) -> str | None:
    value = raw.get("client_event_id") if isinstance(raw, dict) else None
    return value if isinstance(value, str) else None


def _rendered(outcome: EventOutcome) -> dict:
    body = {"client_event_id": outcome.client_event_id, "outcome": outcome.outcome}
    if outcome.outcome == ERROR:
        body.update(error_body(outcome.code, outcome.message, outcome.fields))
    return body


class EventSyncApi(APIView):
    @extend_schema(
        tags=["me"],
        operation_id="me_events_sync",
        summary="Send events recorded offline (up to 500)",
        description=(
            "Events are applied oldest first; the latest `occurred_at` wins for progress. An id sent before is "
            "reported as a duplicate and changes nothing, so a batch can be replayed safely. Each event gets its "
            "own outcome: one malformed or failing event does not stop the others. A body that cannot be read "
            "(not JSON, nested too deep, a string that is not valid Unicode) is a 400 and applies nothing, and "
            "so does any request that fails as a whole: the answer always lists exactly what was stored."
        ),
        request=EventBatchSerializer,
        responses={200: EventBatchResultSerializer, **errors(400, 401)},
    )
    @transaction.atomic  # the answer lists what was stored: if no answer can be given, nothing is stored
    def post(self, request):
        envelope = EventBatchEnvelopeSerializer(data=request.data)
        envelope.is_valid(raise_exception=True)
        # Each event is read on its own: a malformed one is answered in place, the others are applied.
        read = [_read(raw) for raw in envelope.validated_data["events"]]
        outcomes = iter(
            events_sync(learner=request.user, events=[item for item in read if isinstance(item, SyncEvent)])
        )
        results = [_rendered(next(outcomes)) if isinstance(item, SyncEvent) else item for item in read]
        counts = {name: sum(1 for item in results if item["outcome"] == name) for name in (APPLIED, DUPLICATE, ERROR)}
        if counts[APPLIED]:
            retrain_check_after()  # once per batch, after it commits
        body = {"events": results, "applied": counts[APPLIED], "duplicates": counts[DUPLICATE], "errors": counts[ERROR]}
        return Response(EventBatchResultSerializer(body).data)


def _read(raw) -> SyncEvent | dict:
    """The event, or the error outcome of a malformed one."""
    event = EventSerializer(data=raw)
    if event.is_valid():
        return SyncEvent(**event.validated_data)
    body = error_body("invalid", _("Invalid event."), flatten_detail(event.errors))
    return {"client_event_id": _client_id(raw), "outcome": ERROR, **body}
