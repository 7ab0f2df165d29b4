"""Cursor pagination with a page size the client picks, and 400s for bad values."""

from django.utils.dateparse import parse_datetime
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination

MAX_PAGE_SIZE = 100
TIME_FIELDS = {"publish_at", "updated_at", "changed_at"}


class ArticleCursorPagination(CursorPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    ordering = ("-publish_at", "-id")
    invalid_cursor_message = "The cursor is not valid: use the `next` or `previous` link as given."

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        # isdigit() alone accepts "²", which int() refuses.
        if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError(
                {"page_size": [f"A whole number from 1 to {self.max_page_size}."]}
            )
        return int(raw)

    def decode_cursor(self, request):
        # DRF answers a bad cursor with 404; it is bad input, so 400.
        try:
            cursor = super().decode_cursor(request)
        except NotFound as error:
            raise ValidationError({"cursor": [self.invalid_cursor_message]}) from error
        # A well-formed cursor may still carry a position that is not a time (hand-made).
        hand_made = cursor and cursor.position is not None and self.orders_by_time(request)
        if hand_made and parse_datetime(cursor.position) is None:
            raise ValidationError({"cursor": [self.invalid_cursor_message]})
        return cursor

    def orders_by_time(self, request) -> bool:
        return self.ordering[0].lstrip("-") in TIME_FIELDS


class OrderedArticlePagination(ArticleCursorPagination):
    """Newest first by default; `ordering` picks another order from a fixed set."""

    ORDERINGS = {
        "-published_at": ("-publish_at", "-id"),
        "published_at": ("publish_at", "id"),
        "-updated_at": ("-updated_at", "-id"),
        "updated_at": ("updated_at", "id"),
    }

    def get_ordering(self, request, queryset, view):
        value = request.query_params.get("ordering", "-published_at")
        if value not in self.ORDERINGS:
            raise ValidationError({"ordering": [f"One of: {', '.join(self.ORDERINGS)}."]})
        return self.ORDERINGS[value]

    def orders_by_time(self, request) -> bool:
        return True  # every ordering on offer is by a time


class SyncCursorPagination(ArticleCursorPagination):
    """`updated_since` mode: oldest change first, so a mirror can follow the changes."""

    ordering = ("changed_at", "id")


class NameCursorPagination(ArticleCursorPagination):
    ordering = ("name", "id")
    page_size = 50
