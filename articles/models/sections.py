"""Sections: where an article lives."""

from django.db import models
from django.urls import reverse


class Section(models.Model):
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True, help_text="Used in the section's URL.")
    description = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="Leave empty for a top-level section.",
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Sections are listed in this order (lowest first)."
    )
    active = models.BooleanField(
        default=True, help_text="Inactive sections are hidden from readers."
    )

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("id")), name="section_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("section-detail", args=[self.slug])
