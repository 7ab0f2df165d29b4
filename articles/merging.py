"""Merging duplicate entities: the one place that folds one entity into another.

Called by the admin's "Merge selected entities into…" action; usable from a shell or a
command the same way.
"""

from django.db import transaction

from articles.caching import purge
from articles.models import ArticleEntity, AuditEntry, Entity

Role = ArticleEntity.Role
Source = ArticleEntity.Source


class MergeError(Exception):
    """The merge was refused; the message says why, for the editor."""


def combined_aliases(target: Entity, source: Entity) -> list[str]:
    """Return target's aliases plus source's name and aliases, without case-insensitive repeats.

    The target's own name is never listed as its alias; order is kept, target's first.
    """
    seen = {target.name.casefold()}
    aliases = []
    for alias in [*(target.aliases or []), source.name, *(source.aliases or [])]:
        alias = alias.strip()
        if alias and alias.casefold() not in seen:
            seen.add(alias.casefold())
            aliases.append(alias)
    return aliases


def _fold_link(kept: ArticleEntity, duplicate: ArticleEntity) -> None:
    """Fold `duplicate` into `kept` (both link the same article): the stronger claim wins."""
    if Role.SUBJECT in (kept.role, duplicate.role):
        kept.role = Role.SUBJECT
    if Source.EDITOR in (kept.source, duplicate.source):
        kept.source = Source.EDITOR
    kept.confirmed = kept.confirmed or duplicate.confirmed
    kept.save(update_fields=["role", "source", "confirmed"])
    duplicate.delete()


@transaction.atomic
def merge_entities(source: Entity, target: Entity, *, by) -> Entity:
    """Fold `source` into `target`: re-point its article links, keep its names, delete it.

    Refused for an entity into itself and across kinds. Writes an audit entry.
    """
    if source.pk == target.pk:
        raise MergeError("An entity cannot be merged into itself: choose two different entities.")
    # Lock both rows in a fixed order, so two editors merging the same pair cannot deadlock.
    locked = Entity.objects.select_for_update().in_bulk([source.pk, target.pk])
    if len(locked) != 2:
        raise MergeError("One of the entities no longer exists; it may have been merged already.")
    source, target = locked[source.pk], locked[target.pk]
    if source.kind != target.kind:
        raise MergeError(
            f"“{source.name}” is a {source.get_kind_display().lower()} and “{target.name}” "
            f"a {target.get_kind_display().lower()}: only entities of the same kind can be merged."
        )

    target_links = {link.article_id: link for link in target.article_links.all()}
    moved = folded = 0
    for link in source.article_links.all():
        if link.article_id in target_links:
            # The article already links the target: keep one link, as strong as the two were.
            _fold_link(target_links[link.article_id], link)
            folded += 1
        else:
            link.entity = target
            link.save(update_fields=["entity"])
            moved += 1

    target.aliases = combined_aliases(target, source)
    target.description = target.description or source.description
    wikidata_id = target.wikidata_id or source.wikidata_id
    record = {
        "source": {"id": source.pk, "name": source.name, "kind": source.kind},
        "target": {"id": target.pk, "name": target.name},
        "links_moved": moved + folded,
        "links_combined": folded,
    }
    # The Wikidata id is unique: the source must be gone before the target can take it over.
    source.delete()
    target.wikidata_id = wikidata_id
    target.save()

    AuditEntry.objects.create(
        action="merge",
        actor=by,
        message=(
            f"Merged “{record['source']['name']}” into “{target.name}”: "
            f"{moved + folded} article link(s) moved ({folded} combined with existing links)."
        ),
        data=record,
    )
    transaction.on_commit(purge)  # entity pages and article topic links change
    return target


def merged_into(entity_id: int) -> int | None:
    """Return the id of the entity that `entity_id` was merged into, if it was."""
    return (
        AuditEntry.objects.filter(action="merge", data__source__id=entity_id)
        .order_by("-at", "-id")
        .values_list("data__target__id", flat=True)
        .first()
    )
