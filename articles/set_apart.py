"""Restoring a set-apart line to the body, and setting a body block apart by hand.

Both are an editor overruling the promo detector, so both leave a labelled example
(`DetectorExample`) that `manage.py train_detector --include-feedback` learns from, an audit
entry and a revision. Lines of a published or scheduled story are not moved: restoring into a
live body would publish copy the detector rates as promotion without the publish check, so
the editor returns the story to draft first.
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.html import escape

from articles.body import plain_text
from articles.models import Article, AuditEntry, Block, DetectorExample, SetApartLine
from articles.promo_kinds import SET_APART_KINDS
from articles.revisions import bump_version, record_revision


class SetApartError(ValueError):
    """The line cannot be moved; the message says why, for the editor."""


def _unlocked_body(article_id: int) -> Article:
    article = Article.objects.select_for_update().get(pk=article_id)
    if article.status == Article.Status.PUBLISHED:
        raise SetApartError(
            "This story is published or scheduled: return it to draft before changing what "
            "is in its body."
        )
    return article


@transaction.atomic
def restore(line_id: int, *, by) -> Block:
    """Put a set-apart line back into the body, as a paragraph where it sat."""
    line = SetApartLine.objects.select_for_update().filter(pk=line_id).first()
    if line is None or line.restored_at is not None:
        raise SetApartError("That line is no longer set apart.")
    article = _unlocked_body(line.article_id)
    position = min(line.position, article.blocks.count())
    # Shift from the end so the (article, position) constraint never sees two equal rows.
    for block in article.blocks.filter(position__gte=position).order_by("-position"):
        Block.objects.filter(pk=block.pk).update(position=F("position") + 1)
    block = Block.objects.create(
        article=article, position=position, type="paragraph", text=escape(line.text)
    )
    line.restored_at, line.restored_by = timezone.now(), by
    line.save(update_fields=["restored_at", "restored_by"])
    DetectorExample.objects.create(
        text=line.text,
        label=DetectorExample.Label.REPORTING,
        kind=line.kind,
        source=DetectorExample.Source.RESTORED,
        article=article,
        created_by=by,
    )
    _record(article, by, "set_apart_restored", f"Restored to the body: “{line.text[:80]}”")
    return block


@transaction.atomic
def set_apart_block(block_id: int, kind: str, *, by) -> SetApartLine:
    """Take a body block out of the body as non-reporting copy of `kind`."""
    if kind not in SET_APART_KINDS:
        raise SetApartError(f"Unknown kind {kind!r}: choose one of {', '.join(SET_APART_KINDS)}.")
    block = Block.objects.filter(pk=block_id).first()
    if block is None or block.type == "image":
        raise SetApartError("Only a text block of the body can be set apart.")
    article = _unlocked_body(block.article_id)
    text = plain_text(block.text)
    line = SetApartLine.objects.create(
        article=article,
        position=block.position,
        text=text,
        kind=kind,
        confidence=1.0,
        reasons=[f"set apart by {by}" if by else "set apart by an editor"],
    )
    position = block.position
    block.delete()
    for later in article.blocks.filter(position__gt=position).order_by("position"):
        Block.objects.filter(pk=later.pk).update(position=F("position") - 1)
    DetectorExample.objects.create(
        text=text,
        label=DetectorExample.Label.NON_REPORTING,
        kind=kind,
        source=DetectorExample.Source.SET_APART,
        article=article,
        created_by=by,
    )
    _record(article, by, "set_apart_by_editor", f"Set apart ({kind}): “{text[:80]}”")
    return line


def _record(article: Article, by, action: str, message: str) -> None:
    bump_version(article)
    record_revision(article, by=by, message=message)
    AuditEntry.objects.create(action=action, article=article, actor=by, message=message)
