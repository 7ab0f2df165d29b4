"""Write generated articles with PostgreSQL's COPY: a million articles in minutes.

`generator.generate_articles()` comes here on PostgreSQL with the same batches it would give
`bulk_create`. Article ids are taken from the table's own sequence in bulk (`nextval`), so
blocks, bylines and entity links can name their article before it is written, and an editor
inserting at the same time can never collide with them; the other rows take their ids from
their column defaults. Each batch is one transaction: an interrupted run leaves whole
articles only.

Where the time goes (CPU per article, measured over a million): making the rows in Python
0.38 ms; PostgreSQL 0.85 ms, about half of it `to_tsvector` for the GIN search index, the
rest the other indexes, TOAST and the deferred foreign-key checks at commit. So batches are
made and copied by worker processes, one connection each, keeping every core busy with
Python and PostgreSQL alike. The indexes stay in place: building the GIN index afterwards
computes the same `to_tsvector` in one backend instead of several (measured no faster than
keeping it: 10.4 s against 9.5 s per 10,000 articles), and dropping constraints would leave
other sessions' writes unchecked meanwhile.
"""

import multiprocessing
import os
from collections.abc import Iterable
from datetime import datetime
from multiprocessing.util import Finalize

from django.db import connection, connections, models, reset_queries, transaction
from django.utils import timezone

from articles.demo import generator
from articles.models import Article, ArticleAuthor, ArticleEntity, Block
from articles.search import SEARCH_INDEX

# The rows of each GeneratedArticle that belong to other tables, by attribute.
PARTS = [(Block, "blocks"), (ArticleAuthor, "bylines"), (ArticleEntity, "links")]
MAX_WORKERS = 4

_cast: generator.Cast | None = None  # the worker processes' copy of what articles draw on


def copy_articles(cast: generator.Cast, batches: list[tuple], *, progress: bool) -> None:
    """Make and COPY each batch (`generate_batch()` arguments), then ANALYZE the tables.

    Inside a transaction (a test, a caller's atomic block), or for a few batches, this runs
    in this process so the rows join the transaction; otherwise in worker processes.
    """
    workers = min(MAX_WORKERS, os.cpu_count() or 1, len(batches))
    if connection.in_atomic_block or workers < 2 or "fork" not in _start_methods():
        with generator.progress_bar(sum(b[-1] for b in batches), progress) as bar:
            for batch in batches:
                bar.update(copy_batch(generator.generate_batch(cast, *batch)))
    else:
        global _cast
        _cast = cast
        connections.close_all()  # each worker opens its own connection
        # Fork before the progress bar starts its monitor thread: forking a threaded process
        # is unsafe. Workers inherit the settings and `_cast` as they are.
        with multiprocessing.get_context("fork").Pool(workers, _start_worker) as pool:
            with generator.progress_bar(sum(b[-1] for b in batches), progress) as bar:
                for size in pool.imap_unordered(_make_and_copy, batches):
                    bar.update(size)
            pool.close()
            pool.join()  # let the workers close their connections
    analyse()


def _start_methods() -> list[str]:
    return multiprocessing.get_all_start_methods()


def _start_worker() -> None:
    Finalize(None, connections.close_all, exitpriority=10)


def _make_and_copy(batch: tuple) -> int:
    try:
        return copy_batch(generator.generate_batch(_cast, *batch))
    finally:
        reset_queries()  # with DEBUG on, Django keeps every statement: drop them per batch


def copy_batch(batch: list[generator.GeneratedArticle]) -> int:
    """COPY one batch of generated articles and their rows in one transaction."""
    now = timezone.now()  # created_at / updated_at, as bulk_create would set them
    with transaction.atomic(), connection.cursor() as cursor:
        # Losing the last batches to a crash is harmless here; waiting for each flush is not.
        cursor.execute("SET LOCAL synchronous_commit = off")
        ids = allocate_ids(cursor, Article, len(batch))
        for article_id, generated in zip(ids, batch, strict=True):
            generated.fields["id"] = article_id
        copy_rows(cursor, Article, (g.fields for g in batch), now=now, with_id=True)
        for model, part in PARTS:
            rows = (
                {"article_id": g.fields["id"], **row} for g in batch for row in getattr(g, part)
            )
            copy_rows(cursor, model, rows, now=now)
    return len(batch)


def allocate_ids(cursor, model: type[models.Model], count: int) -> list[int]:
    """Reserve `count` ids from the model's id sequence, in ascending order."""
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
        [model._meta.db_table, model._meta.pk.column, count],
    )
    return sorted(row[0] for row in cursor.fetchall())


def copy_rows(
    cursor, model: type[models.Model], rows: Iterable[dict], *, now: datetime, with_id=False
) -> None:
    """COPY `rows` (field values by attname) into the model's table.

    A column a row leaves out gets the field's default as bulk_create would give it (`now`
    for auto_now fields); without `with_id` the database numbers the rows. Values go to
    psycopg as they are, which suits these models' fields (text, numbers, booleans, times);
    a callable default is called once per COPY, which suits their constant defaults.
    """
    fields = [
        f
        for f in model._meta.concrete_fields
        if (with_id or not f.primary_key) and not f.generated  # the database fills those
    ]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    fill = [(field.attname, _default(field, now)) for field in fields]
    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row.get(name, default) for name, default in fill])


def _default(field: models.Field, now: datetime):
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    return field.get_default()


def analyse() -> None:
    """Refresh the planner's statistics for the tables just filled, and merge the search
    index's pending entries into it.

    GIN defers new entries to a pending list that every search must read, and only VACUUM or
    autovacuum merges it (a plain ANALYZE does not): until then the planner rightly prices the
    index high and may read the whole table instead.
    """
    tables = [Article] + [model for model, _ in PARTS]
    names = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in tables)
    with connection.cursor() as cursor:
        cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [SEARCH_INDEX])
        cursor.execute(f"ANALYZE {names}")
