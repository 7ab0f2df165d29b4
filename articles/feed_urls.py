"""URLs of the machine-readable surfaces: feeds, sitemaps, robots.txt.

Included at the root before articles.urls, so /sections/<slug>/rss/ is matched here.
"""

from django.urls import path
from django.views.generic import TemplateView

from articles import jsonfeed, sitemaps
from articles.feeds import (
    LatestArticlesAtomFeed,
    LatestArticlesFeed,
    SectionAtomFeed,
    SectionFeed,
    conditional_feed,
    feeds_changed_at,
    section_feeds_changed_at,
)

site_feed = conditional_feed(feeds_changed_at)
section_feed = conditional_feed(section_feeds_changed_at)

urlpatterns = [
    path("feeds/rss/", site_feed(LatestArticlesFeed()), name="feed-rss"),
    path("feeds/atom/", site_feed(LatestArticlesAtomFeed()), name="feed-atom"),
    path("sections/<slug:slug>/rss/", section_feed(SectionFeed()), name="section-rss"),
    path("sections/<slug:slug>/atom/", section_feed(SectionAtomFeed()), name="section-atom"),
    path("feed.json", jsonfeed.json_feed, name="json-feed"),
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap-index"),
    # Before the pattern below, which would otherwise take "news" for a sitemap's name.
    path("sitemap-news.xml", sitemaps.news_sitemap, name="sitemap-news"),
    path("sitemap-<slug:section>.xml", sitemaps.section_sitemap, name="sitemap-section"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain; charset=utf-8"),
        name="robots-txt",
    ),
]
