"""Saving an edit of an article: no lost work, and the publishing checks on what goes out.

An edit form carries the version it was opened at. Before saving, `claim_version()` locks the
article's row (SELECT … FOR UPDATE, held until the transaction ends) and compares versions:
a concurrent save either finished first — and this one is refused as stale — or waits for us.

`save_edit()` is the one function that saves an edit of an existing article (the admin's
change form, restoring a revision): whatever changes a published or scheduled story passes
the same advertising check as `publishing.publish()`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from articles import tombstones
from articles.models import Article, AuditEntry, Revision
from articles.publishing import check_promotional_copy, find_promotional_blocks
from articles.revisions import CONTENT_FIELDS, bump_version, compare, record_revision


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


def goes_public(article: Article) -> bool:
    """Published, live or scheduled: its body is or will be on the public site."""
    return article.status == Article.Status.PUBLISHED


@transaction.atomic
def save_edit(
    article: Article,
    *,
    by,
    expected_version: int,
    apply: Callable[[Article], None] | None = None,
    message: str = "Edited",
    override_reason: str = "",
) -> Revision:
    """Save an edit of an existing article and return the revision it made.

    `article` carries the edited content fields, not yet saved; `apply(article)`, if given,
    then writes the related rows (blocks, bylines, entity links, corrections). In one
    transaction: lock the row and refuse a stale `expected_version` (StaleVersion); save;
    when the article is published or scheduled, run publishing's advertising check on the
    body as saved (PromotionalCopyError unless an `override_reason` is given, which the audit
    log keeps); bump the version, record a revision and an "edit" audit entry, settle its
    tombstone. Any refusal rolls the whole edit back.

    Workflow state (status, publication dates) is never saved from here: it changes only
    through `articles.publishing`.
    """
    current = claim_version(article.pk, expected_version)
    public = goes_public(current)
    # Blocks already out passed the check when published (or by an earlier edit's override).
    accepted = (
        frozenset(b.text for b in find_promotional_blocks(current)) if public else frozenset()
    )
    article.save(update_fields=[*CONTENT_FIELDS, "updated_at"])
    if apply is not None:
        apply(article)
    article.refresh_from_db()
    overridden = []
    if public:
        overridden = check_promotional_copy(
            article, by=by, override_reason=override_reason, accepted=accepted
        )
    bump_version(article)
    revision = record_revision(article, by=by, message=message)  # also purges after commit
    AuditEntry.objects.create(
        action="edit",
        article=article,
        actor=by,
        message=message[:300],
        data={"version": article.version, "public": public, "ad_check_override": bool(overridden)},
    )
    tombstones.settle(article)
    return revision
