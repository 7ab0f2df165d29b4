"""Signed, expiring, revocable preview links: someone without an account may read one draft.

A link signs "<article id>:<preview generation>" with a timestamp. Links are minted only on
request (`mint`), and `revoke_all` raises the article's `preview_generation`, which kills
every link minted before. `open_link` is the one check the public preview view makes.
"""

from datetime import UTC, datetime

from django.conf import settings
from django.core import signing
from django.db.models import F

from articles.models import Article, AuditEntry

SALT = "articles.preview"


class PreviewRefused(Exception):
    """A preview link that must not show its article; `gone` tells 410 (revoked) from 404."""

    def __init__(self, message: str, *, gone: bool = False):
        super().__init__(message)
        self.gone = gone


def make_token(article: Article) -> str:
    """Return a token naming this article at its current preview generation.

    Valid for PREVIEW_MAX_AGE seconds from now. Records nothing: use `mint` for a link
    someone asked for.
    """
    value = f"{article.pk}:{article.preview_generation}"
    return signing.TimestampSigner(salt=SALT).sign(value)


def mint(article: Article, *, by) -> str:
    """Mint a preview link token on request and record who asked for it."""
    article.refresh_from_db(fields=["preview_generation"])
    token = make_token(article)
    AuditEntry.objects.create(
        action="preview_minted",
        article=article,
        actor=by,
        message="Preview link created",
        data={"generation": article.preview_generation, "max_age": settings.PREVIEW_MAX_AGE},
    )
    return token


def revoke_all(article: Article, *, by) -> int:
    """Kill every preview link of this article: raise its generation. Returns the new one."""
    # F(): two revocations at once both count, and no other field of the article is written.
    Article.objects.filter(pk=article.pk).update(preview_generation=F("preview_generation") + 1)
    article.refresh_from_db(fields=["preview_generation"])
    AuditEntry.objects.create(
        action="previews_revoked",
        article=article,
        actor=by,
        message="All preview links revoked",
        data={"generation": article.preview_generation},
    )
    return article.preview_generation


def _unsign(token: str) -> tuple[int, int, datetime]:
    """Return (article id, generation, minted at) of a genuine, unexpired token."""
    signer = signing.TimestampSigner(salt=SALT)
    try:
        value = signer.unsign(token, max_age=settings.PREVIEW_MAX_AGE)
    except signing.SignatureExpired:
        raise PreviewRefused("This preview link has expired.") from None
    except signing.BadSignature:
        raise PreviewRefused("This preview link is not valid.") from None
    article_id, _, generation = value.partition(":")
    if not (article_id.isdigit() and generation.isdigit()):
        raise PreviewRefused("This preview link is not valid.")  # an old-style link
    # The signature is checked, so the token is exactly "<value>:<timestamp>:<signature>".
    minted = datetime.fromtimestamp(signing.b62_decode(token.split(":")[-2]), tz=UTC)
    return int(article_id), int(generation), minted


def open_link(token: str) -> Article:
    """Return the article a preview link may show, or raise PreviewRefused.

    Refused: forged or expired links (404), links revoked by a newer generation, and
    withdrawn stories, including links minted before the story's last withdrawal even if
    it has since gone back to draft (410).
    """
    article_id, generation, minted = _unsign(token)
    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        raise PreviewRefused("This preview link is not valid.")
    if generation != article.preview_generation:
        raise PreviewRefused("This preview link has been revoked.", gone=True)
    if article.status == Article.Status.WITHDRAWN:
        raise PreviewRefused("This story has been withdrawn.", gone=True)
    # Timestamps have whole seconds: a link minted in the second of a withdrawal is refused.
    if article.withdrawn_at and minted <= article.withdrawn_at:
        raise PreviewRefused("This story was withdrawn after the link was made.", gone=True)
    return article
