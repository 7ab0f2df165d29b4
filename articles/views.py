"""Public pages. Every one starts from `Article.objects.published()`."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from articles.models import Article, Author, Entity, Section
from articles.preview import article_id_from
from articles.sponsored import body_rows, home_slot, slots_for_article

LIST_SIZE = 20


def home(request):
    articles = Article.objects.published().for_listing().newest_first()[: LIST_SIZE + 1]
    lead, *latest = list(articles) or [None]
    return render(
        request,
        "articles/home.html",
        {"lead": lead, "latest": latest, "sponsored": home_slot()},
    )


def section_detail(request, slug: str):
    section = get_object_or_404(Section, slug=slug, active=True)
    articles = Article.objects.published().in_section(section).for_listing().newest_first()
    return render(
        request,
        "articles/section_detail.html",
        {"section": section, "articles": articles[:LIST_SIZE]},
    )


def article_detail(request, slug: str):
    article = get_object_or_404(Article.objects.published().for_detail(), slug=slug)
    slots = slots_for_article(article)
    rows = body_rows(article.blocks.all(), slots.get("inline", []))
    return render(
        request,
        "articles/article_detail.html",
        {"article": article, "rows": rows, "sponsored": slots},
    )


def entity_detail(request, kind: str, slug: str):
    entity = get_object_or_404(Entity, kind=kind, slug=slug)
    articles = Article.objects.published().mentioning(entity).for_listing().newest_first()
    return render(
        request,
        "articles/entity_detail.html",
        {"entity": entity, "articles": articles[:LIST_SIZE]},
    )


def author_detail(request, slug: str):
    author = get_object_or_404(Author, slug=slug)
    articles = Article.objects.published().by_author(author).for_listing().newest_first()
    return render(
        request,
        "articles/author_detail.html",
        {"author": author, "articles": articles[:LIST_SIZE]},
    )


def article_preview(request, token: str):
    """Read one unpublished article through a signed link that expires (no account needed)."""
    article_id = article_id_from(token)
    if article_id is None:
        raise Http404("This preview link is not valid or has expired.")
    return render_preview(request, get_object_or_404(Article, pk=article_id))


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
