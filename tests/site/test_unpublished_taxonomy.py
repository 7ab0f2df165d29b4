"""Entities and authors only unpublished stories name are not public: no page, no API list
entry or detail, no sitemap entry, and filtering by them is the same 400 as for a name that
does not exist. Public means linked from at least one article readers may see."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from articles.models import ArticleAuthor, ArticleEntity, Author, Entity

UNPUBLISHED_STATES = ["draft", "in_review", "scheduled", "withdrawn"]


def article_in(state: str, make_article):
    now = timezone.now()
    if state == "scheduled":
        return make_article("published", publish_at=now + timedelta(days=2))
    if state == "withdrawn":
        return make_article(
            "withdrawn", publish_at=now - timedelta(days=2), withdrawn_at=now - timedelta(days=1)
        )
    return make_article(state)


@pytest.fixture
def newsroom(make_article):
    """A public entity and author on a live story, and a secret pair on a story in each
    unpublished state."""
    live = make_article()
    public_entity = Entity.objects.create(kind="organization", name="Openco", slug="openco")
    public_author = Author.objects.create(name="Pat Public", slug="pat-public")
    ArticleEntity.objects.create(article=live, entity=public_entity)
    ArticleAuthor.objects.create(article=live, author=public_author, position=1)
    secrets = {}
    for state in UNPUBLISHED_STATES:
        article = article_in(state, make_article)
        marker = f"zqsecret{state.replace('_', '')}"
        entity = Entity.objects.create(kind="organization", name=marker.title(), slug=marker)
        author = Author.objects.create(name=f"{marker.title()} Writer", slug=f"{marker}-writer")
        ArticleEntity.objects.create(article=article, entity=entity)
        ArticleAuthor.objects.create(article=article, author=author, position=1)
        secrets[state] = (marker, entity, author)
    return public_entity, public_author, secrets


def public_text(client, api) -> str:
    """Everything the lists of the site and the API show about entities and authors."""
    responses = [
        client.get("/sitemap-entities.xml"),
        client.get("/sitemap-authors.xml"),
        client.get("/sitemap.xml"),
        api.get("/api/v1/entities/", {"page_size": 100}),
        api.get("/api/v1/authors/", {"page_size": 100}),
    ]
    assert all(r.status_code == 200 for r in responses)
    return "".join(r.content.decode() for r in responses).lower()


def test_public_entities_and_authors_are_shown(client, newsroom):
    entity, author, _secrets = newsroom
    api = APIClient()
    assert client.get(entity.get_absolute_url()).status_code == 200
    assert client.get(author.get_absolute_url()).status_code == 200
    assert api.get(f"/api/v1/entities/{entity.pk}/").status_code == 200
    assert api.get(f"/api/v1/authors/{author.pk}/").status_code == 200
    assert api.get("/api/v1/articles/", {"author": author.slug}).status_code == 200
    assert api.get("/api/v1/articles/", {"entity": entity.pk}).status_code == 200
    text = public_text(client, api)
    assert "openco" in text and "pat-public" in text


@pytest.mark.parametrize("state", UNPUBLISHED_STATES)
def test_entities_and_authors_of_unpublished_stories_are_not_public(client, newsroom, state):
    _entity, _author, secrets = newsroom
    marker, entity, author = secrets[state]
    api = APIClient()
    assert client.get(entity.get_absolute_url()).status_code == 404
    assert client.get(author.get_absolute_url()).status_code == 404
    assert api.get(f"/api/v1/entities/{entity.pk}/").status_code == 404
    assert api.get(f"/api/v1/authors/{author.pk}/").status_code == 404
    # Filtering by them answers as for a name no one has: existence does not leak.
    for query in [{"author": author.slug}, {"entity": entity.pk}]:
        response = api.get("/api/v1/articles/", query)
        assert response.status_code == 400, query
        assert marker not in response.content.decode().lower()
    assert api.get("/api/v1/articles/", {"author": "no-such-writer"}).status_code == 400
    assert marker not in public_text(client, api)
    found = client.get("/search/", {"q": marker}).content.decode()  # echoes the query
    assert entity.get_absolute_url() not in found and author.get_absolute_url() not in found


def test_an_entity_goes_public_with_its_first_public_story(client, newsroom, make_article):
    _entity, _author, secrets = newsroom
    _marker, entity, author = secrets["draft"]
    live = make_article()
    ArticleEntity.objects.create(article=live, entity=entity)
    ArticleAuthor.objects.create(article=live, author=author, position=1)
    api = APIClient()
    assert client.get(entity.get_absolute_url()).status_code == 200
    assert client.get(author.get_absolute_url()).status_code == 200
    assert api.get(f"/api/v1/entities/{entity.pk}/").status_code == 200
    assert api.get(f"/api/v1/authors/{author.pk}/").status_code == 200
