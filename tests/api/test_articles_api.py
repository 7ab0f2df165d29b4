"""The JSON feed: visibility, item shape, sponsored apart, filters, sync, HTTP behaviour."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import publishing
from articles.demo.generator import ensure_sections
from articles.demo.seed import load_gazetteer, load_seed_article
from articles.models import (
    ApiClient,
    ArticleAuthor,
    ArticleEntity,
    Author,
    Block,
    Correction,
    Entity,
    Section,
    SponsoredBlock,
)
from articles.revisions import record_revision
from articles.sponsored import set_active
from tests.caches import clear_all_caches
from tests.seed import AD, HEADINGS


@pytest.fixture
def seed(db):
    ensure_sections()
    load_gazetteer()
    return load_seed_article()


def get(client, url, **params):
    response = client.get(url, params)
    return response, response.json() if response["Content-Type"].startswith(
        "application/json"
    ) else None


# Visibility -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "offset"),
    [("draft", None), ("in_review", -1), ("withdrawn", -1), ("published", +1)],
)
def test_nothing_unpublished_on_any_endpoint(client, make_article, status, offset):
    visible = make_article(headline="Visible story")
    hidden = make_article(
        status,
        headline="Hidden story",
        publish_at=None if offset is None else timezone.now() + timedelta(hours=offset),
    )
    entity = Entity.objects.create(kind="place", name="Tokyo", slug="tokyo")
    for article in (visible, hidden):
        ArticleEntity.objects.create(article=article, entity=entity)
    urls = [
        "/api/v1/articles/",
        "/api/v1/articles/?updated_since=2000-01-01T00:00:00Z",
        f"/api/v1/articles/?entity={entity.pk}",
        f"/api/v1/entities/{entity.pk}/",
        "/api/v1/articles/?q=Hidden",
    ]
    for url in urls:
        body = client.get(url).content.decode()
        assert "Hidden story" not in body, url
    assert "Visible story" in client.get("/api/v1/articles/").content.decode()
    assert client.get(f"/api/v1/articles/{hidden.pk}/").status_code == 404
    assert client.get(f"/api/v1/articles/by-slug/{hidden.slug}/").status_code == 404
    assert client.get(f"/api/v1/articles/{visible.pk}/").status_code == 200


# The seed article and sponsored content ---------------------------------------------------


def test_seed_article_item(client, seed):
    response, item = get(client, f"/api/v1/articles/{seed.pk}/")
    assert response.status_code == 200
    assert item["type"] == "article" and item["headline"] == seed.headline
    assert [b["text"] for b in item["body"] if b["type"] == "heading"] == HEADINGS
    assert "Bybit" not in response.content.decode() and "30,050" not in response.content.decode()
    assert "sponsored" not in item
    assert item["url"].endswith(seed.get_absolute_url())
    assert item["published_at"].endswith("Z") or "+" in item["published_at"]
    toyota = next(e for e in item["entities"] if e["name"] == "Toyota")
    assert toyota == toyota | {"kind": "organization", "role": "subject", "wikidata_id": "Q53268"}
    assert toyota["api_url"].endswith(f"/api/v1/entities/{toyota['id']}/")
    assert "<h2" in item["body_html"] and "Bybit" not in item["body_html"]
    by_slug = client.get(f"/api/v1/articles/by-slug/{seed.slug}/").json()
    assert by_slug == item


def test_include_sponsored_puts_the_ad_only_under_its_own_key(client, seed):
    _, data = get(client, f"/api/v1/articles/{seed.pk}/", include="sponsored")
    assert data["sponsored"] == []  # the Bybit block is inactive until ad operations act
    set_active(SponsoredBlock.objects.get(source_article=seed), True, by=None)
    _, data = get(client, f"/api/v1/articles/{seed.pk}/", include="sponsored")
    assert set(data) == {"article", "sponsored"}
    assert AD not in str(data["article"])
    [ad] = data["sponsored"]
    assert ad["type"] == "sponsored" and ad["label"] == "Advertisement"
    assert ad["sponsor"]["name"] == "Bybit" and ad["text"] == AD
    listing = client.get("/api/v1/articles/", {"include": "sponsored"}).json()
    assert all(AD not in str(item) for item in listing["results"])
    assert [s["sponsor"]["name"] for s in listing["sponsored"]] == ["Bybit"]
    sponsored = client.get("/api/v1/sponsored/", {"article": seed.pk}).json()
    assert [s["type"] for s in sponsored] == ["sponsored"]


def test_sponsored_endpoint_filters(client, seed):
    block = SponsoredBlock.objects.get(source_article=seed)
    set_active(block, True, by=None)
    assert len(client.get("/api/v1/sponsored/", {"placement": "end"}).json()) == 1
    assert client.get("/api/v1/sponsored/", {"placement": "sidebar"}).json() == []
    assert len(client.get("/api/v1/sponsored/", {"section": "business"}).json()) == 1
    for params in [{"placement": "banner"}, {"section": "nope"}, {"article": "x"}]:
        response = client.get("/api/v1/sponsored/", params)
        assert response.status_code == 400 and response.json()


# Filters, ordering and paging --------------------------------------------------------------


@pytest.fixture
def catalogue(db, make_article):
    """Three articles in two sections with two entities and two authors."""
    world = Section.objects.create(name="World", slug="world")
    tokyo = Entity.objects.create(kind="place", name="Tokyo", slug="tokyo")
    toyota = Entity.objects.create(kind="organization", name="Toyota", slug="toyota")
    jane = Author.objects.create(name="Jane Roe", slug="jane-roe")
    now = timezone.now()
    a = make_article(headline="Alpha tariffs", publish_at=now - timedelta(days=3))
    b = make_article(headline="Bravo harbour", publish_at=now - timedelta(days=2), genre="opinion")
    c = make_article(headline="Charlie rail", publish_at=now - timedelta(days=1), section=world)
    for article, entities in [(a, [tokyo, toyota]), (b, [tokyo]), (c, [toyota])]:
        for entity in entities:
            ArticleEntity.objects.create(article=article, entity=entity)
    ArticleAuthor.objects.create(article=b, author=jane, position=1)
    return {"a": a, "b": b, "c": c, "tokyo": tokyo, "toyota": toyota, "now": now}


def headlines(client, **params) -> list[str]:
    response = client.get("/api/v1/articles/", params)
    assert response.status_code == 200, response.content
    return [item["headline"] for item in response.json()["results"]]


def test_filters(client, catalogue):
    c = catalogue
    assert headlines(client) == ["Charlie rail", "Bravo harbour", "Alpha tariffs"]
    assert headlines(client, section="world") == ["Charlie rail"]
    assert headlines(client, genre="opinion") == ["Bravo harbour"]
    assert headlines(client, author="jane-roe") == ["Bravo harbour"]
    assert headlines(client, entity=c["tokyo"].pk) == ["Bravo harbour", "Alpha tariffs"]
    both = {"entity": [c["tokyo"].pk, c["toyota"].pk]}
    assert len(headlines(client, **both)) == 3
    assert headlines(client, **both, entity_match="all") == ["Alpha tariffs"]
    after = (c["now"] - timedelta(days=2, hours=12)).isoformat()
    assert headlines(client, published_after=after) == ["Charlie rail", "Bravo harbour"]
    assert headlines(client, published_before=after) == ["Alpha tariffs"]
    assert headlines(client, q="harbour") == ["Bravo harbour"]
    assert headlines(client, ordering="published_at")[0] == "Alpha tariffs"


def test_cursor_pagination_with_a_chosen_page_size(client, catalogue):
    first = client.get("/api/v1/articles/", {"page_size": 2}).json()
    assert len(first["results"]) == 2 and first["next"]
    second = client.get(first["next"]).json()
    assert [i["headline"] for i in second["results"]] == ["Alpha tariffs"]
    assert second["next"] is None and second["previous"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"published_after": "last tuesday"}, "published_after"),
        ({"section": "no-such-section"}, "section"),
        ({"page_size": "101"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "ten"}, "page_size"),
        ({"cursor": "forged"}, "cursor"),
        ({"cursor": "cD0yMDI2"}, "cursor"),
        ({"entity": "999999"}, "entity"),
        ({"genre": "gossip"}, "genre"),
        ({"ordering": "headline"}, "ordering"),
        ({"include": "everything"}, "include"),
        ({"updated_since": "soon"}, "updated_since"),
        ({"q": "x" * 201}, "q"),
        ({"entity_match": "sometimes"}, "entity_match"),  # alone, with no entity
    ],
)
def test_bad_values_are_400_with_a_json_message(client, catalogue, params, field):
    response = client.get("/api/v1/articles/", params)
    assert response.status_code == 400
    assert field in response.json(), response.json()


# Incremental sync ------------------------------------------------------------------------


def test_updated_since_reports_changes_and_tombstones(client, catalogue, editor):
    c = catalogue
    since = timezone.now()
    publishing.withdraw(c["a"], by=editor, reason="Legal")
    c["b"].headline = "Bravo harbour (updated)"
    c["b"].save()
    items = client.get("/api/v1/articles/", {"updated_since": since.isoformat()}).json()["results"]
    assert {"id": c["a"].pk, "status": "withdrawn"}.items() <= items[0].items()
    assert items[0] == items[0] | {"id": c["a"].pk, "status": "withdrawn", "reason": "withdrawn"}
    assert set(items[0]) == {"id", "status", "reason", "withdrawn_at"}
    assert items[1]["headline"] == "Bravo harbour (updated)"
    assert len(items) == 2


def test_updated_since_includes_a_scheduled_article_once_its_time_comes(
    client, make_article, editor, monkeypatch
):
    article = make_article("draft", headline="Scheduled story")
    publishing.publish(article, by=editor, at=timezone.now() + timedelta(minutes=10))
    since = timezone.now() + timedelta(minutes=5)  # a mirror polled after the edit
    later = timezone.now() + timedelta(minutes=11)
    monkeypatch.setattr(timezone, "now", lambda: later)
    items = client.get("/api/v1/articles/", {"updated_since": since.isoformat()}).json()
    assert [i["headline"] for i in items["results"]] == ["Scheduled story"]


# HTTP behaviour for pollers ----------------------------------------------------------------


def test_etag_last_modified_and_304(client, catalogue):
    for url in ["/api/v1/articles/", f"/api/v1/articles/{catalogue['a'].pk}/"]:
        first = client.get(url)
        assert first["ETag"] and first["Last-Modified"] and "max-age" in first["Cache-Control"]
        assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_anonymous_clients_are_throttled_with_retry_after(client, catalogue, monkeypatch):
    from rest_framework import throttling

    # DRF reads the rates once, at import: set them on the class for this test only.
    monkeypatch.setattr(throttling.SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/min"})
    codes = [client.get("/api/v1/sections/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = client.get("/api/v1/sections/")
    assert int(limited["Retry-After"]) > 0 and "detail" in limited.json()
    # A partner's key lifts them out of the anonymous bucket, at their own rate.
    _, key = ApiClient.issue("Morning app", rate="5/min")
    auth = {"HTTP_AUTHORIZATION": f"Api-Key {key}"}
    codes = [client.get("/api/v1/sections/", **auth).status_code for _ in range(6)]
    assert codes == [200] * 5 + [429]


def test_an_unknown_api_key_is_refused(client, db):
    response = client.get("/api/v1/sections/", HTTP_AUTHORIZATION="Api-Key not-a-key")
    assert response.status_code == 401
    assert response.json() == {"detail": "Unknown or revoked API key."}


# Query counts ----------------------------------------------------------------------------


def grow(article, n: int) -> None:
    for i in range(n):
        Block(article=article, position=10 + i, type="paragraph", text=f"More {i}.").save()
        entity = Entity.objects.create(
            kind="place", name=f"P{article.pk}-{i}", slug=f"p{article.pk}-{i}"
        )
        ArticleEntity.objects.create(article=article, entity=entity)
    for i in range(min(n, 4)):
        author = Author.objects.create(name=f"W{article.pk}-{i}", slug=f"w{article.pk}-{i}")
        ArticleAuthor.objects.create(article=article, author=author, position=i + 1)
    Correction.objects.create(article=article, corrected_at=timezone.now(), text="Fix.")


def count(client, url) -> int:
    """Count the queries of a request with nothing cached."""
    clear_all_caches()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_list_of_50_and_detail_run_a_constant_number_of_queries(client, make_article):
    articles = [make_article() for _ in range(50)]
    small = (
        count(client, "/api/v1/articles/?page_size=50"),
        count(client, f"/api/v1/articles/{articles[0].pk}/"),
    )
    for article in articles:
        grow(article, 6)
    large = (
        count(client, "/api/v1/articles/?page_size=50"),
        count(client, f"/api/v1/articles/{articles[0].pk}/"),
    )
    assert small == large
    assert large[0] <= 8 and large[1] <= 6


def test_a_repeated_list_takes_its_items_from_the_cache(client, make_article):
    for _ in range(3):
        make_article()
    first = client.get("/api/v1/articles/")
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/api/v1/articles/")
    assert again.json() == first.json() and len(first.json()["results"]) == 3
    assert len(queries) == 1, [q["sql"] for q in queries]  # the page of ids and versions


def test_a_listed_item_changes_with_an_edit_and_leaves_with_a_withdrawal(
    client, make_article, editor, django_capture_on_commit_callbacks
):
    kept, pulled = make_article(headline="Kept"), make_article(headline="Pulled")
    assert {i["headline"] for i in client.get("/api/v1/articles/").json()["results"]} == {
        "Kept",
        "Pulled",
    }
    with django_capture_on_commit_callbacks(execute=True):
        kept.headline = "Kept, edited"
        kept.save()
        record_revision(kept, by=editor, message="Edited")
        publishing.withdraw(pulled, by=editor, reason="Legal")
    items = client.get("/api/v1/articles/").json()["results"]
    assert [i["headline"] for i in items] == ["Kept, edited"]
