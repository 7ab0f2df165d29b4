"""The IPTC ninjs 2.1 representation of an article, checked against IPTC's published schema."""

import io
import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from jsonschema import Draft202012Validator
from PIL import Image as PILImage

from articles.api.ninjs import article_to_ninjs, body_text
from articles.body import plain_text
from articles.demo.generator import ensure_sections
from articles.demo.seed import load_gazetteer, load_seed_article
from articles.models import Article, Correction, Image, SponsoredBlock
from articles.sponsored import set_active

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "data" / "ninjs-schema-2.1.json"
SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
# The schema says draft 2020-12; formats (uri, date-time) are checked, not just annotations.
VALIDATOR = Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)

AD_WORDS = ["Bybit", "30,050"]
WIKIDATA = {
    # ninjs array: {name: Wikidata concept URI}
    "organisations": {"Toyota": "http://www.wikidata.org/entity/Q53268"},
    "people": {"Donald Trump": "http://www.wikidata.org/entity/Q22686"},
    "places": {
        "Japan": "http://www.wikidata.org/entity/Q17",
        "Kuala Lumpur": "http://www.wikidata.org/entity/Q1865",
    },
}


def assert_valid(doc: dict) -> None:
    errors = sorted(VALIDATOR.iter_errors(doc), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


def detail(article: Article) -> Article:
    """Reload as the endpoint does: published, with the for_detail() prefetches."""
    return Article.objects.published().for_detail().get(pk=article.pk)


def png_upload(size=(1000, 600)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (30, 90, 160)).save(buffer, "PNG")
    return SimpleUploadedFile("harbour.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def seed(db):
    ensure_sections()
    load_gazetteer()
    return load_seed_article()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


# --- The schema itself ----------------------------------------------------------------------


def test_the_schema_is_iptc_ninjs_2_1_and_formats_are_checked():
    assert SCHEMA["$id"] == "http://www.iptc.org/std/ninjs/ninjs-schema_2.1.json#"
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(SCHEMA)
    # Without format checking these would pass: make sure the checkers are really installed.
    assert not VALIDATOR.is_valid({"uri": "not a uri"})
    assert not VALIDATOR.is_valid({"uri": "http://example.com/a", "versioncreated": "yesterday"})
    assert not VALIDATOR.is_valid({"uri": "http://example.com/a", "bylines": []})
    assert VALIDATOR.is_valid({"uri": "http://example.com/a"})


# --- The seed article -----------------------------------------------------------------------


def test_seed_article_is_valid_ninjs(seed):
    doc = article_to_ninjs(detail(seed))
    assert_valid(doc)
    assert doc["type"] == "text"
    assert doc["pubstatus"] == "usable"
    assert doc["language"] == "en"
    assert doc["standard"]["version"] == "2.1"


def test_conversion_uses_only_the_prefetches(seed, django_assert_num_queries):
    article = detail(seed)
    with django_assert_num_queries(0):
        article_to_ninjs(article)


def test_uri_version_and_dates(seed):
    article = detail(seed)
    doc = article_to_ninjs(article)
    assert doc["uri"] == settings.SITE_URL + article.get_absolute_url()
    assert doc["uri"].startswith(("http://", "https://"))
    assert doc["version"] == str(article.version)
    assert datetime.fromisoformat(doc["firstcreated"]) == article.first_published_at
    assert datetime.fromisoformat(doc["versioncreated"]) == article.modified_at
    assert doc["versioncreated"] >= doc["firstcreated"]


def test_headline_standfirst_byline_and_section(seed):
    article = detail(seed)
    doc = article_to_ninjs(article)
    assert doc["headlines"][0] == {
        "role": "main",
        "contenttype": "text/plain",
        "value": article.headline,
    }
    assert {"role": "summary", "contenttype": "text/plain", "value": article.dek} in doc[
        "descriptions"
    ]
    assert doc["by"] == "Newswire"
    assert doc["subjects"] == [
        {
            "name": article.section.name,
            "rel": "classifies",
            "uri": settings.SITE_URL + article.section.get_absolute_url(),
            "literal": article.section.slug,
        }
    ]


def test_seo_title_is_another_headline(seed):
    Article.objects.filter(pk=seed.pk).update(seo_title="Toyota bets on US plants")
    doc = article_to_ninjs(detail(seed))
    assert_valid(doc)
    assert doc["headlines"][1] == {
        "role": "seo",
        "contenttype": "text/plain",
        "value": "Toyota bets on US plants",
    }


def test_bodies_html_and_plain_text(seed):
    article = detail(seed)
    doc = article_to_ninjs(article)
    html, text = doc["bodies"]
    assert (html["role"], html["contenttype"]) == ("main", "text/html")
    assert (text["role"], text["contenttype"]) == ("main", "text/plain")
    assert "<h2>The Manufacturing Gambit</h2>" in html["value"]
    assert html["value"].count("<h2>") == 5
    assert "<script" not in html["value"] and "class=" not in html["value"]
    # Every block's text is in the plain body, in order, and no markup is.
    blocks = list(article.blocks.all())
    assert {b.type for b in blocks} == {"heading", "paragraph"}
    assert text["value"] == body_text(article)
    assert text["value"].split("\n\n") == [plain_text(b.text) for b in blocks]
    assert "<" not in text["value"]
    assert text["charcount"] == len(text["value"])
    assert text["wordcount"] == len(text["value"].split()) > 300


def test_entities_carry_wikidata_uris(seed):
    article = detail(seed)
    doc = article_to_ninjs(article)
    for array, expected in WIKIDATA.items():
        by_name = {item["name"]: item for item in doc[array]}
        for name, uri in expected.items():
            assert by_name[name]["uri"] == uri
            assert by_name[name]["rel"] in {"about", "mentions"}
    # Every link is there, in the array for its kind, with the right relationship.
    arrays = {"person": "people", "organization": "organisations", "place": "places"}
    for link in article.entity_links.all():
        entity = link.entity
        items = [i for i in doc[arrays[entity.kind]] if i["literal"] == entity.slug]
        assert len(items) == 1, entity
        assert items[0]["rel"] == {"subject": "about", "mentioned": "mentions"}[link.role]
        if entity.wikidata_id:
            assert items[0]["uri"] == f"http://www.wikidata.org/entity/{entity.wikidata_id}"
        else:
            assert "uri" not in items[0]
    assert "events" not in doc  # the seed links no events
    # What the article is about comes before what it merely mentions.
    for array in ("people", "organisations", "places"):
        rels = [item["rel"] for item in doc[array]]
        assert rels == sorted(rels)  # "about" < "mentions"


def test_entity_without_wikidata_id_has_a_literal_only(seed):
    article = detail(seed)
    unknown = [link.entity for link in article.entity_links.all() if not link.entity.wikidata_id]
    assert unknown, "the gazetteer has entities without a Wikidata id (e.g. CSIS)"
    doc = article_to_ninjs(article)
    items = [item for key in ("people", "organisations", "places") for item in doc.get(key, [])]
    for entity in unknown:
        (item,) = [i for i in items if i["name"] == entity.name]
        assert item["literal"] == entity.slug
        assert "uri" not in item


def test_no_sponsored_content_even_when_its_block_is_active(seed):
    block = SponsoredBlock.objects.get(source_article=seed)
    set_active(block, True, by=None)
    assert SponsoredBlock.objects.get(pk=block.pk).active
    doc = article_to_ninjs(detail(seed))
    assert_valid(doc)
    dumped = json.dumps(doc, ensure_ascii=False)
    for word in AD_WORDS:
        assert word not in dumped
    assert "sponsor" not in dumped.lower()


# --- A hero image and a correction ----------------------------------------------------------


def test_article_with_hero_image_and_correction_is_valid(seed, media):
    image = Image(
        file=png_upload(),
        alt_text="Cars lined up at a port",
        caption="Export cars wait at a port near Nagoya.",
        credit="Newsroom photo",
    )
    image.full_clean()
    image.save()
    Article.objects.filter(pk=seed.pk).update(hero_image=image)
    Correction.objects.create(
        article=seed,
        corrected_at=timezone.now(),
        text="An earlier version misstated the size of the investment.",
    )
    doc = article_to_ninjs(detail(seed))
    assert_valid(doc)

    (picture,) = doc["associations"]
    assert picture["name"] == "hero"
    assert picture["type"] == "picture"
    assert picture["uri"] == settings.SITE_URL + image.file.url
    assert picture["by"] == "Newsroom photo"
    assert {"role": "caption", "contenttype": "text/plain", "value": image.caption} in picture[
        "descriptions"
    ]
    assert {"role": "alt", "contenttype": "text/plain", "value": image.alt_text} in picture[
        "descriptions"
    ]
    original, *resized = picture["renditions"]
    assert original == {
        "name": "original",
        "href": settings.SITE_URL + image.file.url,
        "contenttype": "image/png",
        "width": 1000,
        "height": 600,
    }
    assert {r["contenttype"] for r in resized} == {"image/webp", "image/jpeg"}  # no alpha
    for rendition in resized:
        assert rendition["href"].startswith(settings.SITE_URL + "/")
        assert rendition["width"] <= 1000
        assert rendition["height"] == round(600 * rendition["width"] / 1000)
    assert {"role": "correction", "contenttype": "text/plain", "value": (
        "An earlier version misstated the size of the investment."
    )} in doc["descriptions"]  # fmt: skip


# --- Only published articles ----------------------------------------------------------------


@pytest.mark.parametrize("status", ["draft", "in_review", "withdrawn"])
def test_unpublished_article_is_refused(make_article, status):
    article = make_article(status, publish_at=timezone.now() - timedelta(hours=1))
    with pytest.raises(ValueError):
        article_to_ninjs(article)


def test_scheduled_article_is_refused(make_article):
    article = make_article("published", publish_at=timezone.now() + timedelta(hours=1))
    with pytest.raises(ValueError):
        article_to_ninjs(article)


# --- The endpoint: /api/v1/articles/<id>/ninjs/ ---------------------------------------------


def ninjs_url(article: Article) -> str:
    return f"/api/v1/articles/{article.pk}/ninjs/"


def test_endpoint_serves_valid_ninjs_for_a_published_article(client, seed):
    set_active(SponsoredBlock.objects.get(source_article=seed), True, by=None)
    response = client.get(ninjs_url(seed))
    assert response.status_code == 200
    assert response["Content-Type"].split(";")[0] == "application/json"
    doc = response.json()
    assert_valid(doc)
    assert doc == article_to_ninjs(detail(seed))
    for word in AD_WORDS:
        assert word not in response.content.decode()


def test_endpoint_hides_drafts_and_scheduled_articles(client, make_article):
    draft = make_article("draft")
    scheduled = make_article("published", publish_at=timezone.now() + timedelta(hours=1))
    assert client.get(ninjs_url(draft)).status_code == 404
    assert client.get(ninjs_url(scheduled)).status_code == 404
