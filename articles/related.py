"""Related stories under an article: the published articles sharing the most entities with it."""

from django.conf import settings
from django.core.cache import cache

from articles.models import Article


def related_articles(article: Article, limit: int = 4) -> list[Article]:
    """Return up to `limit` published articles related to `article`, best first.

    Finding them counts entity links across the archive, tens of milliseconds on a big one,
    so the ids found are kept per article version for RELATED_CACHE_SECONDS (page-cache purges
    do not drop them: a story published since may wait that long to be suggested). The
    articles themselves are read afresh through the visibility rule on every call, so one
    withdrawn since is never shown.
    """
    key = f"newsroom:related:{article.pk}:{article.version}:{limit}"
    ids = cache.get(key)
    if ids is None:
        found = Article.objects.published().related_to(article, limit=limit)
        ids = list(found.values_list("pk", flat=True))
        cache.set(key, ids, settings.RELATED_CACHE_SECONDS)
    if not ids:
        return []
    visible = (
        Article.objects.published()
        .filter(pk__in=ids)
        .select_related("section")
        .without_search()
        .in_bulk()
    )
    return [visible[pk] for pk in ids if pk in visible]
