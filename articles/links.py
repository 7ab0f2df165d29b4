"""Absolute links on the canonical site, for every channel that leaves the page: feeds,
JSON-LD, the JSON feed and ninjs."""

from django.conf import settings


def absolute(path: str) -> str:
    """Return `path` as an absolute URL on SITE_URL; an already absolute URL is kept."""
    return path if path.startswith(("http://", "https://")) else settings.SITE_URL + path
