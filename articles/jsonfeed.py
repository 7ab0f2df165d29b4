"""JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/) of the newest published reporting.

contrib.syndication has no JSON Feed generator, and the PyPI packages for it are small and
unmaintained, so this is a plain function building the dict and a thin view serialising it.
Items share their selection, body HTML, tags and dates with the RSS and Atom feeds.
"""

import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from articles.feeds import (
    absolute,
    body_html,
    bylines,
    categories,
    conditional_feed,
    feed_articles,
    feeds_changed_at,
)
from articles.models import Article

VERSION = "https://jsonfeed.org/version/1.1"
CONTENT_TYPE = "application/feed+json"


def feed_item(article: Article) -> dict:
    """Return one article as a JSON Feed item."""
    url = absolute(article.get_absolute_url())
    item = {
        "id": url,
        "url": url,
        "title": article.headline,
        "content_html": body_html(article),
        # isoformat() of an aware datetime is RFC 3339, as the spec asks.
        "date_published": article.publish_at.isoformat(),
        "date_modified": article.modified_at.isoformat(),
        "authors": [{"name": name, "url": url} for name, url in bylines(article)],
        "tags": categories(article),
        "language": settings.LANGUAGE_CODE,
    }
    if article.dek:
        item["summary"] = article.dek
    if article.hero_image:
        item["image"] = absolute(article.hero_image.file.url)
    return item


def build_feed(articles) -> dict:
    """Return the JSON Feed document for `articles` (already published and prefetched)."""
    home = absolute(reverse("home"))
    return {
        "version": VERSION,
        "title": settings.SITE_NAME,
        "home_page_url": home,
        "feed_url": absolute(reverse("json-feed")),
        "description": f"The latest reporting from {settings.SITE_NAME}.",
        "language": settings.LANGUAGE_CODE,
        "authors": [{"name": settings.SITE_NAME, "url": home}],
        "items": [feed_item(article) for article in articles],
    }


@conditional_feed(feeds_changed_at)
def json_feed(request: HttpRequest) -> HttpResponse:
    """Serve the site's JSON Feed."""
    document = build_feed(feed_articles())
    # JSON is UTF-8 by definition (RFC 8259), so the content type needs no charset.
    return HttpResponse(json.dumps(document, ensure_ascii=False), content_type=CONTENT_TYPE)
