"""Related stories: those sharing the most entities, never one readers may not see."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import publishing
from articles.models import ArticleEntity, Entity
from articles.related import related_articles


def link(article, *entities) -> None:
    for entity in entities:
        ArticleEntity.objects.create(article=article, entity=entity)


def entities(*names: str) -> list[Entity]:
    return [Entity.objects.create(kind="place", name=n, slug=n.lower()) for n in names]


def test_the_articles_sharing_most_entities_come_first(make_article):
    a, b, c = entities("Ardmore", "Belcastle", "Corriedale")
    story, close, far, unrelated = (make_article() for _ in range(4))
    link(story, a, b, c)
    link(close, a, b)
    link(far, c)
    assert related_articles(story) == [close, far]
    assert related_articles(unrelated) == []


def test_a_related_story_withdrawn_after_it_was_found_is_not_shown(make_article, editor):
    (place,) = entities("Dunmore")
    story, other = make_article(), make_article(headline="Soon withdrawn")
    link(story, place)
    link(other, place)
    assert related_articles(story) == [other]  # the ids are now cached
    publishing.withdraw(other, by=editor, reason="Legal")
    assert related_articles(story) == []


def test_a_draft_is_never_related(make_article):
    (place,) = entities("Eastwick")
    story, draft = make_article(), make_article("draft")
    link(story, place)
    link(draft, place)
    assert related_articles(story) == []


def test_the_search_for_related_stories_runs_once_per_article_version(make_article):
    (place,) = entities("Fairhaven")
    story, other = make_article(), make_article()
    link(story, place)
    link(other, place)
    related_articles(story)
    with CaptureQueriesContext(connection) as queries:
        assert related_articles(story) == [other]
    assert len(queries) == 1  # only the visibility check of the cached ids
