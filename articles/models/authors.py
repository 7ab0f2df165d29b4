"""Authors: the names in bylines."""

from django.conf import settings
from django.db import models
from django.urls import reverse


class Author(models.Model):
    """A byline. It may belong to a staff account, or be a wire service with no account."""

    name = models.CharField("display name", max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    bio = models.TextField(blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author",
        help_text="The staff account behind this byline, if any.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("author-detail", args=[self.slug])
