"""Forms for the editor admin's own screens: import and publish."""

from datetime import timedelta

from django import forms
from django.utils import timezone

from articles.importing import FORMATS, ImportRefused, decode, format_for, parse
from articles.models import Author, Section

MAX_IMPORT_BYTES = 2 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(required=False, help_text="A .txt or .md file, UTF-8.")
    text = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 16, "cols": 100}),
        label="…or paste the article",
        help_text="Headline on the first line. Promotional lines are set apart automatically.",
    )
    format = forms.ChoiceField(
        choices=[("auto", "Guess from the file name (text unless .md)")]
        + [(f, f.capitalize()) for f in FORMATS],
        initial="auto",
    )
    section = forms.ModelChoiceField(queryset=Section.objects.filter(active=True))
    authors = forms.ModelMultipleChoiceField(queryset=Author.objects.all(), required=False)

    def clean(self):
        data = super().clean()
        upload, text = data.get("file"), data.get("text", "")
        if upload and text.strip():
            raise forms.ValidationError("Upload a file or paste text, not both.")
        if not upload and not text.strip():
            raise forms.ValidationError("Upload a file or paste the article's text.")
        fmt = data.get("format", "auto")
        try:
            if upload:
                if upload.size > MAX_IMPORT_BYTES:
                    raise ImportRefused("The file is over 2 MB.")
                raw = decode(upload.read())
                fmt = format_for(upload.name) if fmt == "auto" else fmt
            else:
                raw, fmt = text, ("text" if fmt == "auto" else fmt)
            data["parsed"] = parse(raw, fmt)
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
