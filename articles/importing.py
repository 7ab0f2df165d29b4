"""Importing raw articles into drafts, with everything that is not reporting kept out.

`parse(raw, fmt)` is pure: plain text, Markdown or HTML in, a `ParsedArticle` out (headline,
dek, typed blocks, and what the promo detector kept out of the body). `save_parsed()` turns
that into a draft with its bylines and entity links; a third-party advertisement becomes an
inactive SponsoredBlock for ad operations, and house promotion, boilerplate and slot labels
become `SetApartLine`s the editor sees beside the article and can restore.
"""

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify
from markdown_it import MarkdownIt

from articles.body import plain_text, sanitise_inline_html
from articles.models import (
    Article,
    ArticleAuthor,
    Author,
    Block,
    Section,
    SetApartLine,
    Sponsor,
    SponsoredBlock,
)
from articles.promo_kinds import PROMO_KINDS, SPONSORED_KINDS
from articles.sponsor_names import guess_sponsor

FORMATS = ("text", "markdown", "html")
MAX_HEADLINE_CHARS = 250
MAX_HEADING_WORDS = 12
MAX_HEADING_CHARS = 100
MAX_DEK_WORDS = 60
CREDIT_CONFIDENCE = 0.85
DEK_REACH = 2
CLOSING_PUNCTUATION = tuple(".,;:!?…\"”’'»)")
LIST_ITEM = re.compile(r"^\s*(?:[-*•]|\d{1,3}[.)])\s+(?P<text>.+)$")
QUOTE_LINE = re.compile(r"^\s*>\s?(?P<text>.*)$")
ATTRIBUTION_LINE = re.compile(r"^\s*[—–-]{1,2}\s*(?P<who>\S.*)$")


class ImportRefused(ValueError):
    """The input cannot be imported; the message says why, for the person importing."""


@dataclass
class ParsedBlock:
    """One body block. `html` is the sanitised inline markup of paragraphs and list items.

    `hints` (HTML imports only) says where the block sat in the page, as the fields of
    `articles.detector.Line` (tag, landmarks, class tokens, link density), which the detector
    reads as features.
    """

    type: str
    text: str
    html: str = ""
    attribution: str = ""
    ordered: bool = False
    hints: dict | None = None
    # HTML imports: the items of one list arrive one per block (each judged on its own) and
    # share this key; the kept items are joined into one list again.
    list_group: str = ""


@dataclass
class ParsedSponsored:
    """A third-party advertisement: an inactive SponsoredBlock for ad operations."""

    text: str
    sponsor: str | None
    reasons: list[str]
    kind: str = "third_party_ad"
    confidence: float = 1.0


@dataclass
class ParsedSetApart:
    """House promotion, boilerplate or a slot label, kept beside the article, restorable."""

    text: str
    kind: str
    confidence: float
    reasons: list[str]
    position: int  # the body position it sat before


@dataclass
class ParsedKeptOut:
    """A byline, dateline or caption found among the lines: not body text."""

    text: str
    label: str


@dataclass
class ParseWarning:
    code: str
    message: str
    block: int | None = None


@dataclass
class ParsedArticle:
    headline: str
    dek: str | None
    blocks: list[ParsedBlock] = field(default_factory=list)
    sponsored: list[ParsedSponsored] = field(default_factory=list)
    set_apart: list[ParsedSetApart] = field(default_factory=list)
    kept_out: list[ParsedKeptOut] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    # HTML imports: what the page says about itself (html_import.SourceMetadata).
    source: object | None = None


def decode(data: bytes, charset: str = "utf-8") -> str:
    """Decode uploaded bytes in `charset` (UTF-8, with or without BOM, by default).

    Refuses empty, binary and undecodable input with a message saying why.
    """
    if not data.strip():
        raise ImportRefused("The file is empty.")
    if b"\x00" in data:
        raise ImportRefused("This looks like a binary file, not text.")
    codec = "utf-8-sig" if charset.lower() in {"utf-8", "utf8"} else charset
    try:
        return data.decode(codec)
    except LookupError:
        raise ImportRefused(f"The file declares an unknown character set {charset!r}.") from None
    except UnicodeDecodeError as exc:
        raise ImportRefused(
            f"The file is not valid {charset.upper()} (first bad byte at position {exc.start}); "
            "save it in its real character set and try again."
        ) from exc


