"""What the OpenAPI schema (/api/schema/) says about the feed that drf-spectacular cannot see.

The API-key authentication scheme, the body block as a oneOf by `type`, the shapes of the
error responses, the article list's two modes (plain pages and `updated_since` pages with
tombstones) and the detail's `include=sponsored` shape, plus the query parameters the views read
themselves. The serializers here are schema only: nothing serialises with them.

Imported by views.py, so the extensions are registered whenever the URLconf is loaded.
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension, OpenApiSerializerExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema_serializer,
)
from rest_framework import serializers

from articles.api.pagination import MAX_PAGE_SIZE, OrderedArticlePagination
from articles.api.serializers import (
    ArticleSerializer,
    AuthorSerializer,
    EntitySerializer,
    ImageSerializer,
    SectionSerializer,
    SponsoredSerializer,
    TombstoneSerializer,
)
from articles.models import SponsoredBlock

# --- Authentication -----------------------------------------------------------------------


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    """articles.api.auth.ApiKeyAuthentication: a partner's key in either of two headers."""

    target_class = "articles.api.auth.ApiKeyAuthentication"
    name = ["ApiKeyAuthorization", "ApiKeyHeader"]

    def get_security_requirement(self, auto_schema):
        # Either header will do (OR); drf-spectacular adds `{}` since anonymous use is allowed.
        return [{"ApiKeyAuthorization": []}, {"ApiKeyHeader": []}]

    def get_security_definition(self, auto_schema):
        return [
            {
                "type": "apiKey",
                "in": "header",
                "name": "Authorization",
                "description": (
                    "A partner's key as `Authorization: Api-Key <key>` (the word `Api-Key`, "
                    "one space, then the key). Partners get their own rate instead of the "
                    "anonymous one. An unknown or revoked key is a 401."
                ),
            },
            {
                "type": "apiKey",
                "in": "header",
                "name": "X-Api-Key",
                "description": (
                    "The same key as `X-Api-Key: <key>`, for clients that cannot set "
                    "`Authorization`. Used when `Authorization` carries no `Api-Key`."
                ),
            },
        ]


# --- Body blocks: one schema per type ------------------------------------------------------


def _type_tag(value: str, label: str) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=[(value, label)])


class HeadingBlockSerializer(serializers.Serializer):
    type = _type_tag("heading", "Heading")
    text = serializers.CharField(help_text="The subheading, as plain text.")


class ParagraphBlockSerializer(serializers.Serializer):
    type = _type_tag("paragraph", "Paragraph")
    text = serializers.CharField(help_text="The paragraph as plain text.")
    html = serializers.CharField(
        help_text="The paragraph as sanitised inline HTML (links and emphasis only)."
    )


class QuoteBlockSerializer(serializers.Serializer):
    type = _type_tag("quote", "Quote")
    text = serializers.CharField(help_text="The quotation, as plain text.")
    attribution = serializers.CharField(help_text="Who said it; may be empty.")


class ListBlockSerializer(serializers.Serializer):
    type = _type_tag("list", "List")
    items = serializers.ListField(child=serializers.CharField(), help_text="Plain text.")
    items_html = serializers.ListField(
        child=serializers.CharField(), help_text="The same items as sanitised inline HTML."
    )
    ordered = serializers.BooleanField(help_text="Numbered rather than bulleted.")


class ImageBlockSerializer(serializers.Serializer):
    type = _type_tag("image", "Image")
    image = ImageSerializer()


BLOCK_SCHEMAS = {
    "heading": HeadingBlockSerializer,
    "paragraph": ParagraphBlockSerializer,
    "quote": QuoteBlockSerializer,
    "list": ListBlockSerializer,
    "image": ImageBlockSerializer,
}


class BlockSchema(OpenApiSerializerExtension):
    """BlockSerializer keeps only the keys a block's type uses: a oneOf, by `type`."""

    target_class = "articles.api.serializers.BlockSerializer"

    def get_name(self, auto_schema, direction):
        return "Block"

    def map_serializer(self, auto_schema, direction):
        mapping = {
            block_type: auto_schema.resolve_serializer(serializer, direction).ref["$ref"]
            for block_type, serializer in BLOCK_SCHEMAS.items()
        }
        return {
            "description": "A body block: its `type` and only the fields that type uses.",
            "oneOf": [{"$ref": ref} for ref in mapping.values()],
            "discriminator": {"propertyName": "type", "mapping": mapping},
        }


# --- Errors ------------------------------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    """An error that concerns the whole request."""

    detail = serializers.CharField(help_text="What went wrong, for a person to read.")


