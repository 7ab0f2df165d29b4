"""Images: uploaded pictures with the text readers and screen readers need."""

from django.db import models

from articles.images import random_upload_name, validate_image_file


class ImageFileField(models.ImageField):
    """An ImageField whose dimension reading cannot crash: Django reads width and height as
    soon as a file is assigned, before any validator runs, and Pillow raises on a decompression
    bomb there. The validator (validate_image_file) then refuses the file with a message."""

    def update_dimension_fields(self, instance, force=False, *args, **kwargs):
        from PIL import Image as PILImage

        try:
            super().update_dimension_fields(instance, force, *args, **kwargs)
        except (PILImage.DecompressionBombError, OSError, ValueError, SyntaxError, EOFError):
            setattr(instance, self.width_field, 0)
            setattr(instance, self.height_field, 0)


class Image(models.Model):
    file = ImageFileField(
        upload_to=random_upload_name,
        width_field="width",
        height_field="height",
        validators=[validate_image_file],
        help_text="JPEG, PNG, WebP or GIF.",
    )
    alt_text = models.CharField(
        max_length=300,
        help_text="Describe the picture for readers who cannot see it. Required.",
    )
    caption = models.CharField(max_length=500, blank=True)
    credit = models.CharField(max_length=200, blank=True, help_text="Photographer or agency.")
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(alt_text=""), name="image_alt_text_required"
            ),
        ]

    def __str__(self) -> str:
        return self.alt_text[:60]
