"""Importing an HTML page (a saved file or a fetched URL) into a `ParsedArticle`.

trafilatura finds the main text and the page's metadata; this module turns its output into
the same typed blocks text and Markdown imports produce (headings, paragraphs, lists,
quotes) and hands them to `importing._finish`, so the promotional-line check, the copy desk
and entity linking run on them unchanged. Each block also carries `hints`: where its text
sat in the original page (asides, forms, navigation…, the classes around it) and its link
density. Nothing decides anything from the hints yet; they are plain data for a future
detector.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

import lxml.html
import trafilatura
from django.utils.html import escape
from lxml import etree

from articles.body import sanitise_inline_html
from articles.importing import (
    ATTRIBUTION_LINE,
    MAX_HEADLINE_CHARS,
    ImportRefused,
    ParsedArticle,
    ParsedBlock,
    _finish,
    decode,
)

# Saved pages carry inline styles and scripts, so they get more room than text files.
MAX_HTML_BYTES = 5 * 1024 * 1024
# Containers whose presence around a block is reported in its hints.
CONTAINERS = ("aside", "form", "nav", "header", "footer", "figure", "table", "button")
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
BYLINE_SEPARATORS = re.compile(r"\s*(?:;|,|\band\b|&)\s*")
MAX_HINT_CLASSES = 8


@dataclass
class SourceImage:
    src: str
    alt: str = ""
    caption: str = ""


@dataclass
class SourceMetadata:
    """What the page says about itself, reported with the import (nothing is trusted blindly)."""

    title: str = ""
    byline: list[str] = field(default_factory=list)
    date: str | None = None
    site_name: str = ""
    canonical_url: str = ""
    images: list[SourceImage] = field(default_factory=list)


def decode_html(data: bytes, charset: str | None = None) -> str:
    """Decode an HTML page: the HTTP charset, else the page's `<meta charset>`, else UTF-8.

    Refuses empty, binary and undecodable input with a message saying why.
    """
    if len(data) > MAX_HTML_BYTES:
        raise ImportRefused(f"The page is over {MAX_HTML_BYTES // 1_048_576} MB.")
    if charset is None and (m := META_CHARSET.search(data[:4096])):
        charset = m[1].decode("ascii")
    return decode(data, charset or "utf-8")


def parse_html(
    raw: bytes | str, *, url: str | None = None, charset: str | None = None
) -> ParsedArticle:
    """Parse an HTML page into a `ParsedArticle` whose `source` holds the page's metadata.

    `url` is where the page came from (for relative links and images); `charset` the one
    declared over HTTP, if any.
    """
    html = decode_html(raw, charset) if isinstance(raw, bytes) else raw
    if not html.strip():
        raise ImportRefused("The page is empty.")
    try:
        page = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        raise ImportRefused("This file could not be read as an HTML page.") from exc
    document = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_images=True,
        include_formatting=True,
        include_links=True,
        include_tables=False,
        include_comments=False,
    )
    if document is None or document.body is None:
        raise ImportRefused("No article text found in this page.")
    source = _metadata(document, page, url)
    headline, blocks = _blocks(document.body, source, _hint_index(page))
    headline = " ".join((source.title or headline).split())
    if not any(b.type in {"paragraph", "list", "quote"} for b in blocks):
        raise ImportRefused("No article text found in this page.")
    if not headline or len(headline) > MAX_HEADLINE_CHARS:
        raise ImportRefused(
            f"No headline found: the page has no title or h1 of at most {MAX_HEADLINE_CHARS} "
            "characters."
        )
    parsed = _finish(headline, blocks)
    parsed.source = source
    return parsed


# Metadata ---------------------------------------------------------------------------------


def _metadata(document, page, url: str | None) -> SourceMetadata:
    base = document.url or url or ""
    return SourceMetadata(
        title=" ".join((document.title or "").split()),
        byline=split_byline(document.author or ""),
        date=document.date or None,
        site_name=document.sitename or "",
        canonical_url=document.url or "",
        images=[
            SourceImage(src=urljoin(base, src), alt=alt, caption=caption)
            for src, alt, caption in _figures(page)
        ],
    )


def split_byline(text: str) -> list[str]:
    """ "By A, B and C" → ["A", "B", "C"]."""
    text = re.sub(r"^\s*by\s+", "", text, flags=re.I)
    return [name for part in BYLINE_SEPARATORS.split(text) if (name := " ".join(part.split()))]


def _figures(page) -> list[tuple[str, str, str]]:
    """(src, alt, caption) of the page's images that sit in its main content or a figure."""
    found, seen = [], set()
    for img in page.iter("img"):
        src = (img.get("src") or "").strip()
        if not src or src in seen or src.startswith("data:"):
            continue
        figure = next((a for a in img.iterancestors() if a.tag == "figure"), None)
        if figure is None and not any(a.tag in {"article", "main"} for a in img.iterancestors()):
            continue  # logos, avatars and tracking pixels outside the story
        seen.add(src)
        caption = ""
        if figure is not None and (cap := figure.find(".//figcaption")) is not None:
            caption = " ".join(cap.text_content().split())
        found.append((src, " ".join((img.get("alt") or "").split()), caption))
    return found