class ValidationErrorSerializer(serializers.Serializer):
    """Bad query parameters: each parameter's name with its messages (schema below)."""


class ValidationErrorSchema(OpenApiSerializerExtension):
    target_class = ValidationErrorSerializer

    def get_name(self, auto_schema, direction):
        return "ValidationError"

    def map_serializer(self, auto_schema, direction):
        return {
            "type": "object",
            "description": "Each query parameter that cannot be used, with its messages.",
            "minProperties": 1,
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "example": {"page_size": [f"A whole number from 1 to {MAX_PAGE_SIZE}."]},
        }


NOT_MODIFIED = OpenApiResponse(
    description=(
        "Not Modified: the `If-None-Match` (ETag) or `If-Modified-Since` the client sent "
        "still matches. No body."
    )
)
UNAUTHORIZED = OpenApiResponse(
    ErrorSerializer, description="Unauthorized: the API key is unknown or revoked."
)
THROTTLED = OpenApiResponse(
    ErrorSerializer,
    description=(
        "Too Many Requests: over the anonymous rate (per IP address) or the partner's own "
        "rate. `Retry-After` says how many seconds to wait."
    ),
)
BAD_REQUEST = OpenApiResponse(
    ValidationErrorSerializer,
    description="Bad Request: a query parameter has a value that cannot be used.",
)
NOT_FOUND = OpenApiResponse(
    ErrorSerializer, description="Not Found: there is no such item, or it is not published."
)


def responses(ok, *, bad_request: bool = False, not_found: bool = False) -> dict:
    """The responses of a feed GET: `ok` for 200, plus the errors it can answer with."""
    result = {
        200: ok if isinstance(ok, OpenApiResponse) else OpenApiResponse(ok, description="OK"),
        304: NOT_MODIFIED,
        401: UNAUTHORIZED,
        429: THROTTLED,
    }
    if bad_request:
        result[400] = BAD_REQUEST
    if not_found:
        result[404] = NOT_FOUND
    return dict(sorted(result.items()))


# Response headers every feed GET may send (parameters with `response`).
HEADERS = [
    OpenApiParameter(
        "Last-Modified",
        str,
        OpenApiParameter.HEADER,
        response=[200],
        description="When the published content last changed (an HTTP date).",
    ),
    OpenApiParameter(
        "ETag",
        str,
        OpenApiParameter.HEADER,
        response=[200, 304],
        description="Send it back as `If-None-Match` to get a 304 while nothing changed.",
    ),
    OpenApiParameter(
        "Cache-Control",
        str,
        OpenApiParameter.HEADER,
        response=[200],
        description="Shared caches may keep the response briefly, e.g. `public, max-age=60`.",
    ),
    OpenApiParameter(
        "WWW-Authenticate",
        str,
        OpenApiParameter.HEADER,
        response=[401],
        description="`Api-Key`: the scheme to authenticate with.",
    ),
    OpenApiParameter(
        "Retry-After",
        {"type": "integer", "minimum": 0},
        OpenApiParameter.HEADER,
        response=[429],
        description="Seconds to wait before the next request.",
    ),
]


# --- Query parameters the views read themselves ---------------------------------------------


