"""Admin screens whose objects appear on public pages purge the page cache when they change."""

from django.db import transaction

from articles.caching import purge


class PurgesPublicPages:
    """Purge the public page cache after a save or delete commits (sections, entities…)."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        transaction.on_commit(purge)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        transaction.on_commit(purge)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        transaction.on_commit(purge)
