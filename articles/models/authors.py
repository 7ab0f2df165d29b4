"""Authors: the names in bylines."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from articles.querysets import AuthorQuerySet


class Author(models.Model):
    """A byline. It may belong to a staff account, or be a wire service with no account."""

    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        ORGANIZATION = "organization", "Organisation (wire service, agency, desk)"

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
    # Its own field: a freelancer has no account and is still a person; structured data and
    # feeds type the byline by this, never by whether an account exists.
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.PERSON)

    objects = AuthorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["person", "organization"]), name="author_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("author-detail", args=[self.slug])
