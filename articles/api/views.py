"""The JSON feed's endpoints. Each viewset only says which objects it serves: every article
queryset starts from the visibility rule, and sponsored items only ever come from their own
endpoint or a separate top-level `sponsored` key."""

from datetime import datetime

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.functional import cached_property
from django.utils.http import http_date
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from articles import tombstones
from articles.api.filters import ArticleFilter, ArticleFilterBackend
from articles.api.item_cache import PAGE_FIELDS, serialised_articles
from articles.api.ninjs import article_to_ninjs
from articles.api.pagination import (
    NameCursorPagination,
    OrderedArticlePagination,
    SyncCursorPagination,
)
from articles.api.schema import (
    ARTICLE_DETAIL,
    ENTITY,
    HEADERS,
    INCLUDE,
    ORDERING,
    PUBLISHED_RANGE,
    SPONSORED_FILTERS,
    UPDATED_SINCE,
    ArticleListSerializer,
    AuthorPageSerializer,
    EntityPageSerializer,
    SectionPageSerializer,
    cursor_parameters,
    responses,
)
from articles.api.serializers import (
    ArticleSerializer,
    AuthorSerializer,
    EntityDetailSerializer,
    EntitySerializer,
    SectionSerializer,
    SponsoredSerializer,
    TombstoneSerializer,
)
from articles.caching import content_version
from articles.models import Article, Author, Entity, Section, SponsoredBlock, Tombstone
from articles.sponsored import slots_for_article


def wants_sponsored(request) -> bool:
    """Read `include`: only `sponsored` may be asked for."""
    include = request.query_params.get("include")
    if include not in (None, "", "sponsored"):
        raise ValidationError({"include": ["The only value is 'sponsored'."]})
    return include == "sponsored"


END_OF_TIME = datetime.max.replace(tzinfo=timezone.UTC)


def parse_since(raw: str):
    """Parse `updated_since` (ISO 8601; a time without a zone is taken as UTC)."""
    try:
        # parse_datetime raises ValueError for a well-formed impossible value (February 30th,
        # an offset of 25 hours); it returns None for anything else it cannot read.
        moment = parse_datetime(raw.strip().replace(" ", "+")) if raw.strip() else None
    except ValueError:
        moment = None
    if moment is None:
        raise ValidationError(
            {"updated_since": ["An ISO 8601 date and time, e.g. 2026-11-27T08:00:00Z."]}
        )
    if not moment.tzinfo:
        return moment.replace(tzinfo=timezone.UTC)
    try:
        return moment.astimezone(timezone.UTC)
    except OverflowError:
        # Year 1 or 9999 with an offset lies outside what a datetime holds once in UTC (SQLite
        # failed on it): it means "since the beginning" or "since the end" of time.
        return datetime.min.replace(tzinfo=timezone.UTC) if moment.year == 1 else END_OF_TIME


def name_list_schema(page, detail):
    """The schema of a list paginated by name (sections, authors, entities) and its detail."""
    return extend_schema_view(
        list=extend_schema(
            parameters=[*cursor_parameters(NameCursorPagination.page_size), *HEADERS],
            responses=responses(page, bad_request=True),
        ),
        retrieve=extend_schema(parameters=HEADERS, responses=responses(detail, not_found=True)),
    )


