"""Revisions: every save of an article keeps a full snapshot that can be compared and restored.

Restoring brings back the article's content (fields, bylines, blocks, entity links,
corrections). Workflow state (status, publish time) is not part of a restore: it only ever
changes through `articles.publishing`, so a restore can never publish or unpublish anything.
"""

import difflib
import re
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.dateparse import parse_datetime
from django.utils.html import escape

from articles.body import plain_text
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
    """Store a snapshot of the article at its current version; refresh search and caches.

    Every change to an article's content records a revision, so this is the one place that
    keeps the search document and the public page cache in step with the content.
    """
    from articles.caching import purge
    from articles.search import refresh_document

    refresh_document(article)
    transaction.on_commit(purge)
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


def restore_revision(
    article: Article, revision: Revision, *, by=None, override_reason: str = ""
) -> Revision:
    """Make the article's content what it was at `revision`; history grows, nothing is deleted.

    Saved as an edit (`articles.editing.save_edit`): restoring into a published or scheduled
    article passes the same advertising check as publishing, and a refusal
    (PromotionalCopyError, StaleVersion) changes nothing.
    """
    from articles.editing import save_edit

    if revision.article_id != article.pk:
        raise ValueError("That revision belongs to another article.")
    data = revision.snapshot
    for name in CONTENT_FIELDS:
        setattr(article, name, data["fields"][name])
    return save_edit(
        article,
        by=by,
        expected_version=article.version,
        apply=lambda article: _restore_rows(article, data),
        message=f"Restored version {revision.version}",
        override_reason=override_reason,
    )


def _restore_rows(article: Article, data: dict[str, Any]) -> None:
    """Replace the article's bylines, blocks, entity links and corrections with `data`'s."""
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


@dataclass(frozen=True)
class Change:
    """One difference between two snapshots, with a word diff as safe HTML."""

    where: str
    before: str
    after: str
    diff_html: str


FIELD_LABELS = {
    "headline": "Headline",
    "slug": "Slug",
    "dek": "Standfirst",
    "section_id": "Section",
    "genre": "Genre",
    "hero_image_id": "Hero image",
    "seo_title": "SEO title",
    "seo_description": "SEO description",
    "no_sponsored_placements": "No sponsored placements",
    "status": "Status",
    "publish_at": "Publish time",
}


def word_diff(before: str, after: str) -> str:
    """Return HTML marking removed words with <del> and added words with <ins>."""
    a, b = re.findall(r"\s+|[^\s]+", before), re.findall(r"\s+|[^\s]+", after)
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return "".join(out)


def _shown(value) -> str:
    return "" if value is None else str(value)


def _block_text(block: dict) -> str:
    text = plain_text(block["text"]) if block["text"] else f"(image {block['image_id']})"
    return f"{text} — {block['attribution']}" if block.get("attribution") else text


def compare(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """List what changed from snapshot `old` to snapshot `new`: fields, then body blocks."""
    changes = []
    for name, label in FIELD_LABELS.items():
        before, after = _shown(old["fields"].get(name)), _shown(new["fields"].get(name))
        if before != after:
            changes.append(Change(label, before, after, word_diff(before, after)))
    for label, key in (("Byline", "authors"), ("Entity links", "entity_links")):
        if old[key] != new[key]:
            changes.append(Change(label, str(old[key]), str(new[key]), ""))
    old_blocks, new_blocks = old["blocks"], new["blocks"]
    keys = (
        [(b["type"], _block_text(b)) for b in old_blocks],
        [(b["type"], _block_text(b)) for b in new_blocks],
    )
    matcher = difflib.SequenceMatcher(None, *keys, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        pairs = list(zip(range(i1, i2), range(j1, j2), strict=False))
        for i, j in pairs:
            before, after = keys[0][i][1], keys[1][j][1]
            where = f"Block {j + 1} ({new_blocks[j]['type']})"
            changes.append(Change(where, before, after, word_diff(before, after)))
        for i in range(i1 + len(pairs), i2):
            before = keys[0][i][1]
            where = f"Block {i + 1} removed ({old_blocks[i]['type']})"
            changes.append(Change(where, before, "", word_diff(before, "")))
        for j in range(j1 + len(pairs), j2):
            after = keys[1][j][1]
            where = f"Block {j + 1} added ({new_blocks[j]['type']})"
            changes.append(Change(where, "", after, word_diff("", after)))
    return changes
