"""Review of a saved article: copy-desk checks plus the sponsor-conflict check."""

from datetime import timedelta

from django.utils import timezone

from articles.models import ArticleEntity, Entity, Sponsor, SponsoredBlock
from articles.review import review_article


def link(article, name: str, kind: str = "organization", aliases=()) -> Entity:
    entity = Entity.objects.create(kind=kind, name=name, slug=name.lower(), aliases=list(aliases))
    ArticleEntity.objects.create(article=article, entity=entity, role="subject")
    return entity


def sponsor_with_block(name: str, *, active: bool = True) -> Sponsor:
    sponsor = Sponsor.objects.create(name=name, slug=name.lower())
    SponsoredBlock.objects.create(
        sponsor=sponsor,
        headline="Offer",
        starts_at=timezone.now() - timedelta(days=1),
        active=active,
    )
    return sponsor


def codes(article) -> list[str]:
    return [w.code for w in review_article(article)]


def test_story_about_an_active_sponsor_is_flagged(make_article):
    article = make_article(paragraphs=["Bybit reported record volumes, the exchange said."])
    link(article, "Bybit")
    sponsor_with_block("Bybit")
    warnings = [w for w in review_article(article) if w.code == "sponsor_conflict"]
    assert len(warnings) == 1 and "Bybit" in warnings[0].message


def test_sponsor_matched_through_an_alias(make_article):
    article = make_article()
    link(article, "Toyota Motor Corporation", aliases=["Toyota"])
    sponsor_with_block("Toyota")
    assert "sponsor_conflict" in codes(article)


def test_inactive_sponsor_or_a_person_of_the_same_name_is_not_a_conflict(make_article):
    article = make_article()
    link(article, "Bybit")
    sponsor_with_block("Bybit", active=False)
    link(article, "Acme", kind="person")
    sponsor_with_block("Acme")
    assert "sponsor_conflict" not in codes(article)


def test_copy_desk_checks_run_on_the_saved_text(make_article):
    article = make_article(paragraphs=["He will <em>MOVE</em> through Malaysia."])
    assert "stray_capitals" in codes(article)
