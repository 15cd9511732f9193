"""OpenAPI building blocks shared by the API views: documented error answers and common headers."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from learning.api.errors import ErrorSerializer

ERROR_DESCRIPTIONS = {
    400: "Invalid input: `error.fields` names each problem.",
    401: "No valid token: send `Authorization: Token <token>`.",
    403: "Not allowed for this account.",
    404: "Not found (or not yours).",
    405: "Method not allowed.",
    429: "Too many requests: retry after `Retry-After` seconds.",
}

RETRY_AFTER = OpenApiParameter(
    "Retry-After",
    OpenApiTypes.INT,
    OpenApiParameter.HEADER,
    response=[429],
    description="Seconds to wait before trying again.",
)
ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200, 304],
    description="Tag of this answer; send it back as If-None-Match.",
)
IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="An ETag from an earlier answer: 304 with no body when nothing changed.",
)
NOT_MODIFIED = OpenApiResponse(description="Not modified since the ETag sent in If-None-Match.")


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    """Documented error answers, each with the one error body."""
    return {code: OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[code]) for code in codes}


def conditional(ok, *codes: int) -> dict:
    """Responses of a catalog read: 200, 304 for a matching If-None-Match, and the given errors."""
    return {200: ok, 304: NOT_MODIFIED, **errors(*codes)}


def allow_empty_query_values(result, generator, request, public):
    """drf-spectacular postprocessing hook: optional query parameters admit an empty value, which means "not
    given" (as HTML forms send them, and as the web catalog's shared filters read them)."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query" and not parameter.get("required"):
                    parameter["allowEmptyValue"] = True
    return result
