"""Admin for sponsors and sponsored blocks: ad operations' area."""

from django.contrib import admin

from articles.models import Sponsor, SponsoredBlock


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
