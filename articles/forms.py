"""Forms for the editor admin: the article screen, import, publish and withdraw."""

from datetime import timedelta

from django import forms
from django.utils import timezone

from articles.editing import StaleVersion, claim_version
from articles.html_import import MAX_HTML_BYTES, parse_html
from articles.images import validate_image_file
from articles.importing import FORMATS, ImportRefused, decode, format_for, parse
from articles.models import Article, Author, Image, Section
from articles.url_fetch import parse_url

MAX_IMPORT_BYTES = 2 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(
        required=False, help_text="A .txt or .md file (UTF-8), or an .html/.htm saved page."
    )
    url = forms.CharField(
        required=False,
        max_length=2000,
        label="…or import a web page",
        help_text="An http:// or https:// address of a public page.",
    )
    text = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 16, "cols": 100}),
        label="…or paste the article",
        help_text="Headline on the first line. Promotional lines are set apart automatically.",
    )
    format = forms.ChoiceField(
        choices=[("auto", "Guess from the file name (.md Markdown, .html HTML, else text)")]
        + [(f, f.capitalize()) for f in FORMATS],
        initial="auto",
    )
    section = forms.ModelChoiceField(queryset=Section.objects.filter(active=True))
    authors = forms.ModelMultipleChoiceField(queryset=Author.objects.all(), required=False)

    def clean(self):
        data = super().clean()
        upload, text = data.get("file"), data.get("text", "")
        url = data.get("url", "").strip()
        given = sum(map(bool, (upload, text.strip(), url)))
        if given > 1:
            raise forms.ValidationError("Upload a file, paste text or give a URL: only one.")
        if not given:
            raise forms.ValidationError("Upload a file or paste the article's text, or give a URL.")
        fmt = data.get("format", "auto")
        try:
            if url:
                data["parsed"] = parse_url(url)
            elif upload:
                fmt = format_for(upload.name) if fmt == "auto" else fmt
                limit = MAX_HTML_BYTES if fmt == "html" else MAX_IMPORT_BYTES
                if upload.size > limit:
                    raise ImportRefused(f"The file is over {limit // 1_048_576} MB.")
                content = upload.read()
                data["parsed"] = (
                    parse_html(content) if fmt == "html" else parse(decode(content), fmt)
                )
            else:
                data["parsed"] = parse(text, "text" if fmt == "auto" else fmt)
        except ImportRefused as exc:
            raise forms.ValidationError(str(exc)) from exc
        return data


class PublishForm(forms.Form):
    publish_at = forms.DateTimeField(
        required=False,
        label="Publish time",
        help_text="Leave empty to publish now. A future time schedules the article.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    override_reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        label="Reason to publish over the advertising check",
        help_text="Only if a flagged block really is reporting. Kept in the audit log.",
    )

    def __init__(self, *args, can_override: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_override:
            del self.fields["override_reason"]

    def clean_publish_at(self):
        value = self.cleaned_data["publish_at"]
        if value and value < timezone.now() - timedelta(days=3650):
            raise forms.ValidationError("That date is more than ten years ago.")
        return value


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text="Why the article is taken down. Kept in the audit log and reported in the feed.",
    )


class ArticleAdminForm(forms.ModelForm):
    """The article screen's form: version check against lost edits, hero upload with alt text."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    hero_upload = forms.ImageField(
        required=False,
        label="Upload a hero image",
        validators=[validate_image_file],
        help_text="JPEG, PNG, WebP or GIF. Replaces the hero image chosen above.",
    )
    hero_alt_text = forms.CharField(
        required=False,
        max_length=300,
        label="Alt text for the upload",
        help_text="Required with an upload: describe the picture for readers who cannot see it.",
    )
    hero_caption = forms.CharField(required=False, max_length=500, label="Caption")
    hero_credit = forms.CharField(required=False, max_length=200, label="Credit")
    accept_suggestions = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Entities the linker found",
        help_text="Tick to link them (as confirmed); leave unticked to ignore.",
    )
    change_message = forms.CharField(
        required=False,
        max_length=300,
        label="What did you change?",
        help_text="Optional; shown in the article's history.",
    )
    override_reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        label="Reason to save over the advertising check",
        help_text="Only if a block the check flags really is reporting. Kept in the audit log.",
    )

    class Meta:
        model = Article
        fields = [
            "headline",
            "slug",
            "dek",
            "section",
            "genre",
            "hero_image",
            "no_sponsored_placements",
            "seo_title",
            "seo_description",
        ]

    def __init__(self, *args, suggestions=(), can_override=False, refusal=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["expected_version"] = self.instance.version
        self.conflict = None
        # Set when this same input was saved and refused by the advertising check (and
        # rolled back): the form shows why, keeping the editor's text.
        self.refusal = refusal
        if not can_override:
            del self.fields["override_reason"]
        self.fields["accept_suggestions"].choices = [
            (str(m.key), f"{m.name} ({m.kind}, {m.role}: {', '.join(m.matched)})")
            for m in suggestions
        ]

    def clean(self):
        data = super().clean()
        if data.get("hero_upload") and not data.get("hero_alt_text", "").strip():
            self.add_error("hero_alt_text", "Describe the uploaded picture: alt text is required.")
        if self.instance.pk:
            self._claim_version(data.get("expected_version"))
        if self.refusal is not None:
            raise forms.ValidationError(str(self.refusal), code="promotional_copy")
        return data

    def _claim_version(self, expected: int | None) -> None:
        """Refuse a save from a stale version; keep the user's input and show what changed."""
        if expected is None:
            raise forms.ValidationError("The form lost its version number; reload the page.")
        try:
            claim_version(self.instance.pk, expected)
        except StaleVersion as conflict:
            self.conflict = conflict
            # The next save, made knowing what changed, may replace the other edit.
            self.data = self.data.copy()
            self.data["expected_version"] = conflict.article.version
            raise forms.ValidationError(str(conflict), code="stale_version") from None

    def hero_image_from_upload(self) -> Image | None:
        """Create the uploaded hero Image, if there is one."""
        upload = self.cleaned_data.get("hero_upload")
        if not upload:
            return None
        return Image.objects.create(
            file=upload,
            alt_text=self.cleaned_data["hero_alt_text"].strip(),
            caption=self.cleaned_data.get("hero_caption", ""),
            credit=self.cleaned_data.get("hero_credit", ""),
        )
