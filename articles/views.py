"""Public pages. Every one starts from `Article.objects.published()`; each is a thin view."""

from datetime import timedelta

from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from articles import search as search_module
from articles.caching import cache_public_page
from articles.models import Article, Author, Correction, Entity, Section
from articles.pagination import BadCursor, keyset_page
from articles.preview import PreviewRefused, open_link
from articles.related import related_articles
from articles.sponsored import body_rows, home_slot, slots_for_article

PAGE_SIZE = 20
LATEST_COUNT = 6
PER_SECTION = 4
SECTION_WINDOW = timedelta(days=30)


def bad_request(request, message: str):
    return render(request, "400.html", {"message": message}, status=400)


@cache_public_page
def home(request):
    published = Article.objects.published()
    top = list(published.for_listing().newest_first()[: LATEST_COUNT + 1])
    lead, latest = (top[0], top[1:]) if top else (None, [])
    shown = {a.pk for a in top}
    sections = list(Section.objects.filter(active=True))
    recent = published.latest_per_section(
        PER_SECTION + 2, timezone.now() - SECTION_WINDOW, sections
    )
    by_section = [
        (section, [a for a in recent[section.pk] if a.pk not in shown][:PER_SECTION])
        for section in sections
    ]
    return render(
        request,
        "articles/home.html",
        {
            "lead": lead,
            "latest": latest,
            "by_section": [(s, a) for s, a in by_section if a],
            "sponsored": home_slot(),
        },
    )


def listing(request, template: str, queryset, context: dict):
    """Render one keyset page of `queryset` (newest first) into `template`."""
    try:
        page = keyset_page(queryset.for_listing(), request.GET.get("before"), PAGE_SIZE)
    except BadCursor as error:
        return bad_request(request, str(error))
    return render(request, template, context | {"page": page, "articles": page.items})


@cache_public_page
def section_detail(request, slug: str):
    section = get_object_or_404(Section, slug=slug, active=True)
    articles = Article.objects.published().in_section(section)
    return listing(request, "articles/section_detail.html", articles, {"section": section})


@cache_public_page
def entity_detail(request, kind: str, slug: str):
    # Only an entity a public article names has a page: 404 for one only drafts name.
    entity = get_object_or_404(Entity.objects.public(), kind=kind, slug=slug)
    articles = Article.objects.published().mentioning(entity)
    return listing(request, "articles/entity_detail.html", articles, {"entity": entity})


@cache_public_page
def author_detail(request, slug: str):
    author = get_object_or_404(Author.objects.public(), slug=slug)
    articles = Article.objects.published().by_author(author)
    return listing(request, "articles/author_detail.html", articles, {"author": author})


@cache_public_page
def article_detail(request, slug: str):
    article = get_object_or_404(Article.objects.published().for_detail(), slug=slug)
    slots = slots_for_article(article)
    return render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "rows": body_rows(article.blocks.all(), slots.get("inline", [])),
            "sponsored": slots,
            "related": related_articles(article),
        },
    )


@cache_public_page
def search(request):
    try:
        query = search_module.clean_query(request.GET.get("q", ""))
    except search_module.BadQuery as error:
        return bad_request(request, str(error))
    hits = search_module.search(Article.objects.published(), query) if query else []
    return render(request, "articles/search.html", {"query": query, "hits": hits})


@cache_public_page
def corrections(request):
    """Every correction to a published article, newest first."""
    items = (
        Correction.objects.filter(article__in=Article.objects.published())
        .select_related("article")
        .order_by("-corrected_at", "-id")[:100]
    )
    return render(request, "articles/corrections.html", {"corrections": items})


def article_preview(request, token: str):
    """Read one unpublished article through a signed link that expires (no account needed).

    A forged or expired link is a 404, a revoked link or a withdrawn story a 410; both get
    a page saying so (articles/preview.py decides).
    """
    try:
        article = open_link(token)
    except PreviewRefused as refusal:
        response = render(
            request,
            "articles/preview_refused.html",
            {"message": str(refusal)},
            status=410 if refusal.gone else 404,
        )
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response
    return render_preview(request, article)


def render_preview(request, article: Article):
    """Render an article in any state with the public template and a preview banner."""
    article = Article.objects.for_detail().get(pk=article.pk)
    response = render(
        request,
        "articles/article_detail.html",
        {"article": article, "rows": body_rows(article.blocks.all(), []), "preview": True},
    )
    # Never cached or indexed: the link is for one reader, not the public.
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
