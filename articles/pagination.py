"""Keyset (cursor) pagination for public lists: constant cost at any depth, no COUNT.

A cursor names the last item shown — its publish time and id — so the next page is "older
than that", answered straight from the (publish_at, id) index however deep the reader goes.
"""

import base64
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_datetime


class BadCursor(ValueError):
    """The cursor was not made by us (edited, truncated or forged)."""


@dataclass
class Page:
    items: list
    next_cursor: str | None


def encode_cursor(publish_at: datetime, pk: int) -> str:
    raw = f"{publish_at.isoformat()}|{pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    """Return (publish_at, id) from a cursor, or raise BadCursor."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        when, pk = base64.urlsafe_b64decode(padded.encode()).decode().split("|")
        moment = parse_datetime(when)
        if moment is None or moment.tzinfo is None:
            raise ValueError(when)
        return moment, int(pk)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadCursor("That page link is not valid: go back to the first page.") from exc


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
