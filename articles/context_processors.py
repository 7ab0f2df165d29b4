"""Template context shared by every public page."""

from django.conf import settings


def site(request) -> dict:
    """Expose the site's name, base URL and top-level sections to templates."""
    from articles.models import Section

    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        # Lazy: only pages that show the navigation run this query.
        "nav_sections": Section.objects.filter(active=True, parent=None),
    }
