from django.urls import path

from articles import views

urlpatterns = [
    path("", views.home, name="home"),
    path("sections/<slug:slug>/", views.section_detail, name="section-detail"),
    path("articles/<slug:slug>/", views.article_detail, name="article-detail"),
    path("entities/<str:kind>/<slug:slug>/", views.entity_detail, name="entity-detail"),
    path("authors/<slug:slug>/", views.author_detail, name="author-detail"),
    path("search/", views.search, name="search"),
    path("corrections/", views.corrections, name="corrections"),
    path("preview/<str:token>/", views.article_preview, name="article-preview"),
]
