"""Hand-made pagination cursors: every paginated page and API list answers 400 with a message,
never a 500 (a far-future time in a cursor used to overflow when compared in UTC)."""

import base64
from urllib.parse import urlencode

import pytest
from rest_framework.test import APIClient

from articles.models import ArticleEntity, Entity

FAR_FUTURE = "9999-12-31T23:59:59-23:00"
FAR_PAST = "0001-01-01T00:00:00+23:00"
A_TIME = "2026-11-27T08:00:00+00:00"


def b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


def drf(**tokens) -> str:
    """A cursor as DRF encodes one: base64 of a query string."""
    return b64(urlencode(tokens))


# The site's cursor is base64 of "<publish time>|<id>".
SITE_CURSORS = [
    b64(f"{FAR_FUTURE}|5"),
    b64(f"{FAR_PAST}|5"),
    b64("2026-02-30T08:00:00+00:00|5"),  # no such day
    b64("2026-11-27T08:00:00|5"),  # no zone
    b64(f"not a time|{5}"),
    b64(f"{A_TIME}|abc"),
    b64(f"{A_TIME}|-1"),
    b64(f"{A_TIME}|0"),
    b64(f"{A_TIME}|²"),
    b64(f"{A_TIME}|{2**63}"),
    b64(f"{A_TIME}|{'9' * 5000}"),
    b64(f"{A_TIME}|5|6"),
    base64.urlsafe_b64encode(b"\xff\xfe|1").decode(),  # not UTF-8
    "%%%not-base64%%%",
    "é",
]

# The API's cursor is DRF's: base64 of a query string with the position `p`, offset `o` and
# direction `r`.
API_BROKEN = [
    b64("o=-1"),
    b64("o=abc"),
    b64(f"o={'9' * 5000}"),
    b64("r=abc"),
    b64("p=\x00"),
    "%%%not-base64%%%",
    "é",
]
API_TIME_CURSORS = [
    *API_BROKEN,
    drf(p=FAR_FUTURE),
    drf(p=FAR_PAST),
    drf(p="2026-02-30T08:00:00+00:00"),
    drf(p="2026-11-27T08:00:00"),  # no zone
    drf(p="not a time"),
    drf(p=FAR_FUTURE, o=3, r=1),
]


@pytest.fixture
def pages(make_article, section, author):
    """Site pages that paginate, each with a public article on it."""
    article = make_article()
    acme = Entity.objects.create(kind="organization", name="Acme", slug="acme")
    ArticleEntity.objects.create(article=article, entity=acme)
    return [section.get_absolute_url(), acme.get_absolute_url(), author.get_absolute_url()]


@pytest.mark.parametrize("cursor", SITE_CURSORS)
def test_site_pages_answer_a_bad_cursor_with_a_400(client, pages, cursor):
    for url in pages:
        response = client.get(url, {"before": cursor})
        assert response.status_code == 400, url
        assert "not valid" in response.content.decode()


def test_site_cursor_at_the_ends_of_time_that_fit_still_works(client, pages):
    # The last moment that exists in UTC is a valid (if empty-handed) position.
    cursor = b64("9999-12-31T23:59:59+00:00|5")
    assert client.get(pages[0], {"before": cursor}).status_code == 200


@pytest.fixture
def api(make_article, section, author):
    article = make_article()
    acme = Entity.objects.create(kind="organization", name="Acme", slug="acme")
    ArticleEntity.objects.create(article=article, entity=acme)
    return APIClient()


@pytest.mark.parametrize("cursor", API_TIME_CURSORS)
@pytest.mark.parametrize(
    "query",
    [
        {},
        {"ordering": "published_at"},
        {"ordering": "-updated_at"},
        {"ordering": "updated_at"},
        {"updated_since": "2020-01-01T00:00:00Z"},
    ],
)
def test_api_article_lists_answer_a_bad_cursor_with_a_400(api, cursor, query):
    response = api.get("/api/v1/articles/", {**query, "cursor": cursor})
    assert response.status_code == 400
    assert "cursor" in response.json()


@pytest.mark.parametrize("cursor", API_BROKEN)
@pytest.mark.parametrize("path", ["/api/v1/sections/", "/api/v1/authors/", "/api/v1/entities/"])
def test_api_name_lists_answer_a_bad_cursor_with_a_400(api, cursor, path):
    response = api.get(path, {"cursor": cursor})
    assert response.status_code == 400
    assert "cursor" in response.json()


def test_api_cursor_at_the_end_of_time_that_fits_still_works(api):
    cursor = drf(p="9999-12-31T23:59:59+00:00")
    response = api.get("/api/v1/articles/", {"cursor": cursor})
    assert response.status_code == 200
    assert len(response.json()["results"]) == 1
