"""Serialised articles kept in the cache, so that a list page does not rebuild every item.

A full article item (body, HTML body, entities, renditions) is most of the cost of an API
list: twenty of them take far longer to build than to send. Each is kept under

- the content version, which every change readers may see bumps (articles/caching.py): a
  purge retires every item exactly as it retires cached pages, whatever changed (the article,
  its section, an author's bio, a merged entity);
- the origin the request came in on, since `api_url` links are built from the request;
- the article's id and version.

So a list whose items are all cached costs one query (the page of ids and versions) and one
cache read.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache

from articles.caching import content_version
from articles.models import Article

# What a list page reads before its items: keys, cursor positions (every ordering on offer),
# and what a sync needs to tell a tombstone from an item.
PAGE_FIELDS = ("id", "version", "publish_at", "updated_at", "status", "withdrawn_at")


def _key(version: int, origin: str, article: Article) -> str:
    return f"newsroom:api-article:{version}:{origin}:{article.pk}:{article.version}"


def serialised_articles(articles: list[Article], context: dict) -> dict[int, dict]:
    """Return each article's serialised item by id, from the cache or built and cached.

    The articles need only PAGE_FIELDS; the missing items are built from one `for_detail()`
    read of published articles, so one withdrawn since the page was read is left out.
    `context` is the serializer context (its request builds the `api_url` links).
    """
    from articles.api.serializers import ArticleSerializer

    origin = hashlib.sha256(context["request"].build_absolute_uri("/").encode()).hexdigest()[:16]
    version = content_version()
    keys = {article.pk: _key(version, origin, article) for article in articles}
    found = cache.get_many(list(keys.values()))
    items = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = [pk for pk in keys if pk not in items]
    if missing:
        full = list(Article.objects.published().filter(pk__in=missing).for_detail())
        built = ArticleSerializer(full, many=True, context=context).data
        fresh = {article.pk: dict(item) for article, item in zip(full, built, strict=True)}
        # Keyed by the version just read: one edited since the page was read is stored under
        # its new version, which the next page will ask for.
        cache.set_many(
            {_key(version, origin, article): fresh[article.pk] for article in full},
            settings.PAGE_CACHE_SECONDS,
        )
        items.update(fresh)
    return items
