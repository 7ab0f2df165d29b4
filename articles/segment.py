"""Segment a whole HTML page into the text blocks a reader sees.

`segment(html)` is a pure function (no database, no network): it parses the page with lxml and
returns one `Segment` per *leaf block*, in document order. The labelled corpus of issue 14 keys
its labels by a block's position and by `Segment.key`, a short hash of the block's normalised
text, so this module defines those keys. **Changing anything below changes positions or keys
and silently invalidates every manifest label**: `tests/importing/test_segment.py` pins the keys
of a self-written page, and a deliberate change must bump `SEGMENTER_VERSION` and relabel.

What counts as a block
----------------------
* Only the `<body>` is walked (the `<title>` is not body text).
* Dropped with everything inside them: the elements in `DROPPED_TAGS` (scripts, styles,
  `<noscript>`, `<template>`, `<svg>`, `<iframe>`, form pickers, media fallbacks), comments, and
  hidden elements: a `hidden` attribute, `aria-hidden="true"`, or an inline style with
  `display:none` or `visibility:hidden`.
* Every element in `BLOCK_TAGS` starts a new block. Its *direct* inline content (text and inline
  descendants such as `<a>`, `<span>`, `<em>`, unknown or custom tags) up to the next nested
  block element forms one run; a nested block flushes the run, is segmented on its own, and the
  text after it starts a new run owned by the outer element again. So a `<div>` with bare text
  and a `<p>` inside yields two blocks, and a `<p>` yields one.
* `<br>` is a space inside a run; `<hr>` ends the run.
* `<input type="submit">` / `<input type="button">` with a `value` is its own block (a button
  label a reader sees).
* Runs whose normalised text is empty are skipped; positions count only emitted blocks.
* Inline pieces are joined with nothing between them, so adjacent links without whitespace
  (a tag row such as ``<a>A</a><a>B</a>``) read as one word, as they do in the source text.
* lxml (libxml2) caps the tree depth; content nested deeper than that is lost by the parser.

Normalisation (defines the hashes)
----------------------------------
``text = " ".join(unicodedata.normalize("NFC", raw).split())`` where *raw* is the run's text
pieces concatenated in document order with nothing added between them (``<br>`` contributes one
space). ``str.split()`` with no argument splits on every character for which ``str.isspace()``
is true (this includes U+00A0 no-break space, but not U+200B zero-width space).
``key = sha256(text.encode("utf-8")).hexdigest()[:12]``.
"""

import hashlib
import re
import unicodedata
from dataclasses import dataclass

import lxml.html
from lxml import etree

SEGMENTER_VERSION = 1

#: Elements dropped together with their content: never reader-visible text.
DROPPED_TAGS = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "iframe",
        "select",
        "datalist",
        "object",
        "embed",
        "canvas",
        "video",
        "audio",
        "head",
    }
)

#: Elements that start a block. The first group are text blocks, the second containers whose
#: bare text (text sitting directly in them) also forms a block.
BLOCK_TAGS = frozenset(
    {
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "blockquote",
        "figcaption",
        "dt",
        "dd",
        "td",
        "th",
        "pre",
        "button",
        "label",
        "caption",
        "legend",
        "summary",
        "address",
        "option",
    }
    | {
        "html",
        "body",
        "div",
        "section",
        "aside",
        "article",
        "main",
        "header",
        "footer",
        "nav",
        "form",
        "figure",
        "ul",
        "ol",
        "dl",
        "menu",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "fieldset",
        "details",
        "hgroup",
        "center",
        "dialog",
    }
)

#: Landmarks recorded in `Segment.landmarks`, by tag name and by ARIA role.
LANDMARK_TAGS = frozenset({"header", "nav", "aside", "footer", "form", "article", "main", "figure"})
LANDMARK_ROLES = {
    "banner": "header",
    "navigation": "nav",
    "complementary": "aside",
    "contentinfo": "footer",
    "form": "form",
    "search": "form",
    "article": "article",
    "main": "main",
    "figure": "figure",
}

#: How many ancestors `Segment.path` and `Segment.tokens` look at.
PATH_DEPTH = 4
TOKEN_DEPTH = 3

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_STYLE_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Segment:
    """One reader-visible text block of a page.

    * ``position``: index among the page's emitted blocks, from 0.
    * ``text``: normalised text (see the module docstring).
    * ``tag``: the element owning the run (``p``, ``li``, ``div``…).
    * ``path``: the owning element and its nearest ancestors below ``<html>``, outermost
      first, joined with ``>`` (at most `PATH_DEPTH` + 1 names), each with ``[role]`` when it
      has an ARIA role.
    * ``landmarks``: landmark names (``header``, ``nav``, ``aside``, ``footer``, ``form``,
      ``article``, ``main``, ``figure``) of the owning element and *all* its ancestors,
      outermost first, without repeats.
    * ``tokens``: lower-cased id and class tokens of the owning element and its nearest
      `TOKEN_DEPTH` ancestors, nearest first, without repeats.
    * ``link_density``: share of the text's characters inside ``<a>`` (0.0–1.0, 3 decimals).
    * ``key``: first 12 hex digits of the sha256 of ``text`` in UTF-8.
    """

    position: int
    text: str
    tag: str
    path: str
    landmarks: tuple[str, ...]
    tokens: tuple[str, ...]
    link_density: float
    key: str


