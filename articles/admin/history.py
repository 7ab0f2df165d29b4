"""Admin for revisions and the audit log: read-only records.

Nobody edits the audit log here, not even a superuser. Editors see every entry; ad operations
see only their own area, the entries whose action starts with "sponsored". Both screens hold
article content, so both show only entries about articles the person may see
(`permissions.visible_articles`), like the article screen itself.
"""

import json

from django.contrib import admin
from django.db.models import Q
from django.utils.html import format_html

from articles import permissions
from articles.models import AuditEntry, Revision

# Entries about sponsored content are named "sponsored_<verb>", e.g. "sponsored_activate".
SPONSORED_ACTION_PREFIX = "sponsored"


def sees_whole_audit_log(user) -> bool:
    """Those who may see articles see every decision; others only sponsored content's."""
    return user.has_perm("articles.view_article")


class WhenFilter(admin.DateFieldListFilter):
    """The date filter, titled for people rather than after the field ("at")."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = "when"


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    list_display = ["article", "version", "created_by", "created_at", "message"]
    readonly_fields = ["article", "version", "created_by", "created_at", "message", "snapshot"]

    def get_queryset(self, request):
        # A snapshot is the whole article: the same people see it as see the article.
        revisions = super().get_queryset(request)
        return revisions.filter(article__in=permissions.visible_articles(request.user))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # History goes only with its article (ArticleAdmin.get_deleted_objects), never alone.
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["when", "action", "who", "article", "message"]
    list_filter = [
        "action",
        ("actor", admin.RelatedOnlyFieldListFilter),
        ("at", WhenFilter),
    ]
    list_select_related = ["actor", "article"]
    search_fields = ["message"]
    date_hierarchy = "at"
    fields = ["at", "action", "actor", "article", "message", "data_as_json"]
    readonly_fields = fields
    # No bulk actions either: there is nothing one may do to an entry.
    actions = None

    def get_queryset(self, request):
        entries = super().get_queryset(request)
        if not sees_whole_audit_log(request.user):
            entries = entries.filter(action__startswith=SPONSORED_ACTION_PREFIX)
        # An entry about an article quotes it (headline, reasons): only for those who see it.
        visible = permissions.visible_articles(request.user)
        return entries.filter(Q(article__isnull=True) | Q(article__in=visible))

    @admin.display(description="when", ordering="at")
    def when(self, entry: AuditEntry):
        return entry.at

    @admin.display(description="who", ordering="actor__username")
    def who(self, entry: AuditEntry):
        return entry.actor

    @admin.display(description="data")
    def data_as_json(self, entry: AuditEntry) -> str:
        return format_html("<pre>{}</pre>", json.dumps(entry.data, indent=2, ensure_ascii=False))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
