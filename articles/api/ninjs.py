"""An article as an IPTC ninjs 2.1 document (News in JSON, https://iptc.org/standards/ninjs/).

The shape follows the published schema, a copy of which is in tests/data/ninjs-schema-2.1.json:
only the properties it defines, `headlines`/`descriptions`/`bodies` as arrays of role/value
objects, `renditions` as an array, entities as `people`/`organisations`/`places`/`events` with
Wikidata concept URIs. Like every public surface it carries reporting only: the body is rendered
from the editorial blocks (there is no block type for advertising) and nothing is read from
sponsored content. Canonical URLs are absolute on `settings.SITE_URL`, whatever host the request
came to.
"""

import mimetypes

from django.conf import settings
from django.utils import timezone
from rest_framework.fields import DateTimeField

from articles.body import BlockType, plain_text
from articles.feeds import body_html
from articles.links import absolute
from articles.models import Article
from articles.renditions import picture_context

NINJS_VERSION = "2.1"
NINJS_SCHEMA = "http://www.iptc.org/std/ninjs/ninjs-schema_2.1.json"
WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"

# Entity kind → the ninjs array it goes in.
ENTITY_ARRAYS = {
    "person": "people",
    "organization": "organisations",
    "place": "places",
    "event": "events",
}
# ArticleEntity role → ninjs `rel` (a free string in the schema).
LINK_RELS = {"subject": "about", "mentioned": "mentions"}
SECTION_REL = "classifies"


def wikidata_uri(wikidata_id: str) -> str:
    """The Wikidata concept URI (the RDF one, as Wikidata itself uses), e.g. for Q53268."""
    return WIKIDATA_ENTITY + wikidata_id


def ninjs_datetime(value) -> str:
    """ISO 8601 / RFC 3339, as the JSON feed writes its times."""
    return DateTimeField().to_representation(value)


def is_visible(article: Article, now=None) -> bool:
    """The visibility rule of ArticleQuerySet.published(), for an article already in hand."""
    now = now or timezone.now()
    return (
        article.status == Article.Status.PUBLISHED
        and article.publish_at is not None
        and article.publish_at <= now
    )


def article_to_ninjs(article: Article, *, request=None) -> dict:
    """Return the ninjs 2.1 document for a published article.

    Use an article from `Article.objects.published().for_detail()`: the blocks, entity links,
    bylines, corrections, section and hero image come from its prefetches. Refuses (ValueError)
    an article readers may not see, so a draft can never be converted by mistake. `request` is
    accepted for symmetry with the serializers; no URL here depends on it.
    """
    if not is_visible(article):
        raise ValueError(f"Article {article.pk} is not published; ninjs is for published ones.")

    doc: dict = {
        "uri": absolute(article.get_absolute_url()),
        "standard": {"name": "ninjs", "version": NINJS_VERSION, "schema": NINJS_SCHEMA},
        "type": "text",
        "representationtype": "full",
        "version": str(article.version),
        # The one "published" and "modified" of every output (Article.modified_at).
        "firstcreated": ninjs_datetime(article.publish_at),
        "versioncreated": ninjs_datetime(article.modified_at),
        "pubstatus": "usable",
        "language": "en",
        "copyrightholder": settings.SITE_NAME,
        "slugline": article.slug,
        "altids": [{"role": "newsroom-article-id", "value": str(article.pk)}],
        "genres": [{"name": article.get_genre_display(), "literal": article.genre}],
        "headlines": _headlines(article),
    }
    if descriptions := _descriptions(article):
        doc["descriptions"] = descriptions
    doc["bodies"] = _bodies(article)
    if byline := _by(article):
        doc["by"] = byline
    doc["subjects"] = [
        {
            "name": article.section.name,
            "rel": SECTION_REL,
            "uri": absolute(article.section.get_absolute_url()),
            "literal": article.section.slug,
        }
    ]
    doc.update(_entities(article))
    if article.hero_image_id and article.hero_image.file:
        doc["associations"] = [_picture("hero", article.hero_image)]
    return doc


def _headlines(article: Article) -> list[dict]:
    headlines = [{"role": "main", "contenttype": "text/plain", "value": article.headline}]
    if article.seo_title and article.seo_title != article.headline:
        headlines.append({"role": "seo", "contenttype": "text/plain", "value": article.seo_title})
    return headlines


