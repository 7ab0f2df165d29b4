"""The editor's dashboard: what needs attention now, in a few small queries."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from articles.models import Article, SponsoredBlock

LIMIT = 10


def dashboard_for(user, now=None) -> dict:
    """Return the dashboard's lists for `user` (each at most LIMIT items)."""
    now = now or timezone.now()
    listing = Article.objects.select_related("section").order_by("-updated_at", "-id")
    mine = Q(created_by=user) | Q(article_authors__author__user=user)
    in_review = listing.filter(status=Article.Status.IN_REVIEW)
    if not user.has_perm("articles.publish_article"):
        # Reporters see their own work, not the whole desk's review queue.
        in_review = in_review.filter(mine).distinct()
    panels = {
        "my_drafts": listing.filter(mine, status=Article.Status.DRAFT).distinct()[:LIMIT],
        "in_review": in_review[:LIMIT],
        "scheduled": Article.objects.scheduled(now)
        .filter(publish_at__lte=now + timedelta(days=7))
        .select_related("section")
        .order_by("publish_at", "id")[:LIMIT],
        "recently_published": Article.objects.published(now)
        .select_related("section")
        .newest_first()[:LIMIT],
    }
    if user.has_perm("articles.view_sponsoredblock"):
        live = SponsoredBlock.objects.live(now).select_related("sponsor")
        panels["sponsored_running"] = live.order_by("-starts_at", "-id")[:LIMIT]
        panels["sponsored_ending"] = live.filter(
            ends_at__isnull=False, ends_at__lte=now + timedelta(days=7)
        ).order_by("ends_at", "id")[:LIMIT]
        panels["sponsored_waiting"] = SponsoredBlock.objects.filter(
            active=False, source_article__isnull=False
        ).select_related("sponsor")[:LIMIT]
    return panels
