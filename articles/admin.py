"""Basic editor admin. Every save of an article records a revision."""

from django.contrib import admin

from articles.models import (
    Article,
    ArticleAuthor,
    ArticleEntity,
    AuditEntry,
    Author,
    Block,
    Correction,
    Entity,
    Image,
    Revision,
    Section,
    Sponsor,
    SponsoredBlock,
)
from articles.revisions import bump_version, record_revision

admin.site.site_header = "Newsroom editor"
admin.site.site_title = "Newsroom editor"
admin.site.index_title = "Newsroom"


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "parent", "position", "active"]
    list_editable = ["position", "active"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "user"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "wikidata_id"]
    list_filter = ["kind"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug", "wikidata_id"]


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    list_display = ["alt_text", "credit", "width", "height", "created_at"]
    search_fields = ["alt_text", "caption", "credit"]


class ArticleAuthorInline(admin.TabularInline):
    model = ArticleAuthor
    extra = 0
    autocomplete_fields = ["author"]


class BlockInline(admin.StackedInline):
    model = Block
    extra = 0
    fields = ["position", "type", "text", "attribution", "image", "ordered"]
    autocomplete_fields = ["image"]


class ArticleEntityInline(admin.TabularInline):
    model = ArticleEntity
    extra = 0
    autocomplete_fields = ["entity"]


class CorrectionInline(admin.TabularInline):
    model = Correction
    extra = 0


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["headline", "section", "genre", "status", "publish_at", "version"]
    list_filter = ["status", "genre", "section"]
    search_fields = ["headline", "slug"]
    date_hierarchy = "publish_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section", "hero_image"]
    readonly_fields = ["status", "version", "first_published_at", "last_published_at"]
    inlines = [ArticleAuthorInline, BlockInline, ArticleEntityInline, CorrectionInline]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "dek", "section", "genre", "hero_image"]}),
        ("Publication", {"fields": ["status", "publish_at", "no_sponsored_placements", "version"]}),
        ("Search engines", {"fields": ["seo_title", "seo_description"], "classes": ["collapse"]}),
    ]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        if change:
            bump_version(article)
        record_revision(article, by=request.user, message="Saved in the admin")


@admin.register(Sponsor)
class SponsorAdmin(admin.ModelAdmin):
    list_display = ["name", "url"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(SponsoredBlock)
class SponsoredBlockAdmin(admin.ModelAdmin):
    list_display = ["headline", "label", "sponsor", "placement", "active", "starts_at", "ends_at"]
    list_filter = ["active", "placement", "label"]
    search_fields = ["headline", "text", "sponsor__name"]
    autocomplete_fields = ["sponsor", "image"]
    filter_horizontal = ["sections"]
    readonly_fields = ["source_article", "review_note"]


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
