"""Sponsored content. It lives only here, never in an article's body or entity links."""

from django.db import models

from articles.querysets import SponsoredBlockQuerySet


class Sponsor(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    url = models.URLField("website", blank=True)
    logo = models.ForeignKey(
        "articles.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    disclaimer = models.TextField(
        blank=True,
        help_text="Shown with every item of this sponsor, e.g. “Crypto assets are high risk.”",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SponsoredBlock(models.Model):
    class Label(models.TextChoices):
        SPONSORED = "Sponsored", "Sponsored"
        ADVERTISEMENT = "Advertisement", "Advertisement"
        PAID_PARTNER = "Paid partner", "Paid partner"

    class Placement(models.TextChoices):
        END_OF_ARTICLE = "end", "End of article"
        INLINE = "inline", "Inline after paragraph N"
        SIDEBAR = "sidebar", "Sidebar"
        HOME = "home", "Home page"

    label = models.CharField(
        "disclosure label",
        max_length=20,
        choices=Label,
        default=Label.SPONSORED,
        help_text="Shown in capitals above the item on every channel.",
    )
    sponsor = models.ForeignKey(Sponsor, on_delete=models.PROTECT, related_name="blocks")
    headline = models.CharField(max_length=200)
    text = models.TextField(blank=True)
    cta_label = models.CharField("call-to-action label", max_length=80, blank=True)
    cta_url = models.URLField("call-to-action URL", blank=True)
    image = models.ForeignKey(
        "articles.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    starts_at = models.DateTimeField("runs from")
    ends_at = models.DateTimeField("runs until", null=True, blank=True)
    active = models.BooleanField(
        default=False, help_text="Only active blocks inside their time window are shown."
    )
    placement = models.CharField(max_length=20, choices=Placement, default=Placement.SIDEBAR)
    inline_after_paragraph = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Inline placement only: shown after this paragraph (1 = first).",
    )
    sections = models.ManyToManyField(
        "articles.Section",
        blank=True,
        related_name="sponsored_blocks",
        help_text="Show only beside articles of these sections. Empty: every section.",
    )
    source_article = models.ForeignKey(
        "articles.Article",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The article this copy was found in, when the importer moved it out.",
    )
    review_note = models.TextField(
        blank=True, help_text="Why this block exists, e.g. the importer's detection reasons."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SponsoredBlockQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(label__in=["Sponsored", "Advertisement", "Paid partner"]),
                name="sponsored_label_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True)
                | models.Q(ends_at__gt=models.F("starts_at")),
                name="sponsored_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(placement__in=["end", "inline", "sidebar", "home"]),
                name="sponsored_placement_valid",
            ),
            models.CheckConstraint(
                # Spelled out with isnull: a CHECK on NULL >= 1 would pass silently.
                condition=~models.Q(placement="inline")
                | models.Q(inline_after_paragraph__isnull=False, inline_after_paragraph__gte=1),
                name="sponsored_inline_has_paragraph",
            ),
        ]
        indexes = [
            models.Index(fields=["placement", "active", "starts_at"], name="sponsored_live_idx")
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.headline} ({self.sponsor})"