def format_for(filename: str) -> str:
    """Guess the format from a file name: .md/.markdown Markdown, .html/.htm HTML, else text."""
    name = filename.lower()
    if name.endswith((".md", ".markdown")):
        return "markdown"
    return "html" if name.endswith((".html", ".htm")) else "text"


def parse(raw: str, fmt: str = "text") -> ParsedArticle:
    """Parse an article in `fmt` ("text", "markdown" or "html") and set its advertising apart."""
    if fmt not in FORMATS:
        raise ImportRefused(f"Unknown format {fmt!r}: use one of {', '.join(FORMATS)}.")
    if fmt == "html":
        from articles.html_import import parse_html

        return parse_html(raw)
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    if not raw.strip():
        raise ImportRefused("The file is empty.")
    headline, blocks = _parse_markdown(raw) if fmt == "markdown" else _parse_text(raw)
    headline = " ".join(headline.split())
    marked = fmt == "markdown"
    if not headline or len(headline) > MAX_HEADLINE_CHARS:
        raise ImportRefused(
            "No headline found: the first line should be the headline "
            f"(at most {MAX_HEADLINE_CHARS} characters)."
        )
    return _finish(headline, blocks, marked_headings=marked)


# Plain text -------------------------------------------------------------------------------


def _is_heading_like(line: str) -> bool:
    words = line.split()
    return (
        0 < len(words) <= MAX_HEADING_WORDS
        and len(line) <= MAX_HEADING_CHARS
        and not line.endswith(CLOSING_PUNCTUATION)
        and line[0].isupper()
        and not LIST_ITEM.match(line)
    )


def _units(lines: list[str]) -> list[str]:
    """Split text into paragraph-sized units.

    Each non-empty line is a unit, except in hard-wrapped text (chunks between blank lines
    whose lines do not end sentences), where a chunk's lines are joined into one unit.
    """
    units: list[str] = []
    chunk: list[str] = []
    for line in [*lines, ""]:
        if line.strip():
            chunk.append(line.strip())
            continue
        if not chunk:
            continue
        special = any(LIST_ITEM.match(c) or QUOTE_LINE.match(c) for c in chunk)
        wrapped = (
            len(chunk) > 1
            and not special
            and all(len(c) > 40 and not c.endswith(CLOSING_PUNCTUATION) for c in chunk[:-1])
        )
        units.extend([" ".join(chunk)] if wrapped else chunk)
        chunk = []
    return units


def _parse_text(raw: str) -> tuple[str, list[ParsedBlock]]:
    """Headline on the first line; subheadings are short unpunctuated lines over paragraphs."""
    units = _units(raw.split("\n"))
    headline = units.pop(0)
    blocks: list[ParsedBlock] = []
    i = 0
    while i < len(units):
        unit = units[i]
        if LIST_ITEM.match(unit):
            items, ordered = [], unit.lstrip()[0].isdigit()
            while i < len(units) and (m := LIST_ITEM.match(units[i])):
                items.append(m["text"].strip())
                i += 1
            blocks.append(_list_block(items, [escape(t) for t in items], ordered))
        elif QUOTE_LINE.match(unit):
            quoted = []
            while i < len(units) and (m := QUOTE_LINE.match(units[i])):
                quoted.append(m["text"].strip())
                i += 1
            attribution = ""
            if i < len(units) and (a := ATTRIBUTION_LINE.match(units[i])):
                attribution = a["who"].strip()
                i += 1
            blocks.append(ParsedBlock("quote", " ".join(quoted), attribution=attribution))
        else:
            next_is_text = i + 1 < len(units) and not _is_heading_like(units[i + 1])
            if _is_heading_like(unit) and next_is_text:
                blocks.append(ParsedBlock("heading", unit))
            else:
                blocks.append(ParsedBlock("paragraph", unit, html=escape(unit)))
            i += 1
    return headline, blocks


# Markdown ---------------------------------------------------------------------------------

# CommonMark with raw HTML off: pasted tags arrive as text, never as markup.
_markdown = MarkdownIt("commonmark", {"html": False})


def _inline_html(token) -> str:
    rendered = _markdown.renderer.renderInline(token.children or [], _markdown.options, {})
    return sanitise_inline_html(rendered)


