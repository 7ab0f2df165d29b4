"""The article screen: editing with no lost edits, workflow, history, preview and import.

Who may do what is decided in articles/permissions.py; status changes go through
articles/publishing.py; version checks through articles/editing.py.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property

from articles import editing, permissions, preview, publishing, set_apart
from articles.entities import add_link, find_entities
from articles.forms import ArticleAdminForm, ImportForm, PublishForm, WithdrawForm
from articles.importing import byline_authors, save_parsed
from articles.models import Article, ArticleAuthor, ArticleEntity, Block, Correction, Revision
from articles.promo_kinds import PROMO_KINDS, SET_APART_KINDS
from articles.review import review_article
from articles.revisions import compare, record_revision, restore_revision
from articles.views import render_preview

BOTH = [ActionLocation.CHANGE_LIST, ActionLocation.CHANGE_FORM]


def _bound(request) -> tuple:
    """Form data for a POST (even an empty one), nothing for a GET."""
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


class CappedCountPaginator(Paginator):
    """Count at most CAP rows: the list stays fast on an archive of millions of articles."""

    CAP = 10_000

    @cached_property
    def count(self) -> int:
        return self.object_list[: self.CAP + 1].count()


class BlockForm(forms.ModelForm):
    def validate_constraints(self):
        # Positions are checked across the whole formset (BlockFormSet.clean) and renumbered on
        # save; checking one form against the rows in the database would forbid swapping two.
        exclude = self._get_validation_exclusions() | {"position"}
        try:
            self.instance.validate_constraints(exclude=exclude)
        except ValidationError as error:
            self._update_errors(error)


class BlockFormSet(forms.BaseInlineFormSet):
    def clean(self):
        # Before the stock check, whose message ("duplicate data for article and position")
        # would not tell an editor what to do.
        positions = [
            f.cleaned_data.get("position")
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        duplicates = sorted({p for p in positions if positions.count(p) > 1})
        if duplicates:
            raise forms.ValidationError(
                f"Two blocks share position {duplicates[0]}: give each block its own number."
            )
        super().clean()


class ArticleAuthorInline(admin.TabularInline):
    model = ArticleAuthor
    extra = 0
    autocomplete_fields = ["author"]
    verbose_name = "byline"
    verbose_name_plural = "byline (in order)"


class BlockInline(admin.StackedInline):
    """Body blocks in order. Each block shows the copy desk's warnings about its text."""

    model = Block
    form = BlockForm
    formset = BlockFormSet
    extra = 0
    fields = ["position", "type", "text", "attribution", "image", "ordered", "copy_desk"]
    readonly_fields = ["copy_desk"]
    autocomplete_fields = ["image"]
    classes = ["newsroom-blocks"]

    class Media:
        js = ["newsroom/admin-blocks.js"]

    def get_formset(self, request, obj=None, **kwargs):
        warnings = getattr(request, "copy_warnings", [])
        order = list(obj.blocks.order_by("position").values_list("pk", flat=True)) if obj else []
        self.warnings_by_block: dict[int, list[str]] = {}
        for warning in warnings:
            if warning.block is not None and warning.block < len(order):
                self.warnings_by_block.setdefault(order[warning.block], []).append(warning.message)
        return super().get_formset(request, obj, **kwargs)

    @admin.display(description="Copy desk")
    def copy_desk(self, block: Block) -> str:
        return " · ".join(self.warnings_by_block.get(block.pk, [])) or "—"


class ArticleEntityInline(admin.TabularInline):
    model = ArticleEntity
    extra = 0
    autocomplete_fields = ["entity"]
    fields = ["entity", "role", "source", "confirmed"]
    verbose_name_plural = "entity links (untick or delete to reject an automatic one)"


