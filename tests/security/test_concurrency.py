"""Real concurrent transactions on PostgreSQL: no lost update, one publish, no lost link.

SQLite's in-memory test database cannot hold concurrent transactions; these run in the
suite's PostgreSQL pass, which scripts/test.sh always makes.
"""

import threading

import pytest
from django.db import connection, transaction

from articles import publishing
from articles.editing import StaleVersion, claim_version
from articles.entities import add_link
from articles.merging import merge_entities
from articles.models import Article, ArticleEntity, AuditEntry, Block, Entity, Revision
from articles.revisions import bump_version, record_revision

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs real concurrent transactions: runs in the PostgreSQL pass",
    ),
    pytest.mark.django_db(transaction=True),
]


def run_together(count: int, work) -> list:
    """Run `work(n)` in `count` threads released at the same moment; return the outcomes."""
    barrier = threading.Barrier(count)
    outcomes: list = [None] * count

    def runner(n: int) -> None:
        try:
            barrier.wait()
            outcomes[n] = work(n)
        except Exception as error:  # recorded and asserted on by the caller
            outcomes[n] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_twenty_saves_from_one_version_exactly_one_wins(make_article, editor):
    article = make_article("draft")
    record_revision(article, by=editor, message="Created")

    def save(n: int) -> str:
        with transaction.atomic():
            claim_version(article.pk, 1)
            current = Article.objects.get(pk=article.pk)
            current.headline = f"Saved by writer {n}"
            current.save()
            bump_version(current)
            record_revision(current, by=editor, message=f"Writer {n}")
        return "saved"

    outcomes = run_together(20, save)
    assert outcomes.count("saved") == 1
    assert sum(isinstance(o, StaleVersion) for o in outcomes) == 19
    article.refresh_from_db()
    assert article.version == 2
    assert Revision.objects.filter(article=article).count() == 2


def test_two_concurrent_publishes_make_one_publish_event(make_article, editor):
    article = make_article("draft")
    outcomes = run_together(2, lambda n: publishing.publish(article, by=editor))
    assert not any(isinstance(o, Exception) for o in outcomes), outcomes
    assert AuditEntry.objects.filter(article=article, action="publish").count() == 1


def test_merging_entities_while_tagging_loses_no_link(make_article, editor):
    duplicate = Entity.objects.create(kind="place", name="Tokio", slug="tokio")
    tokyo = Entity.objects.create(kind="place", name="Tokyo", slug="tokyo", wikidata_id="Q1490")
    articles = [make_article() for _ in range(8)]
    Block.objects.filter(article__in=articles).update(text="Reporting from Tokio.")

    def work(n: int):
        if n == 0:
            return merge_entities(duplicate, tokyo, by=editor)
        return add_link(articles[n - 1], duplicate.pk, role="mentioned", source="editor")

    outcomes = run_together(9, work)
    assert not any(isinstance(o, Exception) for o in outcomes), outcomes
    assert not Entity.objects.filter(pk=duplicate.pk).exists()
    linked = set(ArticleEntity.objects.filter(entity=tokyo).values_list("article_id", flat=True))
    assert linked == {a.pk for a in articles[:8]}
