"""Benchmark the entity linker: a 5,000-word article against a 100,000-alias gazetteer.

Run from the repository root (or anywhere): ``python bench/linker_bench.py``. It prints the
automaton build time, then link() times (median and p95 over RUNS runs after WARMUP runs) and
whether the target of TARGET_MS per article is met. Exits 1 if it is not.

The data are synthetic and deterministic (a fixed random seed): made-up but realistic-looking
people, organisations, places and events, plus the demo gazetteer, and an article that mixes
ordinary prose, the demo seed article and a few hundred mentions of gazetteer names.
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # articles.linking has no Django imports

from articles.linking import (  # noqa: E402
    Gazetteer,
    GazetteerEntry,
    entries_from_records,
    link,
)

ALIASES = 100_000
WORDS = 5_000
MENTIONED_ENTRIES = 300
WARMUP, RUNS = 3, 30
TARGET_MS = 50.0
SEED = 20251026


def words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


SYLLABLES = words(
    "ka ri lo ma ne ta su vi do ren sal mor bel tan gri fen hal jor kes lin mar nor pel qua"
    " ros sim tor ul var wen xan yor zel an bru cor dal el far gam hin is jak kel lum mon"
)
ORG_WORDS = words(
    "Group Holdings Institute Foundation Partners Industries Bank Council Labs Energy"
)
PLACE_WORDS = words("Valley Harbor Springs Heights Bay Province City Island Falls Ridge")
EVENT_WORDS = words("Summit Festival Conference Forum Games Expo Talks")
PROSE = words(
    "the a of and to in that for on with as was by at from said would could more their new"
    " market trade policy officials government talks plan week year people report analysts"
    " company deal growth prices workers city region support change meeting statement issue"
)


def word(rng: random.Random) -> str:
    """A made-up capitalised word of two or three syllables."""
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def synthetic_entry(rng: random.Random, number: int) -> GazetteerEntry:
    """One made-up entity with a name and sometimes an alias."""
    kind = rng.choice(("person", "person", "organization", "place", "event"))
    if kind == "person":
        first, last = word(rng), word(rng)
        name, aliases = f"{first} {last}", (f"{first[0]}. {last}",)
    elif kind == "organization":
        core = f"{word(rng)} {rng.choice(ORG_WORDS)}"
        name, aliases = core, (f"{core} International",) if rng.random() < 0.5 else ()
    elif kind == "place":
        name, aliases = f"{word(rng)} {rng.choice(PLACE_WORDS)}", ()
    else:
        name, aliases = f"{word(rng)} {rng.choice(EVENT_WORDS)} {rng.randint(1990, 2030)}", ()
    return GazetteerEntry(key=("synthetic", number), kind=kind, name=name, aliases=aliases)


def build_entries(rng: random.Random) -> list[GazetteerEntry]:
    """The demo gazetteer plus synthetic entries until there are ALIASES distinct aliases."""
    with open(ROOT / "articles" / "data" / "gazetteer.json", encoding="utf-8") as handle:
        entries = entries_from_records(json.load(handle))
    seen = {alias for entry in entries for alias in (entry.name, *entry.aliases)}
    while len(seen) < ALIASES:
        entry = synthetic_entry(rng, len(entries))
        forms = {entry.name, *entry.aliases}
        if forms & seen:
            continue  # keep the synthetic names unambiguous
        entries.append(entry)
        seen |= forms
    return entries


def build_article(rng: random.Random, entries: list[GazetteerEntry]) -> tuple[str, list[str]]:
    """A headline and about WORDS words of blocks mentioning MENTIONED_ENTRIES entities."""
    seed_lines = [
        line
        for line in (ROOT / "articles" / "data" / "seed-article.txt")
        .read_text("utf-8")
        .splitlines()
        if line.strip()
    ][:-1]  # the last line is an advertisement
    chosen = rng.sample(entries[50:], MENTIONED_ENTRIES)
    blocks = list(seed_lines[1:])
    count = sum(len(block.split()) for block in blocks)
    while count < WORDS:
        sentence = [rng.choice(PROSE) for _ in range(rng.randint(12, 22))]
        for _ in range(rng.randint(1, 2)):
            entry = rng.choice(chosen)
            sentence.insert(rng.randrange(len(sentence)), rng.choice((entry.name, *entry.aliases)))
        block = " ".join(sentence) + "."
        block = block[0].upper() + block[1:]
        blocks.append(block)
        count += len(block.split())
    return seed_lines[0], blocks


def main() -> int:
    rng = random.Random(SEED)
    entries = build_entries(rng)
    headline, blocks = build_article(rng, entries)

    started = time.perf_counter()
    gazetteer = Gazetteer(entries)
    build_seconds = time.perf_counter() - started
    article_words = len(headline.split()) + sum(len(block.split()) for block in blocks)
    print(f"gazetteer: {len(gazetteer):,} entries, {gazetteer.alias_count:,} aliases")
    print(f"automaton build: {build_seconds * 1000:.0f} ms")
    print(f"article: {article_words:,} words in {len(blocks)} blocks")

    timings = []
    for run in range(WARMUP + RUNS):
        started = time.perf_counter()
        result = link(gazetteer, headline=headline, blocks=blocks)
        if run >= WARMUP:
            timings.append((time.perf_counter() - started) * 1000)
    mentions = sum(mention.count for mention in result.mentions)
    print(
        f"link(): {len(result.mentions)} entities, {mentions} mentions,"
        f" {len(result.candidates)} candidates"
    )
    median = statistics.median(timings)
    p95 = statistics.quantiles(timings, n=20, method="inclusive")[-1]
    print(
        f"link() over {RUNS} runs after {WARMUP} warm-up: median {median:.1f} ms, p95 {p95:.1f} ms"
    )
    met = p95 < TARGET_MS
    print(f"target {TARGET_MS:.0f} ms: {'met' if met else 'NOT met'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
