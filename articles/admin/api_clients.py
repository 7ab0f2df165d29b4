"""API keys for partners, managed by editors: the key is shown once, only its hash is kept."""

from django.contrib import admin, messages

from articles.models import ApiClient


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = ["name", "key_prefix", "rate", "active", "created_at", "last_used_at"]
    list_filter = ["active"]
    search_fields = ["name", "key_prefix"]
    readonly_fields = ["key_prefix", "created_at", "last_used_at"]
    fields = ["name", "rate", "active", "key_prefix", "created_at", "last_used_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            key = obj.assign_new_key()
            super().save_model(request, obj, form, change)
            messages.warning(
                request,
                f"The key for {obj.name} is {key} — copy it now: it is not stored and will not "
                "be shown again. Send it as the header “Authorization: Api-Key <key>”.",
            )
            return
        super().save_model(request, obj, form, change)
