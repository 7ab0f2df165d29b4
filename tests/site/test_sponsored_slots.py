"""Where sponsored content may appear beside an article, and how it is rendered."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import ArticleEntity, Entity, Section, Sponsor, SponsoredBlock
from articles.sponsored import body_rows, slots_for_article


@pytest.fixture
def sponsor(db) -> Sponsor:
    return Sponsor.objects.create(name="Acme Bank", slug="acme-bank", disclaimer="Capital at risk.")


def live_block(sponsor, placement="end", **fields) -> SponsoredBlock:
    return SponsoredBlock.objects.create(
        sponsor=sponsor,
        headline=fields.pop("headline", f"Acme offer {placement}"),
        text="Open an account.",
        cta_label="Apply",
        cta_url="https://acme.example/offer",
        placement=placement,
        **{"starts_at": timezone.now() - timedelta(days=1), "active": True} | fields,
    )


def test_live_blocks_fill_their_placements(make_article, sponsor):
    article = make_article()
    live_block(sponsor, "end")
    live_block(sponsor, "sidebar")
    live_block(sponsor, "home")
    slots = slots_for_article(article)
    assert set(slots) == {"end", "sidebar"}


def test_one_block_per_placement_newest_first(make_article, sponsor):
    article = make_article()
    live_block(sponsor, "end", headline="Older")
    newer = live_block(sponsor, "end", headline="Newer")
    newer.starts_at = timezone.now() - timedelta(hours=1)
    newer.save()
    assert [b.headline for b in slots_for_article(article)["end"]] == ["Newer"]


def test_no_sponsored_placements_beside_a_sensitive_story(make_article, sponsor):
    article = make_article(no_sponsored_placements=True)
    live_block(sponsor, "end")
    assert slots_for_article(article) == {}


def test_section_targeting(make_article, sponsor):
    article = make_article()
    other = Section.objects.create(name="Sport", slug="sport")
    block = live_block(sponsor, "end")
    block.sections.set([other])
    assert slots_for_article(article) == {}
    block.sections.add(article.section)
    assert slots_for_article(article)["end"] == [block]


def test_never_beside_a_story_about_the_sponsor(make_article, sponsor):
    article = make_article()
    live_block(sponsor, "end")
    entity = Entity.objects.create(kind="organization", name="Acme Bank", slug="acme-bank")
    ArticleEntity.objects.create(article=article, entity=entity, role="subject")
    assert slots_for_article(article) == {}


def test_inactive_or_expired_blocks_do_not_run(make_article, sponsor):
    article = make_article()
    live_block(sponsor, "end", active=False)
    live_block(sponsor, "sidebar", ends_at=timezone.now() - timedelta(minutes=1))
    assert slots_for_article(article) == {}


def test_inline_block_follows_the_nth_paragraph(make_article, sponsor):
    article = make_article(paragraphs=["One.", "Two.", "Three."])
    block = live_block(sponsor, "inline", inline_after_paragraph=2)
    rows = body_rows(list(article.blocks.all()), [block])
    assert [after for _, after in rows] == [[], [block], []]
    # A shorter article still shows it, after its last block.
    rows = body_rows(list(article.blocks.all())[:1], [block])
    assert rows[-1][1] == [block]


def test_aside_is_labelled_and_outside_the_article_text(make_article, sponsor, client):
    article = make_article(paragraphs=["Reporting paragraph."])
    live_block(sponsor, "end", label="Paid partner")
    html = client.get(article.get_absolute_url()).content.decode()
    body = html.split('class="article__body"')[1].split("</div>")[0]
    assert "Acme" not in body
    aside = html.split('<aside class="sponsored')[1].split("</aside>")[0]
    assert "Paid partner" in aside and "Acme Bank" in aside and "Capital at risk." in aside
    assert 'href="https://acme.example/offer" rel="sponsored noopener"' in aside