class FeedViewSet(viewsets.ReadOnlyModelViewSet):
    """Shared: Last-Modified from the content version, cacheable by shared caches."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method in {"GET", "HEAD"} and response.status_code == 200:
            response.headers.setdefault("Last-Modified", http_date(content_version() / 1000))
            response.headers.setdefault("Cache-Control", "public, max-age=60, s-maxage=60")
        return response


class ArticleViewSet(FeedViewSet):
    """Published articles, newest first. With `updated_since`: everything a mirror must
    change since then, oldest change first, stories that left the public site as tombstones
    (see SyncCursorPagination for the order)."""

    serializer_class = ArticleSerializer
    filter_backends = [ArticleFilterBackend]
    filterset_class = ArticleFilter
    pagination_class = OrderedArticlePagination

    @property
    def syncing(self) -> bool:
        return "updated_since" in self.request.query_params

    @cached_property
    def sync_window(self) -> tuple[datetime, datetime]:
        """(since, now) of a sync: one `now` for its articles and its tombstones."""
        return parse_since(self.request.query_params["updated_since"]), timezone.now()

    def get_tombstones(self):
        """The tombstones of a sync (the filters apply to articles only: a mirror deletes
        what it holds of them)."""
        return tombstones.removed_since(*self.sync_window)

    def get_queryset(self):
        if self.action == "list" and self.syncing:
            articles = Article.objects.changed_since(*self.sync_window)
        else:
            articles = Article.objects.published()
        if self.action == "list":
            return articles.only(*PAGE_FIELDS)  # the items come from serialised_articles()
        return articles.for_detail()

    @property
    def paginator(self):
        if not hasattr(self, "_paginator"):
            cls = SyncCursorPagination if self.syncing else self.pagination_class
            self._paginator = cls()
        return self._paginator

    def get_serializer(self, instance=None, *args, **kwargs):
        if kwargs.get("many"):
            return _ArticleList(instance, context=self.get_serializer_context())
        return super().get_serializer(instance, *args, **kwargs)

    @extend_schema(
        parameters=[
            ENTITY,
            *PUBLISHED_RANGE,
            UPDATED_SINCE,
            INCLUDE,
            ORDERING,
            *cursor_parameters(OrderedArticlePagination.page_size),
            *HEADERS,
        ],
        responses=responses(ArticleListSerializer, bad_request=True),
    )
    def list(self, request, *args, **kwargs):
        include = wants_sponsored(request)
        response = super().list(request, *args, **kwargs)
        if include:
            live = SponsoredBlock.objects.live().select_related("sponsor", "image")
            response.data["sponsored"] = SponsoredSerializer(
                live.prefetch_related("sections"), many=True
            ).data
        return response

    @extend_schema(
        description="A published article. With `include=sponsored`: the article under "
        "`article` and the sponsored items that may run beside it under `sponsored`.",
        parameters=[INCLUDE, *HEADERS],
        responses=responses(ARTICLE_DETAIL, bad_request=True, not_found=True),
    )
    def retrieve(self, request, *args, **kwargs):
        include = wants_sponsored(request)
        article = self.get_object()
        data = self.get_serializer(article).data
        if not include:
            return Response(data)
        slots = slots_for_article(article)
        blocks = [block for placement in sorted(slots) for block in slots[placement]]
        return Response({"article": data, "sponsored": SponsoredSerializer(blocks, many=True).data})

    @extend_schema(
        parameters=[INCLUDE, *HEADERS],
        responses=responses(ARTICLE_DETAIL, bad_request=True, not_found=True),
    )
    @action(detail=False, url_path=r"by-slug/(?P<slug>[-\w]+)")
    def by_slug(self, request, slug: str):
        """The same as the detail, found by the article's slug."""
        self.kwargs["pk"] = get_object_or_404(self.get_queryset(), slug=slug).pk
        return self.retrieve(request, pk=self.kwargs["pk"])

    @extend_schema(
        parameters=HEADERS,
        responses=responses(
            OpenApiResponse(OpenApiTypes.OBJECT, description="IPTC ninjs 2.1"), not_found=True
        ),
        description="The article as an IPTC ninjs 2.1 document (reporting only).",
    )
    @action(detail=True, url_path="ninjs", filter_backends=[], pagination_class=None)
    def ninjs(self, request, *args, **kwargs):
        """The article as an IPTC ninjs 2.1 document (reporting only, never sponsored)."""
        return Response(article_to_ninjs(self.get_object(), request=request))


