"""The anonymous page cache, and its invalidation when the news changes.

Cached pages live under a content version. Anything that changes what readers may see
(publish, schedule, edit, withdraw, sponsored changes) calls `purge()`, which bumps the
version: every worker sharing the cache (Redis, when REDIS_URL is set) stops serving the old
pages. A scheduled article needs no one to call anything: the time of the next scheduled
publication is remembered, and the first request after it purges.

Every request needs the version and the next scheduled time. Reading them from the shared
cache on every request (two file reads, or a round trip to Redis) costs a cached page a good
part of its time, so each process keeps what it read for `CONTENT_VERSION_TTL` seconds (one by
default): a change made through one worker reaches the others within that time, and the
process that made it at once.
"""

import hashlib
import time
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.cache import cache, caches
from django.utils import timezone
from django.utils.cache import patch_cache_control, set_response_etag
from django.utils.http import http_date

VERSION_KEY = "newsroom:content-version"
NEXT_SCHEDULED_KEY = "newsroom:next-scheduled"
NOTHING_SCHEDULED = float("inf")


def _versions():
    """The cache every worker process shares (Redis, or a file cache on one machine)."""
    return caches["versions"]


@dataclass
class _Shared:
    """This process's copy of the shared state, and when it was read (time.monotonic())."""

    version: int
    next_scheduled: float | None  # None: not known yet
    read_at: float


_local: _Shared | None = None


def forget_local_copy() -> None:
    """Make the next request read the shared state (after clearing the caches, in tests)."""
    global _local
    _local = None


def _shared() -> _Shared:
    global _local
    if _local is not None and time.monotonic() - _local.read_at < settings.CONTENT_VERSION_TTL:
        return _local
    versions = _versions()
    values = versions.get_many([VERSION_KEY, NEXT_SCHEDULED_KEY])
    version = values.get(VERSION_KEY)
    if version is None:
        versions.add(VERSION_KEY, int(time.time() * 1000), None)
        version = versions.get(VERSION_KEY)
    _local = _Shared(version, values.get(NEXT_SCHEDULED_KEY), time.monotonic())
    return _local


def purge() -> None:
    """Invalidate every cached public page and the remembered next scheduled time.

    The version is the time of the change in milliseconds (never going backwards), so it also
    serves as the pages' Last-Modified time.
    """
    versions = _versions()
    current = versions.get(VERSION_KEY) or 0
    versions.set(VERSION_KEY, max(int(time.time() * 1000), current + 1), None)
    versions.delete(NEXT_SCHEDULED_KEY)
    forget_local_copy()


def content_version() -> int:
    """Return the current content version (set on first use)."""
    return _shared().version


def _purge_if_schedule_due() -> None:
    """Purge when a scheduled article's time has come since the pages were cached."""
    from articles.models import Article

    shared = _shared()
    now = timezone.now()
    if shared.next_scheduled is None:
        upcoming = Article.objects.scheduled(now).order_by("publish_at").values_list(
            "publish_at", flat=True
        ).first()  # fmt: skip
        shared.next_scheduled = upcoming.timestamp() if upcoming else NOTHING_SCHEDULED
        _versions().set(NEXT_SCHEDULED_KEY, shared.next_scheduled, None)
    if now.timestamp() >= shared.next_scheduled:
        purge()


def page_key(request) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"newsroom:page:{content_version()}:{request.method}:{path}"


def cache_public_page(view):
    """Cache a public view's 200 responses for anonymous readers, with CDN-friendly headers.

    A page whose cached copy has gone stale is rebuilt by one request while the others keep
    serving the stale copy for a few seconds (no stampede on a hot page).
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in {"GET", "HEAD"} or request.user.is_authenticated:
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True)
            return response
        _purge_if_schedule_due()
        key = page_key(request)
        cached = cache.get(key)
        now = time.time()
        if cached is not None:
            fresh_until, response = cached
            if now <= fresh_until or not cache.add(f"{key}:lock", 1, 30):
                return response  # fresh, or stale while another request rebuilds it
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            if hasattr(response, "render"):
                response.render()
            response.headers.setdefault("Last-Modified", http_date(content_version() / 1000))
            set_response_etag(response)  # once, here, not on every cache hit
            patch_cache_control(
                response,
                public=True,
                max_age=0,
                s_maxage=settings.CDN_MAX_AGE,
                stale_while_revalidate=settings.CDN_MAX_AGE,
            )
            fresh = settings.PAGE_CACHE_SECONDS
            cache.set(key, (now + fresh, response), fresh + settings.PAGE_CACHE_STALE_SECONDS)
            cache.delete(f"{key}:lock")
        return response

    return wrapper
