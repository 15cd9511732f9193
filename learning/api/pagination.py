"""Page-number pages for the catalog ({count, next, previous, results}), cursor pages for learner progress."""

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination, PageNumberPagination


class StrictPageSizeMixin:
    """A page_size that is not a whole number from 1 to the maximum is an error, not silently the default."""

    page_size_query_param = "page_size"

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if not raw:  # absent or empty: as for every optional query parameter, an empty value means "not given"
            return self.page_size
        if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            message = f"Must be a whole number from 1 to {self.max_page_size}."
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


class ProgressCursorPagination(StrictPageSizeMixin, CursorPagination):
    """Newest activity first; stable while rows change (an offset would skip or repeat rows)."""

    page_size = 50
    max_page_size = 200
    ordering = ("-updated_at", "-id")
