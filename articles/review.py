"""Editorial review of a draft: copy-desk warnings and sponsor conflicts, never blocking.

The checks themselves are pure (articles/copydesk.py); this module feeds them an article or
an import, with the gazetteer's names, and adds the checks that need the database.
"""

from django.utils import timezone

from articles.body import plain_text
from articles.copydesk import CopyWarning, Draft, DraftBlock, review
from articles.entities import current_gazetteer
from articles.models import Article, Entity, Sponsor, SponsoredBlock
from articles.sponsored import names_of


def known_names() -> set[str]:
    """Return every entity name and alias in the gazetteer."""
    names: set[str] = set()
    for entry in current_gazetteer().entries:
        names.add(entry.name)
        names.update(entry.aliases)
    return names


def review_parsed(parsed) -> list[CopyWarning]:
    """Run the copy-desk checks on an import before it is saved."""
    blocks = tuple(DraftBlock(type=b.type, text=b.text) for b in parsed.blocks)
    draft = Draft(headline=parsed.headline, dek=parsed.dek or "", blocks=blocks)
    return review(draft, known_names=known_names())


def review_article(article: Article) -> list[CopyWarning]:
    """Run the copy-desk checks and the sponsor-conflict check on a saved article."""
    blocks = tuple(
        DraftBlock(
            type=b.type,
            text=plain_text(b.text),
            alt_text=b.image.alt_text if b.image_id else None,
        )
        for b in article.blocks.select_related("image").order_by("position")
    )
    draft = Draft(
        headline=article.headline,
        dek=article.dek,
        blocks=blocks,
        seo_title=article.seo_title,
        hero_alt_text=article.hero_image.alt_text if article.hero_image_id else None,
    )
    return review(draft, known_names=known_names()) + sponsor_conflicts(article)


def active_sponsor_entities(article: Article, now=None) -> list[tuple[Entity, Sponsor]]:
    """Return the article's linked organisations that are also sponsors with live blocks."""
    now = now or timezone.now()
    live_sponsors = Sponsor.objects.filter(blocks__in=SponsoredBlock.objects.live(now)).distinct()
    by_name = {s.name.casefold(): s for s in live_sponsors}
    conflicts = []
    links = article.entity_links.select_related("entity")
    for link in links.filter(entity__kind=Entity.Kind.ORGANIZATION):
        matches = names_of(link.entity) & by_name.keys()
        if matches:
            conflicts.append((link.entity, by_name[matches.pop()]))
    return conflicts


def sponsor_conflicts(article: Article) -> list[CopyWarning]:
    """Warn when the story is about an organisation that is currently an active sponsor."""
    return [
        CopyWarning(
            code="sponsor_conflict",
            message=(
                f"{entity.name} is linked to this story and is also an active sponsor "
                f"({sponsor.name}): its sponsored blocks will not run beside it, and the "
                "story should say so if the relationship matters."
            ),
            block=None,
            field="entities",
            excerpt=entity.name,
        )
        for entity, sponsor in active_sponsor_entities(article)
    ]
