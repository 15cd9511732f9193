"""Error pages: JSON under /api/ (mobile clients never get HTML), templates elsewhere."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from learning.api.errors import error_json_response

API_PREFIX = "/api/"


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return error_json_response("not_found", "Not found.", 404)
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return error_json_response("server_error", "Something went wrong on our side.", 500)
    return render(request, "500.html", status=500)
