"""Emptying every cache a request reads, for tests that need an uncached request."""

from django.core.cache import caches

from articles.caching import forget_local_copy


def clear_all_caches() -> None:
    """Empty the page cache, the shared content version and this process's copy of it."""
    for alias in ("default", "versions"):
        caches[alias].clear()
    forget_local_copy()
