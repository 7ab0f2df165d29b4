"""Admin for sponsors and sponsored blocks: ad operations' area.

Editors may look but not touch (view permission only). Switching a block on or off is logged
in the audit log as "sponsored_activate" / "sponsored_deactivate", the part ad operations see.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import ActionLocation
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.html import format_html

from articles import permissions
from articles.admin.purging import PurgesPublicPages
from articles.links import cta_url_problem
from articles.models import Sponsor, SponsoredBlock
from articles.sponsored import record_activation, set_active

Placement = SponsoredBlock.Placement
EVERYWHERE = [ActionLocation.CHANGE_LIST, ActionLocation.CHANGE_FORM]


class SponsoredBlockForm(forms.ModelForm):
    """The block's form, with the rules a database constraint cannot explain to a person."""

    # A plain text field: Django's URLField would accept ftp: and turn "example.com" or a
    # relative path into a guessed https:// address instead of saying what is wrong.
    cta_url = forms.CharField(
        label="Call-to-action URL",
        max_length=200,
        required=False,
        help_text='A full https:// address. The link is marked rel="sponsored".',
    )

    class Meta:
        model = SponsoredBlock
        # The admin's fieldsets decide what is shown; these are the fields that may be edited.
        fields = [
            "label",
            "sponsor",
            "headline",
            "text",
            "image",
            "cta_label",
            "cta_url",
            "placement",
            "inline_after_paragraph",
            "sections",
            "starts_at",
            "ends_at",
            "active",
        ]

    def clean_cta_url(self) -> str:
        url = self.cleaned_data["cta_url"]
        if url and (problem := cta_url_problem(url)):
            raise ValidationError(problem)
        return url

    def clean(self):
        data = super().clean()
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", "The block must end after it starts.")

        placement, paragraph = data.get("placement"), data.get("inline_after_paragraph")
        if placement == Placement.INLINE and (paragraph is None or paragraph < 1):
            self.add_error(
                "inline_after_paragraph",
                "An inline block needs the paragraph it follows: 1 or more (1 = the first).",
            )
        elif placement and placement != Placement.INLINE and paragraph is not None:
            self.add_error(
                "inline_after_paragraph",
                "Only inline blocks follow a paragraph: clear this, or choose "
                "“Inline after paragraph N”.",
            )

        if data.get("cta_url") and not data.get("cta_label"):
            self.add_error("cta_label", "A call-to-action link needs a label, e.g. “Read more”.")
        if data.get("cta_label") and not data.get("cta_url") and "cta_url" not in self.errors:
            self.add_error("cta_url", "A call-to-action label needs a link.")
        return data


