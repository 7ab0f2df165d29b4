"""Which sponsored blocks may run where. Rendering is in templatetags/sponsored.py."""

from collections import defaultdict
from datetime import datetime

from django.db import transaction
from django.db.models import Q

from articles.caching import purge
from articles.models import Article, AuditEntry, SponsoredBlock


def names_of(entity) -> set[str]:
    """Return an entity's name and aliases, casefolded, for matching against sponsors."""
    return {name.casefold() for name in [entity.name, *(entity.aliases or [])]}


def slots_for_article(article: Article, now: datetime | None = None) -> dict[str, list]:
    """Return live sponsored blocks for an article page, grouped by placement.

    At most one block per placement, newest first. Nothing beside a story flagged "no
    sponsored placements"; only blocks targeting the article's section (or no section at all);
    never a sponsor's block beside a story that links that sponsor as an entity.
    """
    if article.no_sponsored_placements:
        return {}
    blocks = (
        SponsoredBlock.objects.live(now)
        .filter(placement__in=["end", "inline", "sidebar"])
        .filter(Q(sections=None) | Q(sections=article.section_id))
        .select_related("sponsor", "image")
        .distinct()
        .order_by("placement", "-starts_at", "-id")
    )
    linked = set().union(*(names_of(link.entity) for link in article.entity_links.all()))
    slots: dict[str, list] = {}
    for block in blocks:
        # One block per placement: readers came for the story, not a wall of offers.
        if block.placement in slots or block.sponsor.name.casefold() in linked:
            continue
        slots[block.placement] = [block]
    return slots


def home_slot(now: datetime | None = None) -> list:
    """Return the live sponsored blocks placed on the home page."""
    return list(
        SponsoredBlock.objects.live(now)
        .filter(placement="home")
        .select_related("sponsor", "image")
        .order_by("-starts_at", "-id")[:1]
    )


def body_rows(blocks, inline_blocks) -> list[tuple]:
    """Pair each body block with the inline sponsored blocks that follow it.

    An inline block set to run "after paragraph N" follows the N-th paragraph; if the article
    is shorter, it follows the last block, so it is never silently dropped or put mid-text.
    """
    by_paragraph: dict[int, list] = defaultdict(list)
    for sponsored in inline_blocks:
        by_paragraph[sponsored.inline_after_paragraph or 1].append(sponsored)
    rows, paragraphs = [], 0
    for block in blocks:
        after = []
        if block.type == "paragraph":
            paragraphs += 1
            after = by_paragraph.pop(paragraphs, [])
        rows.append((block, after))
    if rows and by_paragraph:
        leftover = [s for n in sorted(by_paragraph) for s in by_paragraph[n]]
        rows[-1] = (rows[-1][0], rows[-1][1] + leftover)
    return rows


def record_activation(block: SponsoredBlock, *, by) -> AuditEntry:
    """Log that `block` was switched on or off (its current `active`) by `by`."""
    verb = "Activated" if block.active else "Deactivated"
    return AuditEntry.objects.create(
        action="sponsored_activate" if block.active else "sponsored_deactivate",
        actor=by,
        message=f"{verb} sponsored block “{block.headline}” ({block.sponsor.name}).",
        data={
            "block": block.pk,
            "sponsor": block.sponsor.name,
            "placement": block.placement,
            "source_article": block.source_article_id,
        },
    )


@transaction.atomic
def set_active(block: SponsoredBlock, active: bool, *, by) -> bool:
    """Switch a sponsored block on or off and log it; return False if it already was."""
    if block.active == active:
        return False
    block.active = active
    block.save(update_fields=["active"])
    record_activation(block, by=by)
    transaction.on_commit(purge)
    return True
