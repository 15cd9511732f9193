"""The learner's own data: account, profile and progress."""

from django.utils.translation import gettext as _
from rest_framework import serializers

from learning.api.fields import (
    StrictBooleanField,
    StrictChoiceField,
    StrictIntegerField,
    StrictListField,
    StrictSlugRelatedField,
)
from learning.api.serializers.catalog import ResourceSummarySerializer
from learning.models import (
    Framework,
    LearnerProfile,
    Level,
    Progress,
    ProgressStatus,
    ReminderChannel,
    Topic,
    Weekday,
)
from learning.models.learners import MAX_PERCENT, MAX_RATING, MAX_WEEKLY_GOAL_MINUTES, MAX_WEEKLY_HOURS, MIN_RATING


def _slug_list(queryset, help_text: str) -> StrictListField:
    return StrictListField(
        child=StrictSlugRelatedField(slug_field="slug", queryset=queryset), required=False, help_text=help_text
    )


class UserSerializer(serializers.Serializer):
    username = serializers.CharField(read_only=True)
    email = serializers.EmailField(read_only=True)


class ProfileSerializer(serializers.ModelSerializer):
    """GET /me/: the account and the preferences recommendations use."""

    username = serializers.CharField(source="user.username", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    goal_topics = serializers.SlugRelatedField(many=True, slug_field="slug", read_only=True)
    known_topics = serializers.SlugRelatedField(many=True, slug_field="slug", read_only=True)
    frameworks = serializers.SlugRelatedField(
        source="preferred_frameworks", many=True, slug_field="slug", read_only=True
    )

    class Meta:
        model = LearnerProfile
        fields = [
            "username",
            "email",
            "level",
            "weekly_hours",
            "goal_topics",
            "known_topics",
            "frameworks",
            "onboarded",
            "weekly_goal_minutes",
            "reminder_day",
            "reminder_channel",
        ]

    def to_representation(self, instance: LearnerProfile) -> dict:
        if instance.pk is not None:
            return super().to_representation(instance)
        # No profile row yet (reads never create one): its defaults, and no choices (an unsaved row has no M2M).
        lists = {"goal_topics", "known_topics", "frameworks"}
        return {
            name: []
            if name in lists
            else self.fields[name].to_representation(self.fields[name].get_attribute(instance))
            for name in self.Meta.fields
        }


class ProfileUpdateSerializer(serializers.Serializer):
    """PATCH /me/: any subset; lists replace the current ones. Topics and frameworks by slug."""

    level = StrictChoiceField(choices=Level.choices, required=False)
    weekly_hours = StrictIntegerField(min_value=1, max_value=MAX_WEEKLY_HOURS, required=False)
    goal_topics = _slug_list(Topic.objects.all(), "Slugs of the topics the learner wants to reach.")
    known_topics = _slug_list(Topic.objects.all(), "Slugs of the topics the learner already knows.")
    frameworks = _slug_list(Framework.objects.all(), "Slugs of the preferred frameworks.")
    onboarded = StrictBooleanField(required=False)
    weekly_goal_minutes = StrictIntegerField(
        min_value=0, max_value=MAX_WEEKLY_GOAL_MINUTES, required=False, help_text="Minutes a week; 0 for no goal."
    )
    reminder_day = StrictIntegerField(
        min_value=min(Weekday.values),
        max_value=max(Weekday.values),
        required=False,
        help_text="The digest's day: 0 (Monday) to 6 (Sunday).",
    )
    reminder_channel = StrictChoiceField(
        choices=ReminderChannel.choices, required=False, help_text="How the weekly digest comes; none by default."
    )

    def service_arguments(self) -> dict:
        """The validated input as profile_update() keyword arguments (ids, not slugs)."""
        data = self.validated_data
        plain = ("level", "weekly_hours", "onboarded", "weekly_goal_minutes", "reminder_day", "reminder_channel")
        arguments = {name: data.get(name) for name in plain}
        for field, argument in (
            ("goal_topics", "goal_topic_ids"),
            ("known_topics", "known_topic_ids"),
            ("frameworks", "framework_ids"),
        ):
            arguments[argument] = [item.pk for item in data[field]] if field in data else None
        return arguments


class ProgressSerializer(serializers.ModelSerializer):
    resource_id = serializers.IntegerField(read_only=True)
    resource = ResourceSummarySerializer(read_only=True)

    class Meta:
        model = Progress
        fields = [
            "resource_id",
            "resource",
            "status",
            "percent",
            "rating",
            "started_at",
            "completed_at",
            "updated_at",
        ]


class ProgressWriteSerializer(serializers.Serializer):
    """PUT /me/progress/{resource_id}/: give at least one; repeating the same values changes nothing."""

    status = StrictChoiceField(choices=ProgressStatus.choices, required=False)
    percent = StrictIntegerField(min_value=0, max_value=MAX_PERCENT, required=False)
    rating = StrictIntegerField(
        min_value=MIN_RATING,
        max_value=MAX_RATING,
        required=False,
        allow_null=True,
        help_text="1-5; null or absent keeps it.",
    )

    def validate(self, attrs: dict) -> dict:
        if not any(attrs.get(name) is not None for name in ("status", "percent", "rating")):
            raise serializers.ValidationError(_("Give a status, a percent or a rating."))
        return attrs


class ProgressFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ProgressStatus.choices, required=False)