class ReviewFilter(admin.SimpleListFilter):
    """Where a block stands; "waiting for review" is the importer's pending queue."""

    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [
            ("waiting", "Waiting for review"),
            ("live", "Live now"),
            ("inactive", "Inactive"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "waiting":
            return queryset.filter(active=False, source_article__isnull=False)
        if self.value() == "live":
            return queryset.live()
        if self.value() == "inactive":
            return queryset.filter(active=False)
        return queryset


@admin.register(Sponsor)
class SponsorAdmin(PurgesPublicPages, admin.ModelAdmin):
    list_display = ["name", "url", "logo", "block_count"]
    list_select_related = ["logo"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
    # The logo is an Image, so it carries the alt text screen readers need; "+" uploads one.
    autocomplete_fields = ["logo"]
    fields = ["name", "slug", "url", "logo", "logo_preview", "disclaimer"]
    readonly_fields = ["logo_preview"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(block_count=Count("blocks"))

    @admin.display(description="sponsored blocks", ordering="block_count")
    def block_count(self, sponsor: Sponsor) -> int:
        return sponsor.block_count

    @admin.display(description="logo as shown")
    def logo_preview(self, sponsor: Sponsor) -> str:
        if not sponsor.logo_id:
            return "No logo."
        return format_html(
            '<img src="{}" alt="{}" style="max-height: 4rem; max-width: 12rem">',
            sponsor.logo.file.url,
            sponsor.logo.alt_text,
        )


@admin.register(SponsoredBlock)
class SponsoredBlockAdmin(PurgesPublicPages, admin.ModelAdmin):
    form = SponsoredBlockForm
    list_display = [
        "headline",
        "label",
        "sponsor",
        "placement",
        "active",
        "starts_at",
        "ends_at",
        "source_article",
    ]
    list_filter = [ReviewFilter, "placement", "label"]
    list_select_related = ["sponsor", "source_article"]
    search_fields = ["headline", "text", "sponsor__name"]
    autocomplete_fields = ["sponsor", "image"]
    filter_horizontal = ["sections"]
    readonly_fields = ["source_article", "review_note"]
    fieldsets = [
        (None, {"fields": ["label", "sponsor", "headline", "text", "image"]}),
        ("Call to action", {"fields": ["cta_label", "cta_url"]}),
        (
            "Where and when",
            {
                "fields": [
                    "placement",
                    "inline_after_paragraph",
                    "sections",
                    "starts_at",
                    "ends_at",
                    "active",
                ]
            },
        ),
        ("Review", {"fields": ["source_article", "review_note"]}),
    ]
    actions = ["activate", "deactivate"]
    change_form_template = "admin/articles/sponsoredblock/change_form.html"
    change_list_template = "admin/articles/sponsoredblock/change_list.html"

    # Who sees which article ----------------------------------------------------------------

    def _article_field(self, request) -> str:
        """The source article by headline for those who see every article (editors); by
        number for ad operations, who must not read the headline of someone's draft."""
        return "source_article" if permissions.is_editor(request.user) else "source_article_number"

    def _swap_source(self, request, names) -> list:
        wanted = self._article_field(request)
        return [wanted if name == "source_article" else name for name in names]

    def get_list_display(self, request):
        return self._swap_source(request, super().get_list_display(request))

    def get_readonly_fields(self, request, obj=None):
        return self._swap_source(request, super().get_readonly_fields(request, obj))

    def get_fieldsets(self, request, obj=None):
        return [
            (name, options | {"fields": self._swap_source(request, options["fields"])})
            for name, options in super().get_fieldsets(request, obj)
        ]

    @admin.display(description="source article")
    def source_article_number(self, block: SponsoredBlock) -> str:
        return f"Article #{block.source_article_id}" if block.source_article_id else "—"

    def changelist_view(self, request, extra_context=None):
        waiting = SponsoredBlock.objects.filter(active=False, source_article__isnull=False)
        extra_context = (extra_context or {}) | {"waiting_count": waiting.count()}
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The preview shows the block as saved, not as a rejected form left it.
        saved = self.get_object(request, unquote(object_id))
        extra_context = (extra_context or {}) | {"saved_block": saved}
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "active" in form.changed_data:
            record_activation(obj, by=request.user)

    @admin.action(
        description="Activate",
        description_plural="Activate selected sponsored blocks",
        permissions=["change"],
        location=EVERYWHERE,
    )
    def activate(self, request, queryset):
        self._switch(request, queryset, active=True)

    @admin.action(
        description="Deactivate",
        description_plural="Deactivate selected sponsored blocks",
        permissions=["change"],
        location=EVERYWHERE,
    )
    def deactivate(self, request, queryset):
        self._switch(request, queryset, active=False)

    def _switch(self, request, queryset, *, active: bool) -> None:
        changed = sum(
            set_active(block, active, by=request.user)
            for block in queryset.select_related("sponsor")
        )
        state = "active" if active else "inactive"
        if changed:
            self.message_user(
                request, f"{changed} sponsored block(s) now {state}.", messages.SUCCESS
            )
        else:
            self.message_user(request, f"Nothing changed: already {state}.", messages.INFO)
