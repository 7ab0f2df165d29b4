"""RSS, Atom and JSON Feed: valid, canonical, published reporting only, cheap to poll."""

import io
import json
import re
from datetime import datetime, timedelta

import feedparser
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image as PILImage

from articles import publishing
from articles.feeds import feeds_changed_at
from articles.models import (
    ArticleAuthor,
    ArticleEntity,
    Author,
    Block,
    Entity,
    Image,
    Section,
    Sponsor,
    SponsoredBlock,
)

SITE_URL = "https://news.example.org"
SITE_NAME = "The Example Times"

XML_FEEDS = [("/feeds/rss/", "rss20"), ("/feeds/atom/", "atom10")]
SECTION_FEEDS = [("/sections/business/rss/", "rss20"), ("/sections/business/atom/", "atom10")]
ALL_FEEDS = [url for url, _ in XML_FEEDS + SECTION_FEEDS] + ["/feed.json"]
SITEMAPS = ["/sitemap-articles.xml", "/sitemap-news.xml"]

RFC_3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


@pytest.fixture(autouse=True)
def canonical_site(settings):
    settings.SITE_URL = SITE_URL
    settings.SITE_NAME = SITE_NAME


def get(client, url: str, **headers):
    return client.get(url, headers=headers)


def png_upload(name: str = "photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), (200, 30, 30)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def enrich(article, *, entities: int, authors: int, blocks: int, image: Image | None = None):
    """Give an article many entity links, bylines and body blocks of every kind."""
    for i in range(entities):
        entity = Entity.objects.create(
            kind="organization", name=f"Org {article.pk}-{i}", slug=f"org-{article.pk}-{i}"
        )
        ArticleEntity.objects.create(article=article, entity=entity)
    for i in range(1, authors):
        writer = Author.objects.create(name=f"Writer {article.pk}-{i}", slug=f"w-{article.pk}-{i}")
        ArticleAuthor.objects.create(article=article, author=writer, position=i)
    start = article.blocks.count()
    kinds = [
        {"type": "heading", "text": "A subheading"},
        {"type": "paragraph", "text": 'See <a href="/sections/business/">more</a>, <em>now</em>.'},
        {"type": "quote", "text": "We will see.", "attribution": "A minister"},
        {"type": "list", "text": "One\nTwo"},
    ]
    for i in range(blocks):
        Block(article=article, position=start + i, **kinds[i % len(kinds)]).save()
    if image is not None:
        Block(article=article, position=start + blocks, type="image", image=image).save()


# --- RSS and Atom ---------------------------------------------------------------------------


@pytest.mark.parametrize(("url", "version"), XML_FEEDS + SECTION_FEEDS)
def test_xml_feeds_are_valid_and_canonical(make_article, client, url, version):
    article = make_article(
        headline="Toyota & Trump: <tariffs> talk",
        dek="Talks in Tokyo & Washington.",
        paragraphs=["Toyota said <strong>nothing</strong> & left."],
    )
    enrich(article, entities=2, authors=2, blocks=4)
    response = get(client, url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == version
    assert feed.feed.link.startswith(SITE_URL)
    assert any(link.href == SITE_URL + url for link in feed.feed.links if link.rel == "self")
    [entry] = feed.entries
    canonical = SITE_URL + article.get_absolute_url()
    assert entry.title == "Toyota & Trump: <tariffs> talk"
    assert entry.link == canonical
    assert entry.id == canonical
    assert "Talks in Tokyo &amp; Washington." in entry.summary
    # One author element per name of the byline, never the names merged into one.
    assert [author.name for author in entry.authors] == ["Ada Reporter", f"Writer {article.pk}-1"]
    assert entry.published_parsed is not None and entry.updated_parsed is not None
    terms = [tag.term for tag in entry.tags]
    assert terms == ["Business", f"Org {article.pk}-0", f"Org {article.pk}-1"]
    content = entry.content[0].value
    assert "Toyota said <strong>nothing</strong> &amp; left." in content
    assert "<h2>A subheading</h2>" in content
    assert "<blockquote><p>We will see.</p></blockquote>" in content
    assert f'href="{SITE_URL}/sections/business/"' in content  # relative links made absolute
    assert "testserver" not in response.content.decode()


def test_feed_items_are_the_newest_fifty_newest_first(make_article, client):
    articles = [make_article() for _ in range(52)]  # make_article makes each one an hour older
    feed = feedparser.parse(get(client, "/feeds/rss/").content)
    links = [entry.link for entry in feed.entries]
    assert links == [SITE_URL + a.get_absolute_url() for a in articles[:50]]


def test_image_blocks_have_absolute_urls_and_no_styling_hooks(
    make_article, client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    image = Image.objects.create(file=png_upload(), alt_text="A red square", caption="Red")
    enrich(make_article(), entities=0, authors=1, blocks=0, image=image)
    content = feedparser.parse(get(client, "/feeds/atom/").content).entries[0].content[0].value
    # The original or a rendition, depending on the block template; absolute either way.
    assert f'src="{SITE_URL}/media/' in content
    assert 'alt="A red square"' in content
    # srcset would carry relative URLs; classes and lazy loading mean nothing to a feed reader.
    for dropped in ["srcset=", "class=", "loading="]:
        assert dropped not in content


@pytest.mark.parametrize(("url", "_version"), SECTION_FEEDS)
def test_section_feeds_hold_only_their_section(make_article, client, url, _version):
    politics = Section.objects.create(name="Politics", slug="politics")
    mine = make_article(headline="Business story")
    make_article(headline="Politics story", section=politics)
    entries = feedparser.parse(get(client, url).content).entries
    assert [e.link for e in entries] == [SITE_URL + mine.get_absolute_url()]


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_unknown_or_inactive_section_feed_is_404(make_article, client, kind):
    make_article()
    Section.objects.create(name="Old", slug="old", active=False)
    etag = get(client, "/feeds/rss/")["ETag"]
    assert get(client, f"/sections/nowhere/{kind}/").status_code == 404
    assert get(client, f"/sections/old/{kind}/").status_code == 404
    # A validator from another feed never turns a 404 into a 304.
    assert get(client, f"/sections/old/{kind}/", if_none_match=etag).status_code == 404


@pytest.mark.parametrize("url", [url for url, _ in XML_FEEDS] + ["/feed.json"])
def test_empty_site_still_serves_valid_feeds(db, client, url):
    response = get(client, url)
    assert response.status_code == 200
    if url.endswith(".json"):
        assert json.loads(response.content)["items"] == []
    else:
        assert feedparser.parse(response.content).bozo == 0


# --- JSON Feed ------------------------------------------------------------------------------


def test_json_feed_has_every_field_of_the_spec(make_article, client):
    article = make_article(headline="Toyota & Trump", dek="The standfirst.")
    enrich(article, entities=2, authors=2, blocks=2)
    make_article(dek="")  # no summary key when there is no dek
    response = get(client, "/feed.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/feed+json"
    feed = json.loads(response.content)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] == SITE_NAME
    assert feed["home_page_url"] == SITE_URL + "/"
    assert feed["feed_url"] == SITE_URL + "/feed.json"
    assert feed["description"] and feed["language"]
    assert feed["authors"] == [{"name": SITE_NAME, "url": SITE_URL + "/"}]
    first, second = feed["items"]
    canonical = SITE_URL + article.get_absolute_url()
    assert first["id"] == first["url"] == canonical
    assert first["title"] == "Toyota & Trump"
    assert first["summary"] == "The standfirst."
    assert "<h2>A subheading</h2>" in first["content_html"]
    assert [a["name"] for a in first["authors"]] == ["Ada Reporter", f"Writer {article.pk}-1"]
    assert all(a["url"].startswith(SITE_URL + "/authors/") for a in first["authors"])
    assert first["tags"] == ["Business", f"Org {article.pk}-0", f"Org {article.pk}-1"]
    assert "summary" not in second
    for item in feed["items"]:
        assert isinstance(item["id"], str) and item["id"]
        assert item["content_html"]
        dates = {}
        for field in ["date_published", "date_modified"]:
            assert RFC_3339.match(item[field]), item[field]
            dates[field] = datetime.fromisoformat(item[field])
            assert dates[field].tzinfo is not None
        assert dates["date_modified"] >= dates["date_published"]
    assert datetime.fromisoformat(first["date_published"]) == article.publish_at


# --- One visibility rule, every surface -----------------------------------------------------

# (status, publish time relative to now, visible?)
MATRIX = [
    ("draft", None, False),
    ("draft", -timedelta(hours=1), False),
    ("in_review", -timedelta(hours=1), False),
    ("withdrawn", -timedelta(hours=1), False),
    ("published", timedelta(minutes=5), False),  # scheduled
    ("published", timedelta(days=30), False),
    ("published", -timedelta(seconds=1), True),
    ("published", -timedelta(hours=1), True),
]


@pytest.mark.parametrize(("status", "offset", "visible"), MATRIX)
def test_visibility_matrix_on_every_feed_and_sitemap(make_article, client, status, offset, visible):
    publish_at = timezone.now() + offset if offset is not None else None
    article = make_article(status, publish_at=publish_at, headline="Matrix story")
    entity = Entity.objects.create(kind="place", name="Matrixland", slug="matrixland")
    ArticleEntity.objects.create(article=article, entity=entity)
    marker = article.get_absolute_url()
    for url in [*ALL_FEEDS, *SITEMAPS]:
        body = get(client, url).content.decode()
        assert (marker in body) is visible, url
    # Entity and author pages are listed only when a published article would appear on them.
    listed = {
        entity.get_absolute_url(): get(client, "/sitemap-entities.xml").content.decode(),
        article.byline[0].get_absolute_url(): get(client, "/sitemap-authors.xml").content.decode(),
    }
    for page, sitemap in listed.items():
        assert (page in sitemap) is visible, page


def test_sponsored_content_never_reaches_a_feed(make_article, client):
    article = make_article(paragraphs=["Toyota reported results."])
    sponsor = Sponsor.objects.create(name="Bybit", slug="bybit", url="https://bybit.example")
    offer = "Get up to $30,050 in trading rewards when you join Bybit today"
    for placement in ["end", "inline", "sidebar", "home"]:
        SponsoredBlock.objects.create(
            sponsor=sponsor,
            headline=f"Trading rewards ({placement})",
            text=offer,
            cta_label="Join now",
            cta_url="https://bybit.example/join",
            active=True,
            starts_at=timezone.now() - timedelta(days=1),
            placement=placement,
            inline_after_paragraph=1 if placement == "inline" else None,
            source_article=article,
        )
    # The article page does show the offer, in its labelled aside: the setup is live.
    assert "trading rewards" in get(client, article.get_absolute_url()).content.decode()
    for url in [*ALL_FEEDS, *SITEMAPS]:
        body = get(client, url).content.decode()
        # The article itself is there (feeds carry its body): only the advertising is left out.
        assert article.get_absolute_url() in body, url
        assert "Toyota reported results." in body or url in SITEMAPS
        for leak in ["Bybit", "bybit", "30,050", "Trading rewards", "Join now"]:
            assert leak not in body, (url, leak)


# --- Conditional GET ------------------------------------------------------------------------


@pytest.mark.parametrize("url", ALL_FEEDS)
def test_repeat_requests_get_304(make_article, client, url):
    make_article()
    first = get(client, url)
    assert first.status_code == 200
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('"') and last_modified.endswith("GMT")
    again = get(client, url, if_none_match=etag)
    assert again.status_code == 304
    assert again["ETag"] == etag
    assert get(client, url, if_modified_since=last_modified).status_code == 304
    assert get(client, url, if_none_match='"something-else"').status_code == 200


@pytest.mark.parametrize("url", ["/feeds/rss/", "/feed.json"])
def test_a_new_article_or_a_withdrawal_changes_the_validators(make_article, editor, client, url):
    story = make_article(headline="First story")
    etag = get(client, url)["ETag"]
    make_article(headline="Second story", publish_at=timezone.now())
    response = get(client, url, if_none_match=etag)
    assert response.status_code == 200 and "Second story" in response.content.decode()
    etag = response["ETag"]
    publishing.withdraw(story, by=editor, reason="Legal advice")
    response = get(client, url, if_none_match=etag)
    assert response.status_code == 200
    assert "First story" not in response.content.decode()
    # Rescheduled for later, it is still out of the feed: no older copy becomes current again.
    publishing.publish(story, by=editor, at=timezone.now() + timedelta(days=1))
    assert get(client, url, if_none_match=etag).status_code == 200
    assert get(client, url, if_none_match=response["ETag"]).status_code == 200


def test_editing_a_draft_does_not_change_the_validators(make_article, client):
    make_article()
    draft = make_article("draft")
    etag = get(client, "/feeds/rss/")["ETag"]
    draft.headline = "Still a draft"
    draft.save()
    assert get(client, "/feeds/rss/", if_none_match=etag).status_code == 304


def test_a_scheduled_article_coming_due_changes_the_validators(make_article):
    now = timezone.now()
    make_article(publish_at=now - timedelta(hours=1))
    due = now + timedelta(hours=2)
    make_article(publish_at=due)
    before = feeds_changed_at(now)
    assert before < due
    assert feeds_changed_at(due + timedelta(seconds=1)) == due


# --- Query counts ---------------------------------------------------------------------------


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert get(client, url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/feeds/rss/", "/feeds/atom/", "/sections/business/rss/"])
def test_feed_queries_do_not_grow_with_content(make_article, client, settings, tmp_path, url):
    settings.MEDIA_ROOT = tmp_path
    image = Image.objects.create(file=png_upload(), alt_text="A picture")
    for _ in range(3):
        enrich(make_article(), entities=1, authors=1, blocks=1)
    small = count_queries(client, url)
    for _ in range(27):
        enrich(make_article(), entities=8, authors=3, blocks=8, image=image)
    large = count_queries(client, url)
    assert small == large
    assert large <= 9


def test_json_feed_queries_do_not_grow_with_content(make_article, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    image = Image.objects.create(file=png_upload(), alt_text="A picture")
    for _ in range(3):
        enrich(make_article(), entities=1, authors=1, blocks=1)
    small = count_queries(client, "/feed.json")
    for _ in range(27):
        enrich(make_article(), entities=8, authors=3, blocks=8, image=image)
    assert count_queries(client, "/feed.json") == small
    assert small <= 8
