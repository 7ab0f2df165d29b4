"""Admin for sections, authors, entities and images."""

import json

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count
from django.template.response import TemplateResponse

from articles import permissions
from articles.admin.purging import PurgesPublicPages
from articles.merging import MergeError, merge_entities
from articles.models import Author, Entity, Image, Section


@admin.register(Section)
class SectionAdmin(PurgesPublicPages, admin.ModelAdmin):
    list_display = ["name", "slug", "parent", "position", "active"]
    list_editable = ["position", "active"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Author)
class AuthorAdmin(PurgesPublicPages, admin.ModelAdmin):
    list_display = ["name", "kind", "slug", "user"]
    list_filter = ["kind"]
    list_select_related = ["user"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Entity)
class EntityAdmin(PurgesPublicPages, admin.ModelAdmin):
    list_display = ["name", "kind", "alias_list", "wikidata_id", "article_count"]
    list_filter = ["kind"]
    prepopulated_fields = {"slug": ["name"]}
    # "aliases" is searched as the JSON text of the list, which works on SQLite and PostgreSQL.
    search_fields = ["name", "slug", "wikidata_id", "aliases"]
    actions = ["merge_selected"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("article_links"))

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # SQLite keeps JSON text ASCII-escaped ("Société" is stored as "Soci\u00e9t\u00e9"),
        # so a non-ASCII alias is only found by its escaped spelling there.
        term = search_term.strip()
        escaped = json.dumps(term)[1:-1]
        if term and escaped != term:
            results |= queryset.filter(aliases__icontains=escaped)
        return results, may_have_duplicates

    @admin.display(description="aliases")
    def alias_list(self, entity: Entity) -> str:
        return ", ".join(entity.aliases or [])

    @admin.display(description="articles", ordering="article_count")
    def article_count(self, entity: Entity) -> int:
        return entity.article_count

    @admin.action(
        description="Merge selected entities into…",
        # Merging deletes entities: only those who may change and delete them (editors).
        permissions=["merge"],
    )
    def merge_selected(self, request, queryset):
        """Ask which entity to keep, then fold the others into it."""
        entities = list(queryset.order_by("name", "pk"))
        if len(entities) < 2:
            self.message_user(request, "Select at least two entities to merge.", messages.WARNING)
            return None
        if len({e.kind for e in entities}) > 1:
            self.message_user(
                request,
                "Only entities of the same kind can be merged; the selection mixes "
                + ", ".join(sorted({e.get_kind_display().lower() for e in entities}))
                + ".",
                messages.ERROR,
            )
            return None
        target = {str(e.pk): e for e in entities}.get(request.POST.get("target", ""))
        if request.POST.get("confirm") == "yes" and target is not None:
            sources = [e for e in entities if e.pk != target.pk]
            try:
                # All or nothing: a refusal half-way leaves every entity as it was.
                with transaction.atomic():
                    for source in sources:
                        merge_entities(source, target, by=request.user)
            except MergeError as exc:
                self.message_user(request, str(exc), messages.ERROR)
                return None
            # article_count was annotated by get_queryset() when the selection was read.
            moved = sum(source.article_count for source in sources)
            self.message_user(
                request,
                f"Merged {len(sources)} {'entity' if len(sources) == 1 else 'entities'} into "
                f"“{target.name}”: {moved} article link{'' if moved == 1 else 's'} moved.",
                messages.SUCCESS,
            )
            return None
        context = self.admin_site.each_context(request) | {
            "title": "Merge entities",
            "entities": entities,
            "opts": self.opts,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "missing_target": request.POST.get("confirm") == "yes",
        }
        return TemplateResponse(request, "admin/articles/entity/merge.html", context)

    def has_merge_permission(self, request) -> bool:
        return self.has_change_permission(request) and self.has_delete_permission(request)


@admin.register(Image)
class ImageAdmin(PurgesPublicPages, admin.ModelAdmin):
    list_display = ["alt_text", "credit", "width", "height", "created_at"]
    search_fields = ["alt_text", "caption", "credit"]

    def get_queryset(self, request):
        # Also what the image pickers (autocomplete) of the article and sponsored screens offer.
        images = super().get_queryset(request)
        return images.filter(pk__in=permissions.visible_images(request.user).values("pk"))