class _ArticleList:
    """Serialise a list page: items from the item cache, and in a sync, tombstones. (An
    article withdrawn while the page was served is left out.)"""

    def __init__(self, page, context):
        self.page, self.context = page, context

    @property
    def data(self):
        articles = [item for item in self.page if isinstance(item, Article)]
        items = serialised_articles(articles, self.context)
        return [
            TombstoneSerializer(item).data if isinstance(item, Tombstone) else items[item.pk]
            for item in self.page
            if isinstance(item, Tombstone) or item.pk in items
        ]


@name_list_schema(SectionPageSerializer, SectionSerializer)
class SectionViewSet(FeedViewSet):
    """Active sections, in their editorial order."""

    queryset = Section.objects.filter(active=True)
    serializer_class = SectionSerializer
    pagination_class = NameCursorPagination
    ordering = ("position", "name")


@name_list_schema(AuthorPageSerializer, AuthorSerializer)
class AuthorViewSet(FeedViewSet):
    """Authors: the names in bylines, by name."""

    serializer_class = AuthorSerializer
    pagination_class = NameCursorPagination

    def get_queryset(self):
        # Only bylines of public articles: a columnist whose first story is not out is not.
        return Author.objects.public()


@name_list_schema(EntityPageSerializer, EntityDetailSerializer)
class EntityViewSet(FeedViewSet):
    """Entities; the detail lists the newest published articles linked to each."""

    serializer_class = EntitySerializer
    pagination_class = NameCursorPagination

    def get_queryset(self):
        # Only entities a public article names: one only drafts name is not revealed.
        return Entity.objects.public()

    def get_serializer_class(self):
        return EntityDetailSerializer if self.action == "retrieve" else EntitySerializer

    def retrieve(self, request, *args, **kwargs):
        entity = self.get_object()
        articles = Article.objects.published().mentioning(entity).for_listing().newest_first()
        entity.latest_articles = articles[:20]
        return Response(self.get_serializer(entity).data)


@extend_schema_view(
    list=extend_schema(
        parameters=[*SPONSORED_FILTERS, *HEADERS],
        responses=responses(SponsoredSerializer(many=True), bad_request=True),
    ),
    retrieve=extend_schema(
        parameters=HEADERS, responses=responses(SponsoredSerializer, not_found=True)
    ),
)
class SponsoredViewSet(FeedViewSet):
    """Live sponsored items, each typed "sponsored" with its label and sponsor. Filter by
    `article` (what may run beside that article), `section` and `placement`."""

    serializer_class = SponsoredSerializer
    pagination_class = None  # a handful of live items at any time

    def get_queryset(self):
        blocks = SponsoredBlock.objects.live().select_related("sponsor", "image")
        params = self.request.query_params
        if placement := params.get("placement"):
            if placement not in SponsoredBlock.Placement.values:
                raise ValidationError(
                    {"placement": [f"One of: {', '.join(SponsoredBlock.Placement.values)}."]}
                )
            blocks = blocks.filter(placement=placement)
        if slug := params.get("section"):
            # A NUL is no slug, and PostgreSQL refuses it in a query (a 500, found by the fuzz).
            if "\x00" in slug or not Section.objects.filter(slug=slug, active=True).exists():
                raise ValidationError({"section": [f"No section {slug!r}."]})
            blocks = blocks.filter(sections__slug=slug) | blocks.filter(sections=None)
        if article_id := params.get("article"):
            # isdigit() alone accepts "²", which int() refuses (a 500, found by the fuzz).
            if not (article_id.isascii() and article_id.isdigit()):
                raise ValidationError({"article": ["An article id."]})
            article = Article.objects.published().for_detail().filter(pk=article_id).first()
            if article is None:
                raise ValidationError({"article": [f"No published article {article_id}."]})
            allowed = [b.pk for slot in slots_for_article(article).values() for b in slot]
            blocks = blocks.filter(pk__in=allowed)
        return blocks.prefetch_related("sections").distinct().order_by("-starts_at", "-id")
