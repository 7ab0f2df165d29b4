"""Entity linking: find the gazetteer's entities mentioned in an article's text.

Pure Python, no Django: the caller turns Entity rows into GazetteerEntry objects, builds a
Gazetteer once (again when entities change: building is the slow part) and calls link() for
each article with its headline, dek and editorial block texts (never sponsored text).

Matching
- One Aho-Corasick automaton (pyahocorasick) over all names and aliases, run over a lower-cased
  copy of the text. A hit counts only on word boundaries ("Japan" is not in "Japanese"; a
  possessive may follow: "Trump’s" is a mention of Trump) and if its surface matches the alias
  case-sensitively, a word typed in capitals excepted ("WHITE House" is the White House).
- Overlapping hits: the leftmost, then the longest wins ("North Korea" over "Korea").
- An alias shared by several entries ("Georgia") is ambiguous: skipped, never guessed.
- The last token of a person's name ("Takaichi") is a conditional alias: it counts only once
  that person's name or an alias appeared earlier in the article (the headline comes first),
  must match case exactly, and is skipped if it points to two people in play. Tokens shorter
  than 3 letters and suffixes ("Jr.") are not used: "UN" is not "Un" of "Kim Jong Un".

Roles: "subject" when the entity is in the headline or dek, or dominates the text (at least
SUBJECT_MIN_COUNT mentions and SUBJECT_MIN_SHARE of all entity mentions), else "mentioned".

Candidates for an editor to add: runs of two or more capitalised words joined by single spaces
that no mention covers, once function words, titles, months and days are dropped. Lines in
title case without a closing full stop (headlines, subheads) are not scanned.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import ahocorasick

KINDS = ("person", "organization", "place", "event")
SUBJECT_MIN_COUNT = 3
SUBJECT_MIN_SHARE = 0.25

Span = tuple[int, int]  # [start, end) offsets in one text

_APOSTROPHES = "'’"
_SPACES = str.maketrans({"\u00a0": " ", "\n": " ", "\t": " ", "\r": " "})
_NAME_SUFFIXES = frozenset({"Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV"})
_CAPITALISED_RUN = re.compile(r"[A-ZÀ-ÖØ-Þ][\w’'-]*(?: [A-ZÀ-ÖØ-Þ][\w’'-]*)+")
_LONG_WORD = re.compile(r"[^\W\d_][\w’'-]{3,}")
# Words that break a run of capitalised words when looking for candidates: function words
# that open sentences, titles ("Prime Minister Sanae Takaichi" proposes no "Prime Minister"),
# months and days.
_STOPWORD_TEXT = (
    "A An And As At But By Despite During Each Even For From He Her Here His How I If In Into"
    " It Its Let Many Meanwhile Most My No Not Now Of On Or Our She So Some Still Such That The"
    " Their Then There These They This Those To Under We What When Where Which While Who Why"
    " With Yet You Your CEO Chair Chairman Chancellor Crown Dr Emperor Empress Former General"
    " Governor King Minister Mr Mrs Ms PM Pope President Prime Prince Princess Queen Secretary"
    " Senator Sir January February March April May June July August September October November"
    " December Monday Tuesday Wednesday Thursday Friday Saturday Sunday"
)
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())


@dataclass(frozen=True)
class GazetteerEntry:
    """One entity as the linker sees it; ``key`` is the caller's id, opaque here."""

    key: object
    kind: str
    name: str
    aliases: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown entity kind {self.kind!r}")


@dataclass(frozen=True)
class Mention:
    """An entity found in the article, with every distinct surface form it appeared as."""

    key: object
    kind: str
    name: str
    role: str
    matched: tuple[str, ...]
    count: int


@dataclass(frozen=True)
class LinkResult:
    mentions: tuple[Mention, ...]
    candidates: tuple[str, ...]


