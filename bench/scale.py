"""Measure the archive-size targets of issue 7 on PostgreSQL with a million articles.

Usage, against a database filled by `manage.py generate_content --articles 1000000`:

    DATABASE_URL=postgres://newsroom:newsroom@127.0.0.1:5432/newsroom_scale \\
        .venv/bin/python bench/scale.py [--requests 50] [--json bench/scale.json] [--explain]

Every request is served in-process by Django's test client through the whole middleware
stack, with the page cache replaced by Django's DummyCache: nothing is stored, so each request
renders its page from the database — the cost a reader pays on a cache miss, which is what
the targets are about (a cached page costs the same at any archive size). Each URL gets a few
unmeasured warm-up requests, then `--requests` timed ones; figures are wall-clock times of the
whole request, in milliseconds.

Targets: API cursor page at depth 10,000 within 1.5x the first page; search p95 <= 100 ms;
section page p95 <= 50 ms; entity page p95 <= 50 ms. With --explain it prints EXPLAIN
(ANALYZE, BUFFERS) of the slowest SQL query of each URL: the profile to read when a target is
missed.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.backends.signals import connection_created  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.db.utils import OperationalError  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from psycopg.errors import QueryCanceled  # noqa: E402

from articles.models import Article, Entity, Section  # noqa: E402
from articles.pagination import encode_cursor  # noqa: E402

HOST = "127.0.0.1"
WARMUP = 5
STATEMENT_TIMEOUT_MS = 30_000
API_DEPTH = 10_000
SECTION_DEPTH = 10_000
ENTITY_DEPTH = 1_000
# Searches as readers type them: names in the news, topics, a phrase, a word nobody wrote.
SEARCHES = [
    "{person}",
    "{organization}",
    "{place}",
    "election",
    "interest rates",
    "{person} {place}",
    '"{organization}"',
    "zeppelin",
]
TARGETS = {  # figure name -> (limit, what is compared)
    "api cursor / first page": (1.5, "ratio of medians"),
    "search": (100.0, "p95 ms"),
    "section page": (50.0, "p95 ms"),
    "entity page": (50.0, "p95 ms"),
}


class SqlTimer:
    """Add up the time spent in the database (an execute wrapper around every query)."""

    def __init__(self):
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started


def timed(client: Client, urls: list[str], requests: int, warmup: int = WARMUP) -> dict:
    """Request `urls` in turn, `warmup` times each unmeasured, then `requests` times in all.

    Return the summary of the whole requests' times and of their time in SQL. A request
    that PostgreSQL cancels at STATEMENT_TIMEOUT counts as taking that long, and is noted.
    """
    for url in urls:
        for _ in range(warmup):
            get(client, url)
    times, sql_times, timeouts = [], [], 0
    for n in range(requests):
        sql = SqlTimer()
        started = time.perf_counter()
        with connection.execute_wrapper(sql):
            timeouts += not get(client, urls[n % len(urls)])
        times.append((time.perf_counter() - started) * 1000)
        sql_times.append(sql.seconds * 1000)
    return summary(times) | {"sql_p50_ms": summary(sql_times)["p50_ms"], "timeouts": timeouts}


def get(client: Client, url: str) -> bool:
    """GET `url`; return False if the database cancelled a query for taking too long."""
    try:
        response = client.get(url)
    except OperationalError as error:
        if not isinstance(error.__cause__, QueryCanceled):
            raise
        return False
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return True


def summary(times: list[float]) -> dict:
    ordered = sorted(times)
    return {
        "requests": len(times),
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[math.ceil(0.95 * len(ordered)) - 1], 1),  # nearest rank
        "max_ms": round(ordered[-1], 1),
    }


def api_cursor_at(client: Client, depth: int) -> str:
    """Follow `next` links, 100 articles a page, as a syncing client would; return the URL."""
    url = "/api/v1/articles/?page_size=100"
    for _ in range(depth // 100):
        url = client.get(url).json()["next"]
    return url.replace("page_size=100", "page_size=20")


def keyset_url(base: str, articles, depth: int) -> str:
    """The URL of the page after `depth` articles (or half the list, if it is shorter)."""
    depth = min(depth, articles.count() // 2)
    last = articles.newest_first()[depth - 1]
    return f"{base}?before={encode_cursor(last.publish_at, last.pk)}"


def searches() -> list[str]:
    names = {
        kind: Entity.objects.filter(kind=kind).order_by("pk").values_list("name", flat=True)[3]
        for kind in ["person", "organization", "place"]
    }
    return [f"/search/?q={query.format(**names)}" for query in SEARCHES]


def slowest_query_plan(client: Client, url: str) -> str:
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    slowest = max(
        (q for q in captured if q["sql"].startswith("SELECT")), key=lambda q: float(q["time"])
    )
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest["sql"])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    return f"{url} ({slowest['time']} s):\n{slowest['sql'][:600]}\n{plan}"


def limit_statements(sender, connection, **kwargs) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"SET statement_timeout = {STATEMENT_TIMEOUT_MS}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=50, help="timed requests per figure")
    parser.add_argument("--search-requests", type=int, help="timed searches (default: --requests)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--explain", action="store_true", help="print the slowest query plans")
    parser.add_argument(
        "--only", nargs="+", metavar="WORD", help="measure only figures whose name has a WORD"
    )
    options = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("bench/scale.py measures PostgreSQL: set DATABASE_URL")
    connection_created.connect(limit_statements)
    connection.close()  # reopen with the statement timeout
    # A cancelled query is counted in the table; Django's traceback of it is not needed.
    logging.getLogger("django.request").setLevel(logging.CRITICAL)

    client = Client(HTTP_HOST=HOST)
    published = Article.objects.published()
    section = Section.objects.filter(active=True).order_by("position").first()
    busiest = Entity.objects.annotate(links=Count("article_links")).order_by("-links").first()
    entities = list(Entity.objects.order_by("pk"))[::25][:10]  # a spread of kinds
    article = published.newest_first()[100]
    # Each figure's URLs, made only when the figure is measured.
    urls = {
        "api first page": lambda: ["/api/v1/articles/"],
        "api cursor page (depth 10,000)": lambda: [api_cursor_at(client, API_DEPTH)],
        "search": searches,
        "section page": lambda: [section.get_absolute_url()],
        "section page (depth 10,000)": lambda: [
            keyset_url(section.get_absolute_url(), published.in_section(section), SECTION_DEPTH)
        ],
        "entity page": lambda: [entity.get_absolute_url() for entity in entities],
        "entity page (depth 1,000)": lambda: [
            keyset_url(busiest.get_absolute_url(), published.mentioning(busiest), ENTITY_DEPTH)
        ],
        "home": lambda: ["/"],
        "article page": lambda: [article.get_absolute_url()],
    }
    if options.only:
        urls = {name: make for name, make in urls.items() if any(w in name for w in options.only)}
    urls = {name: make() for name, make in urls.items()}
    figures = {"articles": Article.objects.count(), "published": published.count()}
    print(f"{figures['articles']:,} articles ({figures['published']:,} published)")
    print(
        f"{'figure':32} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'SQL p50':>8}"
        f" {'timeouts':>8}"
    )
    for name, targets in urls.items():
        searching = name == "search" and options.search_requests is not None
        requests = options.search_requests if searching else options.requests
        row = figures[name] = timed(client, targets, requests, warmup=1 if searching else WARMUP)
        print(
            f"{name:32} {row['requests']:>4} {row['p50_ms']:>8} {row['p95_ms']:>8}"
            f" {row['max_ms']:>8} {row['sql_p50_ms']:>8} {row['timeouts']:>8}"
        )
    if {"api cursor page (depth 10,000)", "api first page"} <= figures.keys():
        deep, first = figures["api cursor page (depth 10,000)"], figures["api first page"]
        figures["api cursor / first page"] = round(deep["p50_ms"] / first["p50_ms"], 2)
    print()
    for name, (limit, what) in TARGETS.items():
        if name not in figures:
            continue
        value = figures[name] if isinstance(figures[name], float) else figures[name]["p95_ms"]
        verdict = "met" if value <= limit else "MISSED"
        print(f"{name:26} {value:>8} {what:>16} (target <= {limit}): {verdict}")
    if options.json:
        options.json.write_text(json.dumps(figures, indent=2) + "\n")
    if options.explain:
        for name, targets in urls.items():
            print(f"\n== {name}\n{slowest_query_plan(client, targets[0])}")


if __name__ == "__main__":
    # DummyCache for pages: none is ever served from the cache (and the API's anonymous
    # throttle, which counts in it, never trips); the content version stays where settings
    # keep it. DEBUG off: no SQL is kept in memory.
    caches = settings.CACHES | {
        "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    }
    with override_settings(CACHES=caches, DEBUG=False, ALLOWED_HOSTS=[HOST]):
        main()
