"""The learner side: profiles, followed paths, progress, dismissals and the interaction event log."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from learning.models.catalog import Framework, LearningPath, Resource, Topic
from learning.models.choices import (
    DismissalReason,
    InteractionKind,
    Level,
    ProgressStatus,
    ReminderChannel,
    Weekday,
    choices_check,
)

MAX_WEEKLY_GOAL_MINUTES = 80 * 60  # the same ceiling as the weekly hours

MAX_WEEKLY_HOURS = 80
MAX_PERCENT = 100
MIN_RATING, MAX_RATING = 1, 5


class LearnerProfile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learner_profile")
    level = models.CharField(max_length=16, choices=Level.choices, default=Level.BEGINNER)
    goal_topics = models.ManyToManyField(Topic, related_name="goal_of_learners", blank=True)
    preferred_frameworks = models.ManyToManyField(Framework, related_name="preferred_by", blank=True)
    known_topics = models.ManyToManyField(
        Topic, related_name="known_by", blank=True, help_text="Topics the learner already knows."
    )
    weekly_hours = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(MAX_WEEKLY_HOURS)]
    )
    weekly_goal_minutes = models.PositiveSmallIntegerField(
        default=0,
        validators=[MaxValueValidator(MAX_WEEKLY_GOAL_MINUTES)],
        help_text="Minutes of study a week the learner aims for; 0 for no goal.",
    )
    reminder_day = models.PositiveSmallIntegerField(choices=Weekday.choices, default=Weekday.MONDAY)
    reminder_channel = models.CharField(max_length=8, choices=ReminderChannel.choices, default=ReminderChannel.NONE)
    onboarded = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=choices_check("level", Level), name="profile_level_valid"),
            models.CheckConstraint(
                condition=Q(weekly_hours__gte=1, weekly_hours__lte=MAX_WEEKLY_HOURS), name="profile_weekly_hours_range"
            ),
            models.CheckConstraint(
                condition=Q(weekly_goal_minutes__lte=MAX_WEEKLY_GOAL_MINUTES), name="profile_weekly_goal_range"
            ),
            models.CheckConstraint(condition=Q(reminder_day__lte=6), name="profile_reminder_day_valid"),
            models.CheckConstraint(
                condition=choices_check("reminder_channel", ReminderChannel), name="profile_reminder_channel_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Profile of {self.user}"


class PathEnrollment(models.Model):
    """A learner following a learning path."""

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="path_enrollments")
    path = models.ForeignKey(LearningPath, on_delete=models.CASCADE, related_name="enrollments")
    enrolled_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["enrolled_at"]
        constraints = [models.UniqueConstraint(fields=["learner", "path"], name="path_enrollment_unique")]

    def __str__(self) -> str:
        return f"{self.learner} follows {self.path}"


class Progress(models.Model):
    """A learner's current state on one resource: one row per learner and resource."""

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="progress")
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="progress")
    status = models.CharField(max_length=16, choices=ProgressStatus.choices, default=ProgressStatus.SAVED)
    percent = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(MAX_PERCENT)])
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(MIN_RATING), MaxValueValidator(MAX_RATING)]
    )
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "progress"
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(fields=["learner", "resource"], name="progress_learner_resource_unique"),
            models.CheckConstraint(condition=choices_check("status", ProgressStatus), name="progress_status_valid"),
            models.CheckConstraint(
                condition=Q(percent__gte=0, percent__lte=MAX_PERCENT), name="progress_percent_range"
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=MIN_RATING, rating__lte=MAX_RATING),
                name="progress_rating_range",
            ),
            models.CheckConstraint(
                condition=~Q(status=ProgressStatus.COMPLETED) | Q(completed_at__isnull=False),
                name="progress_completed_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["learner", "status"]),
            models.Index(fields=["resource", "status"]),
            # Curators' insights count learners per resource, status and rating in one scan of this index alone.
            models.Index(fields=["resource", "status", "rating"], name="progress_insights_counts"),
        ]

    def __str__(self) -> str:
        return f"{self.learner} · {self.resource} · {self.get_status_display()}"


class Dismissal(models.Model):
    """A learner's "not for me" on a resource; it is never recommended to them again."""

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dismissals")
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="dismissals")
    reason = models.CharField(max_length=20, choices=DismissalReason.choices)
    comment = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["learner", "resource"], name="dismissal_learner_resource_unique"),
            models.CheckConstraint(condition=choices_check("reason", DismissalReason), name="dismissal_reason_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.learner} dismissed {self.resource} ({self.get_reason_display()})"


class Interaction(models.Model):
    """The append-only event log the recommender learns from.

    `occurred_at` is when the learner acted (client time for offline clients), `received_at` when the server
    stored it. `client_event_id` makes replayed offline batches idempotent.
    """

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="interactions")
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="interactions")
    kind = models.CharField(max_length=16, choices=InteractionKind.choices)
    value = models.FloatField(null=True, blank=True, help_text="Rating 1-5 or percent 0-100, by kind.")
    occurred_at = models.DateTimeField(default=timezone.now)
    received_at = models.DateTimeField(default=timezone.now)
    # NULL, not "", for events without an id: the partial unique constraint must skip them.
    client_event_id = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001

    class Meta:
        ordering = ["occurred_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "client_event_id"],
                condition=Q(client_event_id__isnull=False),
                name="interaction_client_event_unique",
            ),
            models.CheckConstraint(condition=choices_check("kind", InteractionKind), name="interaction_kind_valid"),
        ]
        indexes = [
            models.Index(fields=["occurred_at"]),
            models.Index(fields=["learner", "occurred_at"]),
            models.Index(fields=["received_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.learner} {self.kind} {self.resource} at {self.occurred_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValueError("Interactions are append-only: record a new event instead of changing one.")
        super().save(*args, **kwargs)


class DigestSend(models.Model):
    """A weekly digest sent to a learner: one row a learner and week, so no week gets two (the unique constraint
    holds even when two senders run at once)."""

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_sends")
    week = models.DateField(help_text="The Monday of the week the digest is for.")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-week"]
        constraints = [models.UniqueConstraint(fields=["learner", "week"], name="digest_send_once_a_week")]

    def __str__(self) -> str:
        return f"Digest to {self.learner} for the week of {self.week}"
