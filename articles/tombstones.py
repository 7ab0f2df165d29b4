"""The one rule for tombstones: a story readers could once see that is not public now.

Every code path that changes an article's public state (the transitions in
`articles/publishing.py`, the edit save in `articles/editing.py`, deletion) calls `settle()`
after saving, or `bury()` before deleting. The sync feed (`updated_since`) then reads the
`Tombstone` table; it never guesses from the article's status.
"""

from datetime import datetime

from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from articles.models import Article, Tombstone
from articles.querysets import is_visible

Reason = Tombstone.Reason


def was_ever_public(article: Article, now: datetime) -> bool:
    """True once the article's first publication time has come: a mirror may hold it."""
    return article.first_published_at is not None and article.first_published_at <= now


def _reason(article: Article) -> str:
    if article.status == Article.Status.WITHDRAWN:
        return Reason.WITHDRAWN
    if article.status == Article.Status.PUBLISHED:
        return Reason.RESCHEDULED  # published, but its publish time moved into the future
    return Reason.UNPUBLISHED


def settle(article: Article, *, now: datetime | None = None) -> None:
    """After a save: clear the tombstone of a public story, write one for a pulled story.

    A story that never reached readers (a draft, or scheduled and pulled before its time)
    gets none: no mirror ever had it.
    """
    now = now or timezone.now()
    if is_visible(article, now):
        Tombstone.objects.filter(article_id=article.pk).delete()
    elif was_ever_public(article, now):
        # An edit of a story already pulled keeps the first removal time: nothing new to sync.
        tombstone, created = Tombstone.objects.get_or_create(
            article_id=article.pk,
            defaults={"slug": article.slug, "reason": _reason(article), "removed_at": now},
        )
        # Unless the story was public again since (a rescheduled story whose new time came:
        # no save cleared its tombstone), so mirrors copied it again and must hear of this.
        came_back = article.publish_at and tombstone.removed_at < article.publish_at <= now
        if not created and came_back:
            tombstone.reason, tombstone.removed_at = _reason(article), now
            tombstone.save(update_fields=["reason", "removed_at"])


def bury(article: Article, *, now: datetime | None = None) -> None:
    """Before deleting an article: leave a tombstone if readers could ever see it."""
    now = now or timezone.now()
    if was_ever_public(article, now) or is_visible(article, now):
        Tombstone.objects.update_or_create(
            article_id=article.pk,
            defaults={"slug": article.slug, "reason": Reason.DELETED, "removed_at": now},
        )


def removed_since(since: datetime, now: datetime):
    """Return the tombstones a mirror must apply since `since`, oldest first.

    Removed within [since, now] and not public at `now` (a rescheduled story whose new time
    came is public again, though no save cleared its tombstone).
    """
    public = Article.objects.published(now).filter(pk=OuterRef("article_id"))
    return Tombstone.objects.filter(removed_at__gte=since, removed_at__lte=now).exclude(
        Exists(public)
    )


def bury_withdrawn() -> int:
    """Tombstone every withdrawn article that went public first and has none; return how many.

    For loaders that write rows in bulk without the publishing functions (the demo content);
    the removal time is the withdrawal time.
    """
    pulled = (
        Article.objects.filter(status=Article.Status.WITHDRAWN, publish_at__lte=F("withdrawn_at"))
        .exclude(pk__in=Tombstone.objects.values("article_id"))
        .values_list("pk", "slug", "withdrawn_at")
    )
    rows = [
        Tombstone(article_id=pk, slug=slug, reason=Reason.WITHDRAWN, removed_at=withdrawn_at)
        for pk, slug, withdrawn_at in pulled.iterator()
    ]
    Tombstone.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
