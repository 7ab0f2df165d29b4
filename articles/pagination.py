"""Keyset (cursor) pagination for public lists: constant cost at any depth, no COUNT.

A cursor names the last item shown — its publish time and id — so the next page is "older
than that", answered straight from the (publish_at, id) index however deep the reader goes.
"""

import base64
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_datetime


class BadCursor(ValueError):
    """The cursor was not made by us (edited, truncated or forged)."""


BAD_CURSOR_MESSAGE = "That page link is not valid: go back to the first page."

# The largest id a database column holds (a signed 64-bit integer): a bigger one is an error
# in the database driver, not an empty page.
MAX_ID = 2**63 - 1


@dataclass
class Page:
    items: list
    next_cursor: str | None


def encode_cursor(publish_at: datetime, pk: int) -> str:
    raw = f"{publish_at.isoformat()}|{pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def cursor_time(text: str) -> datetime:
    """Return the time named in a cursor, in UTC, or raise BadCursor.

    The one check of a cursor's time for the site and the API: ISO 8601 with a zone, and a
    moment a datetime can hold once in UTC (year 9999 at -23:00 is past the end of time, and
    comparing with it was a 500).
    """
    try:
        # parse_datetime raises ValueError for well-formed impossible values (February 30th).
        moment = parse_datetime(text)
        if moment is None or moment.tzinfo is None:
            raise ValueError(text)
        return moment.astimezone(UTC)
    except (ValueError, TypeError, OverflowError) as exc:
        raise BadCursor(BAD_CURSOR_MESSAGE) from exc


def cursor_id(text: str) -> int:
    """Return the id named in a cursor (a whole number a database id can be), or raise BadCursor."""
    # isdigit() alone accepts "²", which int() refuses; int() refuses over 4,300 digits.
    digits = text.isascii() and text.isdigit() and len(text) <= len(str(MAX_ID))
    if not digits or not 1 <= int(text) <= MAX_ID:
        raise BadCursor(BAD_CURSOR_MESSAGE)
    return int(text)


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    """Return (publish_at, id) from a cursor, or raise BadCursor."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        when, pk = base64.urlsafe_b64decode(padded.encode()).decode().split("|")
    except (ValueError, UnicodeError) as exc:
        raise BadCursor(BAD_CURSOR_MESSAGE) from exc
    return cursor_time(when), cursor_id(pk)


def keyset_page(queryset: QuerySet, cursor: str | None, size: int) -> Page:
    """Return the page after `cursor` of a queryset ordered newest first (-publish_at, -id)."""
    if cursor:
        when, pk = decode_cursor(cursor)
        # publish_at <= when is redundant logically but gives PostgreSQL an index bound, so a
        # deep page reads only its own rows.
        queryset = queryset.filter(publish_at__lte=when).filter(
            Q(publish_at__lt=when) | Q(publish_at=when, id__lt=pk)
        )
    items = list(queryset.order_by("-publish_at", "-id")[: size + 1])
    more = len(items) > size
    items = items[:size]
    return Page(items, encode_cursor(items[-1].publish_at, items[-1].pk) if more else None)
