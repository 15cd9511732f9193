"""The audit trail in the admin: each resource's, topic's, path's and provider's history page lists field-level
changes (who, when, from where, before and after), and every change can be downloaded as CSV."""

import csv
import io

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from learning.models import Resource
from learning.selectors.audit import AUDITED, audit_entries, audit_rows
from recommender.retraining import retrain_requests

RECENT = 200


class AuditedAdmin(SimpleHistoryAdmin):
    """History pages whose "Changes" column reads like the audit export (names, steps in order), with a download."""

    audit_key = ""  # a key of learning.selectors.audit.AUDITED
    object_history_template = "admin/learning/audited_history.html"

    def set_history_delta_changes(self, request, page_obj, history_delta_changes_attr_name="history_delta_changes"):
        records = list(page_obj)
        if not records:
            return
        changes = {
            entry.history_id: entry.changes
            for entry in audit_entries(model=self.audit_key, object_id=records[0].instance_type and records[0].id)
        }
        for record in records:
            setattr(record, history_delta_changes_attr_name, changes.get(record.history_id, []))

    def history_view(self, request, object_id, extra_context=None):
        extra = {**(extra_context or {}), "audit_key": self.audit_key, "audit_object_id": object_id}
        return super().history_view(request, object_id, extra_context=extra)


def _check(request: HttpRequest) -> None:
    if not request.user.has_perm("learning.view_resource"):
        raise PermissionDenied


def audit_page(request: HttpRequest) -> HttpResponse:
    _check(request)
    entries = audit_entries()[:RECENT]
    context = {
        **admin.site.each_context(request),
        "title": _("Audit trail"),
        "entries": entries,
        "retrains": retrain_requests()[:20],
        "opts": Resource._meta,
        "recent": RECENT,
    }
    return TemplateResponse(request, "admin/learning/audit.html", context)


def audit_export(request: HttpRequest) -> HttpResponse:
    """Every change as CSV (or one object's: ?model=resource&object=12)."""
    _check(request)
    model = request.GET.get("model")
    model = model if model in AUDITED else None
    try:
        object_id = int(request.GET["object"]) if model and request.GET.get("object") else None
    except ValueError:
        object_id = None
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows(audit_rows(audit_entries(model=model, object_id=object_id)))
    if model is None:
        for request_row in retrain_requests():
            writer.writerow(request_row)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    suffix = f"-{model}-{object_id}" if object_id else ""
    response["Content-Disposition"] = f'attachment; filename="deeppath-audit{suffix}-{stamp}.csv"'
    return response


def audit_urls() -> list[URLPattern]:
    """Mounted under /admin/audit/ (config/urls.py)."""
    view = admin.site.admin_view
    return [path("", view(audit_page), name="index"), path("export.csv", view(audit_export), name="export")]