class Gazetteer:
    """Names and aliases of known entities, compiled into one Aho-Corasick automaton."""

    def __init__(self, entries: Iterable[GazetteerEntry]) -> None:
        self.entries: tuple[GazetteerEntry, ...] = tuple(entries)
        self._owners: dict[str, set[int]] = {}  # exact alias -> entry indexes
        self._surnames: dict[str, set[int]] = {}  # exact surname -> person indexes
        forms: dict[str, set[str]] = {}  # automaton key (lower-cased) -> exact forms
        for index, entry in enumerate(self.entries):
            for alias in {entry.name, *entry.aliases}:
                alias = " ".join(alias.split())
                if alias:
                    self._owners.setdefault(alias, set()).add(index)
                    forms.setdefault(_lower(alias), set()).add(alias)
            surname = _surname(entry)
            if surname:
                self._surnames.setdefault(surname, set()).add(index)
                forms.setdefault(_lower(surname), set()).add(surname)
        self.alias_count = len(self._owners)
        self._automaton = ahocorasick.Automaton()
        for key, exact in forms.items():
            self._automaton.add_word(key, (len(key), tuple(exact)))
        self._compiled = bool(forms)  # an empty automaton cannot be compiled
        if self._compiled:
            self._automaton.make_automaton()

    def __len__(self) -> int:
        return len(self.entries)

    def hits(self, text: str) -> list[tuple[int, int, str, tuple[str, ...]]]:
        """(start, end, surface, alias forms) of every hit on word boundaries, leftmost and
        longest first."""
        if not self._compiled:
            return []
        found = []
        for last, (length, forms) in self._automaton.iter(_lower(text)):
            start, end = last - length + 1, last + 1
            if _on_boundaries(text, start, end):
                found.append((start, end, text[start:end].translate(_SPACES), forms))
        found.sort(key=lambda hit: (hit[0], -hit[1]))
        return found

    def resolve(self, surface: str, forms: tuple[str, ...], active: set[int]) -> set[int]:
        """Entries a hit can mean; ``active`` holds the people already named in the article."""
        owners: set[int] = set()
        for form in forms:
            if form in self._owners and _same_case(surface, form):
                owners |= self._owners[form]
            if form in self._surnames and surface == form:
                owners |= self._surnames[form] & active
        return owners


def entries_from_records(records: Iterable[Mapping[str, object]]) -> list[GazetteerEntry]:
    """Entries from gazetteer.json-style records; the key is ``(kind, slug)``."""
    return [
        GazetteerEntry(
            key=(record["kind"], record["slug"]),
            kind=str(record["kind"]),
            name=str(record["name"]),
            aliases=tuple(record.get("aliases") or ()),
        )
        for record in records
    ]


def link(
    gazetteer: Gazetteer, *, headline: str, dek: str = "", blocks: Sequence[str] = ()
) -> LinkResult:
    """Find the entities mentioned in an article and the unknown names worth adding."""
    segments = [headline, dek, *blocks]
    active: set[int] = set()
    counts: dict[int, int] = {}
    first_seen: dict[int, tuple[int, int]] = {}
    surfaces: dict[int, dict[str, None]] = {}  # dict as an ordered set
    in_lead: set[int] = set()
    covered: list[list[Span]] = []
    for number, text in enumerate(segments):
        spans: list[Span] = []
        cursor = 0
        for start, end, surface, forms in gazetteer.hits(text):
            if start < cursor:
                continue  # inside a longer or earlier hit
            owners = gazetteer.resolve(surface, forms, active)
            if not owners:
                continue  # wrong case, or a surname of nobody named yet
            cursor = end
            spans.append((start, end))
            if len(owners) > 1:
                continue  # ambiguous: known text, but not guessed
            (index,) = owners
            active.add(index)
            counts[index] = counts.get(index, 0) + 1
            first_seen.setdefault(index, (number, start))
            surfaces.setdefault(index, {})[surface] = None
            if number < 2:
                in_lead.add(index)
        covered.append(spans)
    mentions = _mentions(gazetteer, counts, first_seen, surfaces, in_lead)
    return LinkResult(mentions=mentions, candidates=_candidates(segments, covered))


