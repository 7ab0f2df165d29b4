"""Importing raw text into a draft article, with advertising moved out of the reporting.

`parse_text()` is pure: raw text in, a `ParsedArticle` out (headline, dek, typed blocks,
promotional lines set apart). `save_parsed()` turns that into a draft with its bylines, entity
links and an inactive SponsoredBlock per promotional line, for ad operations to review.
"""

import re
from dataclasses import asdict, dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify

from articles import promo
from articles.models import Article, ArticleAuthor, Author, Block, Section, Sponsor, SponsoredBlock

MAX_HEADING_WORDS = 12
MAX_HEADING_CHARS = 100
MAX_DEK_WORDS = 60
CLOSING_PUNCTUATION = tuple(".,;:!?…\"”’'»)")
LIST_ITEM = re.compile(r"^\s*(?:[-*•]|\d{1,3}[.)])\s+(?P<text>.+)$")
QUOTE_LINE = re.compile(r"^\s*>\s?(?P<text>.*)$")
ATTRIBUTION_LINE = re.compile(r"^\s*[—–-]{1,2}\s*(?P<who>\S.*)$")


class ImportRefused(ValueError):
    """The input cannot be imported; the message says why, for the person importing."""


@dataclass
class ParsedBlock:
    type: str
    text: str
    attribution: str = ""
    ordered: bool = False


@dataclass
class ParsedSponsored:
    text: str
    sponsor: str | None
    reasons: list[str]


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
    warnings: list[ParseWarning] = field(default_factory=list)

    def as_dict(self) -> dict:
        """Return the parse as plain data (the shape `import_article --json` prints)."""
        return {
            "headline": self.headline,
            "dek": self.dek,
            "blocks": [
                {"type": b.type, "text": b.text}
                | ({"attribution": b.attribution} if b.attribution else {})
                for b in self.blocks
            ],
            "sponsored": [asdict(s) for s in self.sponsored],
            "warnings": [asdict(w) for w in self.warnings],
        }


def decode(data: bytes) -> str:
    """Decode uploaded bytes as UTF-8 (with or without BOM), refusing binary or other encodings."""
    if not data.strip():
        raise ImportRefused("The file is empty.")
    if b"\x00" in data:
        raise ImportRefused("This looks like a binary file, not text.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRefused(
            f"The file is not valid UTF-8 (byte {exc.start}); save it as UTF-8 and try again."
        ) from exc


def _is_heading_like(line: str) -> bool:
    words = line.split()
    return (
        0 < len(words) <= MAX_HEADING_WORDS
        and len(line) <= MAX_HEADING_CHARS
        and not line.endswith(CLOSING_PUNCTUATION)
        and line[0].isupper()
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


def parse_text(raw: str) -> ParsedArticle:
    """Parse plain text: headline on the first line, then dek, subheadings, paragraphs."""
    lines = raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    units = _units(lines)
    if not units:
        raise ImportRefused("The file is empty.")
    headline = units.pop(0)
    if len(headline) > 250 or headline.endswith((".", "!", "?")) and len(headline.split()) > 30:
        raise ImportRefused(
            "No headline found: the first line should be the headline (at most 250 characters)."
        )
    parsed = ParsedArticle(headline=headline, dek=None)

    blocks: list[ParsedBlock] = []
    i = 0
    while i < len(units):
        unit = units[i]
        if m := LIST_ITEM.match(unit):
            items, ordered = [], unit.lstrip()[0].isdigit()
            while i < len(units) and (m := LIST_ITEM.match(units[i])):
                items.append(escape(m["text"].strip()))
                i += 1
            blocks.append(ParsedBlock("list", "\n".join(items), ordered=ordered))
            continue
        if m := QUOTE_LINE.match(unit):
            quoted = []
            while i < len(units) and (m := QUOTE_LINE.match(units[i])):
                quoted.append(m["text"].strip())
                i += 1
            attribution = ""
            if i < len(units) and (a := ATTRIBUTION_LINE.match(units[i])):
                attribution = a["who"].strip()
                i += 1
            blocks.append(ParsedBlock("quote", " ".join(quoted), attribution=attribution))
            continue
        next_is_text = i + 1 < len(units) and not _is_heading_like(units[i + 1])
        if _is_heading_like(unit) and next_is_text:
            blocks.append(ParsedBlock("heading", unit))
        else:
            blocks.append(ParsedBlock("paragraph", unit))
        i += 1

    # The standfirst: a short first paragraph straight after the headline.
    if blocks and blocks[0].type == "paragraph" and len(blocks[0].text.split()) <= MAX_DEK_WORDS:
        parsed.dek = blocks.pop(0).text

    for block in blocks:
        verdict = promo.assess(block.text) if block.type in {"paragraph", "heading"} else None
        if verdict and verdict.is_promotional:
            parsed.sponsored.append(
                ParsedSponsored(block.text, promo.guess_sponsor(block.text), list(verdict.reasons))
            )
            parsed.warnings.append(
                ParseWarning(
                    "promotional_moved",
                    f"Moved out of the reporting as advertising: “{block.text[:80]}”",
                )
            )
        else:
            parsed.blocks.append(block)
    if not any(b.type != "heading" for b in parsed.blocks):
        raise ImportRefused("No body text found under the headline.")
    return parsed


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
    )
    ArticleAuthor.objects.bulk_create(
        ArticleAuthor(article=article, author=a, position=i) for i, a in enumerate(authors)
    )
    for position, b in enumerate(parsed.blocks):
        text = escape(b.text) if b.type == "paragraph" else b.text
        Block(
            article=article,
            position=position,
            type=b.type,
            text=text,
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
            review_note="Moved out of an imported article: " + "; ".join(item.reasons),
        )
    link_entities(article)
    record_revision(article, by=by, message="Imported")
    return article
