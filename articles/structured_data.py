"""schema.org NewsArticle JSON-LD for article pages. Reporting only: no sponsored content."""

from django.conf import settings
from django.templatetags.static import static

from articles.links import absolute

SCHEMA_TYPES = {
    "person": "Person",
    "organization": "Organization",
    "place": "Place",
    "event": "Event",
}

# Author.kind → schema.org type: the byline's own field, never whether it has an account.
AUTHOR_TYPES = {"person": "Person", "organization": "Organization"}


def _thing(entity) -> dict:
    thing = {"@type": SCHEMA_TYPES[entity.kind], "name": entity.name, "url": absolute(
        entity.get_absolute_url()
    )}  # fmt: skip
    if entity.wikidata_id:
        thing["sameAs"] = entity.wikidata_url
    return thing


# The picture that stands for an article without a hero image (social cards, JSON-LD).
SITE_IMAGE = "newsroom/social.png"
SITE_IMAGE_WIDTH, SITE_IMAGE_HEIGHT = 1200, 630


def share_image(article) -> dict:
    """Return the absolute url, width, height and alt text of the picture that represents
    `article` on social cards and in structured data: its hero image, else the site image."""
    image = article.hero_image if article.hero_image_id else None
    if image is not None and image.file:
        return {
            "url": absolute(image.file.url),
            "width": image.width,
            "height": image.height,
            "alt": image.alt_text,
        }
    return {
        "url": absolute(static(SITE_IMAGE)),
        "width": SITE_IMAGE_WIDTH,
        "height": SITE_IMAGE_HEIGHT,
        "alt": settings.SITE_NAME,
    }


def publisher() -> dict:
    return {
        "@type": "NewsMediaOrganization",
        "name": settings.SITE_NAME,
        "url": settings.SITE_URL + "/",
        "logo": {
            "@type": "ImageObject",
            "url": absolute(static("newsroom/logo.png")),
            "width": 600,
            "height": 60,
        },
    }


def news_article(article) -> dict:
    """Return the JSON-LD dict for a published article (uses the for_detail() prefetches)."""
    url = absolute(article.get_absolute_url())
    links = list(article.entity_links.all())
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.headline[:110],
        "description": article.seo_description or article.dek,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": article.publish_at.isoformat(),
        "dateModified": article.modified_at.isoformat(),
        "articleSection": article.section.name,
        "inLanguage": "en",
        "isAccessibleForFree": True,
        "author": [
            {
                "@type": AUTHOR_TYPES[author.kind],
                "name": author.name,
                "url": absolute(author.get_absolute_url()),
            }
            for author in article.byline
        ],
        "publisher": publisher(),
        "about": [_thing(link.entity) for link in links if link.role == "subject"],
        "mentions": [_thing(link.entity) for link in links if link.role == "mentioned"],
    }
    data["image"] = [share_image(article)["url"]]
    corrections = list(article.corrections.all())
    if corrections:
        data["correction"] = [
            {
                "@type": "CorrectionComment",
                "text": correction.text,
                "datePublished": correction.corrected_at.isoformat(),
            }
            for correction in corrections
        ]
    return data
