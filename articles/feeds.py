"""RSS 2.0 and Atom feeds of published reporting, for the whole site and for each section.

Items come from `Article.objects.published()` only; an item's content is its body blocks,
never sponsored content. Every link is absolute on `settings.SITE_URL`, the canonical base,
whatever host the request came to, so a feed fetched through a mirror or a proxy still
points readers at the canonical pages.

The helpers here (`feed_articles`, `body_html`, `categories`, `bylines`, conditional GET)
are shared with the JSON Feed in `articles/jsonfeed.py`.
"""

from collections.abc import Callable
from datetime import datetime
from functools import wraps

import nh3
from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Max, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import escape
from django.utils.http import http_date, quote_etag

from articles.links import absolute
from articles.models import Article, Section
from articles.querysets import ArticleQuerySet
from articles.renditions import medium_rendition

FEED_SIZE = 50

# Raise when the feeds' output changes shape, so clients holding an old copy refetch it.
FEED_FORMAT = "1"

# What the block templates (templates/articles/blocks/) produce, minus styling hooks:
# feed readers bring their own styles, and anything else has no business in a feed.
BODY_TAGS = {
    "h2", "p", "blockquote", "figure", "figcaption", "img", "ul", "ol", "li",
    "a", "em", "strong", "i", "b", "span",
}  # fmt: skip
BODY_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "width", "height"}}
URL_ATTRIBUTES = {"href", "src"}


def feed_articles(section: Section | None = None) -> ArticleQuerySet:
    """Return the newest published articles, with everything a feed item shows prefetched."""
    # for_detail() brings the blocks and entity links as well as the bylines, so a feed runs
    # the same few queries whether its articles have one block or a hundred.
    articles = Article.objects.published().for_detail().newest_first()
    if section is not None:
        articles = articles.in_section(section)
    return articles[:FEED_SIZE]


def categories(article: Article) -> list[str]:
    """Return the section name, then the names of the entities the article is linked to."""
    return [article.section.name, *(link.entity.name for link in article.entity_links.all())]


def bylines(article: Article) -> list[tuple[str, str]]:
    """Return (name, absolute page URL) for each author of the byline, in order."""
    return [(author.name, absolute(author.get_absolute_url())) for author in article.byline]


def _absolute_url_attribute(element: str, attribute: str, value: str) -> str:
    # Feed readers resolve relative URLs against the feed's URL at best, so make them absolute.
    if attribute in URL_ATTRIBUTES and value.startswith("/") and not value.startswith("//"):
        return absolute(value)
    return value


def body_html(article: Article) -> str:
    """Return the article's body as sanitised HTML with absolute URLs, for feed content.

    It is rendered with the site's own block templates, from the body blocks alone: there is
    no block type for advertising, so sponsored content cannot get in.
    """
    html = render_to_string("articles/feeds/body.html", {"blocks": article.blocks.all()})
    return nh3.clean(
        html,
        tags=BODY_TAGS,
        attributes=BODY_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        attribute_filter=_absolute_url_attribute,
        strip_comments=True,
    ).strip()


# --- Conditional GET ------------------------------------------------------------------------


def feeds_changed_at(now: datetime | None = None) -> datetime | None:
    """Return when the feeds' content last changed, or None when nothing was ever published.

    This is a cache validator, not a visibility rule: it may say "changed" too often, never
    too seldom. Two aggregate queries, whatever the size of the archive.
    """
    now = now or timezone.now()
    # Articles readers see now, and any that ever went out (publishing sets the first publish
    # time, scheduled or not; withdrawing sets the withdrawal time): their edits, withdrawals
    # and reschedulings all bump updated_at. Drafts that never went out cannot change a feed,
    # so editing them leaves clients' copies current.
    went_out = Article.objects.filter(
        Q(first_published_at__isnull=False) | Q(withdrawn_at__isnull=False)
    )
    touched = (Article.objects.published(now) | went_out).aggregate(at=Max("updated_at"))["at"]
    # A scheduled article appears when its time comes, without any write.
    due = Article.objects.published(now).aggregate(at=Max("publish_at"))["at"]
    return max(filter(None, [touched, due]), default=None)


def section_feeds_changed_at(slug: str) -> datetime | None:
    """Return feeds_changed_at() for an active section; None lets the view answer 404."""
    if not Section.objects.filter(slug=slug, active=True).exists():
        return None
    return feeds_changed_at()


