"""The seed article, loaded as the demo does: clean structure, and the advert kept out."""

from pathlib import Path

import pytest

from articles.body import plain_text
from articles.demo.generator import ensure_sections
from articles.demo.seed import SEED_ARTICLE, load_gazetteer, load_seed_article
from articles.models import SponsoredBlock
from articles.sponsored import set_active
from tests.seed import AD, HEADINGS

LINES = [line for line in SEED_ARTICLE.read_text(encoding="utf-8").splitlines() if line.strip()]
AD_LINE = AD
ENTITIES = {
    # name: Wikidata id
    "Toyota": "Q53268",
    "Donald Trump": "Q22686",
    "Japan": "Q17",
    "United States": "Q30",
    "Tokyo": "Q1490",
    "Shinzo Abe": "Q132345",
    "Xi Jinping": "Q15031",
    "Kim Jong Un": "Q56226",
    "Malaysia": "Q833",
    "Kuala Lumpur": "Q1865",
    "South Korea": "Q884",
    "China": "Q148",
    "Cambodia": "Q424",
    "Thailand": "Q869",
    "North Korea": "Q423",
    "Russia": "Q159",
    "Ukraine": "Q212",
    "Kentucky": "Q1603",
    "Indiana": "Q1415",
    "White House": "Q35525",
}


@pytest.fixture
def seed(db):
    ensure_sections()
    load_gazetteer()
    return load_seed_article()


def test_the_fixture_is_the_shared_seed_article():
    shared = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "seed-article.txt"
    if shared.exists():  # beside the checkout in development and CI
        assert shared.read_text(encoding="utf-8") == SEED_ARTICLE.read_text(encoding="utf-8")
    assert LINES[-1] == AD_LINE


def test_headline_and_dek(seed):
    assert seed.headline == LINES[0]
    assert seed.dek == LINES[1]
    assert seed.status == "published"


def test_five_sections_with_their_paragraphs(seed):
    blocks = list(seed.blocks.order_by("position"))
    assert [b.text for b in blocks if b.type == "heading"] == HEADINGS
    # Rebuild the text from the blocks: it is the article's lines, minus the advert.
    assert [plain_text(b.text) for b in blocks] == LINES[2:-1]
    assert {b.type for b in blocks} == {"heading", "paragraph"}
    sections, current = {}, None
    for block in blocks:
        if block.type == "heading":
            current = block.text
            sections[current] = 0
        else:
            sections[current] += 1
    assert sections == dict(zip(HEADINGS, [1, 1, 2, 6, 7], strict=True))


def test_the_advert_is_nowhere_in_the_reporting(seed):
    body = " ".join(seed.blocks.values_list("text", flat=True))
    for text in (body, seed.headline, seed.dek):
        assert "Bybit" not in text and "30,050" not in text
    assert not seed.entity_links.filter(entity__name__icontains="bybit").exists()


def test_the_advert_is_an_inactive_sponsored_block_for_bybit(seed):
    block = SponsoredBlock.objects.get(source_article=seed)
    assert block.sponsor.name == "Bybit"
    assert block.text == AD_LINE
    assert block.active is False
    assert block.label in SponsoredBlock.Label.values
    # The detector's reasons: what in the line made it an advertiser's copy.
    assert block.review_note.startswith("Moved out of an imported article (confidence")
    assert "advertiser" in block.review_note or "price" in block.review_note


def test_entities_are_linked_with_real_wikidata_ids(seed):
    linked = {link.entity.name: link for link in seed.entity_links.select_related("entity")}
    for name, qid in ENTITIES.items():
        assert name in linked, f"{name} is not linked"
        assert linked[name].entity.wikidata_id == qid
    for name in ["Sanae Takaichi", "Naruhito", "Anwar Ibrahim", "Victor Cha", "Air Force One"]:
        assert name in linked, f"{name} is not linked"
    assert linked["Toyota"].role == "subject"
    assert linked["Donald Trump"].role == "subject"
    assert linked["Victor Cha"].role == "mentioned"
    assert all(link.source == "automatic" and not link.confirmed for link in linked.values())


def test_seed_page_shows_the_article_and_the_advert_only_when_active(
    seed, client, django_capture_on_commit_callbacks
):
    html = client.get(seed.get_absolute_url()).content.decode()
    for heading in HEADINGS:
        assert heading in html
    assert "Bybit" not in html

    block = SponsoredBlock.objects.get(source_article=seed)
    with django_capture_on_commit_callbacks(execute=True):  # the purge runs on commit
        set_active(block, True, by=None)  # as ad operations do in the admin
    html = client.get(seed.get_absolute_url()).content.decode()
    body = html.split('class="article__body"')[1].split("</div>")[0]
    assert "Bybit" not in body
    aside = html.split('<aside class="sponsored')[1].split("</aside>")[0]
    assert "Bybit" in aside and "30,050" in aside
    assert block.get_label_display() in aside


def test_loading_twice_does_not_duplicate(seed):
    again = load_seed_article()
    assert again.pk == seed.pk
    assert SponsoredBlock.objects.filter(source_article=seed).count() == 1