def _mentions(
    gazetteer: Gazetteer,
    counts: dict[int, int],
    first_seen: dict[int, tuple[int, int]],
    surfaces: dict[int, dict[str, None]],
    in_lead: set[int],
) -> tuple[Mention, ...]:
    """Mentions with their roles: subjects first, then by first appearance."""
    total = sum(counts.values())

    def role(index: int) -> str:
        dominant = counts[index] >= SUBJECT_MIN_COUNT and counts[index] >= SUBJECT_MIN_SHARE * total
        return "subject" if index in in_lead or dominant else "mentioned"

    roles = {index: role(index) for index in counts}
    order = sorted(counts, key=lambda index: (roles[index] != "subject", first_seen[index]))
    return tuple(
        Mention(
            key=gazetteer.entries[index].key,
            kind=gazetteer.entries[index].kind,
            name=gazetteer.entries[index].name,
            role=roles[index],
            matched=tuple(surfaces[index]),
            count=counts[index],
        )
        for index in order
    )


def _candidates(segments: Sequence[str], covered: list[list[Span]]) -> tuple[str, ...]:
    """Capitalised multi-word names that no mention covers, deduplicated, in text order."""
    found: dict[str, None] = {}
    for text, spans in zip(segments, covered, strict=True):
        if _is_title_case(text):
            continue
        starts = [start for start, _ in spans]
        for run in _CAPITALISED_RUN.finditer(text):
            words: list[str] = []
            for word in re.finditer(r"\S+", run.group()):
                start, end = run.start() + word.start(), run.start() + word.end()
                if _is_covered(start, end, spans, starts) or _is_stopword(word.group()):
                    _keep(words, found)
                    words = []
                else:
                    words.append(word.group())
            _keep(words, found)
    return tuple(found)


def _keep(words: list[str], found: dict[str, None]) -> None:
    if len(words) >= 2:
        name = re.sub(r"['’]s$", "", " ".join(words))
        found[name] = None


def _is_covered(start: int, end: int, spans: list[Span], starts: list[int]) -> bool:
    """Whether [start, end) overlaps one of the sorted, disjoint mention spans."""
    index = bisect_right(starts, start) - 1
    if index >= 0 and spans[index][1] > start:
        return True
    return index + 1 < len(spans) and spans[index + 1][0] < end


def _is_stopword(word: str) -> bool:
    return re.split(r"['’]", word, maxsplit=1)[0] in _STOPWORDS


def _is_title_case(text: str) -> bool:
    """Headlines and subheads capitalise most longer words (so their runs are not names) and,
    unlike a name-heavy paragraph, do not end a sentence with a full stop."""
    if text.rstrip().rstrip("\"'”’)").endswith((".", "!", "?")):
        return False
    words = _LONG_WORD.findall(text)
    capitalised = sum(word[0].isupper() for word in words)
    return len(words) >= 2 and capitalised >= 0.75 * len(words)


def _surname(entry: GazetteerEntry) -> str | None:
    """The conditional alias of a person: the last token of the name, if usable."""
    if entry.kind != "person":
        return None
    tokens = entry.name.replace(",", " ").split()
    while len(tokens) > 2 and tokens[-1] in _NAME_SUFFIXES:
        tokens.pop()
    if len(tokens) < 2 or len(tokens[-1]) < 3 or not tokens[-1][0].isupper():
        return None
    return tokens[-1]


def _lower(text: str) -> str:
    """Lower-case without changing the length, so offsets map back to the original text."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters ("İ") lower-case to two
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return lowered.translate(_SPACES)


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _on_boundaries(text: str, start: int, end: int) -> bool:
    """No letter or digit touches the hit, except a possessive 's / ’s after it."""
    if start > 0 and _is_word_char(text[start - 1]):
        return False
    if end == len(text):
        return True
    after = text[end]
    if after in _APOSTROPHES:
        # "Trump’s" and "Koreas’" are mentions; "Xi'an" and "O'Neill" are other words.
        rest = text[end + 1 : end + 3]
        if rest[:1] == "s":
            return len(rest) < 2 or not _is_word_char(rest[1])
        return not rest or not _is_word_char(rest[0])
    return not _is_word_char(after)


def _same_case(surface: str, form: str) -> bool:
    """Exact match, or the same words with some typed in capitals ("WHITE House")."""
    if surface == form:
        return True
    said_words, words = surface.split(" "), form.split(" ")
    return len(said_words) == len(words) and all(
        said == word or (said == word.upper() and said != said.lower())
        for said, word in zip(said_words, words, strict=True)
    )
