"""What the feed says about each thing. Fields are listed explicitly; an article item has no
sponsored field, and sponsored items are typed as such wherever they appear."""

from django.template.loader import render_to_string
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from articles.body import plain_text
from articles.links import absolute, web_link
from articles.models import (
    Article,
    ArticleEntity,
    Author,
    Block,
    Correction,
    Entity,
    Image,
    Section,
    SponsoredBlock,
    Tombstone,
)
from articles.renditions import picture_context


def constant(value: str) -> dict:
    """The OpenAPI schema of a string that always has this one value (a type tag)."""
    return {"type": "string", "enum": [value]}


class SectionSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Section
        fields = ["id", "name", "slug", "description", "parent", "position", "url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, section) -> str:
        return absolute(section.get_absolute_url())


class AuthorSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Author
        fields = ["id", "name", "slug", "bio", "url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, author) -> str:
        return absolute(author.get_absolute_url())


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class AliasesField(serializers.JSONField):
    """The model's JSON list of names, documented as what it holds: a list of strings."""


class EntitySerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    api_url = serializers.SerializerMethodField()
    aliases = AliasesField(
        read_only=True,
        help_text="Other names the entity is known by, e.g. “Trump” or “U.S.”.",
    )
    wikidata_url = serializers.CharField(
        read_only=True, help_text="The entity's Wikidata page; empty when no id is known."
    )

    class Meta:
        model = Entity
        fields = [
            "id", "kind", "name", "slug", "aliases", "description", "wikidata_id",
            "wikidata_url", "url", "api_url",
        ]  # fmt: skip

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, entity) -> str:
        return absolute(entity.get_absolute_url())

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, entity) -> str:
        return reverse("api-entity-detail", args=[entity.pk], request=self.context.get("request"))


class RenditionSerializer(serializers.Serializer):
    """One size of an image in one format (schema only: built by ImageSerializer)."""

    format = serializers.ChoiceField(
        choices=[("webp", "WebP"), ("fallback", "JPEG or PNG, for browsers without WebP")]
    )
    width = serializers.IntegerField(min_value=1, help_text="In pixels.")
    url = serializers.URLField()


class ImageSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    renditions = serializers.SerializerMethodField()

    class Meta:
        model = Image
        fields = ["id", "url", "width", "height", "alt_text", "caption", "credit", "renditions"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, image) -> str:
        return absolute(image.file.url)

    @extend_schema_field(RenditionSerializer(many=True))
    def get_renditions(self, image) -> list[dict]:
        """Sizes of the image as WebP and JPEG/PNG, for a srcset."""
        context = picture_context(image, sizes="100vw")
        renditions = []
        for fmt, srcset in (("webp", "webp_srcset"), ("fallback", "fallback_srcset")):
            for candidate in filter(None, (context.get(srcset) or "").split(", ")):
                url, width = candidate.rsplit(" ", 1)
                renditions.append(
                    {"format": fmt, "width": int(width.rstrip("w")), "url": absolute(url)}
                )
        return renditions


class BlockSerializer(serializers.ModelSerializer):
    """A body block: its type plus the fields that type uses."""

    class Meta:
        model = Block
        fields = ["type", "text", "html", "attribution", "items", "items_html", "ordered", "image"]

    html = serializers.SerializerMethodField()
    items = serializers.SerializerMethodField()
    items_html = serializers.SerializerMethodField()
    image = ImageSerializer(read_only=True)

    # The schema of a block is a oneOf by `type` (articles/api/schema.py): each type has
    # only the keys it uses.

    def get_html(self, block) -> str | None:
        return block.text if block.type == "paragraph" else None

    def get_items(self, block) -> list[str]:
        return [plain_text(item) for item in block.items]

    def get_items_html(self, block) -> list[str]:
        return block.items

    def to_representation(self, block):
        data = super().to_representation(block)
        data["text"] = plain_text(block.text) if block.text else None
        used = {
            "heading": {"type", "text"},
            "paragraph": {"type", "text", "html"},
            "quote": {"type", "text", "attribution"},
            "list": {"type", "items", "items_html", "ordered"},
            "image": {"type", "image"},
        }[block.type]
        return {key: value for key, value in data.items() if key in used}


class EntityLinkSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="entity.id")
    kind = serializers.ChoiceField(source="entity.kind", choices=Entity.Kind.choices)
    name = serializers.CharField(source="entity.name")
    role = serializers.ChoiceField(choices=ArticleEntity.Role.choices)
    wikidata_id = serializers.CharField(
        source="entity.wikidata_id", help_text="e.g. Q53268; empty when unknown."
    )
    api_url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, link) -> str:
        return reverse(
            "api-entity-detail", args=[link.entity_id], request=self.context.get("request")
        )


class CorrectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Correction
        fields = ["corrected_at", "text"]


