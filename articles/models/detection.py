"""What the promo detector kept out of an article's body, and the editors' corrections.

A `SetApartLine` is a line of an imported article that the detector rated as house promotion,
boilerplate or an ad-slot label: never published, shown to the editor with its kind, confidence
and reasons, and restorable to the body (articles/set_apart.py). Each restore, and each line an
editor sets apart by hand, is kept as a `DetectorExample` that `manage.py train_detector
--include-feedback` learns from.
"""

from django.conf import settings
from django.db import models

from articles.promo_kinds import PROMO_KINDS, SET_APART_KINDS


class SetApartLine(models.Model):
    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="set_apart"
    )
    # The body position the line sat before when it was set apart.
    position = models.PositiveIntegerField()
    text = models.TextField()
    kind = models.CharField(max_length=40, choices={k: PROMO_KINDS[k] for k in SET_APART_KINDS})
    confidence = models.FloatField()
    reasons = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    restored_at = models.DateTimeField(null=True, blank=True)
    restored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["article", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(confidence__gte=0) & models.Q(confidence__lte=1),
                name="set_apart_confidence_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"


class DetectorExample(models.Model):
    class Label(models.TextChoices):
        REPORTING = "reporting", "Reporting"
        NON_REPORTING = "non_reporting", "Not reporting"

    class Source(models.TextChoices):
        RESTORED = "restored", "Restored to the body by an editor"
        SET_APART = "set_apart", "Set apart by an editor"

    text = models.TextField()
    label = models.CharField(max_length=20, choices=Label)
    kind = models.CharField(max_length=40, blank=True, choices=PROMO_KINDS)
    source = models.CharField(max_length=20, choices=Source)
    article = models.ForeignKey(
        "articles.Article", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(label="reporting") | ~models.Q(kind=""),
                name="detector_example_promo_has_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_label_display()}: {self.text[:60]}"
