"""Template tags for the public site."""

from django import template

from articles.links import web_link

register = template.Library()


@register.inclusion_tag("articles/includes/sponsored_aside.html")
def sponsored_aside(block, placement: str = ""):
    """Render one sponsored block in its own labelled aside.

    The label and the sponsor's name come from the model here, so no template can forget them.
    """
    return {
        "block": block,
        "placement": placement or block.placement,
        "cta_url": web_link(block.cta_url),
    }


# JSON inside <script> must not be able to close the element or open markup.
_SCRIPT_SAFE = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.simple_tag
def json_ld(data: dict):
    """Render `data` as a JSON-LD script element, safe against markup in the values."""
    import json

    from django.utils.safestring import mark_safe

    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_SAFE)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')


@register.simple_tag
def news_article_json_ld(article):
    """Render the article's schema.org NewsArticle JSON-LD."""
    from articles.structured_data import news_article

    return json_ld(news_article(article))


@register.simple_tag
def share_image(article) -> dict:
    """The article's picture for social cards: its hero image, else the site image
    (use as `{% share_image article as image %}`)."""
    from articles.structured_data import share_image as picture

    return picture(article)


@register.filter
def xml_text(value) -> str:
    """Drop the control characters XML 1.0 cannot carry (see articles/feeds.py)."""
    from articles.feeds import xml_text as clean

    return clean(value)


@register.filter
def iso(value) -> str:
    """Format a datetime for <time datetime> and meta tags: ISO 8601, whole seconds (HTML
    allows at most three digits of fractions; microseconds are invalid)."""
    return value.isoformat(timespec="seconds") if value else ""
