"""Dates, bylines and pictures by the standards, the same on every output (issue 13, items
15, 16, 17 and 19): page meta and JSON-LD, RSS, Atom, JSON Feed, sitemaps, API and ninjs."""

import io
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import extruct
import pytest
from django.contrib.auth.models import Group, User
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image as PILImage

from articles.models import Article, ArticleAuthor, Author, Image
from tests.admin.post_data import change_form_data

SITE_URL = "https://news.example.org"
ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(autouse=True)
def canonical_site(settings, tmp_path):
    settings.SITE_URL = SITE_URL
    settings.MEDIA_ROOT = tmp_path


def jpeg_upload(width=1600, height=900) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), (30, 90, 140)).save(buffer, "JPEG")
    return SimpleUploadedFile("harbour.jpg", buffer.getvalue(), content_type="image/jpeg")


def json_ld(client, article) -> dict:
    html = client.get(article.get_absolute_url()).content.decode()
    data = extruct.extract(html, base_url=SITE_URL, syntaxes=["json-ld"])["json-ld"]
    return next(d for d in data if d["@type"] == "NewsArticle")


def meta(html: str, prop: str) -> str:
    [value] = re.findall(rf'<meta property="{prop}" content="([^"]*)">', html)
    return value


def rss_item(client, url="/feeds/rss/") -> ET.Element:
    return ET.fromstring(client.get(url).content).find("channel/item")


def atom_entry(client, url="/feeds/atom/") -> ET.Element:
    return ET.fromstring(client.get(url).content).find(f"{ATOM}entry")


def second(value: datetime) -> datetime:
    """In UTC, to the second: the precision of the coarsest formats (HTML meta, RSS)."""
    return value.astimezone(UTC).replace(microsecond=0)


# --- 15: one "published", one "modified" ------------------------------------------------------


def every_output_dates(client, article) -> dict[str, tuple[datetime, datetime | None]]:
    """(published, modified) as each public output states them, parsed from its own format."""
    url = SITE_URL + article.get_absolute_url()
    html = client.get(article.get_absolute_url()).content.decode()
    ld = json_ld(client, article)
    rss = ET.fromstring(client.get("/feeds/rss/").content)
    atom = atom_entry(client)
    jsonfeed = client.get("/feed.json").json()["items"][0]
    api = client.get(f"/api/v1/articles/{article.pk}/").json()
    ninjs = client.get(f"/api/v1/articles/{article.pk}/ninjs/").json()
    sitemap = ET.fromstring(client.get("/sitemap-articles.xml").content)
    [lastmod] = [
        u.findtext(f"{SM}lastmod")
        for u in sitemap.iter(f"{SM}url")
        if u.findtext(f"{SM}loc") == url
    ]
    iso = datetime.fromisoformat
    return {
        "json-ld": (iso(ld["datePublished"]), iso(ld["dateModified"])),
        "meta": (
            iso(meta(html, "article:published_time")),
            iso(meta(html, "article:modified_time")),
        ),
        # RSS items have no modification date; the channel's build date is the newest change.
        "rss": (
            parsedate_to_datetime(rss.findtext("channel/item/pubDate")),
            parsedate_to_datetime(rss.findtext("channel/lastBuildDate")),
        ),
        "atom": (iso(atom.findtext(f"{ATOM}published")), iso(atom.findtext(f"{ATOM}updated"))),
        "json feed": (iso(jsonfeed["date_published"]), iso(jsonfeed["date_modified"])),
        "api": (iso(api["published_at"]), iso(api["updated_at"])),
        "ninjs": (iso(ninjs["firstcreated"]), iso(ninjs["versioncreated"])),
        "sitemap": (None, iso(lastmod)),
    }


