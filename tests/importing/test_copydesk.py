"""Tests of the copy-desk checks (articles.copydesk): pure Python, no database."""

from __future__ import annotations

import ast
import dataclasses
import json
from functools import cache
from pathlib import Path

import pytest

from articles import copydesk
from articles.copydesk import (
    CHECKS,
    LONG_PARAGRAPH_WORDS,
    SEO_TITLE_MAX_CHARS,
    CopyWarning,
    Draft,
    DraftBlock,
    common_words,
    review,
)

ROOT = Path(__file__).resolve().parents[2]
SEED_ARTICLE = ROOT / "articles" / "data" / "seed-article.txt"
GAZETTEER_JSON = ROOT / "articles" / "data" / "gazetteer.json"
SEED_HEADINGS = {
    "The Manufacturing Gambit",
    "Strategic Timing",
    "Currency Calculations",
    "Toyota moves ahead as Trump returns to Asia",
    "Trade drives Trump’s full Asia tour",
}
NAMES = ("Donald Trump", "Trump", "Sanae Takaichi", "Anwar Ibrahim", "Tokyo", "Korea", "Indiana")


@cache
def known_names() -> tuple[str, ...]:
    """The demo gazetteer's names and aliases."""
    records = json.loads(GAZETTEER_JSON.read_text("utf-8"))
    return tuple(name for record in records for name in [record["name"], *record["aliases"]])


@cache
def seed_draft() -> Draft:
    """Headline (line 1), dek (line 2), then headings and paragraphs; the last line is an ad."""
    lines = [line for line in SEED_ARTICLE.read_text("utf-8").splitlines() if line.strip()]
    blocks = tuple(
        DraftBlock("heading" if line in SEED_HEADINGS else "paragraph", line)
        for line in lines[2:-1]
    )
    assert sum(block.type == "heading" for block in blocks) == 5
    return Draft(headline=lines[0], dek=lines[1], blocks=blocks)


@cache
def seed_warnings() -> tuple[CopyWarning, ...]:
    return tuple(review(seed_draft(), known_names=known_names()))


def draft(*paragraphs: str, **fields) -> Draft:
    fields.setdefault("headline", "Toyota ships cars to Japan")
    return Draft(blocks=tuple(DraftBlock("paragraph", text) for text in paragraphs), **fields)


def found(warnings: list[CopyWarning], code: str) -> list[CopyWarning]:
    return [warning for warning in warnings if warning.code == code]


# --- the seed article -------------------------------------------------------------------------


def test_seed_article_flags_trumps_two_titles_once():
    (warning,) = found(seed_warnings(), "inconsistent_title")
    assert warning.message == (
        "Trump is called “former President” in the dek and “President” in block 12."
    )
    assert (warning.field, warning.block) == ("dek", None)
    assert warning.excerpt == "former President Trump"
    assert seed_draft().blocks[11].text.startswith("Meanwhile, President Trump")


def test_seed_article_flags_the_three_stray_capitals_and_no_acronym():
    stray = found(seed_warnings(), "stray_capitals")
    assert [(w.excerpt, w.block) for w in stray] == [("WOULD", 9), ("MOVE", 11), ("WHITE", 21)]
    for warning in stray:
        assert warning.excerpt in seed_draft().blocks[warning.block].text
        assert f"“{warning.excerpt}”" in warning.message
        assert f"block {warning.block + 1} " in warning.message
    assert "That change WOULD allow" in stray[0].message
    for acronym in ("ASEAN", "APEC", "CSIS", "U.S.", "GDP"):
        assert any(acronym in block.text for block in seed_draft().blocks)
        assert not any(acronym in w.excerpt for w in seed_warnings())


def test_seed_article_raises_no_misspelling_false_alarm():
    assert found(seed_warnings(), "possible_misspelling") == []


def test_seed_article_warnings_are_exactly_these():
    # The seed has no SEO title, so its 93-character headline is the page title.
    codes = [warning.code for warning in seed_warnings()]
    assert codes == ["inconsistent_title", *["stray_capitals"] * 3, "seo_title_too_long"]


# --- the API ----------------------------------------------------------------------------------


def test_every_check_is_listed_documented_and_has_its_own_code():
    assert len(CHECKS) == 7
    assert all(check.__doc__ for check in CHECKS)
    assert [check.__name__ for check in CHECKS] == [
        "inconsistent_title",
        "stray_capitals",
        "dek_repeats_headline",
        "image_without_alt",
        "seo_title_too_long",
        "long_paragraph",
        "possible_misspelling",
    ]