def cursor_parameters(default_page_size: int) -> list[OpenApiParameter]:
    return [
        OpenApiParameter(
            "cursor",
            str,
            description=(
                "Where a page starts. Opaque: follow the `next` and `previous` links rather "
                "than building one. A cursor that cannot be used is a 400."
            ),
        ),
        OpenApiParameter(
            "page_size",
            {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            description=f"Items per page, 1 to {MAX_PAGE_SIZE} (default {default_page_size}).",
            default=default_page_size,
        ),
    ]


INCLUDE = OpenApiParameter(
    "include",
    str,
    enum=["sponsored"],
    description=(
        "`sponsored` adds the live sponsored items under a separate top-level `sponsored` key "
        "(never inside an article). Any other value is a 400."
    ),
)
UPDATED_SINCE = OpenApiParameter(
    "updated_since",
    OpenApiTypes.DATETIME,
    description=(
        "Sync mode: everything a mirror must change since this moment (ISO 8601; without a "
        "zone it is UTC), oldest change first. Articles that changed or became visible come "
        "as articles; stories that left the public site since then (withdrawn, returned to "
        "draft, rescheduled into the future or deleted) come as tombstones, in the same "
        "stream ordered by time, then article id. Follow `next` to the end. `ordering` is "
        "ignored; the other filters select articles only, never tombstones."
    ),
)
ENTITY = OpenApiParameter(
    "entity",
    {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}},
    style="form",
    explode=True,
    description=(
        "An entity id; repeat for several (see `entity_match`). An id of no entity is a 400."
    ),
)
PUBLISHED_RANGE = [
    OpenApiParameter(
        "published_after",
        OpenApiTypes.DATETIME,
        description="Published at or after this moment (ISO 8601).",
    ),
    OpenApiParameter(
        "published_before",
        OpenApiTypes.DATETIME,
        description="Published before this moment (ISO 8601).",
    ),
]
ORDERING = OpenApiParameter(
    "ordering",
    str,
    enum=list(OrderedArticlePagination.ORDERINGS),
    default="-published_at",
    description="The order of the list (`-` for newest first). Any other value is a 400.",
)
SPONSORED_FILTERS = [
    OpenApiParameter(
        "article",
        {"type": "integer", "minimum": 1},
        description=(
            "A published article's id: only the items that may run beside it (its section, "
            "and none beside a sensitive story). An id of no published article is a 400."
        ),
    ),
    OpenApiParameter(
        "section",
        str,
        description=(
            "A section's slug: the items for that section and those for every section. "
            "A slug of no active section is a 400."
        ),
    ),
    OpenApiParameter(
        "placement",
        str,
        enum=SponsoredBlock.Placement.values,
        description="Where the item runs. Any other value is a 400.",
    ),
]


# --- Response bodies ---------------------------------------------------------------------


ARTICLE_OR_TOMBSTONE = PolymorphicProxySerializer(
    component_name="ArticleOrTombstone",
    serializers=[ArticleSerializer, TombstoneSerializer],
    resource_type_field_name=None,
    many=False,
)


class _CursorLinks(serializers.Serializer):
    next = serializers.URLField(allow_null=True, help_text="The next page, or null at the end.")
    previous = serializers.URLField(
        allow_null=True, help_text="The previous page, or null on the first."
    )


def _page(serializer_class, name: str, doc: str):
    """A schema-only page of `serializer_class` items with its cursor links."""
    page = type(
        f"{name}Serializer",
        (_CursorLinks,),
        {"__doc__": doc, "__module__": __name__, "results": serializer_class(many=True)},
    )
    return extend_schema_serializer(many=False)(page)


SectionPageSerializer = _page(SectionSerializer, "SectionPage", "A page of sections.")
AuthorPageSerializer = _page(AuthorSerializer, "AuthorPage", "A page of authors.")
EntityPageSerializer = _page(EntitySerializer, "EntityPage", "A page of entities.")


class ArticlePageSerializer(_CursorLinks):
    """A page of published articles."""

    results = ArticleSerializer(many=True)
    sponsored = SponsoredSerializer(
        many=True,
        required=False,
        help_text="Only with `include=sponsored`: the live sponsored items, apart from the list.",
    )


class ArticleSyncPageSerializer(_CursorLinks):
    """A page of an `updated_since` sync: articles, and tombstones for stories that left."""

    results = serializers.ListField(child=ARTICLE_OR_TOMBSTONE)
    sponsored = SponsoredSerializer(
        many=True,
        required=False,
        help_text="Only with `include=sponsored`: the live sponsored items, apart from the list.",
    )


@extend_schema_serializer(many=False)
class ArticleListSerializer(serializers.Serializer):
    """The article list's response (schema below)."""


class ArticleListSchema(OpenApiSerializerExtension):
    target_class = ArticleListSerializer

    def get_name(self, auto_schema, direction):
        return "ArticleList"

    def map_serializer(self, auto_schema, direction):
        return {
            "description": (
                "An `ArticlePage`; with `updated_since`, an `ArticleSyncPage` (whose items may "
                "also be tombstones)."
            ),
            "anyOf": [
                auto_schema.resolve_serializer(ArticlePageSerializer, direction).ref,
                auto_schema.resolve_serializer(ArticleSyncPageSerializer, direction).ref,
            ],
        }


class ArticleWithSponsoredSerializer(serializers.Serializer):
    """An article's detail with `include=sponsored`: the article and, apart, its sponsored
    items."""

    article = ArticleSerializer()
    sponsored = SponsoredSerializer(
        many=True, help_text="The sponsored items that may run beside this article."
    )


ARTICLE_DETAIL = PolymorphicProxySerializer(
    component_name="ArticleDetail",
    serializers=[ArticleSerializer, ArticleWithSponsoredSerializer],
    resource_type_field_name=None,
    many=False,
)
