"""POST /me/events/: offline event batches and the outcome of each event."""

from rest_framework import serializers

from learning.api.errors import ErrorDetailSerializer
from learning.api.fields import (
    StrictCharField,
    StrictChoiceField,
    StrictFloatField,
    StrictIntegerField,
    StrictListField,
)
from learning.models import DismissalReason, InteractionKind
from learning.services.sync import APPLIED, DUPLICATE, ERROR, MAX_BATCH, MAX_ID


class EventSerializer(serializers.Serializer):
    client_event_id = StrictCharField(
        max_length=64, help_text="Unique per learner, chosen by the client: a replayed id is a duplicate."
    )
    resource_id = StrictIntegerField(min_value=1, max_value=MAX_ID)
    kind = StrictChoiceField(choices=InteractionKind.choices)
    value = StrictFloatField(
        required=False, allow_null=True, help_text="progressed: percent 0-100; rated: 1-5; ignored otherwise."
    )
    occurred_at = serializers.DateTimeField(help_text="When the learner acted (client clock).")
    reason = StrictChoiceField(
        choices=DismissalReason.choices, required=False, help_text='dismissed only; "other" when absent.'
    )


class EventBatchSerializer(serializers.Serializer):
    """The documented request body."""

    events = EventSerializer(many=True, max_length=MAX_BATCH)


class EventBatchEnvelopeSerializer(serializers.Serializer):
    """What is parsed as a whole: events are then read one by one, so one malformed event is reported on its own
    instead of failing the batch."""

    events = StrictListField(child=serializers.JSONField(), max_length=MAX_BATCH)


class EventOutcomeSerializer(serializers.Serializer):
    client_event_id = serializers.CharField(allow_null=True, help_text="null when the event carried none.")
    outcome = serializers.ChoiceField(choices=[APPLIED, DUPLICATE, ERROR])
    error = ErrorDetailSerializer(required=False, help_text="Present when the outcome is error.")


class EventBatchResultSerializer(serializers.Serializer):
    events = EventOutcomeSerializer(many=True, help_text="One outcome per event sent, in the same order.")
    applied = serializers.IntegerField()
    duplicates = serializers.IntegerField()
    errors = serializers.IntegerField()