# Blocks -----------------------------------------------------------------------------------


def _blocks(body, source: SourceMetadata, hints: dict) -> tuple[str, list[ParsedBlock]]:
    """trafilatura's XML (head, p, list, quote, graphic…) → the importer's blocks.

    Returns the first h1 (the headline when the page has no title) and the blocks; an h1 that
    repeats the title is not a block. Captions stay out of the body: they are reported with
    the images.
    """
    # Anything else (graphic, table, stray links when the page has no article) is not a
    # body block: images are reported in the metadata.
    captions = {img.caption for img in source.images if img.caption}
    headline, blocks = "", []
    for element in body:
        text = _text(element)
        if not text or text in captions:
            continue
        tag = element.tag
        if tag == "head":
            if element.get("rend") == "h1" and (not headline or text == source.title):
                headline = headline or text
                continue
            blocks.append(ParsedBlock("heading", text, hints=hints.get(text)))
        elif tag == "list":
            items = [i for i in element.iter("item") if _text(i)]
            blocks.append(
                ParsedBlock(
                    "list",
                    "\n".join(_text(i) for i in items),
                    html="\n".join(_inline(i) for i in items),
                    ordered=element.get("rend") == "ol",
                    hints=hints.get(_text(items[0])) if items else None,
                )
            )
        elif tag == "quote":
            lines = [_text(p) for p in element if _text(p)] or [text]
            attribution = ""
            if len(lines) > 1 and (a := ATTRIBUTION_LINE.match(lines[-1])):
                attribution, lines = a["who"].strip(), lines[:-1]
            blocks.append(
                ParsedBlock(
                    "quote", " ".join(lines), attribution=attribution, hints=hints.get(lines[0])
                )
            )
        elif tag in {"p", "code"}:
            blocks.append(
                ParsedBlock("paragraph", text, html=_inline(element), hints=hints.get(text))
            )
    return headline, blocks


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def _inline(element) -> str:
    """trafilatura's inline markup (ref, hi) as the sanitised HTML of a paragraph."""
    parts = [escape(element.text or "")]
    for child in element:
        inner = _inline(child)
        if child.tag == "ref" and child.get("target", "").startswith(("http://", "https://")):
            parts.append(f'<a href="{escape(child.get("target"))}">{inner}</a>')
        elif child.tag == "hi" and child.get("rend") in {"#b", "#strong"}:
            parts.append(f"<strong>{inner}</strong>")
        elif child.tag == "hi" and child.get("rend") in {"#i", "#em"}:
            parts.append(f"<em>{inner}</em>")
        elif child.tag == "lb":
            parts.append(" ")
        else:
            parts.append(inner)
        parts.append(escape(child.tail or ""))
    return sanitise_inline_html(" ".join("".join(parts).split()))


# Structural hints -------------------------------------------------------------------------

_BLOCK_TAGS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "div", "td")


def _hint_index(page) -> dict[str, dict]:
    """Map each block-level element's text in the original page to where it sat.

    Children come after their parents in document order, so the innermost element with a
    text wins: a paragraph's hints describe the paragraph, not the div around it.
    """
    index: dict[str, dict] = {}
    for element in page.iter(*_BLOCK_TAGS):
        text = " ".join(element.text_content().split())
        if not text:
            continue
        ancestors = [element, *element.iterancestors()]
        linked = sum(len(" ".join(a.text_content().split())) for a in element.iter("a"))
        classes = []
        for a in ancestors:
            classes.extend((a.get("class") or "").split() + ([a.get("id")] if a.get("id") else []))
        index[text] = {
            "tag": element.tag,
            "containers": sorted({a.tag for a in ancestors if a.tag in CONTAINERS}),
            "classes": classes[:MAX_HINT_CLASSES],
            "link_density": round(min(linked / len(text), 1.0), 3),
        }
    return index
