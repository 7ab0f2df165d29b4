"""Template tags for responsive images: {% load images %} then {% picture image … %}."""

from django import template

from articles.renditions import picture_context

register = template.Library()

DEFAULT_SIZES = "100vw"
LOADING_VALUES = {"lazy", "eager"}
FETCHPRIORITY_VALUES = {"", "high", "low", "auto"}
# Extra attributes the tag passes on to <img>; anything else is a template mistake.
EXTRA_ATTRIBUTES = {"class"}


@register.inclusion_tag("articles/includes/picture.html")
def picture(image, sizes: str = DEFAULT_SIZES, loading: str = "lazy", fetchpriority="", **attrs):
    """Render `image` as <picture> with a WebP <source> and a JPEG/PNG <img> fallback.

    `sizes` tells the browser how wide the image is shown (e.g. "(min-width: 64rem) 42rem,
    100vw") so it can pick a rendition. The alt text always comes from the model, so no
    template can forget it. `class` goes on the <img>. Renders nothing when image is None.

        {% picture article.hero_image sizes="100vw" loading="eager" fetchpriority="high" %}
    """
    unknown = set(attrs) - EXTRA_ATTRIBUTES
    if unknown:
        raise template.TemplateSyntaxError(
            f"picture: unknown argument(s) {', '.join(sorted(unknown))}; "
            "use sizes, loading, fetchpriority or class."
        )
    if loading not in LOADING_VALUES:
        raise template.TemplateSyntaxError(
            f"picture: loading must be 'lazy' or 'eager', not {loading!r}."
        )
    if fetchpriority not in FETCHPRIORITY_VALUES:
        raise template.TemplateSyntaxError(
            f"picture: fetchpriority must be 'high', 'low' or 'auto', not {fetchpriority!r}."
        )
    context = picture_context(image, sizes.strip() or DEFAULT_SIZES)
    if context:
        context.update(
            loading=loading, fetchpriority=fetchpriority, css_class=attrs.get("class", "")
        )
    return context
