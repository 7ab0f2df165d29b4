"""Importing an HTML page (a saved file or a fetched URL) into a `ParsedArticle`.

trafilatura finds the main text and the page's metadata; this module turns its output into
the same typed blocks text and Markdown imports produce (headings, paragraphs, lists,
quotes) and hands them to `importing._finish`, so the promo detector, the copy desk and entity
linking run on them unchanged. Each block also carries `hints`: where its text sat in the
original page (its element, landmarks such as aside or form, the classes around it, its link
density), which the detector reads as features together with the page's site name.
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
    MAX_HEADLINE_CHARS,
    ImportRefused,
    ParsedArticle,
    ParsedBlock,
    _finish,
    decode,
)
from articles.segment import normalise, segment

# Saved pages carry inline styles and scripts, so they get more room than text files.
MAX_HTML_BYTES = 5 * 1024 * 1024
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
BYLINE_SEPARATORS = re.compile(r"\s*(?:;|,|\band\b|&)\s*")


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
    source = _metadata(document, page, url)
    extracted = _extracted(document)
    segments = segment(html)
    span = _region(segments, extracted, source.title)
    if span is None:
        raise ImportRefused("No article text found in this page.")
    headline, blocks = _blocks(segments[span[0] : span[1] + 1], extracted, source)
    headline = " ".join((source.title or headline).split())
    if not any(b.type in {"paragraph", "list", "quote"} for b in blocks):
        raise ImportRefused("No article text found in this page.")
    if not headline or len(headline) > MAX_HEADLINE_CHARS:
        raise ImportRefused(
            f"No headline found: the page has no title or h1 of at most {MAX_HEADLINE_CHARS} "
            "characters."
        )
    parsed = _finish(headline, blocks, publisher=source.site_name, page=True, marked_headings=True)
    parsed.source = source
    return parsed


# Metadata ---------------------------------------------------------------------------------


def _metadata(document, page, url: str | None) -> SourceMetadata:
    meta = document or trafilatura.extract_metadata(page)
    base = (meta.url if meta else None) or url or ""
    return SourceMetadata(
        title=" ".join(((meta.title if meta else None) or "").split()),
        byline=split_byline((meta.author if meta else None) or ""),
        date=(meta.date if meta else None) or None,
        site_name=(meta.sitename if meta else None) or "",
        canonical_url=(meta.url if meta else None) or "",
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

# A matched text this short may be a label that also sits in the navigation or a box.
MIN_ANCHOR_CHARS = 25
# How far above the first matched paragraph the page's h1 or title may sit.
HEADLINE_REACH = 30
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
CAPTION_TAGS = frozenset({"figcaption", "caption"})


def _extracted(document) -> dict[str, object]:
    """Each text trafilatura took as main content (paragraphs, headings, list items, quote
    lines) → its element, for the inline markup (links, emphasis) of that block."""
    found: dict[str, object] = {}
    if document is None or document.body is None:
        return found
    for element in document.body.iter("p", "head", "item", "code"):
        if text := _text(element):
            found.setdefault(text, element)
    return found


def _region(segments, extracted: dict, title: str) -> tuple[int, int] | None:
    """The span of the page's blocks that holds the article.

    trafilatura finds the main text; the span runs from its first to its last paragraph on
    the page, so nothing between them is lost (a paragraph trafilatura skipped, a box in the
    middle, which the detector then judges), and starts at the page's headline when that sits
    just above. Without trafilatura's help, the page's <article> (or <main>) element is used.
    """
    anchors = [
        i
        for i, seg in enumerate(segments)
        if seg.text in extracted and len(seg.text) >= MIN_ANCHOR_CHARS
    ]
    if anchors:
        first, last = anchors[0], anchors[-1]
    else:
        for landmark in ("article", "main"):
            inside = [i for i, seg in enumerate(segments) if landmark in seg.landmarks]
            if inside:
                first, last = inside[0], inside[-1]
                break
        else:
            return None
    title = normalise(title or "")
    for i in range(first - 1, max(first - HEADLINE_REACH, 0) - 1, -1):
        seg = segments[i]
        if (title and seg.text == title) or (
            seg.tag == "h1" and len(seg.text) <= MAX_HEADLINE_CHARS
        ):
            first = i
            break
    return first, last


def _blocks(span, extracted: dict, source: SourceMetadata) -> tuple[str, list[ParsedBlock]]:
    """The page's blocks in the article span → the importer's blocks, with page hints.

    Returns the page's h1 (the headline when the page has no title) and the blocks; the
    headline itself and captions (reported with the images) are not blocks. Each list item is
    its own block here, so the detector judges every line; `importing` joins a list's items
    again afterwards (`list_group`).
    """
    captions = {normalise(img.caption) for img in source.images if img.caption}
    title = normalise(source.title or "")
    headline, blocks = "", []
    for seg in span:
        text = seg.text
        if seg.tag in CAPTION_TAGS or text in captions:
            continue
        if not headline and (text == title or seg.tag == "h1"):
            headline = text
            continue
        hints = {
            "tag": seg.tag,
            "landmarks": seg.landmarks,
            "tokens": seg.tokens,
            "link_density": seg.link_density,
        }
        element = extracted.get(text)
        html = _inline(element) if element is not None else escape(text)
        if seg.tag in HEADING_TAGS:
            blocks.append(ParsedBlock("heading", text, hints=hints))
        elif seg.tag == "li":
            blocks.append(
                ParsedBlock(
                    "list",
                    text,
                    html=html,
                    hints=hints,
                    list_group=seg.path,
                    ordered=seg.path.rsplit(">", 2)[-2:-1] == ["ol"],
                )
            )
        elif "blockquote" in seg.path.split(">"):
            blocks.append(ParsedBlock("quote", text, hints=hints))
        else:
            blocks.append(ParsedBlock("paragraph", text, html=html, hints=hints))
    return headline, blocks


def _text(element) -> str:
    return normalise("".join(element.itertext()))


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
