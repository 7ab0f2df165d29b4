"""The OpenAPI document and the API's answers agree (issue 13, item 18).

The document is valid for openapi-spec-validator, and real responses — articles with and
without a hero image, sponsored items with and without an image — validate against it, both
with schemathesis' response checks and with openapi-schema-validator's reading of the
document's own OpenAPI version (strict about null: in 3.0.3 `allOf` + `nullable` forbids it).
"""

import io
import json
from datetime import timedelta

import pytest
import schemathesis
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from openapi_schema_validator import OAS30Validator, OAS31Validator
from openapi_spec_validator import validate as validate_spec
from PIL import Image as PILImage

from articles.models import Image, Sponsor, SponsoredBlock
from newsroom.wsgi import application

CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]


@pytest.fixture
def document(client, db) -> dict:
    """The document as served at /api/schema/ (JSON, as a client reads it)."""
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return json.loads(response.content)


@pytest.fixture
def wsgi_requests(db):
    """Let schemathesis call the WSGI application inside the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/schema/", application)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    PILImage.new("RGB", (900, 600), (30, 90, 160)).save(buffer, "PNG")
    return SimpleUploadedFile("harbour.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def content(make_article, settings, tmp_path):
    """An article with a hero image and one without; live sponsored items with and without
    an image (and without a call to action)."""
    settings.MEDIA_ROOT = tmp_path
    image = Image.objects.create(file=png(), alt_text="Cars at a port")
    with_hero = make_article(hero_image=image)
    without_hero = make_article()
    sponsor = Sponsor.objects.create(name="Harbourline Bank", slug="harbourline-bank")
    blocks = [
        SponsoredBlock.objects.create(
            sponsor=sponsor,
            label="Paid partner",
            headline=f"Open an account {n}",
            text="Harbourline Bank pays for this space.",
            cta_label="Find out more" if picture else "",
            cta_url="https://bank.example/open" if picture else "",
            image=picture,
            starts_at=timezone.now() - timedelta(days=1),
            active=True,
            placement="sidebar",
        )
        for n, picture in enumerate([image, None])
    ]
    return with_hero, without_hero, blocks


def response_schema(document: dict, path: str) -> dict:
    return document["paths"][path]["get"]["responses"]["200"]["content"]["application/json"][
        "schema"
    ]


def strictly_valid(document: dict, path: str, body) -> list[str]:
    """The errors of `body` against the 200 schema of `path`, read as its OpenAPI version."""
    validator = OAS31Validator if document["openapi"].startswith("3.1") else OAS30Validator
    schema = {"components": document["components"], **response_schema(document, path)}
    return [f"{e.json_path}: {e.message}" for e in validator(schema).iter_errors(body)]


def test_the_document_is_valid_for_openapi_spec_validator(document):
    validate_spec(document)  # raises on any error
    assert document["openapi"].startswith("3.1")


def test_fields_that_may_be_null_say_so(document):
    schemas = document["components"]["schemas"]
    image = {"$ref": "#/components/schemas/Image"}
    for name, field in [("Article", "hero_image"), ("Sponsored", "image")]:
        assert schemas[name]["properties"][field]["oneOf"] == [image, {"type": "null"}]


def test_responses_with_and_without_images_match_the_document(document, wsgi_requests, content):
    with_hero, without_hero, blocks = content
    api = wsgi_requests
    calls = [
        ("/api/v1/articles/", {}, {}),
        ("/api/v1/articles/", {"include": "sponsored"}, {}),
        ("/api/v1/articles/{id}/", {}, {"id": with_hero.pk}),
        ("/api/v1/articles/{id}/", {}, {"id": without_hero.pk}),
        ("/api/v1/articles/{id}/", {"include": "sponsored"}, {"id": without_hero.pk}),
        ("/api/v1/sponsored/", {}, {}),
        *[("/api/v1/sponsored/{id}/", {}, {"id": block.pk}) for block in blocks],
    ]
    seen = {"hero": set(), "sponsored image": set()}
    for path, query, path_parameters in calls:
        case = api[path]["GET"].Case(query=query, path_parameters=path_parameters)
        response = case.call_and_validate(checks=CHECKS)
        assert response.status_code == 200, (path, query, response.text[:300])
        body = response.json()
        assert strictly_valid(document, path, body) == [], (path, query)
        for item in body.get("results", []) if isinstance(body, dict) else []:
            seen["hero"].add(item["hero_image"] is None)
        if "hero_image" in body:
            seen["hero"].add(body["hero_image"] is None)
        sponsored = body if isinstance(body, list) else body.get("sponsored", [])
        for item in sponsored if isinstance(sponsored, list) else []:
            seen["sponsored image"].add(item["image"] is None)
        if path == "/api/v1/sponsored/{id}/":
            seen["sponsored image"].add(body["image"] is None)
    # Both shapes of each were checked: with the image and with null.
    assert seen == {"hero": {True, False}, "sponsored image": {True, False}}
