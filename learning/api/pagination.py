"""Page-number pages for the catalog ({count, next, previous, results}), cursor pages for learner progress."""

from datetime import UTC, datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination, PageNumberPagination


class StrictPageSizeMixin:
    """A page_size that is not a whole number from 1 to the maximum is an error, not silently the default."""

    page_size_query_param = "page_size"

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if not raw:  # absent or empty: as for every optional query parameter, an empty value means "not given"
            return self.page_size
        if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            message = _("Must be a whole number from 1 to %(maximum)d.") % {"maximum": self.max_page_size}
            raise ValidationError({self.page_size_query_param: [message]})
        return int(raw)

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters


class CatalogPagination(StrictPageSizeMixin, PageNumberPagination):
    page_size = 20
    max_page_size = 100


class SmallCatalogPagination(CatalogPagination):
    """Topics and paths: a few dozen rows a client usually wants whole, so one page by default."""

    page_size = 100


class CheckedCursorPagination(CursorPagination):
    """A cursor is opaque to clients but is only base64 text they can forge: its position must be a value of the
    ordering field that the database can take, else the cursor is a 400 (DRF would query with it and fail)."""

    invalid_cursor = gettext_lazy("Invalid cursor: use the next or previous address of a page as given.")

    def paginate_queryset(self, queryset, request, view=None):
        self._position_field = queryset.model._meta.get_field(self.ordering[0].lstrip("-"))
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request):
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            raise ValidationError({self.cursor_query_param: [self.invalid_cursor]}) from None
        if cursor is not None and cursor.position is not None:
            try:  # the same conversion the filter on the position will make, so that it cannot fail there
                field = self._position_field
                position = field.to_python(cursor.position)
                if isinstance(position, datetime):  # any database: a time that has no UTC equivalent in Python
                    position.astimezone(UTC)
                field.get_db_prep_value(position, connection, prepared=False)
            except (DjangoValidationError, ValueError, OverflowError, TypeError):
                raise ValidationError({self.cursor_query_param: [self.invalid_cursor]}) from None
        return cursor


class ProgressCursorPagination(StrictPageSizeMixin, CheckedCursorPagination):
    """Newest activity first; stable while rows change (an offset would skip or repeat rows)."""

    page_size = 50
    max_page_size = 200
    ordering = ("-updated_at", "-id")
