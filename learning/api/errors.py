"""One error shape for every 4xx under /api/: {"error": {"code", "message", "fields"}}, built by `error_body` alone
(DRF's exception handler, Django's error pages under /api/, the lockout answer and per-event outcomes)."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrPromise
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from learning.exceptions import NON_FIELD, LearningError


def error_body(code: str, message: str | StrPromise, fields: dict[str, list[str]] | None = None) -> dict:
    """The one JSON error body of the API."""
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def error_json_response(code: str, message: str | StrPromise, status: int, fields: dict[str, list[str]] | None = None):
    """`error_body` as a plain Django response, for answers made outside DRF (error pages, middleware)."""
    return JsonResponse(error_body(code, message, fields), status=status)


def flatten_detail(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF error details (nested dicts and lists) as {"dotted.path": [messages]}; list positions become indices."""
    if isinstance(detail, dict):
        fields: dict[str, list[str]] = {}
        for key, value in detail.items():
            name = NON_FIELD if key in {NON_FIELD, "__all__"} else key
            _merge(fields, flatten_detail(value, f"{prefix}{name}."))
        return fields
    key = prefix.rstrip(".") or NON_FIELD
    if isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            return {key: [str(item) for item in detail]} if detail else {}
        fields = {}
        for index, item in enumerate(detail):
            _merge(fields, flatten_detail(item, f"{prefix}{index}."))
        return fields
    return {key: [str(detail)]}


def _merge(into: dict[str, list[str]], more: dict[str, list[str]]) -> None:
    for key, messages in more.items():
        into.setdefault(key, []).extend(messages)


def learning_error_response(error: LearningError) -> Response:
    return Response(error_body(error.code, error.message, error.fields), status=status.HTTP_400_BAD_REQUEST)


TOO_LARGE = ("too_large", gettext_lazy("The request body is larger than this server accepts."))


def _first_code(exc: exceptions.APIException) -> str:
    codes = exc.get_codes()
    while isinstance(codes, dict | list):
        if not codes:
            return exc.default_code
        codes = next(iter(codes.values())) if isinstance(codes, dict) else codes[0]
    return str(codes)


def api_exception_handler(exc, context):
    """DRF's handler (headers such as Retry-After and WWW-Authenticate included), with the body reshaped."""
    if isinstance(exc, LearningError):
        set_rollback()  # as DRF does for its own errors, should requests ever run in one transaction
        return learning_error_response(exc)
    if isinstance(exc, RequestDataTooBig):  # Django's size limit, hit while DRF reads the body
        return Response(error_body(*TOO_LARGE), status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a server error: Django's handler500 answers (JSON under /api/)
    if isinstance(exc, exceptions.ValidationError):
        response.data = error_body("invalid", _("The request is not valid."), flatten_detail(exc.detail))
    elif isinstance(exc, Http404):
        response.data = error_body("not_found", _("Not found."))
    elif isinstance(exc, DjangoPermissionDenied):
        response.data = error_body("permission_denied", _("You do not have permission to perform this action."))
    elif isinstance(exc, exceptions.APIException):
        response.data = error_body(_first_code(exc), str(exc.detail))
    return response


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Machine-readable error code, e.g. invalid, not_found, throttled.")
    message = serializers.CharField(help_text="A human-readable summary.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text='Messages per input field ("events.3.kind" for nested input); empty when not about fields.',
    )


class ErrorSerializer(serializers.Serializer):
    """The body of every 4xx answer."""

    error = ErrorDetailSerializer()
