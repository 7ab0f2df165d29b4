"""Revisions: every save of an article keeps a full snapshot that can be compared and restored.

Restoring brings back the article's content (fields, bylines, blocks, entity links,
corrections). Workflow state (status, publish time) is not part of a restore: it only ever
changes through `articles.publishing`, so a restore can never publish or unpublish anything.
"""

from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.dateparse import parse_datetime

from articles.models import (
    Article,
    ArticleAuthor,
    ArticleEntity,
    Block,
    Correction,
    Entity,
    Revision,
)

CONTENT_FIELDS = (
    "headline",
    "slug",
    "dek",
    "section_id",
    "genre",
    "hero_image_id",
    "seo_title",
    "seo_description",
    "no_sponsored_placements",
)
WORKFLOW_FIELDS = ("status", "publish_at")


def snapshot(article: Article) -> dict[str, Any]:
    """Return the article's content and state as JSON-serialisable data."""
    fields = {name: getattr(article, name) for name in CONTENT_FIELDS + WORKFLOW_FIELDS}
    fields["publish_at"] = article.publish_at.isoformat() if article.publish_at else None
    return {
        "fields": fields,
        "authors": list(
            article.article_authors.order_by("position").values_list("author_id", flat=True)
        ),
        "blocks": list(
            article.blocks.order_by("position").values(
                "type", "text", "attribution", "image_id", "ordered"
            )
        ),
        "entity_links": list(
            article.entity_links.order_by("entity_id").values(
                "entity_id", "role", "source", "confirmed"
            )
        ),
        "corrections": [
            {"corrected_at": c.corrected_at.isoformat(), "text": c.text}
            for c in article.corrections.order_by("corrected_at", "id")
        ],
    }


def record_revision(article: Article, *, by=None, message: str = "") -> Revision:
    """Store a snapshot of the article at its current version."""
    return Revision.objects.create(
        article=article,
        version=article.version,
        created_by=by,
        message=message[:300],
        snapshot=snapshot(article),
    )


def bump_version(article: Article) -> None:
    """Raise the article's version by one in the database and on the instance."""
    Article.objects.filter(pk=article.pk).update(version=F("version") + 1)
    article.refresh_from_db(fields=["version", "updated_at"])


@transaction.atomic
def restore_revision(article: Article, revision: Revision, *, by=None) -> Revision:
    """Make the article's content what it was at `revision`; history grows, nothing is deleted."""
    if revision.article_id != article.pk:
        raise ValueError("That revision belongs to another article.")
    data = revision.snapshot
    for name in CONTENT_FIELDS:
        setattr(article, name, data["fields"][name])
    article.save()

    article.article_authors.all().delete()
    ArticleAuthor.objects.bulk_create(
        ArticleAuthor(article=article, author_id=author_id, position=i)
        for i, author_id in enumerate(data["authors"])
    )
    article.blocks.all().delete()
    for position, block in enumerate(data["blocks"]):
        Block(article=article, position=position, **block).save()
    article.entity_links.all().delete()
    # An entity merged or deleted since the snapshot cannot be linked again.
    existing = set(
        Entity.objects.filter(
            pk__in=[link["entity_id"] for link in data["entity_links"]]
        ).values_list("pk", flat=True)
    )
    ArticleEntity.objects.bulk_create(
        ArticleEntity(article=article, **link)
        for link in data["entity_links"]
        if link["entity_id"] in existing
    )
    article.corrections.all().delete()
    Correction.objects.bulk_create(
        Correction(article=article, corrected_at=parse_datetime(c["corrected_at"]), text=c["text"])
        for c in data["corrections"]
    )
    bump_version(article)
    return record_revision(article, by=by, message=f"Restored version {revision.version}")
