"""The editor's dashboard on the admin home page."""

from django import template

from articles.dashboard import dashboard_for

register = template.Library()


@register.simple_tag(takes_context=True)
def editor_dashboard(context) -> dict:
    """Return the dashboard panels for the logged-in user."""
    return dashboard_for(context["request"].user)