def test_adding_a_check_is_listing_a_function(monkeypatch):
    def exclamation(draft, context):
        """Exclamation marks in the headline."""
        if "!" in draft.headline:
            yield CopyWarning("exclamation", "The headline shouts.", None, "headline", "!")

    monkeypatch.setattr(copydesk, "CHECKS", (*CHECKS, exclamation))
    assert found(review(Draft("Wow!")), "exclamation") == [
        CopyWarning("exclamation", "The headline shouts.", None, "headline", "!")
    ]


def test_warnings_and_drafts_are_frozen_and_review_accepts_no_names():
    warning = CopyWarning("long_paragraph", "m", 0)
    assert (warning.field, warning.excerpt) == ("body", "")
    with pytest.raises(dataclasses.FrozenInstanceError):
        warning.code = "other"  # type: ignore[misc]
    assert review(Draft("")) == []
    assert review(Draft("A headline", blocks=(DraftBlock("list", ""),))) == []


def test_module_imports_only_the_standard_library():
    tree = ast.parse((ROOT / "articles" / "copydesk.py").read_text("utf-8"))
    modules = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imports = [node for node in ast.walk(tree) if isinstance(node, ast.Import)]
    modules |= {alias.name for node in imports for alias in node.names}
    stdlib = {"__future__", "re", "collections.abc", "dataclasses", "difflib", "functools"}
    assert modules <= stdlib | {"pathlib"}


def test_common_word_list_is_small_lower_case_and_has_no_acronyms():
    words = common_words()
    assert 30_000 < len(words) < 60_000
    assert {"would", "move", "white", "don't"} <= words
    assert not {"gdp", "asean", "apec", "csis", "nato", "nasa", "ceo"} & words
    assert all(word == word.lower() for word in words)
    assert copydesk.COMMON_WORDS_PATH.stat().st_size < 1_000_000


# --- inconsistent_title -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dek", "paragraphs", "message"),
    [
        (
            "Former President Trump flies to Tokyo.",
            ["President Trump arrives on Sunday.", "Later, President Trump’s team spoke."],
            "Trump is called “Former President” in the dek and “President” in blocks 1 and 2.",
        ),
        (
            "",
            ["Ex-President Trump spoke.", "President Donald Trump then left."],
            "Trump is called “Ex-President” in block 1 and “President” in block 2.",
        ),
        (
            "",
            ["Secretary of State Marco Rubio met Sen. Rubio's aides.", "Governor Rubio left."],
            "Rubio is called “Secretary of State” in block 1, “Sen.” in block 1 and “Governor” in "
            "block 2.",
        ),
        (
            "",
            ["Acting Secretary Ann Lee spoke.", "Secretary Lee had said so."],
            "Lee is called “Acting Secretary” in block 1 and “Secretary” in block 2.",
        ),
        (
            "",
            ["Vice President JD Vance spoke.", "President Vance left."],
            "Vance is called “Vice President” in block 1 and “President” in block 2.",
        ),
        (
            "",
            ["Chairman Akio Toyoda said so.", "CEO Akio Toyoda left."],
            "Toyoda is called “Chairman” in block 1 and “CEO” in block 2.",
        ),
        (
            "",
            [
                "General Motors Chief Executive Mary Barra spoke.",
                "General Motors CEO Mary Barra left.",
                "Chairwoman Mary Barra stayed.",
            ],
            "Barra is called “Chief Executive” or “CEO” in blocks 1 and 2 and “Chairwoman” in "
            "block 3.",
        ),
    ],
)
def test_inconsistent_title_is_reported_once_per_person(dek, paragraphs, message):
    warnings = found(review(draft(*paragraphs, dek=dek), known_names=NAMES), "inconsistent_title")
    assert [warning.message for warning in warnings] == [message]


