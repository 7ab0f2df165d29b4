"""The article screen: inlines, saving with revisions, import, publish and withdraw."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone

from articles import publishing
from articles.forms import ImportForm, PublishForm, WithdrawForm
from articles.importing import save_parsed
from articles.models import Article, ArticleAuthor, ArticleEntity, Block, Correction
from articles.review import review_article
from articles.revisions import bump_version, record_revision


def _bound(request) -> tuple:
    """Form data for a POST (even an empty one), nothing for a GET."""
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


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
    change_form_template = "admin/articles/article/change_form.html"
    change_list_template = "admin/articles/article/change_list.html"

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        if change:
            bump_version(article)
        record_revision(article, by=request.user, message="Saved in the admin")
        for warning in review_article(article):
            place = f"block {warning.block + 1}" if warning.block is not None else warning.field
            messages.warning(request, f"Copy desk ({place}): {warning.message}")

    def get_urls(self):
        own = [
            path("import/", self.admin_site.admin_view(self.import_view), name="articles_import"),
            path(
                "<int:pk>/publish/",
                self.admin_site.admin_view(self.publish_view),
                name="articles_article_publish",
            ),
            path(
                "<int:pk>/withdraw/",
                self.admin_site.admin_view(self.withdraw_view),
                name="articles_article_withdraw",
            ),
        ]
        return own + super().get_urls()

    def import_view(self, request):
        """Upload or paste an article; it becomes a draft with advertising set apart."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImportForm(*_bound(request))
        if request.method == "POST" and form.is_valid():
            parsed = form.cleaned_data["parsed"]
            article = save_parsed(
                parsed,
                section=form.cleaned_data["section"],
                authors=list(form.cleaned_data["authors"]),
                by=request.user,
            )
            messages.success(request, f"Imported “{article.headline}” as a draft.")
            for item in parsed.sponsored:
                messages.warning(
                    request,
                    f"Set apart as advertising, pending review by ad operations: “{item.text}” "
                    f"({'; '.join(item.reasons)})",
                )
            return redirect("admin:articles_article_change", article.pk)
        context = self.admin_site.each_context(request) | {
            "title": "Import article",
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/articles/article/import.html", context)

    def publish_view(self, request, pk: int):
        """Publish now or schedule; a refusal comes back as a form error naming the block."""
        article = get_object_or_404(Article, pk=pk)
        if not request.user.has_perm("articles.publish_article"):
            raise PermissionDenied
        can_override = request.user.has_perm("articles.override_ad_check")
        form = PublishForm(*_bound(request), can_override=can_override)
        if request.method == "POST" and form.is_valid():
            try:
                article = publishing.publish(
                    article,
                    by=request.user,
                    at=form.cleaned_data["publish_at"],
                    override_reason=form.cleaned_data.get("override_reason", ""),
                )
            except publishing.PublishingError as exc:
                form.add_error(None, str(exc))
            else:
                when = "Scheduled" if article.publish_at > timezone.now() else "Published"
                messages.success(request, f"{when}: “{article.headline}”.")
                return redirect("admin:articles_article_change", article.pk)
        return self.workflow_page(request, article, form, "Publish", "publish")

    def withdraw_view(self, request, pk: int):
        """Withdraw a published article; a reason is required."""
        article = get_object_or_404(Article, pk=pk)
        if not request.user.has_perm("articles.publish_article"):
            raise PermissionDenied
        form = WithdrawForm(*_bound(request))
        if request.method == "POST" and form.is_valid():
            try:
                publishing.withdraw(article, by=request.user, reason=form.cleaned_data["reason"])
            except publishing.PublishingError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"Withdrawn: “{article.headline}”.")
                return redirect("admin:articles_article_change", article.pk)
        return self.workflow_page(request, article, form, "Withdraw", "withdraw")

    def workflow_page(self, request, article, form, title: str, action: str):
        context = self.admin_site.each_context(request) | {
            "title": f"{title}: {article.headline}",
            "form": form,
            "article": article,
            "action": action,
            "flagged": publishing.find_promotional_blocks(article),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/articles/article/workflow.html", context)