def conditional_feed(changed_at: Callable[..., datetime | None]):
    """Decorate a feed view to answer 304 Not Modified when nothing changed since the client's copy.

    `changed_at` gets the view's URL arguments and returns the feed's last change (or None
    to skip conditional handling). Both validators come from that one timestamp: the ETag
    (to the microsecond) and Last-Modified (to the second, as HTTP dates go).

    Unlike django.views.decorators.http.condition(), this computes the timestamp once for
    both validators, and it replaces the Last-Modified that Feed sets from its newest item:
    that one cannot see a withdrawal, and mismatched validators would defeat caching.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            at = changed_at(*args, **kwargs)
            if at is None:
                return view(request, *args, **kwargs)
            etag = quote_etag(f"feed-{FEED_FORMAT}-{at.timestamp():.6f}")
            last_modified = int(at.timestamp())
            response = get_conditional_response(request, etag=etag, last_modified=last_modified)
            if response is None:
                response = view(request, *args, **kwargs)
            if response.status_code in (200, 304):
                response.headers["ETag"] = etag
                response.headers["Last-Modified"] = http_date(last_modified)
            return response

        return wrapped

    return decorator


# --- RSS and Atom ---------------------------------------------------------------------------


# XML 1.0 has no place for C0 control characters other than tab, newline and carriage return;
# a word processor's line break (U+000B) pasted into a headline would make the feed a 500.
XML_INVALID = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])


def xml_text(value):
    """`value` without the characters XML 1.0 cannot carry (strings, and lists of them)."""
    if isinstance(value, str):
        return value.translate(XML_INVALID)
    if isinstance(value, (list, tuple)):
        return type(value)(xml_text(v) for v in value)
    return value


class XmlSafe:
    """Feed generator mixin: every string of the feed and its items made XML-safe."""

    def __init__(self, *args, **kwargs):
        super().__init__(*map(xml_text, args), **{k: xml_text(v) for k, v in kwargs.items()})

    def add_item(self, *args, **kwargs):
        super().add_item(*map(xml_text, args), **{k: xml_text(v) for k, v in kwargs.items()})


class RssWithContent(XmlSafe, Rss201rev2Feed):
    """RSS 2.0 with each item's full body in `content:encoded` (the RSS content module), and
    one `dc:creator` per name in the byline (Dublin Core: one creator per element)."""

    def rss_attributes(self) -> dict[str, str]:
        return {
            **super().rss_attributes(),
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
            "xmlns:dc": "http://purl.org/dc/elements/1.1/",
        }

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        for name, _url in item["bylines"]:
            handler.addQuickElement("dc:creator", name)
        handler.addQuickElement("content:encoded", item["content_html"])


class AtomWithContent(XmlSafe, Atom1Feed):
    """Atom with each entry's full body in `<content type="html">`, and one `<author>` per
    name in the byline, with the author's page as its `<uri>`."""

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        for name, url in item["bylines"]:
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.addQuickElement("uri", url)
            handler.endElement("author")
        handler.addQuickElement("content", item["content_html"], {"type": "html"})


class LatestArticlesFeed(Feed):
    """The newest published reporting from the whole site, as RSS 2.0."""

    feed_type = RssWithContent
    url_name = "feed-rss"

    def title(self) -> str:
        return settings.SITE_NAME

    def link(self) -> str:
        return absolute(reverse("home"))

    def feed_url(self) -> str:
        return absolute(reverse(self.url_name))

    def description(self) -> str:
        return f"The latest reporting from {settings.SITE_NAME}."

    def author_name(self) -> str:
        # Atom requires an author for every entry; the site stands in for an empty byline.
        return settings.SITE_NAME

    def items(self) -> ArticleQuerySet:
        return feed_articles()

    def item_title(self, article: Article) -> str:
        # Plain text, not Django's default double escaping: Atom titles are text by default,
        # and feed readers read an RSS title as text too.
        return article.headline

    def item_description(self, article: Article) -> str | None:
        # The summary is declared as HTML (Atom's type="html", RSS's description), so escape it.
        return escape(article.dek) if article.dek else None

    def item_link(self, article: Article) -> str:
        return absolute(article.get_absolute_url())

    def item_guid(self, article: Article) -> str:
        return self.item_link(article)

    item_guid_is_permalink = True

    # No item_author_name: syndication has one author per item, so the generators above
    # write every name of the byline themselves (item_extra_kwargs' "bylines"). An entry
    # with an empty byline falls back to the feed's author, as Atom allows.

    def item_pubdate(self, article: Article) -> datetime:
        return article.publish_at

    def item_updateddate(self, article: Article) -> datetime:
        return article.modified_at

    def item_categories(self, article: Article) -> list[str]:
        return categories(article)

    def item_enclosures(self, article: Article) -> list[Enclosure]:
        # The hero image as shown on the page (its medium JPEG/PNG rendition), with the type
        # and length in bytes both formats ask for.
        rendition = medium_rendition(article.hero_image)
        if rendition is None:
            return []
        return [Enclosure(absolute(rendition.url), str(rendition.length), rendition.mime_type)]

    def item_extra_kwargs(self, article: Article) -> dict:
        return {"content_html": body_html(article), "bylines": bylines(article)}


class LatestArticlesAtomFeed(LatestArticlesFeed):
    """The newest published reporting from the whole site, as Atom."""

    feed_type = AtomWithContent
    url_name = "feed-atom"

    def subtitle(self) -> str:
        return self.description()


class SectionFeed(LatestArticlesFeed):
    """The newest published reporting in one active section, as RSS 2.0."""

    url_name = "section-rss"

    def get_object(self, request: HttpRequest, slug: str) -> Section:
        return get_object_or_404(Section, slug=slug, active=True)

    def title(self, section: Section) -> str:
        return f"{section.name} · {settings.SITE_NAME}"

    def link(self, section: Section) -> str:
        return absolute(section.get_absolute_url())

    def feed_url(self, section: Section) -> str:
        return absolute(reverse(self.url_name, args=[section.slug]))

    def description(self, section: Section) -> str:
        # RSS readers render a channel description as HTML, as they do an item's: escape it.
        return escape(self.subtitle(section))

    def subtitle(self, section: Section) -> str:
        return (
            section.description or f"The latest {section.name} reporting from {settings.SITE_NAME}."
        )

    def items(self, section: Section) -> ArticleQuerySet:
        return feed_articles(section)


class SectionAtomFeed(SectionFeed):
    """The newest published reporting in one active section, as Atom."""

    feed_type = AtomWithContent
    url_name = "section-atom"

    def subtitle(self, section: Section) -> str:
        # Atom's subtitle is text (type="text"): not escaped.
        return super().subtitle(section)
