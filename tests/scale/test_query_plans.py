"""Public lists are answered from indexes, never by reading the whole archive.

On PostgreSQL, a few thousand generated articles (made once for this module, analysed, and
rolled back at the end) are enough for the planner to choose as it would for millions: each
test renders a public page or API list and checks every query it ran with EXPLAIN — no
sequential scan of articles, entity links or blocks, and no OFFSET. The planner is left to
itself (no `enable_seqscan = off`): a plan that only wins because it was forced would prove
nothing. And no public page or API list counts rows, on any database.
"""

import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.demo.generator import generate_articles
from articles.models import Article, Author, Entity, Section
from articles.pagination import encode_cursor
from articles.search import RANKED_CANDIDATES

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="query plans are PostgreSQL's: these run in the suite's PostgreSQL pass, "
    "which scripts/test.sh always runs",
)

ARCHIVE = 3000
BIG_TABLES = {"articles_article", "articles_articleentity", "articles_block"}
# `.count()`, a paginator or `|length` on a queryset: SELECT COUNT(*) ... (a per-group
# COUNT in an annotation, as related stories use, counts links of a few rows, not the table).
COUNTING = re.compile(r"\s*SELECT\s+COUNT\(", re.IGNORECASE)


@pytest.fixture(scope="module")
def archive(django_db_setup, django_db_blocker):
    """Generate an archive once for the module, inside a transaction undone at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        generate_articles(ARCHIVE, seed=7, progress=False)  # ends with ANALYZE on PostgreSQL
        yield
        transaction.set_rollback(True)


def run(client, url: str) -> list[str]:
    """Return the SQL of an uncached GET of `url` (the page cache would otherwise answer)."""
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return [query["sql"] for query in captured]


def explain(sql: str, *, analyse: bool = False) -> dict:
    options = "ANALYZE, FORMAT JSON" if analyse else "FORMAT JSON"
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN ({options}) {sql}")
        return cursor.fetchone()[0][0]["Plan"]


def explain_text(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from nodes(child)


def reads_big_tables(sql: str) -> bool:
    return sql.lstrip().upper().startswith("SELECT") and any(t in sql for t in BIG_TABLES)


def assert_indexed(queries: list[str]) -> None:
    checked = [sql for sql in queries if reads_big_tables(sql)]
    assert checked, "no query read the articles"
    for sql in checked:
        assert " OFFSET " not in sql.upper(), sql
        scans = [
            node["Relation Name"]
            for node in nodes(explain(sql))
            if node["Node Type"] == "Seq Scan" and node.get("Relation Name") in BIG_TABLES
        ]
        assert not scans, f"sequential scan of {scans} in:\n{sql}\n{explain_text(sql)}"


def deep_cursor(articles, depth: int) -> str:
    """The `before` cursor a reader has after paging `depth` articles into a list."""
    last = articles.newest_first()[depth - 1]
    return encode_cursor(last.publish_at, last.pk)


def busiest_entity() -> Entity:
    return Entity.objects.annotate(links=Count("article_links")).order_by("-links", "pk").first()


@postgres_only
def test_home_latest_and_per_section_lists_use_indexes(archive, db, client):
    assert_indexed(run(client, "/"))


@postgres_only
def test_a_section_page_deep_in_the_archive_uses_an_index(archive, db, client):
    section = Section.objects.get(slug="business")
    published = Article.objects.published().in_section(section)
    cursor = deep_cursor(published, published.count() * 3 // 4)
    assert_indexed(run(client, f"{section.get_absolute_url()}?before={cursor}"))


@postgres_only
def test_a_deep_keyset_page_reads_only_its_own_rows(archive, db, client):
    section = Section.objects.get(slug="business")
    published = Article.objects.published().in_section(section)
    depth = published.count() * 3 // 4
    url = f"{section.get_absolute_url()}?before={deep_cursor(published, depth)}"
    (page_query,) = [
        sql for sql in run(client, url) if "LIMIT 21" in sql and 'FROM "articles_article"' in sql
    ]
    removed = sum(
        node.get("Rows Removed by Filter", 0)
        for node in nodes(explain(page_query, analyse=True))
        if node.get("Relation Name") == "articles_article"
    )
    assert removed < 21, f"{removed} newer rows read and dropped to reach depth {depth}"


@postgres_only
def test_an_entity_page_uses_indexes(archive, db, client):
    entity = busiest_entity()
    queries = run(client, entity.get_absolute_url())
    assert_indexed(queries)
    published = Article.objects.published().mentioning(entity)
    assert_indexed(run(client, f"{entity.get_absolute_url()}?before={deep_cursor(published, 40)}"))


@postgres_only
def test_an_author_page_uses_indexes(archive, db, client):
    author = Author.objects.exclude(slug="newswire").first()
    assert_indexed(run(client, author.get_absolute_url()))


@postgres_only
def test_the_api_list_first_and_cursor_pages_use_indexes(archive, db, client):
    assert_indexed(run(client, "/api/v1/articles/"))
    url = "/api/v1/articles/?page_size=100"
    for _ in range(10):  # a thousand articles in, as a client following `next` gets there
        cache.clear()
        url = client.get(url).json()["next"]
    assert "cursor" in parse_qs(urlsplit(url).query)
    assert_indexed(run(client, url))


@postgres_only
def test_the_api_sync_list_uses_the_changed_at_index(archive, db, client):
    since = timezone.now()
    edited = Article.objects.published().newest_first()[5]
    Article.objects.filter(pk=edited.pk).update(updated_at=timezone.now())
    queries = run(client, f"/api/v1/articles/?{urlencode({'updated_since': since.isoformat()})}")
    assert_indexed(queries)
    sync_query = next(sql for sql in queries if "CASE WHEN" in sql)
    used = {node.get("Index Name") for node in nodes(explain(sync_query))}
    assert "article_changed_idx" in used, explain_text(sync_query)


@postgres_only
def test_a_rare_word_is_found_through_the_full_text_index(archive, db, client, make_article):
    # A word few articles have, as most searches are: the planner, left to itself, must read
    # the GIN index on the stored vector (a scan would read every article's vector).
    make_article(paragraphs=["The zeppelin hangar at the old airfield reopened on Monday."])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")
    queries = run(client, "/search/?q=zeppelin+hangar")
    assert_indexed(queries)
    search_query = next(sql for sql in queries if "@@" in sql)
    used = {node.get("Index Name") for node in nodes(explain(search_query))}
    assert "article_search_vector_gin" in used, explain_text(search_query)


@postgres_only
def test_a_common_word_ranks_only_the_newest_matches(archive, db, client):
    # The word in most articles: no scan, and ranking reads a bounded number of rows however
    # many articles match.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word, ndoc FROM ts_stat('SELECT search_vector FROM articles_article') "
            "WHERE word ~ '^[a-z]{4,}$' ORDER BY ndoc DESC, word LIMIT 1"
        )
        word, matches = cursor.fetchone()
    assert matches > RANKED_CANDIDATES, "the archive is too small for this test"
    queries = run(client, f"/search/?q={word}")
    assert_indexed(queries)
    search_query = next(sql for sql in queries if "@@" in sql)
    plan = explain(search_query, analyse=True)
    assert plan["Node Type"] == "Limit" and plan["Actual Rows"] == RANKED_CANDIDATES


@postgres_only
def test_an_article_page_and_its_related_stories_use_indexes(archive, db, client):
    article = Article.objects.published().newest_first()[10]
    assert_indexed(run(client, article.get_absolute_url()))


def test_no_public_page_or_api_list_counts_rows(make_article, client):
    """Counting a million rows takes longer than serving the page: nothing public may."""
    article = make_article()
    make_article(publish_at=article.publish_at)  # a tie, so cursors carry an offset too
    entity = Entity.objects.create(kind="place", name="Fernhollow", slug="fernhollow")
    article.entity_links.create(entity=entity)
    urls = [
        "/",
        article.section.get_absolute_url(),
        f"{article.section.get_absolute_url()}?before={encode_cursor(article.publish_at, 10**9)}",
        entity.get_absolute_url(),
        article.byline[0].get_absolute_url(),
        article.get_absolute_url(),
        "/search/?q=reporting",
        "/api/v1/articles/",
        "/api/v1/articles/?page_size=1",
    ]
    first = client.get("/api/v1/articles/?page_size=1").json()
    urls.append(first["next"])
    for url in urls:
        counts = [sql for sql in run(client, url) if COUNTING.match(sql)]
        assert not counts, f"{url} counts rows:\n" + "\n".join(counts)
