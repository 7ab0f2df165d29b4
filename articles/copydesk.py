"""Copy-desk checks: advice on an article draft, each warning pointing at its place.

Pure Python, no Django: the caller turns an article (or an unsaved form) into a Draft of plain
texts and calls review() with the gazetteer's names and aliases. Warnings never block publishing
(unlike the advertising check in publishing.py): they are for the editor to read and judge.

Adding a check: write one small function taking (draft, context) and yielding CopyWarning
objects, and list it in CHECKS. The Context is built once per review: the texts in reading order
as Place objects, the known names, and the common-word list.

Places: CopyWarning.block is the 0-based index into Draft.blocks, as stored; messages count
blocks from 1 ("block 12"), as publishing.py's messages do, because that is what editors count.

Word list: data/common_words.txt holds the lower-case words of SCOWL size 35 (Debian's
wamerican-small), read once. SCOWL writes acronyms in capitals ("NASA", "GDP"), so they are not
in it, which is how a word in capitals is told apart: "WOULD" is a word typed in capitals, "APEC"
an acronym. Acronyms that are also words ("US", "WHO", "IT") are listed in _ACRONYMS.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache
from pathlib import Path

SEO_TITLE_MAX_CHARS = 70  # search results cut titles at about this length
LONG_PARAGRAPH_WORDS = 120
DEK_MAX_OVERLAP = 0.8  # share of distinct words (Jaccard) at which the dek repeats the headline
MISSPELLING_MIN_LETTERS = 5  # shorter names are too close to too many other words
MISSPELLING_MIN_RATIO = 0.8  # difflib ratio: one wrong letter in five ("Tokio"), a swap in eight
COMMON_WORDS_PATH = Path(__file__).resolve().parent / "data" / "common_words.txt"

# Acronyms that are also English words, so the word list alone would call them shouting; and a
# few that are not words, listed anyway so that no word-list update can turn them into warnings.
_ACRONYM_TEXT = (
    "ACT AIDS AM CAP CARE CAT CHIPS DOGE ICE ID IT LED NOW OK PIN PM RAM SAT SEC SIM SNAP SWIFT"
    " US VAT WHO AI APEC ASEAN CEO CSIS EU GDP IPO NASA NATO UK UN"
)
_ACRONYMS = frozenset(_ACRONYM_TEXT.split())
_ROMAN = re.compile(r"(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")  # "World War II", "Pope Leo XIV"
_WORD = re.compile(r"[^\W_][\w.’'&-]*")  # a word with its inner dots, hyphens and apostrophes
_POSSESSIVE = re.compile(r"[’'][sS]?$")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_CAPITALISED = re.compile(rf"\b[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]{{{MISSPELLING_MIN_LETTERS - 1},}}\b")
_DAYS = frozenset({"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"})
_NAME_SUFFIXES = frozenset({"Jr", "Jr.", "Sr", "Sr.", "II", "III", "IV"})

_TITLE_TEXT = (
    "President, President-elect, Vice President, Prime Minister, Premier, Chancellor, Minister,"
    " Secretary, Secretary-General, Mayor, Senator, Governor, Representative, Ambassador, Speaker,"
    " King, Queen, Emperor, Empress, Prince, Princess, Crown Prince, Pope, Judge, Justice,"
    " Chief Justice, General, Attorney General, Admiral, Chief Executive, Chair, Dr"
)
# Titles as written before a name -> the title they mean: "PM" and "Prime Minister" agree.
_TITLES = {title: title for title in _TITLE_TEXT.split(", ")} | {
    **{"PM": "Prime Minister", "Sen.": "Senator", "Gov.": "Governor", "Rep.": "Representative"},
    **{"Congressman": "Representative", "Congresswoman": "Representative", "Dr.": "Dr"},
    **{"Gen.": "General", "Adm.": "Admiral", "CEO": "Chief Executive", "Chairman": "Chair"},
    **{"Chief Executive Officer": "Chief Executive", "Chairwoman": "Chair"},
}
_TITLE_WORDS = "|".join(re.escape(title) for title in sorted(_TITLES, key=len, reverse=True))
# "Takaichi", "Jong-un", "O’Neill", an initial "J."; never a title, so that in "General Motors
# Chief Executive Mary Barra" the name after "Chief Executive" is Mary Barra's.
_NAME_WORD = rf"(?!(?:{_TITLE_WORDS})(?![\w-]))[A-ZÀ-ÖØ-Þ](?:\.|[\w’'-]+)"
_TITLED_NAME = re.compile(
    r"(?<![\w-])(?P<status>(?i:former|late|acting|interim)\s+|(?i:ex|then)-\s*)?"
    # Nationality and party words say nothing about the title: "Malaysian PM" is "PM".
    r"(?P<qualifier>(?:[A-Z][a-z]+(?:an|ese|ish|i|ch|ss)|U\.S\.|US|UK|EU)\s+)?"
    rf"(?P<title>{_TITLE_WORDS})(?:\s+of\s+(?:the\s+)?[A-Z][a-z]+)?\s+"
    rf"(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}})"
)
# Status words that change what a title says; "late" does not, "then-" is a deliberate past.
_STATUS = {"former": "former", "ex": "former", "acting": "acting", "interim": "acting"}


@dataclass(frozen=True)
class CopyWarning:
    code: str  # "inconsistent_title", "stray_capitals", ... : one per check
    message: str  # for the editor, quoting the words concerned
    block: int | None  # 0-based index into Draft.blocks; None for headline, dek, SEO title, hero
    field: str = "body"  # "headline" | "dek" | "body" | "seo_title" | "hero_image"
    excerpt: str = ""  # the offending words


@dataclass(frozen=True)
class DraftBlock:
    type: str  # "heading" | "paragraph" | "quote" | "list" | "image"
    text: str = ""  # plain text, no HTML (an image block's caption)
    alt_text: str | None = None  # image blocks: None or "" when missing


@dataclass(frozen=True)
class Draft:
    headline: str
    dek: str = ""
    blocks: tuple[DraftBlock, ...] = ()
    seo_title: str = ""
    hero_alt_text: str | None = None  # None: no hero image; "": a hero image without alt text


@dataclass(frozen=True)
class Place:
    """One text of the draft and where it is."""

    field: str
    block: int | None
    text: str

    @property
    def label(self) -> str:
        names = {"headline": "the headline", "dek": "the dek", "seo_title": "the SEO title"}
        return names.get(self.field) or f"block {(self.block or 0) + 1}"


@dataclass(frozen=True)
class Context:
    places: tuple[Place, ...]  # headline, dek, SEO title, then the blocks' texts; none empty
    known_names: frozenset[str]
    name_words: frozenset[str]  # every word of every known name, as written
    common_words: frozenset[str]


@cache
def common_words() -> frozenset[str]:
    """The common-word list, read once per process."""
    lines = COMMON_WORDS_PATH.read_text("utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def review(draft: Draft, *, known_names: Collection[str] = ()) -> list[CopyWarning]:
    """Run every check in CHECKS over the draft; warnings come grouped by check, in text order."""
    names = frozenset(" ".join(name.split()) for name in known_names if name.strip())
    words = {_POSSESSIVE.sub("", w.strip(",")) for name in names for w in re.split(r"[\s-]+", name)}
    fields = [("headline", draft.headline), ("dek", draft.dek), ("seo_title", draft.seo_title)]
    places = [Place(field, None, text) for field, text in fields]
    places += [Place("body", index, block.text) for index, block in enumerate(draft.blocks)]
    context = Context(
        places=tuple(place for place in places if place.text.strip()),
        known_names=names,
        name_words=frozenset(word for word in words if word),
        common_words=common_words(),
    )
    return [warning for check in CHECKS for warning in check(draft, context)]


def inconsistent_title(draft: Draft, context: Context) -> Iterator[CopyWarning]:
    """The same person given different titles: "former President Trump" in the dek, "President
    Trump" in the body. People are told apart by surname (the name's last word). Synonyms ("PM",
    "Prime Minister") and nationality or party words ("Malaysian PM") do not count as a change;
    "former", "ex-" and "acting" do. Honorifics are not titles ("Ms Takaichi"). One warning per
    person, at the odd one out: the title used least often, the earliest of a tie."""
    people: dict[str, dict[tuple[str, str], list[tuple[Place, str, str]]]] = {}
    for place in context.places:
        title_case = _is_title_case(place.text)
        for match in _TITLED_NAME.finditer(place.text):
            status = (match["status"] or "").strip().lower().rstrip("-").strip()
            surname = _surname(match["name"].split(), title_case, context)
            if status == "then" or not surname:
                continue
            key = (_STATUS.get(status, ""), _TITLES[match["title"]])
            said = match.group()[: match.start("name") - match.start()].strip()
            excerpt = f"{said} {match['name']}"
            people.setdefault(surname, {}).setdefault(key, []).append((place, said, excerpt))
    for surname, variants in people.items():
        if len(variants) < 2:
            continue
        parts = []
        for uses in variants.values():  # "“Chief Executive” or “CEO” in blocks 1 and 2"
            said = " or ".join(f"“{said}”" for said in dict.fromkeys(said for _, said, _ in uses))
            parts.append(f"{said} in {_where([place for place, _, _ in uses])}")
        odd_place, _, excerpt = min(variants.values(), key=len)[0]
        message = f"{surname} is called {_and(parts)}."
        yield CopyWarning("inconsistent_title", message, odd_place.block, odd_place.field, excerpt)


def stray_capitals(draft: Draft, context: Context) -> Iterator[CopyWarning]:
    """An ordinary word typed in capitals in running text ("That change WOULD allow", "the WHITE
    House"): shouting or a slip of the caps lock. Acronyms are left alone: they are not in the
    word list ("GDP"), or are in _ACRONYMS ("US") or the known names ("CSIS"); so are initialisms
    with dots ("U.S."), words with digits, Roman numerals and sentences set all in capitals."""
    for place in context.places:
        for sentence in _SENTENCE_END.split(place.text):
            words = [m for m in _WORD.finditer(sentence) if sum(c.isalpha() for c in m.group()) > 1]
            if sum(m.group().isupper() for m in words) * 2 > len(words):
                continue  # a headline or a line shouted on purpose
            for index, match in enumerate(words):
                for word in _stray_words(match.group(), context):
                    first, last = words[max(index - 3, 0)], words[min(index + 3, len(words) - 1)]
                    quoted = sentence[first.start() : last.end()]
                    message = f"“{word}” is in capitals in {place.label} (“{quoted}”)."
                    yield CopyWarning("stray_capitals", message, place.block, place.field, word)


def dek_repeats_headline(draft: Draft, context: Context) -> Iterator[CopyWarning]:
    """The dek says the headline again instead of adding to it: it starts with the headline, or
    the two share DEK_MAX_OVERLAP of their distinct words."""
    headline, dek = (re.findall(r"\w+", text.casefold()) for text in (draft.headline, draft.dek))
    if not headline or not dek:
        return
    overlap = len(set(headline) & set(dek)) / len(set(headline) | set(dek))
    if dek[: len(headline)] == headline:
        message = "The dek starts with the headline."
    elif overlap >= DEK_MAX_OVERLAP:
        message = f"The dek repeats the headline ({overlap:.0%} of their words are the same)."
    else:
        return
    yield CopyWarning("dek_repeats_headline", message, None, "dek", draft.dek)


def image_without_alt(draft: Draft, context: Context) -> Iterator[CopyWarning]:
    """Images that screen-reader users cannot know about: no alt text, or only spaces."""
    if draft.hero_alt_text is not None and not draft.hero_alt_text.strip():
        message = "The hero image has no alt text."
        yield CopyWarning("image_without_alt", message, None, "hero_image")
    for index, block in enumerate(draft.blocks):
        if block.type == "image" and not (block.alt_text or "").strip():
            message = f"The image in block {index + 1} has no alt text."
            yield CopyWarning("image_without_alt", message, index, "body", block.text)


def seo_title_too_long(draft: Draft, context: Context) -> Iterator[CopyWarning]:
    """An SEO title longer than search results show. Without one the page's title is the
    headline (see article_detail.html), so a long headline counts then. The excerpt is the part
    that would be cut."""
    title = " ".join(draft.seo_title.split()) or " ".join(draft.headline.split())
    if len(title) <= SEO_TITLE_MAX_CHARS:
        return
    what = "The SEO title" if draft.seo_title.strip() else "There is no SEO title; the headline"
    message = f"{what} is {len(title)} characters (over {SEO_TITLE_MAX_CHARS})."
    cut = title[title.rfind(" ", 0, SEO_TITLE_MAX_CHARS) + 1 :]  # from the word cut in two
    yield CopyWarning("seo_title_too_long", message, None, "seo_title", cut)


def long_paragraph(draft: Draft, context: Context) -> Iterator[CopyWarning]:
    """A paragraph over LONG_PARAGRAPH_WORDS words: a wall of text on a phone."""
    for index, block in enumerate(draft.blocks):
        count = len(block.text.split())
        if block.type == "paragraph" and count > LONG_PARAGRAPH_WORDS:
            limit = LONG_PARAGRAPH_WORDS
            message = f"Block {index + 1} is a paragraph of {count} words (over {limit})."
            excerpt = " ".join(block.text.split()[:8]) + " …"
            yield CopyWarning("long_paragraph", message, index, "body", excerpt)


def possible_misspelling(draft: Draft, context: Context) -> Iterator[CopyWarning]:
    """A capitalised word that nearly, not exactly, spells a known name's word ("Takiachi" for
    "Takaichi", "Tokio" for "Tokyo"). Only words of MISSPELLING_MIN_LETTERS letters or more (a
    possessive ending is not part of the word), with the name's first letter: typos seldom hit
    it, and that keeps the search small in a large gazetteer. Common words are never flagged,
    nor compared with (spelling ordinary words is a spellchecker's job), and neither is a name
    plus or minus a short ending ("Korean", "Indian", "Toyotas"): a derived word, not a typo."""
    targets: dict[str, list[str]] = {}
    for word in context.name_words:
        if len(word) >= MISSPELLING_MIN_LETTERS - 1 and word.casefold() not in context.common_words:
            targets.setdefault(word[0].casefold(), []).append(word)
    near: dict[str, str | None] = {}  # each distinct word is looked up once
    for place in context.places:
        reported: set[str] = set()
        for word in _CAPITALISED.findall(place.text):
            if word in context.name_words or word.casefold() in context.common_words:
                continue
            if word not in near:
                near[word] = _near_name(word, targets)
            if word not in reported and (name := near[word]):
                reported.add(word)
                message = f"“{word}” in {place.label}: did you mean “{name}”?"
                yield CopyWarning("possible_misspelling", message, place.block, place.field, word)


CHECKS: tuple[Callable[[Draft, Context], Iterable[CopyWarning]], ...] = (
    inconsistent_title,
    stray_capitals,
    dek_repeats_headline,
    image_without_alt,
    seo_title_too_long,
    long_paragraph,
    possible_misspelling,
)


def _surname(words: list[str], title_case: bool, context: Context) -> str | None:
    """The last word of the name after a title, or None when there is none."""
    for index, word in enumerate(words):  # a possessive ends the name: "Trump’s Asia tour"
        if _POSSESSIVE.search(word):
            words = [*words[:index], _POSSESSIVE.sub("", word)]
            break
    for end in range(len(words), 0, -1):  # a known name ends where it ends
        if " ".join(words[:end]) in context.known_names:
            return words[end - 1]
    kept = words[:1]
    for word in words[1:]:
        # In a headline in title case, "President Xi Jinping Lands In Seoul" names "Xi Jinping".
        if word in _DAYS or (title_case and word.casefold() in context.common_words):
            break
        kept.append(word)
    while kept and kept[-1] in _NAME_SUFFIXES:
        kept.pop()
    return kept[-1] if kept and len(kept[-1]) > 1 else None


def _stray_words(token: str, context: Context) -> list[str]:
    """The parts of a word token that are ordinary words typed in capitals."""
    word = _POSSESSIVE.sub("", token.rstrip(".’'-"))
    if any(c in ".&" or c.isdigit() for c in word) or word in context.name_words:
        return []  # "U.S.", "AT&T", "G7", "COVID-19", "CSIS"
    return [
        part
        for part in word.split("-")
        if len(part) > 1
        and part.isupper()
        and part not in _ACRONYMS
        and part not in context.name_words
        and not _ROMAN.fullmatch(part)
        and part.casefold().replace("’", "'") in context.common_words
    ]


def _near_name(word: str, targets: dict[str, list[str]]) -> str | None:
    """The known name word the word nearly spells, if any."""
    folded, best, best_ratio = word.casefold(), None, MISSPELLING_MIN_RATIO
    matcher = SequenceMatcher(b=folded)  # difflib caches what it learns about b
    for name in targets.get(folded[0], ()):
        other = name.casefold()
        short, long = sorted((folded, other), key=len)
        if long.startswith(short) and len(long) - len(short) <= 3:
            return None  # "Korean" from "Korea": a derived word
        matcher.set_seq1(other)
        # The cheap upper bounds first, as difflib.get_close_matches does.
        bounds = matcher.real_quick_ratio() >= best_ratio and matcher.quick_ratio() >= best_ratio
        if bounds and folded != other and (ratio := matcher.ratio()) >= best_ratio:
            best, best_ratio = name, ratio
    return best


def _is_title_case(text: str) -> bool:
    """Headlines and subheads: most longer words capitalised, and no closing full stop."""
    if text.rstrip().rstrip("\"'”’)").endswith((".", "!", "?")):
        return False
    words = re.findall(r"[^\W\d_][\w’'-]{3,}", text)
    return len(words) >= 2 and sum(word[0].isupper() for word in words) >= 0.75 * len(words)


def _where(places: list[Place]) -> str:
    """ "the dek", "blocks 12 and 15", "the headline and block 3"."""
    labels = list(dict.fromkeys(place.label for place in places))
    blocks = [label for label in labels if label.startswith("block ")]
    if len(blocks) > 1:
        blocks = [f"blocks {_and([label.removeprefix('block ') for label in blocks])}"]
    return _and([label for label in labels if not label.startswith("block ")] + blocks)


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