def _parse_markdown(raw: str) -> tuple[str, list[ParsedBlock]]:
    """`# Headline`, `##` subheadings, paragraphs, `>` quotes (a last `— Name` line is the
    attribution), bullet and numbered lists (nested items are flattened); inline links and
    emphasis are kept."""
    headline, blocks = "", []
    quote: list[str] | None = None
    items: list[tuple[str, str]] = []
    list_depth, ordered = 0, False
    tokens = _markdown.parse(raw)
    for i, token in enumerate(tokens):
        kind = token.type
        if kind in {"bullet_list_open", "ordered_list_open"}:
            if list_depth == 0:
                items, ordered = [], kind == "ordered_list_open"
            list_depth += 1
        elif kind in {"bullet_list_close", "ordered_list_close"}:
            list_depth -= 1
            if list_depth == 0:
                blocks.append(_list_block([t for t, _ in items], [h for _, h in items], ordered))
        elif kind == "blockquote_open" and quote is None:
            quote = []
        elif kind == "blockquote_close" and token.level == 0 and quote is not None:
            attribution = ""
            if len(quote) > 1 and (a := ATTRIBUTION_LINE.match(quote[-1])):
                attribution, quote = a["who"].strip(), quote[:-1]
            blocks.append(ParsedBlock("quote", " ".join(quote), attribution=attribution))
            quote = None
        elif kind == "inline":
            html = _inline_html(token)
            lines, opener = plain_text(html).split("\n"), tokens[i - 1]
            # Soft line breaks inside a paragraph are just spaces, except in quotes, where the
            # last line may be the attribution.
            text, html = " ".join(lines).strip(), html.replace("\n", " ")
            if not text:
                continue
            if quote is not None:
                quote.extend(line.strip() for line in lines if line.strip())
            elif list_depth:
                items.append((text, html))
            elif opener.type == "heading_open" and opener.tag == "h1" and not headline:
                headline = text
            elif not headline and not blocks:
                headline = text  # no "# " line: the first line is the headline
            elif opener.type == "heading_open":
                blocks.append(ParsedBlock("heading", text))
            else:
                blocks.append(ParsedBlock("paragraph", text, html=html))
    return headline, blocks


# Shared -----------------------------------------------------------------------------------


def _list_block(texts: list[str], htmls: list[str], ordered: bool) -> ParsedBlock:
    return ParsedBlock("list", "\n".join(texts), html="\n".join(htmls), ordered=ordered)


def _finish(
    headline: str,
    blocks: list[ParsedBlock],
    publisher: str = "",
    *,
    page: bool = False,
    marked_headings: bool = False,
) -> ParsedArticle:
    """Let the detector read the whole document, then keep only the reporting in the body.

    An advertiser's copy goes to `sponsored`, the publisher's own promotion to `set_apart`,
    bylines, datelines and captions to `kept_out`; the detector also settles which short
    lines are subheadings (a heading the markup marks, `marked_headings`, stays one). The
    standfirst (dek) of pasted text is its first paragraph, as the format says; on an HTML
    `page` the detector picks it (a page may have none).
    """
    verdicts = _block_verdicts(headline, blocks, publisher)
    parsed = ParsedArticle(headline=headline, dek=None)
    kept: list[tuple[ParsedBlock, object]] = []  # (block, detector.Verdict)
    for block, verdict in zip(blocks, verdicts, strict=True):
        if verdict.is_promotional:
            _keep_out_promotion(parsed, block, verdict, position=len(kept))
        elif _is_credit_line(block, verdict):
            parsed.kept_out.append(ParsedKeptOut(block.text, verdict.label))
            parsed.warnings.append(
                ParseWarning(
                    "kept_out",
                    f"Kept out of the body as a {verdict.label}: “{block.text}”",
                )
            )
        else:
            kept.append((block, verdict))
    # The standfirst opens the story; on a page, a kicker the detector kept may come first.
    for i, (block, verdict) in enumerate(kept[: DEK_REACH if page else 1]):
        if _is_dek(block, verdict, by_position=not page):
            parsed.dek = kept.pop(i)[0].text
            for item in parsed.set_apart:
                item.position -= item.position > i
            break
    for block, verdict in kept:
        block = _retyped(block, verdict, marked_headings)
        previous = parsed.blocks[-1] if parsed.blocks else None
        if block.list_group and previous and previous.list_group == block.list_group:
            previous.text += "\n" + block.text
            previous.html += "\n" + block.html
        else:
            parsed.blocks.append(block)
    if not any(b.type != "heading" for b in parsed.blocks):
        raise ImportRefused("No body text found under the headline.")
    return parsed