@pytest.mark.parametrize(
    "paragraphs",
    [
        ["Prime Minister Sanae Takaichi spoke.", "Ms Takaichi said no."],
        ["He will meet Malaysian PM Anwar Ibrahim."],
        ["Prime Minister Anwar Ibrahim spoke.", "Malaysian PM Anwar Ibrahim left."],
        ["Then-President Trump signed it.", "President Trump now disagrees."],
        ["Dr. Jane Smith spoke.", "Dr Smith left."],
        ["Chief Executive Akio Toyoda spoke.", "CEO Akio Toyoda left."],
        ["An ally of the late Shinzo Abe.", "Former Prime Minister Shinzo Abe was shot."],
        ["King Charles III spoke.", "King Charles left on Monday."],
        ["President Trump met President Xi Jinping.", "President Xi left; President Trump stayed."],
        ["the president said Trump would go."],
        ["Federal Reserve Chair Jerome Powell spoke.", "Fed Chairman Powell agreed."],
        ["Secretary of State Marco Rubio spoke.", "Secretary Rubio left."],
        ["UK Prime Minister Keir Starmer spoke.", "British PM Starmer left on Tuesday."],
    ],
)
def test_consistent_titles_are_not_reported(paragraphs):
    assert found(review(draft(*paragraphs), known_names=NAMES), "inconsistent_title") == []


def test_title_case_headline_does_not_make_a_name_of_the_next_words():
    result = review(
        draft("President Xi Jinping spoke.", headline="President Xi Jinping Lands In Seoul")
    )
    assert found(result, "inconsistent_title") == []


# --- stray_capitals ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("That change WOULD allow Toyota to import cars.", ["WOULD"]),
        ("He’ll MOVE through Malaysia, Japan and South Korea.", ["MOVE"]),
        ("Despite the WHITE House denying it, talks went on.", ["WHITE"]),
        ("It was NOT a deal, and it was NOT over.", ["NOT", "NOT"]),
        ("The self-DRIVING cars arrive in May.", ["DRIVING"]),
        ("The WHITE HOUSE said so on Friday, officials told reporters here.", ["WHITE", "HOUSE"]),
    ],
)
def test_stray_capitals_are_reported(text, words):
    warnings = found(review(draft(text), known_names=NAMES), "stray_capitals")
    assert [warning.excerpt for warning in warnings] == words
    assert all(warning.block == 0 and warning.field == "body" for warning in warnings)


@pytest.mark.parametrize(
    "text",
    [
        "ASEAN leaders met APEC officials and CSIS analysts.",
        "U.S. GDP grew, the UK and EU said; NATO’s CEO agreed.",
        "The US economy and the WHO report on AI and AIDS.",
        "It happened after World War II, said Pope Leo XIV.",
        "COVID-19 hit AT&T, whose IPO came at 9 a.m., not 2 PM.",
        "Funds charge 2-and-20 for the insight.",
        "TRUMP ARRIVES IN TOKYO FOR TRADE TALKS",
        "Never give your PIN to anyone, and a SWIFT transfer takes a day.",
    ],
)
def test_acronyms_and_shouted_lines_are_not_stray_capitals(text):
    assert found(review(draft(text), known_names=NAMES), "stray_capitals") == []


def test_stray_capitals_in_the_dek_point_at_the_dek():
    (warning,) = found(review(draft(dek="A deal that WOULD matter.")), "stray_capitals")
    assert (warning.field, warning.block, warning.excerpt) == ("dek", None, "WOULD")


# --- dek_repeats_headline ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "dek",
    [
        "Toyota ships cars to Japan",
        "Toyota ships cars to Japan, just as Trump prepares to visit Tokyo.",
        "Cars: Toyota ships to Japan.",
    ],
)
def test_dek_repeating_the_headline_is_reported(dek):
    (warning,) = found(review(draft(dek=dek)), "dek_repeats_headline")
    assert (warning.field, warning.block, warning.excerpt) == ("dek", None, dek)


@pytest.mark.parametrize(
    "dek", ["", "Kentucky-built Camrys are headed for Japanese showrooms.", "Toyota ships cars"]
)
def test_dek_adding_to_the_headline_is_not_reported(dek):
    assert found(review(draft(dek=dek)), "dek_repeats_headline") == []


# --- image_without_alt ------------------------------------------------------------------------


@pytest.mark.parametrize("alt_text", [None, "", "   "])
def test_image_block_without_alt_text_is_reported(alt_text):
    blocks = (DraftBlock("paragraph", "Text."), DraftBlock("image", "A caption.", alt_text))
    (warning,) = found(review(Draft("H", blocks=blocks)), "image_without_alt")
    assert (warning.block, warning.field) == (1, "body")
    assert "block 2" in warning.message