class CorrectionInline(admin.TabularInline):
    model = Correction
    extra = 0


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = ["headline", "section", "status", "genre", "publish_at", "updated_at"]
    list_filter = [
        "status",
        "section",
        "genre",
        ("authors", admin.RelatedOnlyFieldListFilter),
        ("publish_at", admin.DateFieldListFilter),
        ("updated_at", admin.DateFieldListFilter),
    ]
    list_select_related = ["section"]
    search_fields = ["headline", "dek"]
    ordering = ["-updated_at", "-id"]
    paginator = CappedCountPaginator
    show_full_result_count = False
    list_per_page = 50
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section", "hero_image"]
    readonly_fields = [
        "status",
        "publish_at",
        "version",
        "first_published_at",
        "last_published_at",
        "withdrawal_reason",
    ]
    inlines = [ArticleAuthorInline, BlockInline, ArticleEntityInline, CorrectionInline]
    actions = ["submit_selected", "publish_selected", "return_selected_to_draft"]
    change_form_template = "admin/articles/article/change_form.html"
    change_list_template = "admin/articles/article/change_list.html"

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (None, {"fields": ["headline", "slug", "dek", "section", "genre"]}),
            (
                "Hero image",
                {
                    "fields": [
                        "hero_image",
                        "hero_upload",
                        "hero_alt_text",
                        "hero_caption",
                        "hero_credit",
                    ]
                },
            ),  # fmt: skip
            (
                "Publication",
                {"fields": ["status", "publish_at", "no_sponsored_placements", "version"]},
            ),
            (
                "Search engines",
                {"fields": ["seo_title", "seo_description"], "classes": ["collapse"]},
            ),
            (None, {"fields": ["change_message", "expected_version"]}),
        ]
        if self.can_override_ad_check(request, obj):
            fieldsets[-1][1]["fields"].insert(1, "override_reason")
        if obj is not None and getattr(request, "entity_suggestions", None):
            fieldsets.insert(1, ("Suggested entities", {"fields": ["accept_suggestions"]}))
        return fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        suggestions = getattr(request, "entity_suggestions", ())
        can_override = self.can_override_ad_check(request, obj)
        refusal = getattr(request, "edit_refusal", None)

        class FormWithSuggestions(form):
            def __init__(self, *args, **kw):
                super().__init__(
                    *args, suggestions=suggestions, can_override=can_override, refusal=refusal, **kw
                )

        return FormWithSuggestions

    def can_override_ad_check(self, request, obj) -> bool:
        """Editors may save a published or scheduled article over the advertising check."""
        return (
            obj is not None
            and editing.goes_public(obj)
            and permissions.is_editor(request.user)
            and request.user.has_perm("articles.override_ad_check")
        )

    # Who sees and edits what ----------------------------------------------------------------

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if permissions.is_editor(request.user):
            return queryset
        return queryset.filter(pk__in=permissions.visible_articles(request.user).values("pk"))

    def get_object(self, request, object_id, from_field=None):
        # Look up unfiltered: someone else's draft must be a 403, not "not found".
        opts = self.model._meta
        field = opts.pk if from_field is None else opts.get_field(from_field)
        try:
            return self.model.objects.get(**{field.name: field.to_python(object_id)})
        except (self.model.DoesNotExist, ValueError, TypeError, ValidationError):
            return None

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or permissions.can_view(request.user, obj))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or permissions.can_edit(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and permissions.is_editor(request.user)

    def get_deleted_objects(self, objs, request):
        """What deleting `objs` takes with it, for the delete confirmation and bulk delete.

        An article's revisions go with it: whoever may delete the article may delete its
        history. Nobody may delete a single revision (the revision screen refuses it), so the
        stock check, which asks for that permission, would forbid every article deletion.
        """
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        perms_needed.discard(Revision._meta.verbose_name)
        return deleted, counts, perms_needed, protected

    def has_publish_permission(self, request) -> bool:
        return permissions.is_editor(request.user)

    def has_submit_permission(self, request) -> bool:
        return request.user.has_perm("articles.change_article")

    # Saving -------------------------------------------------------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, object_id)
        extra = {}
        if article is not None and self.has_view_permission(request, article):
            request.copy_warnings = review_article(article)
            linked = set(article.entity_links.values_list("entity_id", flat=True))
            request.entity_suggestions = [
                m for m in find_entities(article).mentions if m.key not in linked
            ]
            # No preview link is minted here: only on request, through preview_link_view.
            extra = {
                "copy_warnings": request.copy_warnings,
                "can_mint_preview": permissions.can_mint_preview(request.user, article),
                "can_revoke_previews": permissions.can_revoke_previews(request.user, article),
                "can_publish": permissions.is_editor(request.user),
                "can_submit": permissions.can_submit(request.user, article),
                "set_apart_lines": article.set_apart.filter(restored_at__isnull=True),
                "set_apart_kinds": [(k, PROMO_KINDS[k]) for k in SET_APART_KINDS],
                "body_is_movable": article.status != Article.Status.PUBLISHED
                and self.has_change_permission(request, article),
            }
        return super().change_view(request, object_id, form_url, extra | (extra_context or {}))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except publishing.PromotionalCopyError as refusal:
            # The edit was saved and checked in one transaction, now rolled back: nothing
            # changed. Show the form again, bound to the editor's input, with the refusal.
            request.edit_refusal = refusal
            return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        if getattr(form, "conflict", None):
            context["conflict"] = form.conflict
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        hero = form.hero_image_from_upload()
        if hero:
            obj.hero_image = hero
        if not change:
            obj.created_by = request.user
            super().save_model(request, obj, form, change)
        # An edit is saved in save_related, with its inlines, by editing.save_edit.

    def save_formset(self, request, form, formset, change):
        if formset.model is Block:
            save_blocks(form.instance, formset)
        else:
            super().save_formset(request, form, formset, change)

    def save_related(self, request, form, formsets, change):
        article = form.instance
        message = form.cleaned_data.get("change_message") or ("Edited" if change else "Created")
        if change:
            # One transaction with the version check, the advertising check of a public
            # story (on the blocks as saved), the revision and the audit entry.
            editing.save_edit(
                article,
                by=request.user,
                expected_version=form.cleaned_data["expected_version"],
                apply=lambda article: self.save_rows(request, form, formsets, change),
                message=message,
                override_reason=form.cleaned_data.get("override_reason", ""),
            )
        else:
            self.save_rows(request, form, formsets, change)
            if not article.article_authors.exists():
                author = getattr(request.user, "author", None)
                if author:
                    ArticleAuthor.objects.create(article=article, author=author, position=0)
            record_revision(article, by=request.user, message=message)
        for warning in review_article(article):
            place = f"block {warning.block + 1}" if warning.block is not None else warning.field
            messages.warning(request, f"Copy desk ({place}): {warning.message}")

    # Deleting -----------------------------------------------------------------------------

    def delete_model(self, request, obj):
        # Through publishing: a tombstone for mirrors, an audit entry, a cache purge.
        publishing.delete_article(obj, by=request.user)

    def delete_queryset(self, request, queryset):
        publishing.delete_articles(queryset, by=request.user)

    def save_rows(self, request, form, formsets, change) -> None:
        """Write the inlines and the accepted entity suggestions of a saved article."""
        super().save_related(request, form, formsets, change)
        for entity_id in form.cleaned_data.get("accept_suggestions", []):
            add_link(form.instance, int(entity_id), source="automatic", confirmed=True)

    # Workflow -----------------------------------------------------------------------------

    @admin.action(description="Submit for review", permissions=["submit"], location=BOTH)
    def submit_selected(self, request, queryset):
        self.run_workflow(
            request, queryset, publishing.submit_for_review, "submitted for review",
            check=permissions.can_submit,
        )  # fmt: skip

    @admin.action(description="Publish now", permissions=["publish"], location=BOTH)
    def publish_selected(self, request, queryset):
        self.run_workflow(request, queryset, publishing.publish, "published")

    @admin.action(description="Return to draft", permissions=["publish"], location=BOTH)
    def return_selected_to_draft(self, request, queryset):
        self.run_workflow(request, queryset, publishing.return_to_draft, "returned to draft")

    def run_workflow(self, request, queryset, change, done: str, check=None) -> None:
        """Apply one publishing function to each article; report refusals one by one."""
        succeeded = 0
        for article in queryset:
            if check and not check(request.user, article):
                messages.error(request, f"“{article.headline}”: you cannot do that to it.")
                continue
            try:
                change(article, by=request.user)
                succeeded += 1
            except publishing.PublishingError as refusal:
                messages.error(request, f"“{article.headline}”: {refusal}")
        if succeeded:
            messages.success(request, f"{succeeded} article(s) {done}.")

    def get_urls(self):
        def view(name: str, route: str, func):
            return path(route, self.admin_site.admin_view(func), name=f"articles_article_{name}")

        own = [
            view("import", "import/", self.import_view),
            view("publish", "<int:pk>/publish/", self.publish_view),
            view("withdraw", "<int:pk>/withdraw/", self.withdraw_view),
            view("preview", "<int:pk>/preview/", self.preview_view),
            view("preview_link", "<int:pk>/preview/link/", self.preview_link_view),
            view("preview_revoke", "<int:pk>/preview/revoke/", self.preview_revoke_view),
            view("compare", "<int:pk>/history/compare/", self.compare_view),
            view("restore", "<int:pk>/history/<int:version>/restore/", self.restore_view),
            view("set_apart_restore", "<int:pk>/set-apart/restore/", self.set_apart_restore_view),
            view("set_apart_block", "<int:pk>/set-apart/", self.set_apart_block_view),
        ]
        return own + super().get_urls()

    def get_article_or_403(self, request, pk: int, *, edit: bool = False) -> Article:
        article = get_object_or_404(Article, pk=pk)
        allowed = (
            self.has_change_permission(request, article)
            if edit
            else self.has_view_permission(request, article)
        )
        if not allowed:
            raise PermissionDenied
        return article

    def import_view(self, request):
        """Upload, paste or fetch an article; it becomes a draft with advertising set apart.

        Without chosen authors, a page's byline names that match existing authors are used.
        """
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImportForm(*_bound(request))
        if request.method == "POST" and form.is_valid():
            parsed = form.cleaned_data["parsed"]
            named, unknown = byline_authors(parsed)
            article = save_parsed(
                parsed,
                section=form.cleaned_data["section"],
                authors=list(form.cleaned_data["authors"]) or named,
                by=request.user,
            )
            messages.success(request, f"Imported “{article.headline}” as a draft.")
            if unknown:
                messages.info(
                    request,
                    "Byline names with no author in the newsroom (none created): "
                    + ", ".join(unknown),
                )
            for item in parsed.sponsored:
                messages.warning(
                    request,
                    f"Set apart as advertising, pending review by ad operations: “{item.text}” "
                    f"({'; '.join(item.reasons)})",
                )
            for item in parsed.kept_out:
                messages.info(request, f"Kept out of the body as a {item.label}: “{item.text}”")
            if parsed.set_apart:
                messages.info(
                    request,
                    f"{len(parsed.set_apart)} line(s) that are not reporting were set apart "
                    "from the body: see “Set apart from the body” below, where each can be "
                    "restored.",
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
        if not self.has_publish_permission(request):
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
        if not self.has_publish_permission(request):
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

    # History and preview ------------------------------------------------------------------

    def history_view(self, request, object_id, extra_context=None):
        """Every saved version: who, when and why; pick two to compare; restore any."""
        article = self.get_article_or_403(request, object_id)
        context = self.admin_site.each_context(request) | {
            "title": f"History: {article.headline}",
            "article": article,
            "revisions": article.revisions.select_related("created_by"),
            "can_restore": self.has_change_permission(request, article),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/articles/article/history.html", context)

    def compare_view(self, request, pk: int):
        article = self.get_article_or_403(request, pk)
        versions = request.GET.get("a", ""), request.GET.get("b", "")
        if not all(v.isdigit() for v in versions):
            messages.error(request, "Choose two versions to compare.")
            return redirect("admin:articles_article_history", article.pk)
        old, new = (
            get_object_or_404(Revision, article=article, version=int(v))
            for v in sorted(versions, key=int)
        )
        context = self.admin_site.each_context(request) | {
            "title": f"Version {old.version} and version {new.version}: {article.headline}",
            "article": article,
            "old": old,
            "new": new,
            "changes": compare(old.snapshot, new.snapshot),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/articles/article/compare.html", context)

    def restore_view(self, request, pk: int, version: int):
        article = self.get_article_or_403(request, pk, edit=True)
        revision = get_object_or_404(Revision, article=article, version=version)
        if request.method != "POST":
            return redirect("admin:articles_article_history", article.pk)
        try:
            restore_revision(article, revision, by=request.user)
        except publishing.PromotionalCopyError as refusal:
            messages.error(request, f"Version {version} was not restored: {refusal}")
            return redirect("admin:articles_article_history", article.pk)
        except editing.StaleVersion as conflict:
            messages.error(
                request,
                f"Version {version} was not restored: {conflict.saved_by} saved the article "
                "meanwhile. Look at the history again, then restore.",
            )
            return redirect("admin:articles_article_history", article.pk)
        messages.success(request, f"Restored version {version} as a new version.")
        return redirect("admin:articles_article_change", article.pk)

    def set_apart_restore_view(self, request, pk: int):
        """Put a line the detector set apart back into the body (POST `line`)."""
        article = self.get_article_or_403(request, pk, edit=True)
        if request.method == "POST":
            line = article.set_apart.filter(pk=_int(request.POST.get("line"))).first()
            try:
                if line is None:
                    raise set_apart.SetApartError("That line is not set apart from this story.")
                set_apart.restore(line.pk, by=request.user)
            except set_apart.SetApartError as exc:
                messages.error(request, f"Not restored: {exc}")
            else:
                messages.success(request, f"Restored to the body: “{line.text}”")
        return redirect("admin:articles_article_change", article.pk)

    def set_apart_block_view(self, request, pk: int):
        """Take a body block out of the body as non-reporting (POST `block`, `kind`)."""
        article = self.get_article_or_403(request, pk, edit=True)
        if request.method == "POST":
            block = article.blocks.filter(position=_int(request.POST.get("block")) - 1).first()
            try:
                if block is None:
                    raise set_apart.SetApartError("Choose a block of this story by its number.")
                line = set_apart.set_apart_block(
                    block.pk, request.POST.get("kind", ""), by=request.user
                )
            except set_apart.SetApartError as exc:
                messages.error(request, f"Not set apart: {exc}")
            else:
                messages.success(request, f"Set apart ({line.get_kind_display()}): “{line.text}”")
        return redirect("admin:articles_article_change", article.pk)

    def preview_view(self, request, pk: int):
        """Staff preview: the public article template, for any status."""
        article = self.get_article_or_403(request, pk)
        return render_preview(request, article)

    def preview_link_view(self, request, pk: int):
        """POST: mint a shareable preview link (audited) and show it once."""
        article = get_object_or_404(Article, pk=pk)
        if not permissions.can_mint_preview(request.user, article):
            raise PermissionDenied
        if request.method != "POST":
            return redirect("admin:articles_article_change", article.pk)
        token = preview.mint(article, by=request.user)
        context = self.admin_site.each_context(request) | {
            "title": f"Preview link: {article.headline}",
            "article": article,
            "preview_url": request.build_absolute_uri(reverse("article-preview", args=[token])),
            "max_age_hours": settings.PREVIEW_MAX_AGE // 3600,
            "can_revoke_previews": permissions.can_revoke_previews(request.user, article),
            "opts": self.model._meta,
        }
        response = TemplateResponse(request, "admin/articles/article/preview_link.html", context)
        response["Cache-Control"] = "private, no-store"  # the link is a secret
        return response

    def preview_revoke_view(self, request, pk: int):
        """POST: revoke every preview link of the article (audited)."""
        article = get_object_or_404(Article, pk=pk)
        if not permissions.can_revoke_previews(request.user, article):
            raise PermissionDenied
        if request.method == "POST":
            preview.revoke_all(article, by=request.user)
            messages.success(request, f"Every preview link of “{article.headline}” is revoked.")
        return redirect("admin:articles_article_change", article.pk)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def save_blocks(article: Article, formset) -> None:
    """Save the body blocks in the order the editor numbered them, as 0, 1, 2…

    Positions are unique per article; moving every block aside first lets an editor swap or
    reorder blocks freely without tripping that constraint mid-save. Fills the formset's
    new/changed/deleted lists as formset.save() would, for the admin's change message.
    """
    kept, formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], [], []
    for form in formset.forms:
        if not form.has_changed() and form.instance.pk is None:
            continue  # an empty extra form
        if form.cleaned_data.get("DELETE"):
            if form.instance.pk:
                formset.deleted_objects.append(form.instance)
                form.instance.delete()
            continue
        kept.append(form)
    kept.sort(key=lambda f: (f.cleaned_data["position"], f.instance.pk or 0))
    Block.objects.filter(article=article).update(position=F("position") + 1_000_000)
    for position, form in enumerate(kept):
        is_new = form.instance.pk is None
        block = form.save(commit=False)
        block.article = article
        block.position = position
        block.save()
        if is_new:
            formset.new_objects.append(block)
        elif form.has_changed():
            formset.changed_objects.append((block, form.changed_data))
