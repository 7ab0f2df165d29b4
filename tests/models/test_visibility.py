"""The one visibility rule: who may see an article, decided at query time."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, Sponsor, SponsoredBlock


@pytest.fixture
def now():
    """The moment the test looks at, fixed for the test (not for the whole file's run)."""
    return timezone.now()


# (status, publish time relative to now, visible?)
MATRIX = [
    ("draft", None, False),
    ("draft", -timedelta(days=1), False),
    ("in_review", -timedelta(days=1), False),
    ("withdrawn", -timedelta(days=1), False),
    ("published", timedelta(minutes=1), False),  # scheduled
    ("published", timedelta(days=30), False),
    ("published", -timedelta(seconds=1), True),
    ("published", -timedelta(days=400), True),
]


@pytest.mark.parametrize(("status", "offset", "visible"), MATRIX)
def test_visibility_matrix(make_article, client, now, status, offset, visible):
    article = make_article(status, publish_at=now + offset if offset is not None else None)
    assert Article.objects.published(now=now).filter(pk=article.pk).exists() is visible
    # The public page follows the same rule.
    response = client.get(article.get_absolute_url())
    assert response.status_code == (200 if visible else 404)


def test_scheduled_article_appears_when_its_time_comes(make_article, now):
    article = make_article("published", publish_at=now + timedelta(hours=2))
    assert not Article.objects.published(now=now).filter(pk=article.pk).exists()
    assert Article.objects.scheduled(now=now).filter(pk=article.pk).exists()
    later = now + timedelta(hours=2)
    assert Article.objects.published(now=later).filter(pk=article.pk).exists()


def test_unfiltered_manager_still_sees_everything_for_the_admin(make_article):
    for status in ["draft", "in_review", "withdrawn"]:
        make_article(status)
    assert Article.objects.count() == 3
    assert Article.objects.published().count() == 0


def test_home_lists_only_published_articles(make_article, client, now):
    visible = make_article(headline="Visible story")
    make_article("draft", headline="Secret draft")
    make_article("published", publish_at=now + timedelta(days=1), headline="Embargoed story")
    html = client.get("/").content.decode()
    assert visible.headline in html
    assert "Secret draft" not in html
    assert "Embargoed story" not in html


def test_no_other_module_filters_on_status_for_visibility():
    """Every public read goes through ArticleQuerySet.published(); nothing re-implements it."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "articles"
    offenders = []
    for path in root.rglob("*.py"):
        if path.name == "querysets.py" or "migrations" in path.parts or "demo" in path.parts:
            continue
        text = path.read_text()
        if 'status="published"' in text and "filter(" in text:
            offenders.append(str(path))
    assert offenders == []


@pytest.mark.parametrize(
    ("active", "starts", "ends", "live"),
    [
        (True, -timedelta(days=1), None, True),
        (True, -timedelta(days=1), timedelta(days=1), True),
        (False, -timedelta(days=1), timedelta(days=1), False),
        (True, timedelta(hours=1), timedelta(days=1), False),
        (True, -timedelta(days=2), -timedelta(days=1), False),
    ],
)
def test_sponsored_block_live_rule(db, now, active, starts, ends, live):
    sponsor = Sponsor.objects.create(name="Bybit", slug="bybit")
    block = SponsoredBlock.objects.create(
        sponsor=sponsor,
        headline="Offer",
        active=active,
        starts_at=now + starts,
        ends_at=now + ends if ends is not None else None,
    )
    assert SponsoredBlock.objects.live(now=now).filter(pk=block.pk).exists() is live
