"""Template tags for the public site."""

from django import template

register = template.Library()


@register.inclusion_tag("articles/includes/sponsored_aside.html")
def sponsored_aside(block, placement: str = ""):
    """Render one sponsored block in its own labelled aside.

    The label and the sponsor's name come from the model here, so no template can forget them.
    """
    return {"block": block, "placement": placement or block.placement}
