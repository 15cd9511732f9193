"""Recommendation, dismissal, plan and health output for the REST API."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from learning.api.fields import (
    QueryIntegerField,
    StrictBooleanField,
    StrictCharField,
    StrictChoiceField,
    StrictSlugRelatedField,
)
from learning.api.serializers.catalog import ResourceSerializer, ResourceSummarySerializer, TopicRefSerializer
from learning.models import DismissalReason, ProgressStatus, Topic
from recommender.reasons import REASON_CODES


class ReasonSerializer(serializers.Serializer):
    code = serializers.ChoiceField(
        choices=REASON_CODES, help_text='One of the codes defined in the README ("Why this") and recommender.reasons.'
    )
    text = serializers.CharField()
    resource_id = serializers.IntegerField(required=False, help_text="The resource the reason refers to, if any.")
    topic_id = serializers.IntegerField(required=False)
    path_id = serializers.IntegerField(required=False)


class RecommendationSerializer(serializers.Serializer):
    """Documents `Recommendation.as_dict()`, which the list endpoint returns as is (tests hold the two together)."""

    resource = ResourceSerializer()
    score = serializers.FloatField()
    reasons = serializers.SerializerMethodField()

    @extend_schema_field(ReasonSerializer(many=True))
    def get_reasons(self, recommendation) -> list[dict]:
        return [reason.as_dict() for reason in recommendation.reasons]


class RecommendationQuerySerializer(serializers.Serializer):
    limit = QueryIntegerField(min_value=1, max_value=50, default=10)


class DismissSerializer(serializers.Serializer):
    reason = StrictChoiceField(choices=DismissalReason.choices)
    comment = StrictCharField(max_length=300, required=False, allow_blank=True, default="")


class DismissalSerializer(serializers.Serializer):
    resource_id = serializers.IntegerField()
    reason = serializers.ChoiceField(choices=DismissalReason.choices)
    comment = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()


class PlanQuerySerializer(serializers.Serializer):
    goal = StrictSlugRelatedField(
        slug_field="slug", queryset=Topic.objects.all(), help_text="Slug of the topic to reach."
    )
    thorough = serializers.BooleanField(
        required=False, default=False, help_text="true: the thorough route (courses and books over short material)."
    )


class SavedPlanRequestSerializer(serializers.Serializer):
    goal = StrictSlugRelatedField(
        slug_field="slug", queryset=Topic.objects.all(), help_text="Slug of the topic to reach."
    )
    thorough = StrictBooleanField(required=False, default=False, help_text="true: save the thorough route.")


class SavedPlanSerializer(serializers.Serializer):
    slug = serializers.CharField(help_text="The saved path's slug: GET /api/v1/paths/{slug}/ shows it with progress.")
    title = serializers.CharField()
    goal = serializers.CharField(source="planned_goal.slug")
    thorough = serializers.BooleanField(source="planned_thorough")
    resources = serializers.SerializerMethodField(help_text="Slugs of the steps' resources, in order.")

    def get_resources(self, path) -> list[str]:
        return [step.resource.slug for step in path.steps.select_related("resource").order_by("position")]


class PlanStepSerializer(serializers.Serializer):
    topic = TopicRefSerializer(help_text="The first missing topic the step covers, in prerequisite order.")
    topics = TopicRefSerializer(many=True, help_text="Every missing topic the step covers.")
    resource = ResourceSummarySerializer(allow_null=True, help_text="null when no available resource teaches it.")
    status = serializers.ChoiceField(choices=ProgressStatus.choices, allow_null=True)


class PlanSerializer(serializers.Serializer):
    goal = TopicRefSerializer()
    steps = PlanStepSerializer(many=True)
    total_minutes = serializers.IntegerField()
    already_covered = serializers.BooleanField(help_text="True when the learner already covers the goal.")
    thorough = serializers.BooleanField(help_text="Whether this is the thorough route.")
    bound_minutes = serializers.IntegerField(
        help_text="Sum over missing topics of the shortest fitting resource teaching each; the quick route never "
        "takes longer."
    )


class HealthSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=["ok", "degraded", "unavailable"],
        help_text="`degraded`: answering with a fallback (an older model or the no-model ranking); see `reason`.",
    )
    database = serializers.BooleanField(help_text="Whether the database answered.")
    model_version = serializers.CharField(allow_null=True, help_text="The serving model; null when none is active.")
    reason = serializers.CharField(allow_null=True, help_text="Why the status is not `ok`; null when it is.")


class DigestGoalSerializer(serializers.Serializer):
    minutes = serializers.IntegerField(help_text="The learner's weekly goal in minutes; 0 when none is set.")
    done_minutes = serializers.IntegerField(help_text="Estimated minutes of the material completed this week.")
    percent = serializers.IntegerField(allow_null=True, help_text="Progress against the goal, 0-100; null: no goal.")


class DigestStreakSerializer(serializers.Serializer):
    days = serializers.IntegerField()
    weeks = serializers.IntegerField()


class DigestSerializer(serializers.Serializer):
    """GET /me/digest/: what the weekly digest email says, for a mobile notification."""

    week = serializers.DateField(help_text="The Monday of the week.")
    next_step = RecommendationSerializer(allow_null=True, help_text="The first suggestion with its reasons, or null.")
    goal = DigestGoalSerializer()
    streak = DigestStreakSerializer()
