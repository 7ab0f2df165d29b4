"""The importer: plain text and Markdown to typed blocks, advertising set apart."""

import pytest

from articles.importing import ImportRefused, decode, format_for, parse

AD = "Get up to $30,050 in trading rewards when you join Bybit today"

TEXT = f"""Council Approves Harbour Budget After Late-Night Vote

The city council approved a €40m harbour budget on Tuesday after a nine-hour debate.

Who pays
Residents of the old town will pay a higher levy from January, officials said.
The levy rises by 4% for businesses.

What comes next
> We are not going to rush this.
— Mayor Ana Ruiz
- A review in twelve months
- Independent oversight
Sanae Takaichi (高市早苗) said Japan’s “inclusivity” agenda was unaffected.
{AD}
"""


def test_plain_text_structure():
    parsed = parse(TEXT)
    assert parsed.headline == "Council Approves Harbour Budget After Late-Night Vote"
    assert parsed.dek.startswith("The city council approved a €40m harbour budget")
    assert [(b.type, b.text[:20]) for b in parsed.blocks] == [
        ("heading", "Who pays"),
        ("paragraph", "Residents of the old"),
        ("paragraph", "The levy rises by 4%"),
        ("heading", "What comes next"),
        ("quote", "We are not going to "),
        ("list", "A review in twelve m"),
        ("paragraph", "Sanae Takaichi (高市早苗"),
    ]
    assert parsed.blocks[4].attribution == "Mayor Ana Ruiz"
    assert parsed.blocks[5].text.split("\n") == [
        "A review in twelve months",
        "Independent oversight",
    ]


def test_unicode_survives_exactly():
    parsed = parse(TEXT)
    assert (
        parsed.blocks[-1].text
        == "Sanae Takaichi (高市早苗) said Japan’s “inclusivity” agenda was unaffected."
    )


def test_the_advert_is_set_apart_with_its_sponsor():
    parsed = parse(TEXT)
    assert all(AD not in b.text for b in parsed.blocks)
    assert [s.text for s in parsed.sponsored] == [AD]
    assert parsed.sponsored[0].sponsor == "Bybit"
    assert parsed.sponsored[0].reasons
    assert parsed.warnings[0].code == "promotional_moved"


def test_hard_wrapped_text_is_joined_into_paragraphs():
    raw = (
        "A Headline About Rivers\n\n"
        "The river rose two metres overnight and the council opened three\n"
        "emergency shelters in the lower town, officials said on Sunday.\n\n"
        "Forecasters expect more rain.\n"
    )
    parsed = parse(raw)
    assert parsed.dek.startswith(
        "The river rose two metres overnight and the council opened three emergency"
    )
    assert [b.text for b in parsed.blocks] == ["Forecasters expect more rain."]


MARKDOWN = """# Council approves *new* budget

A short standfirst about the [budget](https://example.com/b) vote.

## What changes

The council voted 7–2 on Tuesday. Officials said **the plan** passes <script>alert(1)</script> now.

- Lower fees for residents
- A [review](https://example.com/r) in a year

1. First
2. Second

> We are not going to rush this.
> — Mayor Ana Ruiz

Sign up today and get 50% off your first order with code SAVE50!
"""


def test_markdown_structure_and_inline_markup():
    parsed = parse(MARKDOWN, "markdown")
    assert parsed.headline == "Council approves new budget"
    assert parsed.dek == "A short standfirst about the budget vote."
    assert [b.type for b in parsed.blocks] == ["heading", "paragraph", "list", "list", "quote"]
    paragraph = parsed.blocks[1]
    assert "<strong>the plan</strong>" in paragraph.html
    assert "<script>" not in paragraph.html and "&lt;script&gt;" in paragraph.html
    bullets, numbers, quote = parsed.blocks[2:]
    assert '<a href="https://example.com/r" rel="noopener noreferrer">review</a>' in bullets.html
    assert not bullets.ordered and numbers.ordered and numbers.text == "First\nSecond"
    assert (quote.text, quote.attribution) == ("We are not going to rush this.", "Mayor Ana Ruiz")
    assert [s.text for s in parsed.sponsored] == [
        "Sign up today and get 50% off your first order with code SAVE50!"
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \n\n  ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("Café headline\nBody.".encode("latin-1"), "not valid UTF-8"),
    ],
)
def test_bad_bytes_are_refused_clearly(data, message):
    with pytest.raises(ImportRefused, match=message):
        decode(data)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("Only a headline\n", "No body text"),
        ("Headline\n\nSubheading only\n", "No body text"),
        ("x" * 300 + "\n\nBody text here.", "No headline"),
        ("Headline\n\nBody.", "Unknown format"),
    ],
)
def test_bad_articles_are_refused_clearly(raw, message):
    fmt = "docx" if message == "Unknown format" else "text"
    with pytest.raises(ImportRefused, match=message):
        parse(raw, fmt)


def test_bom_and_windows_newlines_are_handled():
    raw = decode("\ufeffHeadline here\r\n\r\nA paragraph of text.\r\nAnother one.\r\n".encode())
    parsed = parse(raw)
    assert parsed.headline == "Headline here"
    assert [b.text for b in parsed.blocks] == ["Another one."]


def test_format_guess():
    assert format_for("story.md") == "markdown"
    assert format_for("STORY.MARKDOWN") == "markdown"
    assert format_for("story.txt") == "text"
