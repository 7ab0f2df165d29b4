"""`manage.py import_article`: the dry-run JSON report, saving drafts, and clear refusals."""

import json

import pytest
from django.core.management import CommandError, call_command

from articles.demo.generator import ensure_sections
from articles.demo.seed import SEED_ARTICLE, load_gazetteer
from articles.models import Article, Author, Block, SponsoredBlock
from tests.seed import AD, HEADINGS

REQUIRED_ENTITIES = [
    "Toyota", "Donald Trump", "Sanae Takaichi", "Shinzo Abe", "Naruhito", "Anwar Ibrahim",
    "Xi Jinping", "Kim Jong Un", "Victor Cha", "Center for Strategic and International Studies",
    "Association of Southeast Asian Nations", "Asia-Pacific Economic Cooperation",
    "Air Force One", "White House", "Japan", "United States", "Tokyo", "Malaysia",
    "Kuala Lumpur", "South Korea", "China", "Cambodia", "Thailand", "North Korea", "Russia",
    "Ukraine", "Kentucky", "Indiana",
]  # fmt: skip


@pytest.fixture
def newsroom(db):
    ensure_sections()
    load_gazetteer()


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("import_article", *args, stdout=out)
    return out.getvalue()


def test_dry_run_json_on_the_seed_article(newsroom):
    report = json.loads(run(str(SEED_ARTICLE), "--dry-run", "--json"))
    assert set(report) == {
        "headline", "dek", "blocks", "sponsored", "set_apart", "kept_out", "entities",
        "candidates", "warnings"
    }  # fmt: skip
    assert report["headline"].startswith("Toyota Flips Global Trade Script")
    assert report["dek"].startswith("In a stunning reversal")
    assert [b["text"] for b in report["blocks"] if b["type"] == "heading"] == HEADINGS
    assert {b["type"] for b in report["blocks"]} == {"heading", "paragraph"}
    assert all(AD not in b["text"] for b in report["blocks"])
    [ad] = report["sponsored"]
    assert ad == {
        "text": AD,
        "sponsor": "Bybit",
        "kind": "third_party_ad",
        "confidence": ad["confidence"],
        "reasons": ad["reasons"],
    }
    assert 0.5 <= ad["confidence"] <= 1 and ad["reasons"]
    # Nothing else of the seed is kept out of the body: every other line is reporting.
    assert report["set_apart"] == [] and report["kept_out"] == []
    names = {e["name"] for e in report["entities"]}
    assert set(REQUIRED_ENTITIES) <= names
    assert "Bybit" not in names
    for entity in report["entities"]:
        assert entity["kind"] in {"person", "organization", "place", "event"}
        assert entity["role"] in {"subject", "mentioned"}
        assert entity["matched"]
    takaichi = next(e for e in report["entities"] if e["name"] == "Sanae Takaichi")
    assert "Takaichi" in takaichi["matched"]
    codes = [(w["code"], w["message"]) for w in report["warnings"]]
    assert any(c == "inconsistent_title" and "former President" in m for c, m in codes)
    capitals = {m.split("”")[0].lstrip("“") for c, m in codes if c == "stray_capitals"}
    assert capitals == {"WOULD", "MOVE", "WHITE"}
    # A dry run changes nothing.
    assert not Article.objects.exists() and not SponsoredBlock.objects.exists()


def test_json_keeps_unicode_as_itself(newsroom):
    output = run(str(SEED_ARTICLE), "--dry-run", "--json")
    assert "Trump’s full Asia tour" in output and "\\u2019" not in output


def test_import_saves_a_draft_with_the_advert_apart(newsroom):
    Author.objects.create(name="Wire", slug="wire")
    output = run(str(SEED_ARTICLE), "--section", "business", "--author", "wire")
    article = Article.objects.get()
    assert article.status == "draft" and article.byline[0].slug == "wire"
    assert "Imported as draft" in output and "set apart as advertising" in output
    assert not Block.objects.filter(text__contains="Bybit").exists()
    block = SponsoredBlock.objects.get()
    assert (block.active, block.sponsor.name, block.source_article) == (False, "Bybit", article)
    assert article.entity_links.filter(source="automatic", confirmed=False).count() >= 28
    assert article.revisions.count() == 1


def test_markdown_file_is_detected_by_extension(newsroom, tmp_path):
    path = tmp_path / "story.md"
    path.write_text("# A Markdown story\n\nStandfirst here.\n\n## Part one\n\nBody text.\n")
    report = json.loads(run(str(path), "--dry-run", "--json"))
    assert report["headline"] == "A Markdown story"
    assert report["blocks"] == [
        {"type": "heading", "text": "Part one"},
        {"type": "paragraph", "text": "Body text."},
    ]


def test_several_files_give_a_json_list(newsroom, tmp_path):
    second = tmp_path / "b.txt"
    second.write_text("Second headline\n\nA dek.\n\nBody.\n")
    report = json.loads(run(str(SEED_ARTICLE), str(second), "--dry-run", "--json"))
    assert [r["headline"][:6] for r in report] == ["Toyota", "Second"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02binary", "binary"),
        ("Caf\xe9 story\n\nBody.".encode("latin-1"), "UTF-8"),
        (b"Just a headline\n", "No body text"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_saved(newsroom, tmp_path, content, message):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        run(str(SEED_ARTICLE), str(bad), "--section", "business")
    assert not Article.objects.exists() and not SponsoredBlock.objects.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.txt", "--dry-run"], "no such file"),
        ([str(SEED_ARTICLE)], "--section is required"),
        ([str(SEED_ARTICLE), "--section", "nope"], "Unknown section 'nope'"),
        ([str(SEED_ARTICLE), "--section", "business", "--author", "nobody"], "Unknown author"),
    ],
)
def test_bad_arguments_get_clear_errors(newsroom, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert not Article.objects.exists()
