"""Links that leave the page: absolute URLs on the canonical site (feeds, JSON-LD, the JSON
feed, ninjs), and the one rule for which outside web addresses may be links at all."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

UNSAFE_CTA_URL = (
    "Use a full web address starting with https:// or http://, e.g. https://example.com/offer. "
    "javascript:, data:, ftp: and relative links are not allowed."
)


def absolute(path: str) -> str:
    """Return `path` as an absolute URL on SITE_URL; an already absolute URL is kept."""
    return path if path.startswith(("http://", "https://")) else settings.SITE_URL + path


def cta_url_problem(url: str) -> str:
    """Return why `url` may not be a call-to-action link, or an empty string if it may."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return UNSAFE_CTA_URL
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return UNSAFE_CTA_URL
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return "Enter a valid web address, e.g. https://example.com/offer."
    return ""


def web_link(url: str) -> str:
    """Return `url` if readers may follow it (a sponsor's or a call to action's), else "".

    The admin form refuses any other; this also covers a URL stored behind the form's back
    (shell, script, import), which every channel must then show as text, not as a link.
    """
    return url if url and not cta_url_problem(url) else ""
