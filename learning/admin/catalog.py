"""Curation of topics, resources, frameworks and learning paths."""

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import Count
from django.http import HttpRequest
from django.urls import path

from learning.admin.audit import AuditedAdmin
from learning.admin.forms import TopicAdminForm
from learning.admin.io import CatalogIoViews
from learning.admin.links import LinkHealthAdminMixin, LinkHealthFilter
from learning.models import Framework, LearningPath, PathStep, Provider, PublicationStatus, Resource, Topic
from learning.services import StepSpec, path_steps_replace, resources_set_status, topic_prerequisites_set


@admin.register(Topic)
class TopicAdmin(AuditedAdmin):
    audit_key = "topic"
    form = TopicAdminForm
    list_display = ["name", "slug", "prerequisite_count", "resource_count"]
    search_fields = ["name", "slug", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "summary", "prerequisite_topics"]

    def get_queryset(self, request: HttpRequest):
        return (
            super()
            .get_queryset(request)
            .annotate(
                prerequisite_total=Count("prerequisite_links", distinct=True),
                resource_total=Count("resources", distinct=True),
            )
        )

    @admin.display(description="prerequisites", ordering="prerequisite_total")
    def prerequisite_count(self, topic: Topic) -> int:
        return topic.prerequisite_total

    @admin.display(description="resources", ordering="resource_total")
    def resource_count(self, topic: Topic) -> int:
        return topic.resource_total

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        topic_prerequisites_set(
            topic=form.instance, prerequisites=form.cleaned_data["prerequisite_topics"], user=request.user
        )


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Provider)
class ProviderAdmin(AuditedAdmin):
    audit_key = "provider"
    list_display = ["name", "url", "resource_count"]
    search_fields = ["name", "aliases"]
    fields = ["name", "url", "aliases"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).annotate(resource_total=Count("resources"))

    @admin.display(description="resources", ordering="resource_total")
    def resource_count(self, provider: Provider) -> int:
        return provider.resource_total


@admin.register(Resource)
class ResourceAdmin(LinkHealthAdminMixin, AuditedAdmin):
    audit_key = "resource"
    # Seven narrow columns: with the admin's sidebar and the filter panel open, the list fits a 1280 px window
    # (tests/browser/test_curator_walk.py); cost and minutes stay filterable and on each resource's page.
    list_display = ["title", "link_health", "kind", "level", "status", "provider", "updated_at"]
    list_filter = [LinkHealthFilter, "kind", "level", "status", "cost", "provider", "frameworks", "topics"]
    search_fields = ["title", "slug", "provider__name", "summary", "url"]
    list_select_related = ["provider"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["topics", "touches", "prerequisites", "frameworks"]
    readonly_fields = ["created_at", "updated_at"]
    actions = ["publish", "archive", "return_to_draft", "check_links", "use_final_url"]
    change_list_template = "admin/learning/resource/change_list.html"
    list_per_page = 50
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "url", "provider", "summary"]}),
        ("Fit", {"fields": ["level", "estimated_minutes", "cost", "frameworks"]}),
        ("Topics", {"fields": ["topics", "touches", "prerequisites"]}),
        ("Publication", {"fields": ["status", "created_at", "updated_at"]}),
    ]

    def get_urls(self):
        io_views = CatalogIoViews(self.admin_site)
        return [
            path("import/", io_views.import_view, name="learning_catalog_import"),
            path("export/catalog.json", io_views.export_json_view, name="learning_catalog_export_json"),
            path("export/resources.csv", io_views.export_csv_view, name="learning_resources_export_csv"),
            *super().get_urls(),
        ]

    def _set_status(self, request: HttpRequest, queryset, status: str, verb: str) -> None:
        changed = resources_set_status(
            resource_ids=queryset.values_list("pk", flat=True), status=status, user=request.user
        )
        self.message_user(request, f"{changed} resource(s) {verb}.", messages.SUCCESS)

    @admin.action(description="Publish selected resources", permissions=["change"])
    def publish(self, request: HttpRequest, queryset) -> None:
        self._set_status(request, queryset, PublicationStatus.PUBLISHED, "published")

    @admin.action(description="Archive selected resources", permissions=["change"])
    def archive(self, request: HttpRequest, queryset) -> None:
        self._set_status(request, queryset, PublicationStatus.ARCHIVED, "archived")

    @admin.action(description="Return selected resources to draft", permissions=["change"])
    def return_to_draft(self, request: HttpRequest, queryset) -> None:
        self._set_status(request, queryset, PublicationStatus.DRAFT, "returned to draft")


class PathStepInline(admin.TabularInline):
    model = PathStep
    fields = ["position", "resource", "required", "note"]
    # The admin's default note box (48em wide) pushed the table 230 px past a 1280 px window; a plain two-row box
    # of 40 columns keeps the whole row in view with the sidebar open (tests/browser/test_admin_width.py).
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 40})}}
    autocomplete_fields = ["resource"]
    ordering = ["position"]
    extra = 1


@admin.register(LearningPath)
class LearningPathAdmin(AuditedAdmin):
    audit_key = "path"
    list_display = ["title", "level", "status", "step_count", "updated_at"]
    list_filter = ["level", "status", "goal_topics"]
    search_fields = ["title", "slug", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["goal_topics"]
    inlines = [PathStepInline]

    def get_queryset(self, request: HttpRequest):
        # Learners' saved plans are theirs: curators see and export curated paths only.
        return super().get_queryset(request).curated().annotate(step_total=Count("steps"))

    @admin.display(description="steps", ordering="step_total")
    def step_count(self, path: LearningPath) -> int:
        return path.step_total

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        if formset.model is not PathStep:
            super().save_formset(request, form, formset, change)
            return
        formset.save(commit=False)  # records new/changed/deleted objects for the admin's change message
        kept = [
            step_form.cleaned_data
            for step_form in formset.forms
            if step_form.cleaned_data and not step_form.cleaned_data.get("DELETE")
        ]
        kept.sort(key=lambda data: data["position"])
        specs = [StepSpec(data["resource"].pk, data["required"], data.get("note", "")) for data in kept]
        # The inline formset has already refused duplicate positions and resources as field errors.
        path_steps_replace(path=form.instance, steps=specs, user=request.user)
