"""Entities: the people, organisations, places and events that articles are about."""

from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse

from articles.querysets import EntityQuerySet

WIKIDATA_ID_PATTERN = r"^Q[1-9][0-9]*$"
validate_wikidata_id = RegexValidator(
    WIKIDATA_ID_PATTERN, "A Wikidata id is the letter Q followed by digits, e.g. Q53268."
)


def validate_aliases(value: object) -> None:
    """Require a list of non-empty strings."""
    from django.core.exceptions import ValidationError

    if not isinstance(value, list) or not all(isinstance(a, str) and a.strip() for a in value):
        raise ValidationError("Aliases must be a list of non-empty names.")


class Entity(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        ORGANIZATION = "organization", "Organisation"
        PLACE = "place", "Place"
        EVENT = "event", "Event"

    kind = models.CharField(max_length=20, choices=Kind)
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, help_text="Unique among entities of the same kind.")
    aliases = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_aliases],
        help_text="Other names the linker should recognise, e.g. “Trump” or “U.S.”.",
    )
    description = models.TextField(blank=True)
    wikidata_id = models.CharField(
        "Wikidata id",
        max_length=20,
        blank=True,
        validators=[validate_wikidata_id],
        help_text="e.g. Q53268 for Toyota. Leave empty if unknown.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = EntityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "entities"
        constraints = [
            models.UniqueConstraint(fields=["kind", "slug"], name="entity_slug_unique_per_kind"),
            models.UniqueConstraint(
                fields=["wikidata_id"],
                condition=~models.Q(wikidata_id=""),
                name="entity_wikidata_id_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(wikidata_id="")
                | models.Q(wikidata_id__regex=WIKIDATA_ID_PATTERN),
                name="entity_wikidata_id_format",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["person", "organization", "place", "event"]),
                name="entity_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"

    def get_absolute_url(self) -> str:
        return reverse("entity-detail", args=[self.kind, self.slug])

    @property
    def wikidata_url(self) -> str:
        return f"https://www.wikidata.org/wiki/{self.wikidata_id}" if self.wikidata_id else ""
