"""The only code that changes an article's status: submit, publish, schedule, withdraw,
and the only code that deletes articles.

Each function runs in one transaction, re-reads the article under a row lock, records a
revision and an audit entry, and is called the same way by the admin, commands and the API.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from articles import tombstones
from articles.caching import purge
from articles.models import Article, AuditEntry, Block
from articles.promo_kinds import PROMO_KINDS
from articles.querysets import is_visible
from articles.revisions import bump_version, record_revision

Status = Article.Status


class PublishingError(Exception):
    """An editorial rule refused the change; the message says why, for the editor."""


@dataclass(frozen=True)
class PromotionalBlock:
    position: int
    excerpt: str
    reasons: tuple[str, ...]
    text: str = ""  # the block's whole plain text


class PromotionalCopyError(PublishingError):
    """The body still reads as advertising somewhere; the message names the block."""

    def __init__(self, blocks: list[PromotionalBlock]):
        self.blocks = blocks
        first = blocks[0]
        super().__init__(
            f"Block {first.position + 1} reads as advertising ({'; '.join(first.reasons)}): "
            f"“{first.excerpt}”. Move it to a sponsored block, or give a written reason to "
            "override the check."
        )


def find_promotional_blocks(article: Article) -> list[PromotionalBlock]:
    """Return the body blocks the promo detector rates as not reporting.

    The detector reads the whole story (headline, dek, blocks) so each block is judged in its
    context. A line an editor restored from the set-apart lines is the editor's decision and
    is not flagged again.
    """
    from articles import detector  # scikit-learn loads on first use, not at every start
    from articles.body import plain_text

    blocks = [
        (block.position, plain_text(block.text))
        for block in article.blocks.exclude(type="image").order_by("position")
    ]
    restored = (
        set(article.set_apart.filter(restored_at__isnull=False).values_list("text", flat=True))
        if article.pk
        else set()
    )
    lines = [article.headline] + ([article.dek] if article.dek else []) + [t for _, t in blocks]
    verdicts = detector.classify(lines)[len(lines) - len(blocks) :]
    flagged = []
    for (position, text), verdict in zip(blocks, verdicts, strict=True):
        if verdict.is_promotional and text not in restored:
            excerpt = text if len(text) <= 80 else text[:77] + "…"
            reasons = (PROMO_KINDS[verdict.kind], *verdict.reasons)
            flagged.append(PromotionalBlock(position, excerpt, reasons, text))
    return flagged


def check_promotional_copy(
    article: Article, *, by, override_reason: str = "", accepted: frozenset[str] = frozenset()
) -> list[PromotionalBlock]:
    """The advertising check of a body that is or will be public; return the blocks overridden.

    Run by `publish()` and by every save of an edit to a published or scheduled article
    (`articles.editing.save_edit`), inside their transaction, on the blocks as saved. A block
    that reads as advertising raises PromotionalCopyError, unless a written `override_reason`
    is given: then an "ad_check_override" AuditEntry keeps the reason and the blocks.

    `accepted` holds the texts of blocks already public that passed this check before (an
    edit of a live story is not asked again about a block it does not change).
    """
    flagged = [b for b in find_promotional_blocks(article) if b.text not in accepted]
    override_reason = override_reason.strip()
    if flagged and not override_reason:
        raise PromotionalCopyError(flagged)
    if flagged:
        AuditEntry.objects.create(
            action="ad_check_override",
            article=article,
            actor=by,
            message=override_reason,
            data={
                "blocks": [{"position": b.position, "reasons": list(b.reasons)} for b in flagged]
            },
        )
    return flagged


def _locked(article: Article) -> Article:
    return Article.objects.select_for_update().get(pk=article.pk)


def _commit(article: Article, *, by, action: str, message: str, data: dict | None = None) -> None:
    article.save()
    # Mirrors learn of every story that left the public site, and of its return.
    tombstones.settle(article)
    bump_version(article)
    record_revision(article, by=by, message=message)
    AuditEntry.objects.create(
        action=action, article=article, actor=by, message=message, data=data or {}
    )
    # After commit: a reader who gets the fresh page must see the committed change.
    transaction.on_commit(purge)


@transaction.atomic
def submit_for_review(article: Article, *, by) -> Article:
    """Move a draft into review."""
    article = _locked(article)
    if article.status != Status.DRAFT:
        raise PublishingError(f"Only drafts can be submitted; this article is {article.status}.")
    article.status = Status.IN_REVIEW
    _commit(article, by=by, action="submit", message="Submitted for review")
    return article


@transaction.atomic
def publish(
    article: Article, *, by, at: datetime | None = None, override_reason: str = ""
) -> Article:
    """Publish now, or schedule for `at` if it is in the future.

    Refused when the body is empty, or when a block reads as advertising and no written
    `override_reason` is given. An override is kept in the audit log.
    """
    article = _locked(article)
    now = timezone.now()
    when = at or now
    already_live = at is None and article.publish_at and article.publish_at <= now
    if article.status == Status.PUBLISHED and (already_live or article.publish_at == when):
        return article  # a repeated or concurrent "publish" publishes once
    if not Block.objects.filter(article=article).exists():
        raise PublishingError("The article has no body yet: add at least one block.")
    check_promotional_copy(article, by=by, override_reason=override_reason)
    article.status = Status.PUBLISHED
    # Republishing now keeps the first publication date (Google News, sitemap window);
    # only a scheduled publish moves publish_at, since it also gates visibility.
    scheduled = when > now
    # A first publication still in the future (scheduled, pulled before its time) never
    # reached readers, so it is not kept.
    if article.first_published_at and article.first_published_at > now:
        article.first_published_at = None
    if scheduled or article.first_published_at is None:
        article.publish_at = when
    else:
        article.publish_at = article.first_published_at
    article.withdrawn_at = None
    article.withdrawal_reason = ""
    article.first_published_at = article.first_published_at or when
    article.last_published_at = when
    _commit(
        article,
        by=by,
        action="schedule" if scheduled else "publish",
        message=f"Scheduled for {when:%Y-%m-%d %H:%M %Z}" if scheduled else "Published",
    )
    return article


@transaction.atomic
def withdraw(article: Article, *, by, reason: str) -> Article:
    """Take a published article off every public surface, with a reason for the record."""
    reason = reason.strip()
    if not reason:
        raise PublishingError("A withdrawal needs a reason.")
    article = _locked(article)
    if article.status != Status.PUBLISHED:
        raise PublishingError("Only published or scheduled articles can be withdrawn.")
    now = timezone.now()
    if is_visible(article, now) and article.first_published_at is None:
        # A live story made outside publish() (an import, old data) still reached readers:
        # record when, so that its tombstone is due and a republish keeps the date.
        article.first_published_at = article.publish_at
    article.status = Status.WITHDRAWN
    article.withdrawn_at = now
    article.withdrawal_reason = reason
    _commit(article, by=by, action="withdraw", message=f"Withdrawn: {reason}")
    return article


@transaction.atomic
def return_to_draft(article: Article, *, by) -> Article:
    """Send an article in review (or withdrawn) back to its writer as a draft."""
    article = _locked(article)
    if article.status == Status.DRAFT:
        return article
    if article.status == Status.PUBLISHED:
        raise PublishingError("Withdraw a published article before returning it to draft.")
    article.status = Status.DRAFT
    _commit(article, by=by, action="return_to_draft", message="Returned to draft")
    return article


def _delete_locked(article: Article, *, by) -> None:
    """Bury, record and delete one article already locked in the current transaction."""
    tombstones.bury(article)
    # The entry outlives the article (its foreign key is set to null): it names what went.
    AuditEntry.objects.create(
        action="delete",
        article=article,
        actor=by,
        message=f"Deleted: {article.headline}",
        data={"article_id": article.pk, "slug": article.slug, "status": article.status},
    )
    article.delete()


@transaction.atomic
def delete_article(article: Article, *, by) -> None:
    """Delete an article for good: a tombstone for mirrors, an audit entry, a cache purge."""
    _delete_locked(_locked(article), by=by)
    transaction.on_commit(purge)


@transaction.atomic
def delete_articles(queryset, *, by) -> int:
    """Delete every article of `queryset` as `delete_article` does; return how many."""
    articles = list(
        Article.objects.select_for_update().filter(pk__in=queryset.values("pk")).order_by("pk")
    )
    for article in articles:
        _delete_locked(article, by=by)
    if articles:
        transaction.on_commit(purge)
    return len(articles)
