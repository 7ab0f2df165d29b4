"""Articles, their ordered bylines, body blocks, corrections and entity links."""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Case, F, When
from django.urls import reverse

from articles.body import BlockType, sanitise_block_fields
from articles.querysets import ArticleQuerySet, modified_expression
from articles.search import DocumentVector

# Changes within this time of the publish time are part of publishing, not an update.
UPDATE_NOTICE_AFTER = timedelta(minutes=1)


class Article(models.Model):
    class Genre(models.TextChoices):
        NEWS = "news", "News"
        ANALYSIS = "analysis", "Analysis"
        OPINION = "opinion", "Opinion"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        PUBLISHED = "published", "Published"
        WITHDRAWN = "withdrawn", "Withdrawn"

    headline = models.CharField(max_length=250)
    slug = models.SlugField(max_length=250, unique=True, help_text="Used in the article's URL.")
    dek = models.TextField(
        "standfirst", blank=True, help_text="One or two sentences under the headline."
    )
    section = models.ForeignKey(
        "articles.Section", on_delete=models.PROTECT, related_name="articles"
    )
    authors = models.ManyToManyField(
        "articles.Author", through="articles.ArticleAuthor", related_name="articles", blank=True
    )
    genre = models.CharField(max_length=20, choices=Genre, default=Genre.NEWS)
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    publish_at = models.DateTimeField(
        "publish time",
        null=True,
        blank=True,
        help_text="When readers may see it. A future time means scheduled.",
    )
    first_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)
    withdrawal_reason = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        help_text="Who created the article: a reporter may edit their own drafts.",
    )
    hero_image = models.ForeignKey(
        "articles.Image", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    seo_title = models.CharField("SEO title", max_length=120, blank=True)
    seo_description = models.CharField("SEO description", max_length=300, blank=True)
    no_sponsored_placements = models.BooleanField(
        default=False,
        help_text="Sensitive story (tragedy, conflict): no sponsored content is placed beside it.",
    )
    preview_generation = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Part of every preview link; raising it revokes all the article's links.",
    )
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Raised by every save; guards against lost edits."
    )
    search_document = models.TextField(
        blank=True,
        editable=False,
        help_text="Headline, standfirst and body as plain text, for search (see search.py).",
    )
    # Kept by the database, so no write path (admin, import, COPY) can let it go stale.
    search_vector = models.GeneratedField(
        expression=DocumentVector(),
        output_field=SearchVectorField(),
        db_persist=True,
        help_text="The search document as PostgreSQL's tsvector (NULL on SQLite).",
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at", "-id"]
        permissions = [
            ("publish_article", "Can publish, schedule, withdraw and return articles to draft"),
            ("override_ad_check", "Can publish over the advertising check, with a reason"),
        ]
        indexes = [
            models.Index(fields=["status", "-publish_at", "-id"], name="article_visible_idx"),
            models.Index(
                fields=["section", "status", "-publish_at", "-id"], name="article_section_idx"
            ),
            models.Index(fields=["-updated_at", "-id"], name="article_updated_idx"),
            # The feed's `updated_since` sync orders and bounds by when each article changed:
            # this must be the very expression ArticleQuerySet.changed_since() builds.
            models.Index(
                Case(
                    When(status="withdrawn", then=F("withdrawn_at")),
                    default=modified_expression(),
                ),
                "id",
                name="article_changed_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "in_review", "published", "withdrawn"]),
                name="article_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(genre__in=["news", "analysis", "opinion"]),
                name="article_genre_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(publish_at__isnull=False),
                name="article_published_has_time",
            ),
            models.CheckConstraint(
                condition=models.Q(version__gte=1), name="article_version_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.headline

    def get_absolute_url(self) -> str:
        return reverse("article-detail", args=[self.slug])

    @property
    def modified_at(self) -> datetime | None:
        """When the article last changed for readers: the one "modified" date of every output.

        The later of its last save (any edit, correction or republication; `updated_at`) and
        its publish time (a scheduled story saved before its time is new when the time comes).
        "Published" is `publish_at`, which republishing keeps. Queries use
        `querysets.modified_expression()`, the same rule in SQL. None for an unsaved draft.
        """
        return max((t for t in (self.updated_at, self.publish_at) if t), default=None)

    @property
    def shows_update(self) -> bool:
        """Whether the page says "Updated": changed more than a minute after publication
        (publishing itself saves the article a moment after its publish time)."""
        if self.publish_at is None or self.modified_at is None:
            return False
        return self.modified_at - self.publish_at > UPDATE_NOTICE_AFTER

    @property
    def byline(self) -> list:
        """Return the authors in byline order (uses the prefetch from for_listing())."""
        return [link.author for link in self.article_authors.all()]


class ArticleAuthor(models.Model):
    """One name in an article's byline, in order."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="article_authors")
    author = models.ForeignKey("articles.Author", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="byline_author_once"),
        ]

    def __str__(self) -> str:
        return f"{self.author} on {self.article}"


class Block(models.Model):
    """One typed piece of an article's body. There is deliberately no type for advertising."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="blocks")
    position = models.PositiveIntegerField(default=0)
    type = models.CharField(max_length=20, choices=BlockType)
    text = models.TextField(
        blank=True,
        help_text="Paragraphs allow links and emphasis only. Lists take one item per line.",
    )
    attribution = models.CharField(max_length=250, blank=True, help_text="Quotes: who said it.")
    image = models.ForeignKey(
        "articles.Image", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ordered = models.BooleanField(default=False, help_text="Lists: numbered rather than bulleted.")

    class Meta:
        ordering = ["article", "position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "position"], name="block_position_unique"),
            models.CheckConstraint(
                condition=models.Q(type__in=[t.value for t in BlockType]), name="block_type_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(type="image", image__isnull=False)
                | (~models.Q(type="image") & ~models.Q(text="")),
                name="block_has_content",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.position}"

    def save(self, *args, **kwargs) -> None:
        # Inline markup is cleaned on every save, whoever calls it (admin, importer, API).
        sanitise_block_fields(self)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        """Check that the block has what its type needs, and nothing another type uses."""
        from django.core.exceptions import ValidationError

        # Check what will be stored: markup the sanitiser removes ("<script>…") is no text.
        sanitise_block_fields(self)
        errors = {}
        if self.type == BlockType.IMAGE:
            if not self.image_id:
                errors["image"] = "An image block needs an image."
        elif not (self.text or "").strip():
            errors["text"] = f"A {self.get_type_display().lower()} block needs text."
        if self.attribution and self.type != BlockType.QUOTE:
            errors["attribution"] = "Only quotes have an attribution."
        if errors:
            raise ValidationError(errors)

    @property
    def template_name(self) -> str:
        return f"articles/blocks/{self.type}.html"

    @property
    def items(self) -> list[str]:
        """List blocks: the items, one per non-empty line."""
        return [line for line in self.text.splitlines() if line.strip()]


class Correction(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    corrected_at = models.DateTimeField()
    text = models.TextField(help_text="What was wrong and what is right now.")

    class Meta:
        ordering = ["corrected_at", "id"]

    def __str__(self) -> str:
        return f"Correction of {self.corrected_at:%Y-%m-%d} to {self.article}"


class ArticleEntity(models.Model):
    """A link from an article to an entity it is about or mentions."""

    class Role(models.TextChoices):
        SUBJECT = "subject", "Subject"
        MENTIONED = "mentioned", "Mentioned"

    class Source(models.TextChoices):
        EDITOR = "editor", "Editor"
        AUTOMATIC = "automatic", "Automatic"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="entity_links")
    entity = models.ForeignKey(
        "articles.Entity", on_delete=models.CASCADE, related_name="article_links"
    )
    role = models.CharField(max_length=20, choices=Role, default=Role.MENTIONED)
    source = models.CharField(max_length=20, choices=Source, default=Source.EDITOR)
    confirmed = models.BooleanField(
        default=False, help_text="Checked by an editor. Automatic links start unconfirmed."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "entity"], name="article_entity_once"),
            models.CheckConstraint(
                condition=models.Q(role__in=["subject", "mentioned"]), name="link_role_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(source__in=["editor", "automatic"]), name="link_source_valid"
            ),
        ]
        indexes = [models.Index(fields=["entity", "article"], name="link_entity_idx")]

    def __str__(self) -> str:
        return f"{self.article} → {self.entity} ({self.role})"