def _block_verdicts(headline: str, blocks: list[ParsedBlock], publisher: str) -> list:
    """One verdict per block. The detector reads each item of a list as a line of its own
    (as the corpus labels them); a list is non-reporting only when every item is."""
    from articles import detector  # scikit-learn loads on first use, not at every start

    lines, owners = [detector.Line(headline)], [None]
    for i, block in enumerate(blocks):
        for part in block.text.split("\n") if block.type == "list" else [block.text]:
            lines.append(detector.Line(part, **(block.hints or {})))
            owners.append(i)
    verdicts = detector.classify(lines, publisher=publisher)
    per_block: list[list] = [[] for _ in blocks]
    for owner, verdict in zip(owners, verdicts, strict=True):
        if owner is not None:
            per_block[owner].append(verdict)
    return [
        min(items, key=lambda v: v.promo) if not all(v.is_promotional for v in items) else items[0]
        for items in per_block
    ]


def _keep_out_promotion(parsed, block: ParsedBlock, verdict, position: int) -> None:
    reasons = list(verdict.reasons)
    label = PROMO_KINDS[verdict.kind]
    if verdict.kind in SPONSORED_KINDS:
        parsed.sponsored.append(
            ParsedSponsored(
                block.text,
                guess_sponsor(block.text),
                reasons,
                verdict.kind,
                verdict.confidence,
            )
        )
        parsed.warnings.append(
            ParseWarning(
                "promotional_moved",
                f"Moved out of the reporting into a pending sponsored block: “{block.text}”",
            )
        )
        return
    parsed.set_apart.append(
        ParsedSetApart(block.text, verdict.kind, verdict.confidence, reasons, position)
    )
    parsed.warnings.append(
        ParseWarning("set_apart", f"Set apart ({label.lower()}), not in the body: “{block.text}”")
    )


def _is_credit_line(block: ParsedBlock, verdict) -> bool:
    """A byline, dateline or caption the detector is sure of: not body text."""
    return (
        verdict.label in {"byline", "caption"}
        and verdict.confidence >= CREDIT_CONFIDENCE
        and block.type == "paragraph"
        and len(block.text.split()) <= MAX_DEK_WORDS
    )


def _is_dek(block: ParsedBlock, verdict, by_position: bool) -> bool:
    """Pasted text: its first paragraph. A page: what the detector rates a dek, or what the
    page itself marks as one (a standfirst-like class, `detector.DEK_CLASS_WORDS`)."""
    from articles.detector import marked_as_dek

    if block.type != "paragraph" or len(block.text.split()) > MAX_DEK_WORDS:
        return False
    return (
        by_position
        or verdict.probability("dek") >= verdict.probability("paragraph")
        or marked_as_dek((block.hints or {}).get("tokens", ()))
    )


def _retyped(block: ParsedBlock, verdict, marked_headings: bool) -> ParsedBlock:
    """A paragraph the detector reads as a subheading becomes one, and the reverse unless the
    markup marked the heading."""
    heading, paragraph = verdict.probability("subheading"), verdict.probability("paragraph")
    short = (
        0 < len(block.text.split()) <= MAX_HEADING_WORDS and len(block.text) <= MAX_HEADING_CHARS
    )
    if block.type == "paragraph" and heading > paragraph and short and block.text[-1] not in ".,;":
        return ParsedBlock("heading", block.text, hints=block.hints)
    if block.type == "heading" and paragraph > heading and not marked_headings:
        return ParsedBlock("paragraph", block.text, html=escape(block.text), hints=block.hints)
    if block.list_group:  # a copy, so joining items never changes the caller's blocks
        return ParsedBlock(**vars(block))
    return block


