"""Sitemaps for search engines: an index of one sitemap per kind of page, and Google News.

Every URL starts with `settings.SITE_URL`, the canonical base, whatever host the request
came to. Articles come from `Article.objects.published()` only; entity and author pages are
listed only when at least one published article would appear on them.
"""

from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max, QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils import timezone

from articles.feeds import absolute
from articles.models import Article, Author, Entity, Section
from articles.querysets import modified_expression

# Pages of a sitemap: well under the protocol's 50,000 URLs, so one page stays a quick query
# and a small response; the index lists every page.
PAGE_SIZE = 5000

# The templates declare UTF-8; the header says it too (contrib's default has no charset).
CONTENT_TYPE = "application/xml; charset=utf-8"

# Google News takes articles of the last two days, at most 1,000 per sitemap.
NEWS_WINDOW = timedelta(hours=48)
NEWS_LIMIT = 1000


class CanonicalSitemap(Sitemap):
    """A sitemap whose URLs start with settings.SITE_URL, not the request's host."""

    limit = PAGE_SIZE

    def get_protocol(self, protocol: str | None = None) -> str:
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None) -> str:
        # Everything after the scheme, so a SITE_URL with a path prefix keeps it.
        return settings.SITE_URL.split("://", 1)[1]


class SectionSitemap(CanonicalSitemap):
    def items(self) -> QuerySet[Section]:
        return Section.objects.filter(active=True).order_by("pk")


class ArticleSitemap(CanonicalSitemap):
    def items(self) -> QuerySet[Article]:
        # Only what location() and lastmod() read: a page holds thousands of rows.
        fields = ["id", "slug", "publish_at", "updated_at"]
        return Article.objects.published().newest_first().only(*fields)

    def lastmod(self, article: Article) -> datetime:
        return article.modified_at

    def get_latest_lastmod(self) -> datetime | None:
        # The default reads every item; the newest change is one aggregate query away.
        return Article.objects.published().aggregate(at=Max(modified_expression()))["at"]


class EntitySitemap(CanonicalSitemap):
    def items(self) -> QuerySet[Entity]:
        return Entity.objects.public().only("id", "kind", "slug").order_by("pk")


class AuthorSitemap(CanonicalSitemap):
    def items(self) -> QuerySet[Author]:
        return Author.objects.public().only("id", "slug").order_by("pk")


class NewsSitemap(CanonicalSitemap):
    """Articles published in the last 48 hours, newest first, for Google News."""

    limit = NEWS_LIMIT

    def items(self) -> QuerySet[Article]:
        now = timezone.now()
        fields = ["id", "slug", "headline", "publish_at", "updated_at"]
        recent = Article.objects.published(now).filter(publish_at__gte=now - NEWS_WINDOW)
        return recent.newest_first().only(*fields)[:NEWS_LIMIT]

    def lastmod(self, article: Article) -> datetime:
        return article.modified_at


# The sitemap index lists these, as /sitemap-<name>.xml (with ?p=2… for further pages).
SITEMAPS: dict[str, type[Sitemap]] = {
    "sections": SectionSitemap,
    "articles": ArticleSitemap,
    "entities": EntitySitemap,
    "authors": AuthorSitemap,
}


def sitemap_index(request: HttpRequest) -> TemplateResponse:
    """Serve the sitemap index: an absolute URL for each page of each sitemap in SITEMAPS."""
    response = sitemap_views.index(
        request,
        SITEMAPS,
        template_name="sitemaps/sitemap_index.xml",
        content_type=CONTENT_TYPE,
        sitemap_url_name="sitemap-section",
    )
    # contrib builds the entries on the request's host; crawlers must get the canonical one.
    for entry in response.context_data["sitemaps"]:
        entry.location = absolute(urlsplit(entry.location)._replace(scheme="", netloc="").geturl())
    return response


def section_sitemap(request: HttpRequest, section: str) -> TemplateResponse:
    """Serve one page of one sitemap of SITEMAPS (404 for an unknown name or page)."""
    return sitemap_views.sitemap(
        request,
        SITEMAPS,
        section=section,
        template_name="sitemaps/sitemap.xml",
        content_type=CONTENT_TYPE,
    )


def news_sitemap(request: HttpRequest) -> TemplateResponse:
    """Serve the Google News sitemap: articles of the last 48 hours with news:news details."""
    response = sitemap_views.sitemap(
        request, {"news": NewsSitemap}, template_name="sitemaps/news.xml", content_type=CONTENT_TYPE
    )
    response.context_data["publication_name"] = settings.SITE_NAME
    # Google News wants an ISO 639 code ("en"), not a full language tag ("en-us").
    response.context_data["news_language"] = settings.LANGUAGE_CODE.split("-")[0]
    return response