def test_an_edit_of_a_live_story_changes_every_modified_date_alike(make_article, client, editor):
    """Published three days ago, edited now through the admin: every output says published
    three days ago and modified now, the same instant (to the second) everywhere."""
    published = timezone.now() - timedelta(days=3)
    article = make_article(publish_at=published)
    Article.objects.filter(pk=article.pk).update(
        first_published_at=published, last_published_at=published, updated_at=published
    )
    article.refresh_from_db()

    client.force_login(editor)
    response = client.post(
        f"/admin/articles/article/{article.pk}/change/",
        change_form_data(article, dek="Now with the minister's answer."),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    article.refresh_from_db()
    assert article.dek == "Now with the minister's answer."
    # The edit itself is the change: the modified date moved, the published one did not.
    assert article.publish_at == published
    edited = article.updated_at
    assert edited > published + timedelta(days=2)

    dates = every_output_dates(client, article)
    for output, (pub, mod) in dates.items():
        if pub is not None:
            assert second(pub) == second(published), output
        assert second(mod) == second(edited), output
    assert "Updated" in client.get(article.get_absolute_url()).content.decode()


def test_a_story_never_edited_after_publication_is_not_marked_updated(make_article, client):
    published = timezone.now() - timedelta(days=1)
    article = make_article(publish_at=published)
    Article.objects.filter(pk=article.pk).update(updated_at=published)
    html = client.get(article.get_absolute_url()).content.decode()
    assert second(datetime.fromisoformat(meta(html, "article:modified_time"))) == second(published)
    assert "Updated" not in html


# --- 16: a byline is a person or an organisation by its own field ----------------------------


def test_json_ld_author_type_follows_the_authors_kind(make_article, client, author):
    """A freelancer without an account is a Person; a desk with a shared account is not."""
    desk_account = User.objects.create_user("desk", password="x")
    desk = Author.objects.create(
        name="Business Desk", slug="business-desk", user=desk_account, kind="organization"
    )
    article = make_article()
    ArticleAuthor.objects.create(article=article, author=desk, position=1)
    assert author.user_id is None and author.kind == "person"
    types = {a["name"]: a["@type"] for a in json_ld(client, article)["author"]}
    assert types == {"Ada Reporter": "Person", "Business Desk": "Organization"}


def test_author_admin_lists_and_filters_by_kind(roles, client, author):
    Author.objects.create(name="Newswire", slug="newswire", kind="organization")
    user = User.objects.create_user("ed", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    client.force_login(user)
    html = client.get("/admin/articles/author/", {"kind": "organization"}).content.decode()
    assert "Newswire" in html and "Ada Reporter" not in html
    assert "Organisation (wire service, agency, desk)" in html  # the kind column


def test_demo_wire_service_is_an_organization(db, client):
    from articles.demo.generator import ensure_sections
    from articles.demo.seed import load_gazetteer, load_seed_article

    ensure_sections()
    load_gazetteer()
    seed = load_seed_article()
    assert Author.objects.get(slug="newswire").kind == "organization"
    assert json_ld(client, seed)["author"][0]["@type"] == "Organization"


# --- 17: each co-author its own element ---------------------------------------------------------


def test_each_co_author_is_its_own_element_with_their_page(make_article, client, author):
    article = make_article()
    second_author = Author.objects.create(name="Ben Writer", slug="ben-writer")
    ArticleAuthor.objects.create(article=article, author=second_author, position=1)
    pages = [f"{SITE_URL}/authors/ada-reporter/", f"{SITE_URL}/authors/ben-writer/"]

    item = rss_item(client)
    assert [c.text for c in item.findall(f"{DC}creator")] == ["Ada Reporter", "Ben Writer"]
    entry = atom_entry(client)
    authors = entry.findall(f"{ATOM}author")
    assert [a.findtext(f"{ATOM}name") for a in authors] == ["Ada Reporter", "Ben Writer"]
    assert [a.findtext(f"{ATOM}uri") for a in authors] == pages
    jsonfeed = client.get("/feed.json").json()["items"][0]
    assert jsonfeed["authors"] == [
        {"name": "Ada Reporter", "url": pages[0]},
        {"name": "Ben Writer", "url": pages[1]},
    ]


# --- 19: enclosures, a site image, sitemaps with a charset -------------------------------------


def test_feeds_enclose_the_hero_image_rendition(make_article, client):
    article = make_article()
    article.hero_image = Image.objects.create(file=jpeg_upload(), alt_text="A port")
    article.save()

    enclosure = rss_item(client).find("enclosure")
    assert enclosure is not None
    assert enclosure.get("type") == "image/jpeg"
    url = enclosure.get("url")
    assert url.startswith(SITE_URL + "/media/renditions/")
    stored = url.removeprefix(SITE_URL + "/media/")
    assert int(enclosure.get("length")) == default_storage.size(stored) > 0
    with default_storage.open(stored) as fh:
        assert PILImage.open(fh).size == (960, 540)  # the page's own fallback size
    [link] = [
        link for link in atom_entry(client).findall(f"{ATOM}link") if link.get("rel") == "enclosure"
    ]
    assert (link.get("href"), link.get("length"), link.get("type")) == (
        url,
        enclosure.get("length"),
        "image/jpeg",
    )


def test_an_article_without_hero_image_has_no_enclosure(make_article, client):
    make_article()
    assert rss_item(client).find("enclosure") is None
    links = atom_entry(client).findall(f"{ATOM}link")
    assert [link for link in links if link.get("rel") == "enclosure"] == []


def test_json_ld_and_open_graph_fall_back_to_the_site_image(make_article, client):
    article = make_article()
    html = client.get(article.get_absolute_url()).content.decode()
    site_image = f"{SITE_URL}/static/newsroom/social.png"
    assert json_ld(client, article)["image"] == [site_image]
    assert meta(html, "og:image") == site_image
    assert (meta(html, "og:image:width"), meta(html, "og:image:height")) == ("1200", "630")
    path = finders.find("newsroom/social.png")
    assert path, "the default social image is a static file"
    assert PILImage.open(path).size == (1200, 630)


def test_json_ld_and_open_graph_use_the_hero_image_when_there_is_one(make_article, client):
    article = make_article()
    article.hero_image = Image.objects.create(file=jpeg_upload(), alt_text="A port")
    article.save()
    html = client.get(article.get_absolute_url()).content.decode()
    hero = SITE_URL + article.hero_image.file.url
    assert json_ld(client, article)["image"] == [hero]
    assert meta(html, "og:image") == hero
    assert meta(html, "og:image:alt") == "A port"


@pytest.mark.parametrize(
    "url",
    [
        "/sitemap.xml",
        "/sitemap-articles.xml",
        "/sitemap-sections.xml",
        "/sitemap-authors.xml",
        "/sitemap-entities.xml",
        "/sitemap-news.xml",
    ],
)
def test_sitemaps_are_sent_with_a_charset(make_article, client, url):
    make_article()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    assert response.content.lower().startswith(b'<?xml version="1.0" encoding="utf-8"?>')
