"""All reads of articles and sponsored content, and the one visibility rule.

Every public surface (pages, feeds, sitemaps, search, API) starts from
`Article.objects.published()`; `Article.objects` itself stays unfiltered for the admin.
"""

from datetime import datetime

from django.db import models
from django.db.models import Prefetch, Q
from django.db.models.functions import Greatest
from django.utils import timezone


def visible_q(now: datetime) -> Q:
    """The visibility rule: published, with a publish time not in the future."""
    return Q(status="published") & Q(publish_at__lte=now)


def is_visible(article, now: datetime) -> bool:
    """`visible_q` for one article already in memory: the same rule, kept beside it."""
    return (
        article.status == "published"
        and article.publish_at is not None
        and (article.publish_at <= now)
    )


def modified_expression() -> Greatest:
    """When an article last changed for readers, as SQL: `Article.modified_at` in a query.

    The later of its last save and its publish time (a scheduled story saved before its
    time is new to readers when the time comes). The index `article_changed_idx` is built on
    this very expression, inside changed_since()'s CASE.
    """
    return Greatest("updated_at", "publish_at")


class ArticleQuerySet(models.QuerySet):
    def published(self, now: datetime | None = None) -> "ArticleQuerySet":
        """Return articles readers may see at `now`: published, publish time not in the future."""
        return self.filter(visible_q(now or timezone.now()))

    def changed_since(self, since: datetime, now: datetime | None = None) -> "ArticleQuerySet":
        """Return the visible articles a mirror must update since `since`, oldest change first.

        Those whose content changed or that became visible (a scheduled one whose time came)
        since then; `changed_at` says when each changed. Stories that left the public site
        come from the Tombstone table instead (`tombstones.removed_since`).
        """
        from django.db.models import Case, F, When

        now = now or timezone.now()
        # The very expression of the article_changed_idx index (withdrawn articles no longer
        # come here, but the CASE keeps the index usable).
        changed_at = Case(
            When(status="withdrawn", then=F("withdrawn_at")),
            default=modified_expression(),
        )
        return (
            self.filter(visible_q(now))
            .annotate(changed_at=changed_at)
            .filter(changed_at__gte=since, changed_at__lte=now)
        )

    def scheduled(self, now: datetime | None = None) -> "ArticleQuerySet":
        """Return published articles whose publish time is still to come."""
        now = now or timezone.now()
        return self.filter(status="published", publish_at__gt=now)

    def in_section(self, section) -> "ArticleQuerySet":
        return self.filter(section=section)

    def mentioning(self, entity) -> "ArticleQuerySet":
        return self.filter(entity_links__entity=entity)

    def by_author(self, author) -> "ArticleQuerySet":
        return self.filter(authors=author)

    def related_to(self, article, limit: int = 4) -> "ArticleQuerySet":
        """Return other articles sharing the most entities with `article`, then the newest.

        The candidates are counted on the link table alone (its entity index), and only the
        best hundred are joined back to articles: one query that stays cheap on a big archive.
        """
        from django.db.models import Count

        from articles.models import ArticleEntity

        entity_ids = [link.entity_id for link in article.entity_links.all()]
        candidates = (
            ArticleEntity.objects.filter(entity_id__in=entity_ids)
            .exclude(article_id=article.pk)
            .values("article_id")
            .annotate(shared=Count("id"))
            .order_by("-shared", "-article_id")
            .values("article_id")[:100]
        )
        return (
            self.filter(pk__in=candidates)
            .filter(entity_links__entity_id__in=entity_ids)
            # Annotating after the filter counts only the joined links that matched.
            .annotate(shared=Count("entity_links"))
            .select_related("section")
            .order_by("-shared", "-publish_at", "-id")[:limit]
        )

    def latest_per_section(self, per_section: int, since: datetime, sections: list) -> dict:
        """Return up to `per_section` newest articles of each of `sections` published after
        `since`, as lists (newest first) by section id.

        Where the database can limit each part of a UNION (PostgreSQL), one UNION ALL of
        per-section index reads: milliseconds on any archive. Elsewhere (SQLite) one query
        ranks every article since `since` with a window function.
        """
        from django.db import connection
        from django.db.models import F, Window
        from django.db.models.functions import RowNumber

        if not sections:
            return {}
        recent = self.filter(publish_at__gte=since).select_related("section").without_search()
        if connection.features.supports_slicing_ordering_in_compound:
            parts = [recent.filter(section=s).newest_first()[:per_section] for s in sections]
            rows = list(parts[0].union(*parts[1:], all=True))
        else:
            rank = Window(
                RowNumber(),
                partition_by=[F("section_id")],
                order_by=[F("publish_at").desc(), F("id").desc()],
            )
            rows = list(
                recent.filter(section__in=sections)
                .annotate(rank_in_section=rank)
                .filter(rank_in_section__lte=per_section)
            )
        by_section = {section.pk: [] for section in sections}
        for article in sorted(rows, key=lambda a: (a.publish_at, a.pk), reverse=True):
            by_section[article.section_id].append(article)
        return by_section

    def without_search(self) -> "ArticleQuerySet":
        """Leave out the search text and vector: as long as the body, and no page shows them."""
        return self.defer("search_document", "search_vector")

    def newest_first(self) -> "ArticleQuerySet":
        # The unique id breaks ties, which keyset pagination relies on.
        return self.order_by("-publish_at", "-id")

    def for_listing(self) -> "ArticleQuerySet":
        """Fetch what a list of teasers shows, in a constant number of queries."""
        from articles.models import ArticleAuthor

        listing = self.select_related("section", "hero_image").without_search()
        return listing.prefetch_related(
            Prefetch(
                "article_authors",
                queryset=ArticleAuthor.objects.select_related("author").order_by("position"),
            )
        )

    def for_detail(self) -> "ArticleQuerySet":
        """Fetch everything an article page shows, in a constant number of queries."""
        from articles.models import ArticleEntity, Block

        return self.for_listing().prefetch_related(
            Prefetch("blocks", queryset=Block.objects.select_related("image").order_by("position")),
            Prefetch(
                "entity_links",
                queryset=ArticleEntity.objects.select_related("entity").order_by(
                    "role", "entity__name"
                ),
            ),
            "corrections",
        )


class SponsoredBlockQuerySet(models.QuerySet):
    def live(self, now: datetime | None = None) -> "SponsoredBlockQuerySet":
        """Return sponsored blocks that may run at `now`: active and inside their time window."""
        now = now or timezone.now()
        return self.filter(
            Q(active=True) & Q(starts_at__lte=now) & (Q(ends_at__isnull=True) | Q(ends_at__gt=now))
        )


class EntityQuerySet(models.QuerySet):
    def public(self, now: datetime | None = None) -> "EntityQuerySet":
        """Return entities linked from at least one article readers may see at `now`.

        An entity only unpublished stories name (an acquisition target, say) is not public.
        EXISTS stops at the first visible article; a join would visit every mention.
        """
        from articles.models import Article

        mentioned = Article.objects.published(now).mentioning(models.OuterRef("pk"))
        return self.filter(models.Exists(mentioned))


class AuthorQuerySet(models.QuerySet):
    def public(self, now: datetime | None = None) -> "AuthorQuerySet":
        """Return authors in the byline of at least one article readers may see at `now`.

        A new columnist whose first story is not out yet is not public.
        """
        from articles.models import Article

        wrote = Article.objects.published(now).by_author(models.OuterRef("pk"))
        return self.filter(models.Exists(wrote))
