"""Public pages run the same number of SQL queries however big the content is."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import ArticleAuthor, ArticleEntity, Author, Correction, Entity
from tests.caches import clear_all_caches


def grow(article, *, entities: int, authors: int, corrections: int) -> None:
    for i in range(entities):
        entity = Entity.objects.create(
            kind="place", name=f"Place {article.pk}-{i}", slug=f"p{article.pk}-{i}"
        )
        ArticleEntity.objects.create(article=article, entity=entity)
    for i in range(1, authors):
        author = Author.objects.create(name=f"Writer {article.pk}-{i}", slug=f"w{article.pk}-{i}")
        ArticleAuthor.objects.create(article=article, author=author, position=i)
    for i in range(corrections):
        Correction.objects.create(article=article, corrected_at=article.publish_at, text=f"Fix {i}")


def count_queries(client, url: str) -> int:
    """Count the queries of an uncached request (the page cache would otherwise answer)."""
    clear_all_caches()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["article", "home", "section", "entity", "author"])
def test_query_count_does_not_grow_with_content(make_article, client, page):
    small = make_article(paragraphs=["One."])
    big = make_article(paragraphs=[f"Paragraph {i}." for i in range(100)])
    grow(big, entities=50, authors=5, corrections=3)
    grow(small, entities=1, authors=1, corrections=0)
    entity_small = small.entity_links.get().entity
    urls = {
        "article": (small.get_absolute_url(), big.get_absolute_url()),
        "home": ("/", "/"),
        "section": (small.section.get_absolute_url(),) * 2,
        "entity": (
            entity_small.get_absolute_url(),
            big.entity_links.first().entity.get_absolute_url(),
        ),
        "author": (small.byline[0].get_absolute_url(), big.byline[-1].get_absolute_url()),
    }[page]
    counts = [count_queries(client, url) for url in urls]
    if page in {"home", "section"}:  # the same page before and after the archive grows
        grow(make_article(), entities=30, authors=5, corrections=2)
        counts.append(count_queries(client, urls[0]))
    assert len(set(counts)) == 1, counts
    assert counts[0] <= {"article": 10, "home": 12}.get(page, 8)
