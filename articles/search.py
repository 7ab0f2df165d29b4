"""Search over published articles: PostgreSQL full-text search, a simple fallback elsewhere.

Each article keeps its searchable text in `search_document` (headline, standfirst, body as
plain text), refreshed whenever a revision is recorded. On PostgreSQL a GIN index over
`to_tsvector('english', search_document)` (migration 0005) serves ranked, highlighted search.
"""

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import F, QuerySet
from django.utils.html import escape

from articles.body import plain_text

MAX_QUERY_CHARS = 200
CONFIG = "english"
SNIPPET_WORDS = 40


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


def _vector_and_query(query: str):
    from django.contrib.postgres.search import SearchQuery, SearchVector

    vector = SearchVector("search_document", config=CONFIG)
    return vector, SearchQuery(query, config=CONFIG, search_type="websearch")


def matching(queryset: QuerySet, query: str) -> QuerySet:
    """Filter `queryset` to articles matching `query` (full-text on PostgreSQL, else every
    word must appear)."""
    if connection.vendor == "postgresql":
        vector, tsquery = _vector_and_query(query)
        return queryset.annotate(document_vector=vector).filter(document_vector=tsquery)
    for word in re.findall(r"\w+", query)[:10]:
        queryset = queryset.filter(search_document__icontains=word)
    return queryset


def search(published: QuerySet, query: str, limit: int = 20) -> list[Hit]:
    """Return up to `limit` published articles matching `query`, best first, with snippets."""
    if connection.vendor == "postgresql":
        return _postgres_search(published, query, limit)
    return _simple_search(published, query, limit)


def _postgres_search(published: QuerySet, query: str, limit: int) -> list[Hit]:
    from django.contrib.postgres.search import SearchHeadline, SearchRank

    _vector, tsquery = _vector_and_query(query)
    rows = (
        matching(published, query)
        # A separate small query for the sections keeps the ranked query a plain index read.
        .prefetch_related("section")
        .annotate(
            rank=SearchRank(F("document_vector"), tsquery),
            snippet=SearchHeadline(
                "search_document",
                tsquery,
                config=CONFIG,
                start_sel="<mark>",
                stop_sel="</mark>",
                max_words=SNIPPET_WORDS,
                min_words=15,
            ),
        )
        .order_by("-rank", "-publish_at", "-id")[:limit]
    )
    # ts_headline returns the document's text with <mark> added: escape all but the marks.
    return [Hit(article, _escape_marked(article.snippet)) for article in rows]


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
