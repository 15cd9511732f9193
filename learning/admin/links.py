"""Link health in the resource admin: a health column, a filter, "use the final URL" and "check links now"."""

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html

from learning.exceptions import LearningError
from learning.models import LinkHealth, Resource
from learning.services.links import resources_use_final_url
from learning.tasks import check_links_task

NEVER_CHECKED = "never"


class LinkHealthFilter(admin.SimpleListFilter):
    title = "link health"
    parameter_name = "link_health"

    def lookups(self, request: HttpRequest, model_admin):
        return [*LinkHealth.choices, (NEVER_CHECKED, "Never checked")]

    def queryset(self, request: HttpRequest, queryset):
        value = self.value()
        if value == NEVER_CHECKED:
            return queryset.filter(link_check__isnull=True)
        if value in LinkHealth.values:
            return queryset.filter(link_check__health=value)
        return queryset


class LinkHealthAdminMixin:
    """Mixed into ResourceAdmin; reads each row's LinkCheck in the list's one query (reverse one-to-one join)."""

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).select_related("link_check")  # type: ignore[misc]

    @admin.display(description="link", ordering="link_check__health")
    def link_health(self, resource: Resource) -> str:
        check = getattr(resource, "link_check", None)  # a reverse one-to-one raises when there is no row
        if check is None:
            return format_html('<span title="{}">never checked</span>', "No check has run since it was added.")
        label = check.get_health_display()
        if check.health == LinkHealth.BROKEN:
            label = f"broken ×{check.consecutive_failures}"
        when = check.checked_at.strftime("%Y-%m-%d %H:%M UTC")
        return format_html('<span title="{}, {}">{}</span>', check.outcome, when, label)

    def get_urls(self):
        check_all = self.admin_site.admin_view(self.check_links_view)
        return [
            path("check-links/", check_all, name="learning_resource_check_links"),
            *super().get_urls(),
        ]

    def check_links_view(self, request: HttpRequest):
        changelist = reverse("admin:learning_resource_changelist")
        if request.method != "POST" or not self.has_change_permission(request):  # type: ignore[attr-defined]
            messages.error(request, "Checking links needs the change permission and the button on this page.")
            return HttpResponseRedirect(changelist)
        check_links_task.enqueue()
        messages.success(
            request, "A check of every published resource's link is queued; `manage.py db_worker` runs it."
        )
        return HttpResponseRedirect(changelist)

    @admin.action(description="Check the links of selected resources (in the background)", permissions=["change"])
    def check_links(self, request: HttpRequest, queryset) -> None:
        ids = list(queryset.values_list("pk", flat=True))
        check_links_task.enqueue(resource_ids=ids)
        self.message_user(  # type: ignore[attr-defined]
            request,
            f"A link check of {len(ids)} resource(s) is queued (published ones only); `manage.py db_worker` runs it.",
            messages.SUCCESS,
        )

    @admin.action(description="Use the final URL of selected redirected resources", permissions=["change"])
    def use_final_url(self, request: HttpRequest, queryset) -> None:
        try:
            changed = resources_use_final_url(resource_ids=queryset.values_list("pk", flat=True), user=request.user)
        except LearningError as error:
            self.message_user(request, error.message, messages.ERROR)  # type: ignore[attr-defined]
            return
        self.message_user(  # type: ignore[attr-defined]
            request,
            f"{changed} resource(s) now use their final URL (only redirected ones whose check is current change).",
            messages.SUCCESS,
        )
