"""Sitemaps, the Google News sitemap and robots.txt: valid XML, canonical URLs, public pages only.

The visibility matrix through every sitemap is in test_feeds.py, with the feeds.
"""

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import ArticleAuthor, ArticleEntity, Author, Entity, Section
from articles.sitemaps import ArticleSitemap

SITE_URL = "https://news.example.org"
SITE_NAME = "The Example Times"
NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


@pytest.fixture(autouse=True)
def canonical_site(settings):
    settings.SITE_URL = SITE_URL
    settings.SITE_NAME = SITE_NAME


def xml(client, url: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    return ET.fromstring(response.content)


def locations(client, url: str) -> list[str]:
    return [loc.text for loc in xml(client, url).iterfind("sm:url/sm:loc", NS)]


def test_index_lists_every_sitemap_on_the_canonical_site(make_article, client):
    make_article()
    root = xml(client, "/sitemap.xml")
    assert root.tag == f"{{{NS['sm']}}}sitemapindex"
    assert [loc.text for loc in root.iterfind("sm:sitemap/sm:loc", NS)] == [
        f"{SITE_URL}/sitemap-{name}.xml" for name in ["sections", "articles", "entities", "authors"]
    ]
    # Articles carry a lastmod: the newest change among published articles.
    lastmods = root.findall("sm:sitemap/sm:lastmod", NS)
    assert len(lastmods) == 1 and datetime.fromisoformat(lastmods[0].text).tzinfo


def test_index_paginates_a_big_sitemap(make_article, client, monkeypatch):
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    articles = [make_article() for _ in range(5)]
    index = [loc.text for loc in xml(client, "/sitemap.xml").iterfind("sm:sitemap/sm:loc", NS)]
    base = f"{SITE_URL}/sitemap-articles.xml"
    assert [base, f"{base}?p=2", f"{base}?p=3"] == [u for u in index if u.startswith(base)]
    pages = [locations(client, f"/sitemap-articles.xml?p={p}") for p in (1, 2, 3)]
    assert [len(page) for page in pages] == [2, 2, 1]
    assert sum(pages, []) == [SITE_URL + a.get_absolute_url() for a in articles]
    assert client.get("/sitemap-articles.xml?p=4").status_code == 404
    assert client.get("/sitemap-articles.xml?p=x").status_code == 404


def test_unknown_sitemap_is_404(db, client):
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_article_sitemap_has_published_articles_with_lastmod(make_article, client):
    article = make_article()
    root = xml(client, "/sitemap-articles.xml")
    [url] = root.findall("sm:url", NS)
    assert url.find("sm:loc", NS).text == SITE_URL + article.get_absolute_url()
    lastmod = datetime.fromisoformat(url.find("sm:lastmod", NS).text)
    assert lastmod == max(article.publish_at, article.updated_at)


def test_section_sitemap_lists_active_sections_only(make_article, client, section):
    Section.objects.create(name="Archive", slug="archive", active=False)
    assert locations(client, "/sitemap-sections.xml") == [SITE_URL + section.get_absolute_url()]


def test_entity_and_author_sitemaps_list_only_pages_with_published_reporting(
    make_article, client, author
):
    published, draft = make_article(), make_article("draft")
    seen = Entity.objects.create(kind="person", name="Seen", slug="seen")
    unseen = Entity.objects.create(kind="person", name="Unseen", slug="unseen")
    Entity.objects.create(kind="person", name="Unlinked", slug="unlinked")
    ArticleEntity.objects.create(article=published, entity=seen)
    ArticleEntity.objects.create(article=draft, entity=seen)  # counted once, not twice
    ArticleEntity.objects.create(article=draft, entity=unseen)
    ghost = Author.objects.create(name="Draft Writer", slug="draft-writer")
    ArticleAuthor.objects.create(article=draft, author=ghost, position=1)
    assert locations(client, "/sitemap-entities.xml") == [SITE_URL + seen.get_absolute_url()]
    assert locations(client, "/sitemap-authors.xml") == [SITE_URL + author.get_absolute_url()]


@pytest.mark.parametrize("url", ["/sitemap-entities.xml", "/sitemap-authors.xml"])
def test_sitemap_queries_do_not_grow_with_the_archive(make_article, client, url):
    def grow(n: int) -> None:
        for _ in range(n):
            article = make_article()
            entity = Entity.objects.create(
                kind="place", name=f"Place {article.pk}", slug=f"place-{article.pk}"
            )
            ArticleEntity.objects.create(article=article, entity=entity)
            writer = Author.objects.create(name=f"Writer {article.pk}", slug=f"w-{article.pk}")
            ArticleAuthor.objects.create(article=article, author=writer, position=1)

    counts = []
    for n in (2, 20):
        grow(n)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 3


# --- Google News ----------------------------------------------------------------------------


def test_news_sitemap_has_the_last_48_hours_only(make_article, client):
    now = timezone.now()
    fresh = make_article(headline="Fresh & new <story>", publish_at=now - timedelta(hours=47))
    make_article(headline="Stale story", publish_at=now - timedelta(hours=49))
    make_article(headline="Scheduled story", publish_at=now + timedelta(hours=1))
    root = xml(client, "/sitemap-news.xml")
    [url] = root.findall("sm:url", NS)
    assert url.find("sm:loc", NS).text == SITE_URL + fresh.get_absolute_url()
    news = url.find("news:news", NS)
    assert news.find("news:publication/news:name", NS).text == SITE_NAME
    assert news.find("news:publication/news:language", NS).text == "en"
    assert news.find("news:title", NS).text == "Fresh & new <story>"
    published = datetime.fromisoformat(news.find("news:publication_date", NS).text)
    assert published == fresh.publish_at


def test_news_sitemap_is_valid_when_empty(db, client):
    assert xml(client, "/sitemap-news.xml").findall("sm:url", NS) == []


def test_news_sitemap_holds_at_most_1000_articles(make_article, client, monkeypatch):
    monkeypatch.setattr("articles.sitemaps.NEWS_LIMIT", 3)
    monkeypatch.setattr("articles.sitemaps.NewsSitemap.limit", 3)
    articles = [make_article() for _ in range(5)]
    assert locations(client, "/sitemap-news.xml") == [
        SITE_URL + a.get_absolute_url() for a in articles[:3]
    ]


# --- robots.txt -----------------------------------------------------------------------------


def test_robots_txt_points_at_both_sitemaps(db, client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /preview/" in lines
    assert f"Sitemap: {SITE_URL}/sitemap.xml" in lines
    assert f"Sitemap: {SITE_URL}/sitemap-news.xml" in lines


def republish_through_the_admin(article, editor):
    """Withdraw, then publish again, as an editor does on the article screen."""
    from django.test import Client

    desk = Client()
    desk.force_login(editor)
    base = f"/admin/articles/article/{article.pk}/"
    assert desk.post(base + "withdraw/", {"reason": "Fix a name"}).status_code == 302
    assert desk.post(base + "publish/", {"publish_at": ""}).status_code == 302
    article.refresh_from_db()
    assert article.status == "published"


def test_republishing_keeps_the_first_publication_date(make_article, client, editor):
    """Withdrawn and republished: every output keeps the original publication date."""
    import json
    import re
    from email.utils import parsedate_to_datetime

    first = (timezone.now() - timedelta(days=1)).replace(microsecond=0)
    article = make_article(publish_at=first, first_published_at=first)
    republish_through_the_admin(article, editor)

    [news] = xml(client, "/sitemap-news.xml").iterfind("sm:url/news:news", NS)
    assert datetime.fromisoformat(news.find("news:publication_date", NS).text) == first
    html = client.get(article.get_absolute_url()).content.decode()
    ld = [
        json.loads(m)
        for m in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]
    [news_article] = [d for d in ld if d.get("@type") == "NewsArticle"]
    assert datetime.fromisoformat(news_article["datePublished"]) == first
    [shown] = re.findall(r'<p class="meta">.*?<time datetime="([^"]+)"', html, re.S)
    assert datetime.fromisoformat(shown) == first
    rss = ET.fromstring(client.get("/feeds/rss/").content)
    assert parsedate_to_datetime(rss.findtext("channel/item/pubDate")) == first


def test_a_story_republished_after_the_news_window_stays_out_of_it(make_article, client, editor):
    """Published three days ago: republishing does not bring it back into the two-day window."""
    first = timezone.now() - timedelta(days=3)
    article = make_article(publish_at=first, first_published_at=first)
    republish_through_the_admin(article, editor)
    assert locations(client, "/sitemap-news.xml") == []
    assert locations(client, "/sitemap-articles.xml") == [SITE_URL + article.get_absolute_url()]