def unique_slug(text: str, model=Article, field_name: str = "slug", max_length: int = 250) -> str:
    """Return a slug for `text` not yet used by `model`, adding -2, -3… when taken."""
    base = slugify(text)[: max_length - 8].strip("-") or "untitled"
    slug, n = base, 2
    while model.objects.filter(**{field_name: slug}).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def save_parsed(
    parsed: ParsedArticle, *, section: Section, authors: list[Author] = (), by=None
) -> Article:
    """Create a draft from a parse, its promotional lines as inactive sponsored blocks."""
    from articles.entities import link_entities
    from articles.revisions import record_revision

    article = Article.objects.create(
        headline=parsed.headline,
        slug=unique_slug(parsed.headline),
        dek=parsed.dek or "",
        section=section,
        created_by=by,
    )
    ArticleAuthor.objects.bulk_create(
        ArticleAuthor(article=article, author=a, position=i) for i, a in enumerate(authors)
    )
    for position, b in enumerate(parsed.blocks):
        Block(
            article=article,
            position=position,
            type=b.type,
            text=b.html or b.text,
            attribution=b.attribution,
            ordered=b.ordered,
        ).save()
    for item in parsed.sponsored:
        name = item.sponsor or "Unknown sponsor"
        sponsor, _ = Sponsor.objects.get_or_create(
            name=name, defaults={"slug": unique_slug(name, Sponsor, max_length=200)}
        )
        SponsoredBlock.objects.create(
            label=SponsoredBlock.Label.ADVERTISEMENT,
            sponsor=sponsor,
            headline=item.text[:200],
            text=item.text,
            starts_at=timezone.now(),
            active=False,
            placement=SponsoredBlock.Placement.END_OF_ARTICLE,
            source_article=article,
            review_note=(
                f"Moved out of an imported article (confidence {item.confidence:.0%}): "
                + "; ".join(item.reasons)
            ),
        )
    SetApartLine.objects.bulk_create(
        SetApartLine(
            article=article,
            position=item.position,
            text=item.text,
            kind=item.kind,
            confidence=item.confidence,
            reasons=item.reasons,
        )
        for item in parsed.set_apart
    )
    link_entities(article)
    record_revision(article, by=by, message="Imported")
    return article


def describe(parsed: ParsedArticle) -> dict:
    """Return what an import would create, as plain data (`import_article --json` prints it).

    Reads the gazetteer but writes nothing.
    """
    from articles.entities import current_gazetteer
    from articles.linking import link
    from articles.review import review_parsed

    texts = [b.text for b in parsed.blocks]
    found = link(current_gazetteer(), headline=parsed.headline, dek=parsed.dek or "", blocks=texts)
    copy_warnings = review_parsed(parsed)
    return {
        "headline": parsed.headline,
        "dek": parsed.dek,
        "blocks": [
            {"type": b.type, "text": b.text}
            | ({"attribution": b.attribution} if b.attribution else {})
            | ({"ordered": True} if b.ordered else {})
            for b in parsed.blocks
        ],
        "sponsored": [
            {
                "text": s.text,
                "sponsor": s.sponsor,
                "reasons": s.reasons,
                "kind": s.kind,
                "confidence": s.confidence,
            }
            for s in parsed.sponsored
        ],
        "set_apart": [
            {"text": s.text, "kind": s.kind, "confidence": s.confidence, "reasons": s.reasons}
            for s in parsed.set_apart
        ],
        "kept_out": [{"text": k.text, "label": k.label} for k in parsed.kept_out],
        "entities": [
            {"name": m.name, "kind": m.kind, "role": m.role, "matched": list(m.matched)}
            for m in found.mentions
        ],
        "candidates": list(found.candidates),
        "warnings": [
            {"code": w.code, "message": w.message, "block": w.block} for w in parsed.warnings
        ]
        + [{"code": w.code, "message": w.message, "block": w.block} for w in copy_warnings],
    } | ({"source": describe_source(parsed.source)} if parsed.source is not None else {})


def describe_source(source) -> dict:
    """An HTML page's metadata as plain data, each byline name matched to an Author if one
    has that name (unknown names are reported with `"author": null`, never created)."""
    return {
        "title": source.title,
        "byline": [
            {"name": name, "author": author.slug if author else None}
            for name, author in match_byline(source.byline)
        ],
        "date": source.date,
        "site_name": source.site_name,
        "canonical_url": source.canonical_url,
        "images": [{"src": i.src, "alt": i.alt, "caption": i.caption} for i in source.images],
    }


def byline_authors(parsed: ParsedArticle) -> tuple[list[Author], list[str]]:
    """The existing Authors named in an HTML page's byline, and the names with no Author."""
    pairs = match_byline(parsed.source.byline) if parsed.source is not None else []
    return [a for _, a in pairs if a], [name for name, a in pairs if not a]


def match_byline(names: list[str]) -> list[tuple[str, Author | None]]:
    """Pair each byline name with the existing Author of that name (case-insensitive), if any."""
    return [(name, Author.objects.filter(name__iexact=name).first()) for name in names]
