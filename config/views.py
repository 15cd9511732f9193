"""Error pages: JSON under /api/ (mobile clients never get HTML), templates elsewhere."""

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import defaults

from learning.api.errors import TOO_LARGE, error_json_response

API_PREFIX = "/api/"


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return error_json_response("not_found", _("Not found."), 404)
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return error_json_response("server_error", _("Something went wrong on our side."), 500)
    return render(request, "500.html", status=500)


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    """Django's 400 for what it refuses before any view runs (a body over the size limit, a bad Host header)."""
    if request.path.startswith(API_PREFIX):
        if isinstance(exception, RequestDataTooBig):
            return error_json_response(*TOO_LARGE, 413)
        return error_json_response("bad_request", _("The request is not valid."), 400)
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return error_json_response("permission_denied", _("You do not have permission to perform this action."), 403)
    return defaults.permission_denied(request, exception)
