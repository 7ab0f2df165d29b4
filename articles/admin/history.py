"""Admin for revisions and the audit log: read-only records."""

from django.contrib import admin

from articles.models import AuditEntry, Revision


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    list_display = ["article", "version", "created_by", "created_at", "message"]
    readonly_fields = ["article", "version", "created_by", "created_at", "message", "snapshot"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "action", "article", "actor", "message"]
    list_filter = ["action"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
