"""The anonymous page cache, and its invalidation when the news changes.

Cached pages live under a content version. Anything that changes what readers may see
(publish, schedule, edit, withdraw, sponsored changes) calls `purge()`, which bumps the
version: every worker sharing the cache (Redis, when REDIS_URL is set) stops serving the old
pages at once. A scheduled article needs no one to call anything: the time of the next
scheduled publication is remembered, and the first request after it purges.
"""

import hashlib
import time
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


def purge() -> None:
    """Invalidate every cached public page and the remembered next scheduled time.

    The version is the time of the change in milliseconds (never going backwards), so it also
    serves as the pages' Last-Modified time.
    """
    versions = _versions()
    current = versions.get(VERSION_KEY) or 0
    versions.set(VERSION_KEY, max(int(time.time() * 1000), current + 1), None)
    versions.delete(NEXT_SCHEDULED_KEY)


def content_version() -> int:
    """Return the current content version (set on first use)."""
    versions = _versions()
    version = versions.get(VERSION_KEY)
    if version is None:
        versions.add(VERSION_KEY, int(time.time() * 1000), None)
        version = versions.get(VERSION_KEY)
    return version


def _purge_if_schedule_due() -> None:
    """Purge when a scheduled article's time has come since the pages were cached."""
    from articles.models import Article

    due = _versions().get(NEXT_SCHEDULED_KEY)
    now = timezone.now()
    if due is None:
        upcoming = Article.objects.scheduled(now).order_by("publish_at").values_list(
            "publish_at", flat=True
        ).first()  # fmt: skip
        due = upcoming.timestamp() if upcoming else NOTHING_SCHEDULED
        _versions().set(NEXT_SCHEDULED_KEY, due, None)
    if now.timestamp() >= due:
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
