"""Search over published articles: PostgreSQL full-text search, a simple fallback elsewhere.

Each article keeps its searchable text in `search_document` (headline, standfirst, body as
plain text), refreshed whenever a revision is recorded. On PostgreSQL the database keeps its
`to_tsvector('english', ...)` in the generated column `search_vector`, GIN-indexed (migration
0010), which serves ranked, highlighted search; elsewhere every word must appear.
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, QuerySet
from django.utils.html import escape

from articles.body import plain_text

MAX_QUERY_CHARS = 200
CONFIG = "english"
SEARCH_INDEX = "article_search_vector_gin"  # GIN on Article.search_vector (migration 0010)
SNIPPET_WORDS = 40
# Ranking reads every candidate's vector: only the newest matches are ranked, so that a common
# word in a big archive costs a few hundred rows, not a third of the table. News readers look
# for recent stories; the rest of the archive stays reachable through the API's `q` filter.
RANKED_CANDIDATES = 500


class DocumentVector(SearchVector):
    """The expression behind `Article.search_vector`: the search document's tsvector.

    SQLite has no full-text type, so there the column is NULL and search reads the text.
    """

    def __init__(self):
        super().__init__("search_document", config=CONFIG)

    def as_sqlite(self, compiler, connection, **extra_context):
        return "NULL", []


class BadQuery(ValueError):
    """The search text cannot be used; the message says why."""


@dataclass
class Hit:
    article: object
    snippet_html: str


def document_for(headline: str, dek: str, block_texts) -> str:
    """Return the searchable plain text of an article."""
    body = "\n".join(plain_text(t) for t in block_texts if t)
    return "\n".join(part for part in (headline, dek, body) if part)


def refresh_document(article) -> None:
    """Recompute and store the article's search document."""
    texts = article.blocks.exclude(type="image").order_by("position").values_list("text", flat=True)
    document = document_for(article.headline, article.dek, texts)
    type(article).objects.filter(pk=article.pk).update(search_document=document)
    article.search_document = document


def clean_query(raw: str) -> str:
    """Return the query to search for, or '' when there is nothing to search for."""
    # Control characters are no part of a search, and PostgreSQL refuses NUL outright.
    text = " ".join(re.sub(r"[\x00-\x1f\x7f-\x9f]", " ", raw or "").split())
    if len(text) > MAX_QUERY_CHARS:
        raise BadQuery(f"Search for at most {MAX_QUERY_CHARS} characters.")
    # Keep words; punctuation-only input ("!!!", "***") has nothing to search for.
    return text if re.search(r"\w", text) else ""


def _tsquery(query: str) -> SearchQuery:
    return SearchQuery(query, config=CONFIG, search_type="websearch")


def matching(queryset: QuerySet, query: str) -> QuerySet:
    """Filter `queryset` to articles matching `query` (full-text on PostgreSQL, else every
    word must appear)."""
    if connection.vendor == "postgresql":
        return queryset.filter(search_vector=_tsquery(query))
    for word in re.findall(r"\w+", query)[:10]:
        queryset = queryset.filter(search_document__icontains=word)
    return queryset


def search(published: QuerySet, query: str, limit: int = 20) -> list[Hit]:
    """Return up to `limit` published articles matching `query`, best first, with snippets."""
    if connection.vendor == "postgresql":
        return _postgres_search(published, query, limit)
    return _simple_search(published, query, limit)


def _postgres_search(published: QuerySet, query: str, limit: int) -> list[Hit]:
    tsquery = _tsquery(query)
    # 1. The newest matches: an index read of ids and times. (Ranking here would read every
    #    match's vector before the LIMIT: hundreds of milliseconds for a common word.)
    newest = matching(published, query).newest_first().values_list("pk", flat=True)
    candidates = list(newest[:RANKED_CANDIDATES])
    if not candidates:
        return []
    # 2. Rank those few by primary key.
    ranked = (
        published.filter(pk__in=candidates)
        .annotate(rank=SearchRank(F("search_vector"), tsquery))
        .values_list("rank", "publish_at", "pk")
    )
    best = sorted(ranked, reverse=True)[:limit]
    # 3. Load only the best, with their highlighted snippets (ts_headline re-reads the text).
    rows = (
        published.filter(pk__in=[pk for _rank, _at, pk in best])
        .prefetch_related("section")
        .without_search()
        .annotate(
            snippet=SearchHeadline(
                "search_document",
                tsquery,
                config=CONFIG,
                start_sel="<mark>",
                stop_sel="</mark>",
                max_words=SNIPPET_WORDS,
                min_words=15,
            )
        )
        .in_bulk()
    )
    # ts_headline returns the document's text with <mark> added: escape all but the marks.
    return [
        Hit(rows[pk], _escape_marked(rows[pk].snippet)) for _rank, _at, pk in best if pk in rows
    ]


def _escape_marked(text: str) -> str:
    parts = re.split(r"(</?mark>)", text)
    return "".join(p if p in {"<mark>", "</mark>"} else escape(p) for p in parts)


def _simple_search(published: QuerySet, query: str, limit: int) -> list[Hit]:
    """Every word must appear (case-insensitively); newest first."""
    words = re.findall(r"\w+", query)[:10]
    rows = matching(published, query).select_related("section").order_by("-publish_at", "-id")
    rows = rows[:limit]
    return [Hit(article, _snippet(article.search_document, words)) for article in rows]


def _snippet(document: str, words: list[str]) -> str:
    """Return escaped text around the first match, with every match in <mark>."""
    text = " ".join(document.split())
    lower = text.lower()
    first = min((i for w in words if (i := lower.find(w.lower())) >= 0), default=0)
    start = max(0, text.rfind(" ", 0, max(0, first - 80)) + 1)
    excerpt = text[start : start + 280]
    # One pass with every word in one pattern, so a mark is never placed inside another.
    pattern = "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
    pieces = re.split(f"({pattern})", excerpt, flags=re.I) if pattern else [excerpt]
    marked = "".join(
        f"<mark>{escape(p)}</mark>" if i % 2 else escape(p) for i, p in enumerate(pieces)
    )
    return ("… " if start else "") + marked + (" …" if start + 280 < len(text) else "")
