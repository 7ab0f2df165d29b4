"""The OpenAPI schema: generated without a warning, valid, and saying what the feed does.

The fuzz (test_schema_fuzz.py) checks generated requests against the schema; these tests pin the
parts of the schema a fuzz cannot reach on its own: the error responses that need a particular
state (a throttled client, an unknown key, an unchanged resource) and the shapes it documents.
"""

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from rest_framework import throttling

from newsroom.wsgi import application

CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
    schemathesis.checks.response_headers_conformance,
]
REF = "#/components/schemas/"


@pytest.fixture(scope="module")
def spec() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


@pytest.fixture(scope="module")
def api(django_db_setup, django_db_blocker):
    # Django's request signals look at the database connection, even for the schema.
    with django_db_blocker.unblock():
        return schemathesis.openapi.from_wsgi("/api/schema/", application)


@pytest.fixture
def wsgi_requests(db):
    """Requests sent straight to the WSGI application inside the test's transaction: Django
    must not close the connection at their start and end (PostgreSQL would lose the test's
    transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def operations(spec: dict):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_schema_command_validates_and_warns_about_nothing(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert out.read_text().startswith("openapi: 3.1.0")


def test_generated_schema_is_valid_openapi(spec):
    validate_schema(spec)
    assert {path for path, _, _ in operations(spec)} >= {
        "/api/v1/articles/",
        "/api/v1/articles/{id}/",
        "/api/v1/articles/by-slug/{slug}/",
        "/api/v1/sections/",
        "/api/v1/sections/{id}/",
        "/api/v1/authors/",
        "/api/v1/authors/{id}/",
        "/api/v1/entities/",
        "/api/v1/entities/{id}/",
        "/api/v1/sponsored/",
        "/api/v1/sponsored/{id}/",
    }


def test_the_api_key_is_documented_in_both_headers(spec):
    schemes = spec["components"]["securitySchemes"]
    assert schemes["ApiKeyAuthorization"] == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": schemes["ApiKeyAuthorization"]["description"],
    }
    assert "Api-Key <key>" in schemes["ApiKeyAuthorization"]["description"]
    assert schemes["ApiKeyHeader"]["name"] == "X-Api-Key"
    for _, _, operation in operations(spec):
        # either header, or none at all (anonymous, at the anonymous rate)
        assert operation["security"] == [{"ApiKeyAuthorization": []}, {"ApiKeyHeader": []}, {}]


def test_every_operation_documents_the_errors_it_can_answer_with(spec):
    for path, method, operation in operations(spec):
        assert method == "get"
        responses = operation["responses"]
        assert {"200", "304", "401", "429"} <= set(responses), path
        assert "Retry-After" in responses["429"]["headers"], path
        assert responses["429"]["content"]["application/json"]["schema"] == {"$ref": REF + "Error"}
        if "{" in path:
            assert responses["404"]["content"]["application/json"]["schema"] == {
                "$ref": REF + "Error"
            }
        if "{" not in path or "include" in {p["name"] for p in operation.get("parameters", [])}:
            assert responses["400"]["content"]["application/json"]["schema"] == {
                "$ref": REF + "ValidationError"
            }, path


def parameters(spec: dict, path: str) -> dict:
    return {p["name"]: p for p in spec["paths"][path]["get"].get("parameters", [])}


def test_the_parameters_the_views_read_themselves_are_documented(spec):
    listing = parameters(spec, "/api/v1/articles/")
    assert listing["updated_since"]["schema"] == {"type": "string", "format": "date-time"}
    assert listing["include"]["schema"]["enum"] == ["sponsored"]
    assert set(listing["ordering"]["schema"]["enum"]) == {
        "-published_at",
        "published_at",
        "-updated_at",
        "updated_at",
    }
    assert listing["page_size"]["schema"] | {"default": 20} == {
        "type": "integer",
        "minimum": 1,
        "maximum": 100,
        "default": 20,
    }
    assert {"cursor", "section", "author", "entity", "genre", "q"} <= set(listing)
    for path in ["/api/v1/articles/{id}/", "/api/v1/articles/by-slug/{slug}/"]:
        assert parameters(spec, path)["include"]["schema"]["enum"] == ["sponsored"]
    sponsored = parameters(spec, "/api/v1/sponsored/")
    assert set(sponsored["placement"]["schema"]["enum"]) == {"end", "inline", "sidebar", "home"}
    assert {"article", "section"} <= set(sponsored)


def test_the_shapes_of_articles_blocks_and_entities(spec):
    schemas = spec["components"]["schemas"]
    assert schemas["Block"]["discriminator"]["mapping"] == {
        kind: f"{REF}{kind.capitalize()}Block"
        for kind in ["heading", "paragraph", "quote", "list", "image"]
    }
    assert schemas["ArticleList"]["anyOf"] == [
        {"$ref": REF + "ArticlePage"},
        {"$ref": REF + "ArticleSyncPage"},
    ]
    assert schemas["ArticleSyncPage"]["properties"]["results"]["items"] == {
        "$ref": REF + "ArticleOrTombstone"
    }
    assert schemas["ArticleOrTombstone"]["oneOf"] == [
        {"$ref": REF + "Article"},
        {"$ref": REF + "Tombstone"},
    ]
    assert "sponsored" not in schemas["ArticlePage"]["required"]
    assert schemas["ArticleDetail"]["oneOf"] == [
        {"$ref": REF + "Article"},
        {"$ref": REF + "ArticleWithSponsored"},
    ]
    assert "sponsored" not in schemas["Article"]["properties"]
    assert schemas["Article"]["properties"]["authors"]["items"] == {"$ref": REF + "Author"}
    # 3.1: null is a type of its own (3.0.3's `allOf` + `nullable` forbade the null sent).
    assert schemas["Article"]["properties"]["hero_image"]["oneOf"] == [
        {"$ref": REF + "Image"},
        {"type": "null"},
    ]
    articles = schemas["EntityDetail"]["properties"]["articles"]
    assert articles["items"] == {"$ref": REF + "EntityArticle"}
    assert set(schemas["EntityArticle"]["required"]) == {
        "id",
        "headline",
        "published_at",
        "url",
        "api_url",
    }


def test_no_field_is_left_as_a_free_form_object(spec):
    """Every property says what it holds (a `-> dict` hint alone gives `additionalProperties:
    {}`, which tells a client nothing)."""

    def walk(schema, where):
        if isinstance(schema, dict):
            assert schema.get("additionalProperties") != {}, where
            for key, value in schema.items():
                walk(value, f"{where}.{key}")
        elif isinstance(schema, list):
            for i, value in enumerate(schema):
                walk(value, f"{where}[{i}]")

    walk(spec["components"]["schemas"], "components")


# The error responses, from the running application, checked against the schema -------------


def test_a_throttled_client_gets_a_documented_429(api, wsgi_requests, monkeypatch):
    # DRF reads the rates once, at import: set them on the class for this test only.
    monkeypatch.setattr(throttling.SimpleRateThrottle, "THROTTLE_RATES", {"anon": "1/min"})
    case = api["/api/v1/sections/"]["GET"].Case()
    assert case.call_and_validate(checks=CHECKS).status_code == 200
    limited = case.call_and_validate(checks=CHECKS)
    assert limited.status_code == 429
    assert int(limited.headers["retry-after"][0]) > 0


@pytest.mark.parametrize("header", ["Authorization", "X-Api-Key"])
def test_an_unknown_key_gets_a_documented_401(api, wsgi_requests, header):
    key = "Api-Key not-a-key" if header == "Authorization" else "not-a-key"
    case = api["/api/v1/authors/"]["GET"].Case(headers={header: key})
    response = case.call_and_validate(checks=CHECKS)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == ["Api-Key"]


def test_an_unchanged_resource_gets_a_documented_304(api, wsgi_requests, section):
    case = api["/api/v1/sections/{id}/"]["GET"].Case(path_parameters={"id": section.pk})
    first = case.call_and_validate(checks=CHECKS)
    assert first.status_code == 200
    etag = first.headers["etag"][0]
    again = api["/api/v1/sections/{id}/"]["GET"].Case(
        path_parameters={"id": section.pk}, headers={"If-None-Match": etag}
    )
    assert again.call_and_validate(checks=CHECKS).status_code == 304
