"""Learner data in the admin: read-only, so curators can look but never rewrite a learner's history."""

from django.contrib import admin

from learning.admin.read_only import ReadOnlyAdmin
from learning.models import Dismissal, Interaction, LearnerProfile, PathEnrollment, Progress


@admin.register(LearnerProfile)
class LearnerProfileAdmin(ReadOnlyAdmin):
    list_display = ["user", "level", "weekly_hours", "onboarded", "created_at"]
    list_filter = ["level", "onboarded", "preferred_frameworks"]
    search_fields = ["user__username", "user__email"]
    list_select_related = ["user"]


@admin.register(Progress)
class ProgressAdmin(ReadOnlyAdmin):
    list_display = ["learner", "resource", "status", "percent", "rating", "started_at", "completed_at", "updated_at"]
    list_filter = ["status", "rating", "resource__kind", "resource__level"]
    search_fields = ["learner__username", "resource__title", "resource__slug"]
    list_select_related = ["learner", "resource"]
    date_hierarchy = "updated_at"


@admin.register(PathEnrollment)
class PathEnrollmentAdmin(ReadOnlyAdmin):
    list_display = ["learner", "path", "enrolled_at"]
    list_filter = ["path"]
    search_fields = ["learner__username", "path__title"]
    list_select_related = ["learner", "path"]


@admin.register(Dismissal)
class DismissalAdmin(ReadOnlyAdmin):
    list_display = ["learner", "resource", "reason", "created_at"]
    list_filter = ["reason"]
    search_fields = ["learner__username", "resource__title"]
    list_select_related = ["learner", "resource"]


@admin.register(Interaction)
class InteractionAdmin(ReadOnlyAdmin):
    list_display = ["learner", "kind", "resource", "value", "occurred_at", "received_at", "client_event_id"]
    list_filter = ["kind"]
    search_fields = ["learner__username", "resource__title", "client_event_id"]
    list_select_related = ["learner", "resource"]
    date_hierarchy = "occurred_at"
    show_full_result_count = False
