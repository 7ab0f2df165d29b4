"""Top-level URLs: the editor admin, the JSON feed and the public site."""

from django.conf import settings
from django.contrib import admin
from django.http import HttpResponse, JsonResponse
from django.urls import include, path
from django.views import defaults


def healthz(request):
    """Liveness check for load balancers; also the benchmark's floor (no database, no template)."""
    return HttpResponse("ok", content_type="text/plain")


def page_not_found(request, exception):
    """A URL that matches nothing: JSON under /api/ (what its clients read), else the page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


handler404 = page_not_found

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
