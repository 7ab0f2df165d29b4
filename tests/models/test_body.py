"""Body blocks: inline markup limited to links and emphasis, sanitised on every save."""

import pytest

from articles.body import plain_text, sanitise_inline_html
from articles.models import Block

UNSAFE = [
    ("<script>alert(1)</script>Hello", "Hello"),
    ("<img src=x onerror=alert(1)>Text", "Text"),
    ('<a href="javascript:alert(1)">link</a>', '<a rel="noopener noreferrer">link</a>'),
    (
        '<a href="https://example.com" onclick="x()">ok</a>',
        '<a href="https://example.com" rel="noopener noreferrer">ok</a>',
    ),
    ("<em>fine</em> and <strong>bold</strong>", "<em>fine</em> and <strong>bold</strong>"),
    ('<p style="color:red">para</p>', "para"),
    ("<iframe src=//evil></iframe>after", "after"),
    ("<svg><script>alert(1)</script></svg>x", "x"),
    ("<!-- comment -->text", "text"),
    (
        '<a href="data:text/html,<script>alert(1)</script>">d</a>',
        '<a rel="noopener noreferrer">d</a>',
    ),
]


@pytest.mark.parametrize(("dirty", "clean"), UNSAFE)
def test_sanitise_inline_html(dirty, clean):
    assert sanitise_inline_html(dirty) == clean


def test_paragraph_is_sanitised_on_save(make_article):
    article = make_article()
    block = Block(
        article=article,
        position=5,
        type="paragraph",
        text=(
            'Toyota <script>steal()</script><a href="https://toyota.com" onmouseover="x">said</a>.'
        ),
    )
    block.save()
    block.refresh_from_db()
    assert "<script" not in block.text and "onmouseover" not in block.text
    assert block.text == 'Toyota <a href="https://toyota.com" rel="noopener noreferrer">said</a>.'


def test_heading_keeps_plain_text_only(make_article):
    article = make_article()
    block = Block(article=article, position=5, type="heading", text="<b>Tariffs</b> < 5% & rising")
    block.save()
    assert block.text == "Tariffs < 5% & rising"


def test_list_items_are_sanitised_one_by_one(make_article):
    article = make_article()
    block = Block(
        article=article, position=5, type="list", text="<em>one</em>\n\n<script>x</script>\ntwo"
    )
    block.save()
    assert block.items == ["<em>one</em>", "two"]


def test_unicode_survives_sanitising():
    text = "Japan’s “inclusivity” — Sanae Takaichi (高市早苗) said"
    assert sanitise_inline_html(text) == text
    assert plain_text(text) == text


def test_article_page_renders_sanitised_markup_only(make_article, client):
    article = make_article(
        paragraphs=['Hi <a href="https://a.example">there</a><script>bad()</script>']
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<a href="https://a.example" rel="noopener noreferrer">there</a>' in html
    assert "bad()" not in html
