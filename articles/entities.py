"""Entity linking against the gazetteer of Entity names and aliases.

The matching itself is pure (articles/linking.py); this module builds the gazetteer from the
database, caches it per process until an entity changes, and stores the links.
"""

from django.db import transaction
from django.db.models import Count, Max

from articles.body import plain_text
from articles.linking import Gazetteer, GazetteerEntry, LinkResult, link
from articles.models import Article, ArticleEntity, Entity

_cache: dict[str, object] = {"signature": None, "gazetteer": None}


def current_gazetteer() -> Gazetteer:
    """Return the gazetteer of all entities, rebuilt only when an entity changed."""
    signature = tuple(Entity.objects.aggregate(n=Count("id"), last=Max("updated_at")).values())
    if _cache["signature"] != signature:
        entries = [
            GazetteerEntry(key=pk, kind=kind, name=name, aliases=tuple(aliases or ()))
            for pk, kind, name, aliases in Entity.objects.values_list(
                "pk", "kind", "name", "aliases"
            )
        ]
        _cache.update(signature=signature, gazetteer=Gazetteer(entries))
    return _cache["gazetteer"]


def find_entities(article: Article) -> LinkResult:
    """Find the gazetteer's entities in the article's headline, dek and body text."""
    blocks = [
        plain_text(b.text)
        for b in article.blocks.order_by("position")
        if b.type != "image" and b.text
    ]
    return link(current_gazetteer(), headline=article.headline, dek=article.dek, blocks=blocks)


@transaction.atomic
def add_link(article: Article, entity_id: int, **fields) -> ArticleEntity:
    """Link an article to an entity (or, if it was merged meanwhile, to what it became).

    The entity's row is locked first, so a concurrent merge either runs after this link
    exists (and moves it) or before (and the link goes to the merged entity): none is lost.
    """
    from articles.merging import merged_into

    for _ in range(10):  # a chain of merges is short
        entity = Entity.objects.select_for_update().filter(pk=entity_id).first()
        if entity is not None:
            link, _created = ArticleEntity.objects.get_or_create(
                article=article, entity=entity, defaults=fields
            )
            return link
        entity_id = merged_into(entity_id)
        if entity_id is None:
            break
    raise Entity.DoesNotExist("That entity no longer exists.")


@transaction.atomic
def link_entities(article: Article) -> list[ArticleEntity]:
    """Add automatic, unconfirmed links for entities found; editors' links are left alone."""
    result = find_entities(article)
    existing = set(article.entity_links.values_list("entity_id", flat=True))
    return [
        add_link(
            article,
            mention.key,
            role=mention.role,
            source=ArticleEntity.Source.AUTOMATIC,
            confirmed=False,
        )
        for mention in result.mentions
        if mention.key not in existing
    ]
