"""Rules the database itself enforces, and the model validation editors see first."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Article, Block, Entity, Section, Sponsor, SponsoredBlock


@pytest.fixture
def sponsor(db) -> Sponsor:
    return Sponsor.objects.create(name="Bybit", slug="bybit")


def sponsored(sponsor, **fields) -> SponsoredBlock:
    fields.setdefault("starts_at", timezone.now())
    return SponsoredBlock(sponsor=sponsor, headline="An offer", **fields)


@pytest.mark.parametrize("label", ["", "Promoted", "sponsored"])
def test_disclosure_label_outside_the_fixed_set_is_refused(sponsor, label):
    block = sponsored(sponsor, label=label)
    with pytest.raises(ValidationError) as exc:
        block.full_clean()
    assert "label" in exc.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        block.save()


def test_every_allowed_label_is_accepted(sponsor):
    for label in SponsoredBlock.Label.values:
        sponsored(sponsor, label=label).save()
    assert SponsoredBlock.objects.count() == 3


def test_sponsored_block_must_end_after_it_starts(sponsor):
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        sponsored(sponsor, starts_at=now, ends_at=now - timedelta(hours=1)).save()
    with pytest.raises(IntegrityError), transaction.atomic():
        sponsored(sponsor, starts_at=now, ends_at=now).save()


def test_inline_placement_needs_a_paragraph_number(sponsor):
    with pytest.raises(IntegrityError), transaction.atomic():
        sponsored(sponsor, placement="inline").save()
    sponsored(sponsor, placement="inline", inline_after_paragraph=2).save()


@pytest.mark.parametrize("bad", ["53268", "q53268", "Q", "Q0123", "Q12a", "P31", "Q 1"])
def test_bad_wikidata_id_is_refused(db, bad):
    entity = Entity(kind="organization", name="Toyota", slug="toyota", wikidata_id=bad)
    with pytest.raises(ValidationError) as exc:
        entity.full_clean()
    assert "Q followed by digits" in " ".join(exc.value.message_dict["wikidata_id"])
    with pytest.raises(IntegrityError), transaction.atomic():
        entity.save()


def test_good_or_empty_wikidata_id_is_accepted(db):
    Entity(kind="organization", name="Toyota", slug="toyota", wikidata_id="Q53268").full_clean()
    Entity(kind="person", name="Someone", slug="someone", wikidata_id="").full_clean()


def test_wikidata_id_belongs_to_one_entity(db):
    Entity.objects.create(kind="organization", name="Toyota", slug="toyota", wikidata_id="Q53268")
    with pytest.raises(IntegrityError), transaction.atomic():
        Entity.objects.create(kind="organization", name="Toyota 2", slug="t2", wikidata_id="Q53268")


def test_entity_slug_is_unique_per_kind_only(db):
    Entity.objects.create(kind="place", name="Georgia", slug="georgia")
    Entity.objects.create(kind="person", name="Georgia", slug="georgia")
    with pytest.raises(IntegrityError), transaction.atomic():
        Entity.objects.create(kind="place", name="Georgia (US)", slug="georgia")


def test_section_and_article_slugs_are_unique(section, make_article):
    with pytest.raises(IntegrityError), transaction.atomic():
        Section.objects.create(name="Business again", slug="business")
    article = make_article()
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(headline="Copy", slug=article.slug, section=section)


def test_malformed_slug_is_refused_by_validation(section):
    article = Article(headline="A headline", slug="not a slug!", section=section)
    with pytest.raises(ValidationError) as exc:
        article.full_clean()
    assert "slug" in exc.value.message_dict


def test_published_article_needs_a_publish_time(section):
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(headline="H", slug="h", section=section, status="published")


def test_unknown_status_and_block_type_are_refused(section, make_article):
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(headline="H", slug="h", section=section, status="live")
    article = make_article()
    with pytest.raises(IntegrityError), transaction.atomic():
        Block.objects.create(article=article, position=9, type="advertisement", text="Buy now")


def test_there_is_no_block_type_for_advertising():
    types = {value for value, _label in Block._meta.get_field("type").choices}
    assert types == {"heading", "paragraph", "quote", "image", "list"}


def test_block_positions_are_unique_within_an_article(make_article):
    article = make_article(paragraphs=["One."])
    with pytest.raises(IntegrityError), transaction.atomic():
        Block.objects.create(article=article, position=0, type="paragraph", text="Two.")


def test_text_blocks_cannot_be_empty_and_image_blocks_need_an_image(make_article):
    article = make_article()
    with pytest.raises(IntegrityError), transaction.atomic():
        Block.objects.create(article=article, position=5, type="paragraph", text="")
    with pytest.raises(IntegrityError), transaction.atomic():
        Block.objects.create(article=article, position=6, type="image")