def _descriptions(article: Article) -> list[dict]:
    """The standfirst, the SEO description and the published corrections, oldest first."""
    descriptions = []
    if article.dek:
        descriptions.append({"role": "summary", "contenttype": "text/plain", "value": article.dek})
    if article.seo_description and article.seo_description != article.dek:
        descriptions.append(
            {"role": "seo", "contenttype": "text/plain", "value": article.seo_description}
        )
    # ninjs 2.1 has no corrections field; corrections are public text, so not an `ednote`.
    for correction in article.corrections.all():
        descriptions.append(
            {"role": "correction", "contenttype": "text/plain", "value": correction.text}
        )
    return descriptions


def _bodies(article: Article) -> list[dict]:
    text = body_text(article)
    counts = {"charcount": len(text), "wordcount": len(text.split())}
    return [
        {"role": "main", "contenttype": "text/html", "value": body_html(article), **counts},
        {"role": "main", "contenttype": "text/plain", "value": text, **counts},
    ]


def body_text(article: Article) -> str:
    """The body as plain text from the editorial blocks: one paragraph per block, blank lines
    between them; images are left out (they are not text)."""
    parts = []
    for block in article.blocks.all():
        if block.type in (BlockType.PARAGRAPH, BlockType.HEADING):
            parts.append(plain_text(block.text))
        elif block.type == BlockType.QUOTE:
            quote = f"“{plain_text(block.text)}”"
            parts.append(f"{quote} ({block.attribution})" if block.attribution else quote)
        elif block.type == BlockType.LIST:
            items = [plain_text(item) for item in block.items]
            if block.ordered:
                parts.append("\n".join(f"{i}. {item}" for i, item in enumerate(items, 1)))
            else:
                parts.append("\n".join(f"- {item}" for item in items))
    return "\n\n".join(part for part in parts if part)


def _by(article: Article) -> str:
    """The byline as one natural-language string: "A", "A and B", "A, B and C"."""
    names = [author.name for author in article.byline]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _entities(article: Article) -> dict[str, list[dict]]:
    """people/organisations/places/events from the entity links: what the article is about
    first, then what it mentions, each by name (the for_detail() order within a role), with its
    Wikidata concept URI when it has an id and always its slug as `literal`."""
    arrays: dict[str, list[dict]] = {}
    links = sorted(article.entity_links.all(), key=lambda link: link.role != "subject")
    for link in links:
        entity = link.entity
        item = {"name": entity.name, "rel": LINK_RELS.get(link.role, link.role)}
        if entity.wikidata_id:
            item["uri"] = wikidata_uri(entity.wikidata_id)
        item["literal"] = entity.slug
        arrays.setdefault(ENTITY_ARRAYS[entity.kind], []).append(item)
    return arrays


def _picture(name: str, image) -> dict:
    """An associated picture: its caption, alt text, credit and renditions."""
    original = absolute(image.file.url)
    descriptions = [{"role": "alt", "contenttype": "text/plain", "value": image.alt_text}]
    if image.caption:
        caption = {"role": "caption", "contenttype": "text/plain", "value": image.caption}
        descriptions.insert(0, caption)
    picture: dict = {
        "name": name,
        "uri": original,
        "type": "picture",
        "representationtype": "partial",
        "descriptions": descriptions,
    }
    if image.credit:
        picture["by"] = image.credit
    picture["renditions"] = _renditions(image, original)
    return picture


def _renditions(image, original: str) -> list[dict]:
    """The original file, then the resized WebP and JPEG/PNG copies the site serves."""
    context = picture_context(image, sizes="100vw")  # never raises for a bad source
    width, height = context.get("width") or image.width, context.get("height") or image.height
    renditions = [{"name": "original", "href": original, "contenttype": _media_type(original)}]
    if width and height:
        renditions[0].update(width=width, height=height)
    for srcset in ("webp_srcset", "fallback_srcset"):
        for candidate in filter(None, (context.get(srcset) or "").split(", ")):
            url, descriptor = candidate.rsplit(" ", 1)
            w = int(descriptor.rstrip("w"))
            href = absolute(url)
            contenttype = _media_type(href)
            rendition = {"name": f"{contenttype.split('/')[-1]}-{w}", "href": href}
            rendition.update(contenttype=contenttype, width=w)
            if width and height:
                rendition["height"] = max(1, round(height * w / width))
            renditions.append(rendition)
    return renditions


def _media_type(url: str) -> str:
    return mimetypes.guess_type(url.split("?", 1)[0])[0] or "application/octet-stream"
