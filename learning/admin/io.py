"""Admin pages to import and export the catalog (JSON) and resources (CSV)."""

from django.contrib import messages
from django.contrib.admin import AdminSite
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from learning.admin.forms import CatalogImportForm
from learning.audit import ADMIN
from learning.exceptions import LearningError
from learning.models import Resource
from learning.services import catalog_export_json, catalog_import_text, resources_export_csv

MAX_WARNING_MESSAGES = 25
IMPORT_PERMISSIONS = (
    "learning.add_resource",
    "learning.change_resource",
    "learning.add_topic",
    "learning.add_learningpath",
)


class CatalogIoViews:
    def __init__(self, admin_site: AdminSite) -> None:
        self.admin_site = admin_site
        self.import_view = admin_site.admin_view(self._import)
        self.export_json_view = admin_site.admin_view(self._export_json)
        self.export_csv_view = admin_site.admin_view(self._export_csv)

    def _import(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perms(IMPORT_PERMISSIONS):
            raise PermissionDenied
        form = CatalogImportForm(request.POST or None, request.FILES or None)
        problems: list[str] = []
        if request.method == "POST" and form.is_valid():
            try:
                report = catalog_import_text(
                    text=form.cleaned_data["text"],
                    file_format=form.cleaned_data["file_format"],
                    user=request.user,
                    via=ADMIN,
                )
            except LearningError as error:
                form.add_error("file", error.message)
                problems = error.problems
            else:
                messages.success(request, f"Imported {form.cleaned_data['file'].name}: {report.summary()}.")
                for warning in report.warnings[:MAX_WARNING_MESSAGES]:
                    messages.warning(request, warning)
                if len(report.warnings) > MAX_WARNING_MESSAGES:
                    hidden = len(report.warnings) - MAX_WARNING_MESSAGES
                    messages.warning(request, f"... and {hidden} more warning(s); run import_catalog to see them all.")
                return redirect("admin:learning_resource_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": "Import catalog",
            "form": form,
            "problems": problems,
            "opts": Resource._meta,
        }
        return TemplateResponse(request, "admin/learning/catalog_import.html", context)

    def _export_json(self, request: HttpRequest) -> HttpResponse:
        return _download(request, catalog_export_json(), "application/json", "json")

    def _export_csv(self, request: HttpRequest) -> HttpResponse:
        return _download(request, resources_export_csv(), "text/csv", "csv", name="deeppath-resources")


def _download(request: HttpRequest, body: str, content_type: str, suffix: str, name: str = "deeppath-catalog"):
    if not request.user.has_perm("learning.view_resource"):
        raise PermissionDenied
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.{suffix}"'
    return response
