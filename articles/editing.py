"""Edits without lost work: optimistic locking on the article's version number.

An edit form carries the version it was opened at. Before saving, `claim_version()` locks the
article's row (SELECT … FOR UPDATE, held until the transaction ends) and compares versions:
a concurrent save either finished first — and this one is refused as stale — or waits for us.
"""

from dataclasses import dataclass
from datetime import datetime

from articles.models import Article, Revision
from articles.revisions import compare


@dataclass
class StaleVersion(Exception):
    """Someone saved the article after this editor opened it."""

    article: Article
    expected: int
    saved_by: str
    saved_at: datetime | None
    changes: list

    def __str__(self) -> str:
        when = f" at {self.saved_at:%Y-%m-%d %H:%M %Z}" if self.saved_at else ""
        return (
            f"{self.saved_by} saved this article{when}, after you opened it (version "
            f"{self.expected} → {self.article.version}). Nothing was overwritten and your text is "
            "kept below. Compare with their changes, then save again to replace them with yours."
        )


def claim_version(article_id: int, expected: int) -> Article:
    """Lock the article row and return it, or raise StaleVersion if `expected` is not current.

    Call inside a transaction: the lock is what makes two concurrent saves of the same version
    impossible, on PostgreSQL as on SQLite (whose writes are serialised).
    """
    current = Article.objects.select_for_update().get(pk=article_id)
    if current.version == expected:
        return current
    latest = current.revisions.select_related("created_by").order_by("-version").first()
    theirs = Revision.objects.filter(article=current, version=expected).first()
    changes = compare(theirs.snapshot, latest.snapshot) if theirs and latest else []
    raise StaleVersion(
        article=current,
        expected=expected,
        saved_by=(latest.created_by.get_username() if latest and latest.created_by else "Someone"),
        saved_at=latest.created_at if latest else None,
        changes=changes,
    )