class ArticleSerializer(serializers.ModelSerializer):
    """A published article. There is deliberately no sponsored field."""

    type = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    api_url = serializers.SerializerMethodField()
    section = SectionSerializer(read_only=True)
    authors = serializers.SerializerMethodField()
    published_at = serializers.DateTimeField(source="publish_at", read_only=True)
    updated_at = serializers.SerializerMethodField()
    hero_image = ImageSerializer(read_only=True, allow_null=True)
    body = BlockSerializer(source="blocks", many=True, read_only=True)
    body_html = serializers.SerializerMethodField()
    entities = EntityLinkSerializer(source="entity_links", many=True, read_only=True)
    corrections = CorrectionSerializer(many=True, read_only=True)

    class Meta:
        model = Article
        fields = [
            "type", "id", "url", "api_url", "slug", "headline", "dek", "genre", "section",
            "authors", "published_at", "updated_at", "hero_image", "body", "body_html",
            "entities", "corrections", "version",
        ]  # fmt: skip

    @extend_schema_field(constant("article"))
    def get_type(self, article) -> str:
        return "article"

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, article) -> str:
        return absolute(article.get_absolute_url())

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, article) -> str:
        return reverse("api-article-detail", args=[article.pk], request=self.context.get("request"))

    @extend_schema_field(AuthorSerializer(many=True))
    def get_authors(self, article) -> list[dict]:
        return AuthorSerializer(article.byline, many=True).data

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_updated_at(self, article) -> str:
        return serializers.DateTimeField().to_representation(article.modified_at)

    def get_body_html(self, article) -> str:
        """The body as sanitised HTML, rendered from the editorial blocks only."""
        blocks = article.blocks.all()
        return render_to_string("articles/feeds/body.html", {"blocks": blocks}).strip()


class TombstoneSerializer(serializers.Serializer):
    """A story that left the public site, in a sync: just enough for a mirror to delete it.

    Built from a `Tombstone` row (the article itself may be gone).
    """

    id = serializers.IntegerField(help_text="The article's id.")
    status = serializers.ChoiceField(
        choices=[("withdrawn", "Withdrawn")],
        help_text="Always `withdrawn`: the story is not public any more; delete the copy.",
    )
    reason = serializers.ChoiceField(
        choices=Tombstone.Reason.choices,
        help_text="How it left: withdrawn, returned to draft (`unpublished`), rescheduled "
        "into the future, or deleted. A story made public again comes back as an article.",
    )
    withdrawn_at = serializers.DateTimeField(help_text="When it left the public site.")

    def to_representation(self, tombstone):
        return {
            "id": tombstone.article_id,
            "status": "withdrawn",
            "reason": tombstone.reason,
            "withdrawn_at": serializers.DateTimeField().to_representation(tombstone.removed_at),
        }


class SponsorSerializer(serializers.Serializer):
    """Who paid for a sponsored item (schema only: built by SponsoredSerializer)."""

    name = serializers.CharField()
    url = serializers.CharField(help_text="The sponsor's website; may be empty.")
    disclaimer = serializers.CharField(help_text="Shown with every item; may be empty.")


class CallToActionSerializer(serializers.Serializer):
    """A sponsored item's link (schema only: built by SponsoredSerializer)."""

    label = serializers.CharField(help_text="May be empty.")
    url = serializers.URLField()


class SponsoredSerializer(serializers.ModelSerializer):
    """A sponsored item: always typed "sponsored", always with its label and sponsor."""

    type = serializers.SerializerMethodField()
    label = serializers.ChoiceField(
        choices=SponsoredBlock.Label.choices,
        help_text="The disclosure label, shown in capitals above the item on every channel.",
    )
    sponsor = serializers.SerializerMethodField()
    cta = serializers.SerializerMethodField()
    image = ImageSerializer(read_only=True, allow_null=True)
    sections = serializers.SlugRelatedField(
        slug_field="slug",
        many=True,
        read_only=True,
        help_text="The sections it may run beside, by slug; empty: every section.",
    )

    class Meta:
        model = SponsoredBlock
        fields = [
            "type", "id", "label", "sponsor", "headline", "text", "cta", "image", "placement",
            "inline_after_paragraph", "sections", "starts_at", "ends_at",
        ]  # fmt: skip

    @extend_schema_field(constant("sponsored"))
    def get_type(self, block) -> str:
        return "sponsored"

    @extend_schema_field(SponsorSerializer)
    def get_sponsor(self, block) -> dict:
        sponsor = block.sponsor
        return {
            "name": sponsor.name,
            "url": web_link(sponsor.url),
            "disclaimer": sponsor.disclaimer,
        }

    @extend_schema_field(CallToActionSerializer(allow_null=True))
    def get_cta(self, block) -> dict | None:
        url = web_link(block.cta_url)
        return {"label": block.cta_label, "url": url} if url else None


class EntityArticleSerializer(serializers.Serializer):
    """An article linked to an entity, as the entity's detail lists it."""

    id = serializers.IntegerField(source="pk")
    headline = serializers.CharField()
    published_at = serializers.DateTimeField(source="publish_at")
    url = serializers.SerializerMethodField()
    api_url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, article) -> str:
        return absolute(article.get_absolute_url())

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, article) -> str:
        return reverse("api-article-detail", args=[article.pk], request=self.context.get("request"))


class EntityDetailSerializer(EntitySerializer):
    """An entity with the newest published articles linked to it (the view sets
    `latest_articles` on the entity)."""

    articles = EntityArticleSerializer(
        source="latest_articles",
        many=True,
        read_only=True,
        help_text="The newest published articles linked to the entity (at most 20).",
    )

    class Meta(EntitySerializer.Meta):
        fields = [*EntitySerializer.Meta.fields, "articles"]
