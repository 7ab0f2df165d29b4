"""Signed, expiring preview links: someone without an account may read one draft."""

from django.conf import settings
from django.core import signing

SALT = "articles.preview"


def make_token(article) -> str:
    """Return a token naming this article, valid for PREVIEW_MAX_AGE seconds from now."""
    return signing.TimestampSigner(salt=SALT).sign(str(article.pk))


def article_id_from(token: str) -> int | None:
    """Return the article id a token names, or None if it is forged or has expired."""
    try:
        value = signing.TimestampSigner(salt=SALT).unsign(token, max_age=settings.PREVIEW_MAX_AGE)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    return int(value) if value.isdigit() else None
