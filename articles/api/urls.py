"""/api/v1/ and its OpenAPI schema and docs. Route names start with "api-" so they never
shadow the site's own (e.g. "article-detail")."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from articles.api import views

router = DefaultRouter(trailing_slash=True)
router.register("articles", views.ArticleViewSet, basename="api-article")
router.register("sections", views.SectionViewSet, basename="api-section")
router.register("authors", views.AuthorViewSet, basename="api-author")
router.register("entities", views.EntityViewSet, basename="api-entity")
router.register("sponsored", views.SponsoredViewSet, basename="api-sponsored")

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file: no inline script for the CSP.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
