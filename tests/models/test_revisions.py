"""Revisions: full snapshots, and restores that bring content back exactly."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import ArticleEntity, Author, Block, Correction, Entity, Revision
from articles.revisions import bump_version, record_revision, restore_revision, snapshot


@pytest.fixture
def article(make_article):
    article = make_article(paragraphs=["First paragraph.", "Second <em>paragraph</em>."])
    Block(
        article=article, position=2, type="quote", text="Put out the word.", attribution="Trump"
    ).save()
    entity = Entity.objects.create(
        kind="organization", name="Toyota", slug="toyota", wikidata_id="Q53268"
    )
    ArticleEntity.objects.create(article=article, entity=entity, role="subject", confirmed=True)
    Correction.objects.create(article=article, corrected_at=timezone.now(), text="Fixed a date.")
    return article


def test_snapshot_holds_fields_blocks_bylines_links_and_corrections(article):
    data = snapshot(article)
    assert data["fields"]["headline"] == article.headline
    assert [b["type"] for b in data["blocks"]] == ["paragraph", "paragraph", "quote"]
    assert data["blocks"][2]["attribution"] == "Trump"
    assert data["authors"] == [article.article_authors.get().author_id]
    assert data["entity_links"][0]["role"] == "subject"
    assert data["corrections"][0]["text"] == "Fixed a date."


def test_restore_brings_back_the_exact_content(article, editor):
    original = record_revision(article, by=editor, message="First version")
    before = snapshot(article)

    # Edit everything a snapshot covers.
    article.headline = "A completely new headline"
    article.dek = "New dek"
    article.save()
    article.blocks.all().delete()
    Block(article=article, position=0, type="paragraph", text="Rewritten.").save()
    article.entity_links.all().delete()
    article.corrections.all().delete()
    article.article_authors.all().delete()
    article.article_authors.create(author=Author.objects.create(name="Other", slug="other"))
    bump_version(article)
    record_revision(article, by=editor, message="Rewrite")
    assert snapshot(article) != before

    # The fixture's three one-line blocks are not a real story: the promo detector rates the
    # bare "Put out the word." as a pitch (a known false positive on tiny bodies, issue 14), so
    # the editor restores over the advertising check with a reason, as the product allows.
    restored = restore_revision(
        article, original, by=editor, override_reason="Test fixture, not advertising"
    )
    article.refresh_from_db()
    after = snapshot(article)
    assert after == before
    # History only grows: the restore is a new revision, the rewrite is still there.
    assert restored.version == article.version == 3
    assert list(Revision.objects.filter(article=article).values_list("version", flat=True)) == [
        3,
        2,
        1,
    ]
    assert restored.message == "Restored version 1"


def test_restore_does_not_change_publication_state(article, editor):
    revision = record_revision(article)
    article.status = "withdrawn"
    article.save()
    restore_revision(article, revision, by=editor)
    article.refresh_from_db()
    assert article.status == "withdrawn"


def test_restore_skips_entities_deleted_since(article, editor):
    revision = record_revision(article)
    Entity.objects.all().delete()
    restore_revision(article, revision, by=editor)
    assert article.entity_links.count() == 0


def test_revision_of_another_article_is_refused(article, make_article):
    other = make_article()
    revision = record_revision(other)
    with pytest.raises(ValueError):
        restore_revision(article, revision)


def test_snapshot_is_json_serialisable(article):
    import json

    article.publish_at = timezone.now() + timedelta(days=1)
    json.dumps(snapshot(article))