def normalise(raw: str) -> str:
    """Return the canonical form of a block's text: NFC, whitespace runs collapsed, stripped."""
    return " ".join(unicodedata.normalize("NFC", raw).split())


def text_key(text: str) -> str:
    """Return the 12-hex-digit key of already normalised text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def segment(html: str) -> list[Segment]:
    """Split a whole HTML page into its reader-visible text blocks, in document order.

    Deterministic and pure; an empty or unparsable page gives an empty list.
    """
    html = _XML_DECLARATION.sub("", html.replace("\x00", ""), count=1)
    if not html.strip():
        return []
    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return []
    body = root.find("body")
    walker = _Walker()
    walker.block(body if body is not None else root)
    return walker.segments


def _is_hidden(el) -> bool:
    if "hidden" in el.attrib:
        return True
    if el.get("aria-hidden", "").strip().lower() == "true":
        return True
    style = _STYLE_SPACE.sub("", el.get("style", "")).lower()
    return "display:none" in style or "visibility:hidden" in style


def _role(el) -> str:
    return el.get("role", "").strip().lower()


def _landmark(el) -> str | None:
    if el.tag in LANDMARK_TAGS:
        return el.tag
    return LANDMARK_ROLES.get(_role(el))


def _lineage(el) -> list:
    """The element and its ancestors, outermost first."""
    chain = [el]
    chain.extend(el.iterancestors())
    chain.reverse()
    return chain


class _Walker:
    """Collects runs of inline text per owning block element (see the module docstring)."""

    def __init__(self):
        self.segments: list[Segment] = []
        self.pieces: list[tuple[str, bool]] = []
        self.owner = None

    def block(self, el) -> None:
        self.flush()
        outer = self.owner
        self.owner = el
        self.content(el, in_link=False)
        self.flush()
        self.owner = outer

    def content(self, el, in_link: bool) -> None:
        if el.text:
            self.pieces.append((el.text, in_link))
        for child in el:
            tag = child.tag if isinstance(child.tag, str) else None
            if tag is not None and tag not in DROPPED_TAGS and not _is_hidden(child):
                if tag in BLOCK_TAGS:
                    self.block(child)
                elif tag == "br":
                    self.pieces.append((" ", in_link))
                elif tag == "hr":
                    self.flush()
                elif tag == "input":
                    self.button_input(child)
                else:
                    self.content(child, in_link or tag == "a")
            if child.tail:
                self.pieces.append((child.tail, in_link))

    def button_input(self, el) -> None:
        if el.get("type", "").strip().lower() in ("submit", "button") and el.get("value"):
            self.flush()
            outer = self.owner
            self.owner = el
            self.pieces.append((el.get("value"), False))
            self.flush()
            self.owner = outer

    def flush(self) -> None:
        pieces, self.pieces = self.pieces, []
        if self.owner is None or not pieces:
            return
        text = normalise("".join(piece for piece, _ in pieces))
        if not text:
            return
        linked = sum(len(normalise(piece)) for piece, in_link in pieces if in_link)
        self.segments.append(
            Segment(
                position=len(self.segments),
                text=text,
                tag=self.owner.tag,
                path=_path(self.owner),
                landmarks=_landmarks(self.owner),
                tokens=_tokens(self.owner),
                link_density=round(min(1.0, linked / len(text)), 3),
                key=text_key(text),
            )
        )


def _path(el) -> str:
    names = []
    lineage = [node for node in _lineage(el) if node.tag != "html"]
    for node in lineage[-(PATH_DEPTH + 1) :]:
        role = _role(node)
        names.append(f"{node.tag}[{role}]" if role else node.tag)
    return ">".join(names)


def _landmarks(el) -> tuple[str, ...]:
    found: list[str] = []
    for node in _lineage(el):
        name = _landmark(node)
        if name and name not in found:
            found.append(name)
    return tuple(found)


def _tokens(el) -> tuple[str, ...]:
    found: list[str] = []
    nodes = [el, *list(el.iterancestors())[:TOKEN_DEPTH]]
    for node in nodes:
        for token in (node.get("id", "") + " " + node.get("class", "")).lower().split():
            if token not in found:
                found.append(token)
    return tuple(found)