def test_hero_image_without_alt_text_is_reported():
    (warning,) = found(review(Draft("H", hero_alt_text=" ")), "image_without_alt")
    assert (warning.block, warning.field) == (None, "hero_image")


@pytest.mark.parametrize(
    "fields",
    [
        {"hero_alt_text": None},
        {"hero_alt_text": "Toyota’s Kentucky plant"},
        {"blocks": (DraftBlock("image", "", "A Camry on a ship"),)},
        {"blocks": (DraftBlock("paragraph", "Text."),)},
    ],
)
def test_images_with_alt_text_or_no_image_are_not_reported(fields):
    assert found(review(Draft("H", **fields)), "image_without_alt") == []


# --- seo_title_too_long -----------------------------------------------------------------------


def test_long_seo_title_is_reported_with_its_length():
    title = "Toyota ships American-built Camrys to Japan as Trump prepares a Tokyo trip"
    (warning,) = found(review(Draft("H", seo_title=title)), "seo_title_too_long")
    assert warning.message == f"The SEO title is {len(title)} characters (over 70)."
    assert (warning.field, warning.block, warning.excerpt) == ("seo_title", None, "trip")


def test_long_headline_without_seo_title_is_reported():
    headline = "x" * 60 + " and then some more words"
    (warning,) = found(review(Draft(headline)), "seo_title_too_long")
    assert warning.message.startswith("There is no SEO title; the headline is 85 characters")


@pytest.mark.parametrize(
    "fields",
    [
        {"headline": "Short", "seo_title": "y" * SEO_TITLE_MAX_CHARS},
        {"headline": "z" * SEO_TITLE_MAX_CHARS},
        {"headline": "z" * 100, "seo_title": "A short SEO title"},
    ],
)
def test_short_enough_titles_are_not_reported(fields):
    assert found(review(Draft(**fields)), "seo_title_too_long") == []


# --- long_paragraph ---------------------------------------------------------------------------


def test_long_paragraph_is_reported_with_its_word_count():
    text = " ".join(["word"] * (LONG_PARAGRAPH_WORDS + 1))
    (warning,) = found(review(draft("Short.", text)), "long_paragraph")
    assert warning.message == "Block 2 is a paragraph of 121 words (over 120)."
    assert (warning.block, warning.field) == (1, "body")


@pytest.mark.parametrize(
    "block",
    [
        DraftBlock("paragraph", " ".join(["word"] * LONG_PARAGRAPH_WORDS)),
        DraftBlock("quote", " ".join(["word"] * 300)),
        DraftBlock("list", " ".join(["word"] * 300)),
    ],
)
def test_paragraphs_within_the_limit_and_other_blocks_are_not_reported(block):
    assert found(review(Draft("H", blocks=(block,))), "long_paragraph") == []


# --- possible_misspelling ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "word", "name"),
    [
        ("He will meet Takiachi in Tokyo.", "Takiachi", "Takaichi"),
        ("Takiachi’s government said so.", "Takiachi", "Takaichi"),
        ("He lands in Tokio on Sunday.", "Tokio", "Tokyo"),
        ("Later he flies to Indianna.", "Indianna", "Indiana"),
    ],
)
def test_near_miss_of_a_known_name_is_reported(text, word, name):
    (warning,) = found(review(draft(text), known_names=NAMES), "possible_misspelling")
    assert warning.message == f"“{word}” in block 1: did you mean “{name}”?"
    assert (warning.block, warning.excerpt) == (0, word)


@pytest.mark.parametrize(
    "text",
    [
        "Takaichi and Takaichi’s cabinet met in Tokyo.",
        "Korean and Indian officials, and Japanese ones.",  # derived from Korea, Indiana
        "Kentucky-built Camrys and Indiana-assembled Sienas.",
        "Trumpet players. Trump’s team. Tokyo’s mayor.",  # a common word, possessives
        "Abbe is not Abe, and Pokyo is not Tokyo.",  # under five letters; another first letter
        "Sanae Takaichi met Anwar Ibrahim.",
    ],
)
def test_known_names_derived_words_and_strangers_are_not_misspellings(text):
    names = (*NAMES, "Shinzo Abe")
    assert found(review(draft(text), known_names=names), "possible_misspelling") == []


def test_misspelling_in_the_headline_points_at_the_headline():
    result = review(Draft("Takiachi wins"), known_names=NAMES)
    (warning,) = found(result, "possible_misspelling")
    assert (warning.field, warning.block) == ("headline", None)
