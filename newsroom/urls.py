"""Top-level URLs: the editor admin, the JSON feed and the public site."""

from django.conf import settings
from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path


def healthz(request):
    """Liveness check for load balancers; also the benchmark's floor (no database, no template)."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/", include("articles.api.urls")),
    path("", include("articles.feed_urls")),
    path("", include("articles.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
