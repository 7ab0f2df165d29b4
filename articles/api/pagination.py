"""Cursor pagination with a page size the client picks, and 400s for bad values."""

from datetime import UTC

from django.db.models import Q
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import Cursor, CursorPagination

from articles.models import Tombstone
from articles.pagination import BadCursor, cursor_id, cursor_time

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
        if cursor is None or cursor.position is None:
            return cursor
        # A well-formed cursor may still carry a hand-made position: a NUL (which PostgreSQL
        # refuses in a query), or for a time order anything but a time a database holds.
        if "\x00" in cursor.position:
            raise ValidationError({"cursor": [self.invalid_cursor_message]})
        if not self.orders_by_time(request):
            return cursor
        try:
            moment = cursor_time(cursor.position)
        except BadCursor as error:
            raise ValidationError({"cursor": [self.invalid_cursor_message]}) from error
        # Compare with the time in UTC, as read, not the text again.
        return cursor._replace(position=moment.isoformat())

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
    """`updated_since` mode: one stream of changed articles and tombstones, oldest first.

    Both come from their own query, each bounded by the cursor (keyset, no offsets), and
    are merged by (time, article id): an article's `changed_at`, a tombstone's `removed_at`
    and the article id it stands for (not the tombstone's own id). An article id is in at
    most one of the two at a time (a tombstone is only read while its article is not
    public), so the key is unique and no item is skipped or repeated at a page boundary;
    a story that moves from one to the other comes again later, at its new time. The
    cursor's position is "<time in UTC>|<article id>".
    """

    ordering = ("changed_at", "id")

    def orders_by_time(self, request) -> bool:
        return False  # the position is a (time, id) pair, read by sync_position()

    def sync_position(self, cursor) -> tuple | None:
        if cursor is None or cursor.position is None:
            return None
        try:
            when, pk = cursor.position.split("|")
            return cursor_time(when), cursor_id(pk)
        except (ValueError, BadCursor) as error:
            raise ValidationError({"cursor": [self.invalid_cursor_message]}) from error

    def paginate_queryset(self, queryset, request, view=None):
        """Return one page of articles (`queryset`) and `view.get_tombstones()`, merged."""
        self.request, self.base_url = request, request.build_absolute_uri()
        self.page_size = self.get_page_size(request)
        self.cursor = self.decode_cursor(request)
        position = self.sync_position(self.cursor)
        reverse = bool(self.cursor and self.cursor.reverse)
        limit = self.page_size + 1
        articles = _after(queryset, "changed_at", "id", position, reverse)[:limit]
        tombstones = _after(view.get_tombstones(), "removed_at", "article_id", position, reverse)
        merged = sorted([*articles, *tombstones[:limit]], key=_key, reverse=reverse)
        self.has_following = len(merged) > self.page_size
        page = merged[: self.page_size]
        self.page = page[::-1] if reverse else page
        self.has_next = self.has_following if not reverse else True
        self.has_previous = position is not None if not reverse else self.has_following
        return self.page

    def get_next_link(self):
        if not self.has_next:
            return None
        if not self.page:  # went back past the start: resume where the cursor pointed
            return self.encode_cursor(self.cursor._replace(reverse=False))
        return self.encode_cursor(
            Cursor(offset=0, reverse=False, position=_position(self.page[-1]))
        )

    def get_previous_link(self):
        if not self.has_previous:
            return None
        if not self.page:
            return self.encode_cursor(self.cursor._replace(reverse=True))
        return self.encode_cursor(Cursor(offset=0, reverse=True, position=_position(self.page[0])))


def _key(item) -> tuple:
    """The sync order of an article (changed_at, id) or a tombstone (removed_at, article_id)."""
    if isinstance(item, Tombstone):
        return item.removed_at, item.article_id
    return item.changed_at, item.pk


def _position(item) -> str:
    when, pk = _key(item)
    return f"{when.astimezone(UTC).isoformat()}|{pk}"


def _after(queryset, time_field: str, id_field: str, position, reverse: bool):
    """`queryset` from just after `position` (before it, going back), in the sync order."""
    if position is not None:
        when, pk = position
        beyond = "lt" if reverse else "gt"
        queryset = queryset.filter(
            Q(**{f"{time_field}__{beyond}": when})
            | Q(**{time_field: when, f"{id_field}__{beyond}": pk})
        )
    order = (f"-{time_field}", f"-{id_field}") if reverse else (time_field, id_field)
    return queryset.order_by(*order)


class NameCursorPagination(ArticleCursorPagination):
    ordering = ("name", "id")
    page_size = 50
