"""Fuzz every GET of the JSON feed from its own OpenAPI schema (schemathesis, in process).

Schemathesis reads /api/schema/ from the WSGI application and, for each operation, sends
requests generated from its parameters (valid ones and, in its negative mode, invalid ones), then
checks that no answer is a 5xx and that each status code, content type and body is one the schema
documents. A second test walks every demo object, so that each kind of item (every block type,
images, tombstones, sponsored items) is checked against the schema at least once.

Bounded for CI: MAX_EXAMPLES per operation, derandomised, no example database on disk.
FUZZ_MAX_EXAMPLES=500 makes a deeper local run; FUZZ_MODES=positive (or negative) narrows it.
The demo content is loaded once for the module, in a transaction rolled back at the end.
"""

import io
import os
from urllib.parse import parse_qs, urlsplit

import pytest
import schemathesis
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection, transaction
from django.test import override_settings
from hypothesis import settings
from PIL import Image as PILImage

from newsroom.wsgi import application

MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "30"))
# pytest-django creates the test database only for tests that ask for one: the mark is what
# keeps the module's content out of the development database.
pytestmark = pytest.mark.django_db
DEVELOPMENT_DATABASE = connection.settings_dict["NAME"]  # before the test database replaces it

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
schema.config.generation.update(max_examples=MAX_EXAMPLES, deterministic=True, database="none")
if os.environ.get("FUZZ_MODES"):
    schema.config.generation.update(modes=os.environ["FUZZ_MODES"].split(","))

CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]


def png_upload() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    PILImage.new("RGB", (900, 600), (30, 90, 160)).save(buffer, "PNG")
    return SimpleUploadedFile("harbour.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture(scope="module")
def demo_content(django_db_setup, django_db_blocker, tmp_path_factory):
    """Sections, the gazetteer, the seed article (with a hero image, an image block and a
    correction), synthetic stories (drafts, scheduled and withdrawn ones among them) and live
    sponsored items: for the whole module, rolled back at its end."""
    from django.utils import timezone

    from articles import publishing
    from articles.demo.generator import ensure_sections, generate_articles
    from articles.demo.seed import load_gazetteer, load_seed_article
    from articles.models import Article, Block, Correction, Image, SponsoredBlock

    assert connection.settings_dict["NAME"] != DEVELOPMENT_DATABASE, "not the test database"
    # Django closes a connection that is inside a transaction when a request starts or ends
    # (close_old_connections): on PostgreSQL the module's transaction would be gone.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"))
    media.enable()
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            ensure_sections()
            load_gazetteer()
            seed = load_seed_article()
            generate_articles(25, seed=7, progress=False)
            image = Image(file=png_upload(), alt_text="Cars at a port, waiting to be shipped")
            image.full_clean()
            image.save()
            Article.objects.filter(pk=seed.pk).update(hero_image=image)
            position = seed.blocks.count()
            Block(article=seed, position=position, type="image", image=image).save()
            Correction.objects.create(
                article=seed, corrected_at=timezone.now(), text="An earlier version misdated it."
            )
            SponsoredBlock.objects.filter(placement="sidebar").update(image=image)
            visible = Article.objects.published().exclude(pk=seed.pk).order_by("id")
            publishing.withdraw(visible.first(), by=None, reason="Legal review")
            yield seed
            transaction.set_rollback(True)
    finally:
        media.disable()
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def call_and_validate(case):
    """Send `case` with a fresh anonymous allowance, in a savepoint rolled back afterwards (so
    no request can change, or break, what the next one sees), and check the response."""
    # The throttle is part of the contract (its 429 is documented, and tested in
    # test_schema.py); here it must not turn the fuzz into a series of 429s.
    cache.clear()
    savepoint = transaction.savepoint_create()
    try:
        response = case.call()
    finally:
        transaction.savepoint_rollback(savepoint)
    case.validate_response(response, checks=CHECKS)
    return response


@schema.include(method="GET").parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None)
def test_api_answers_as_documented(case, demo_content):
    call_and_validate(case)


def test_every_demo_object_matches_the_schema(demo_content):
    """Walk the demo newsroom through the API: every item, both article shapes and both list
    modes, and the next page of each list."""
    from articles.models import Article, Author, Entity, Section, SponsoredBlock

    def get(path: str, query: dict | None = None, **path_parameters) -> dict | list:
        case = schema[path]["GET"].Case(path_parameters=path_parameters, query=query or {})
        response = call_and_validate(case)
        assert response.status_code == 200, (path, query, response.text[:300])
        return response.json()

    seed, everything = demo_content, {"page_size": 100}
    sync = {"updated_since": "2000-01-01T00:00:00Z", "include": "sponsored", **everything}
    pages = [
        ("/api/v1/articles/", {"include": "sponsored", **everything}),
        ("/api/v1/articles/", {"page_size": 2, "ordering": "updated_at"}),
        ("/api/v1/articles/", {"entity": [link.entity_id for link in seed.entity_links.all()]}),
        ("/api/v1/articles/", sync),
        ("/api/v1/sections/", everything),
        ("/api/v1/authors/", {"page_size": 5}),
        ("/api/v1/entities/", {"page_size": 5}),
    ]
    for path, query in pages:
        page = get(path, query)
        assert page["results"], (path, query)
        if page["next"]:
            cursor = parse_qs(urlsplit(page["next"]).query)["cursor"][0]
            get(path, {**query, "cursor": cursor})
    synced = get("/api/v1/articles/", sync)["results"]
    assert {"article", None} == {item.get("type") for item in synced}  # a tombstone among them

    detail = "/api/v1/articles/{id}/"
    for article in Article.objects.published():
        get(detail, id=article.pk)
        get(detail, {"include": "sponsored"}, id=article.pk)
    item = get("/api/v1/articles/by-slug/{slug}/", {"include": "sponsored"}, slug=seed.slug)
    blocks = item["article"]["body"]
    assert {"heading", "paragraph", "image"} <= {block["type"] for block in blocks}
    assert item["article"]["hero_image"]["renditions"] and item["sponsored"]

    for path, model in [
        ("/api/v1/sections/{id}/", Section.objects.filter(active=True)),
        ("/api/v1/authors/{id}/", Author.objects.public()),  # the others are 404s
        ("/api/v1/entities/{id}/", Entity.objects.filter(article_links__article=seed)),
        ("/api/v1/sponsored/{id}/", SponsoredBlock.objects.live()),
    ]:
        for pk in model.values_list("pk", flat=True).distinct():
            get(path, id=pk)
    for query in [{}, {"article": seed.pk}, {"section": "business"}, {"placement": "sidebar"}]:
        get("/api/v1/sponsored/", query)
