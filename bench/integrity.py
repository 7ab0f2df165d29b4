"""How well the importer keeps non-reporting copy out of real articles (issue 14).

    .venv/bin/python bench/integrity.py              # all three parts
    .venv/bin/python bench/integrity.py --part blind # cv | blind | selfwritten
    .venv/bin/python bench/integrity.py --misses     # also list each miss (terminal only)

Three parts, each printed separately, each saying how many pages and lines it used:

* **cv** — cross-validation over the training data (real train pages, as pages and as pasted
  text, and the self-written train articles): line-level, from models that never saw the
  document (the same folds `train_detector` uses; this retrains, so it takes a few minutes).
* **blind** — the blind real pages, end to end: each cached page goes through the HTML
  importer (`articles.importing.parse(html, "html")`) with the committed model, and every
  labelled block of its article region is followed to where it ended up (body, set apart,
  sponsored, kept out, or dropped by the main-text extraction). The blind split is touched
  only here, only to measure.
* **selfwritten** — the self-written test articles, pasted as text through the same importer.

Figures: promo recall by line (caught = anywhere but the body) and precision, per kind; the
share of reporting lines (paragraphs, subheadings, quotes, deks, borderline lines) flagged
(set apart or sponsored) and, separately, lost by extraction; headline, dek and subheadings
exact per file; entity precision and recall against the labelled main entities (a found name
matches a labelled one when either contains the other as whole words, case-insensitively);
time per article. Needs the page cache for the real parts (bench/fetch_corpus.py).
"""

import argparse
import json
import os
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django

django.setup()

from articles import detector, detector_training  # noqa: E402
from articles.detector import CLASSES, PROMO_KINDS, PROMO_OUTPUT  # noqa: E402
from articles.importing import ImportRefused, parse  # noqa: E402
from articles.linking import Gazetteer, entries_from_records, link  # noqa: E402
from articles.segment import normalise  # noqa: E402
from bench.corpus_loader import (  # noqa: E402
    CorpusError,
    cache_path,
    decode_page,
    load_manifest,
    load_page,
)

GAZETTEER = Path(__file__).resolve().parent.parent / "articles" / "data" / "gazetteer.json"
REPORTING = {"paragraph", "subheading", "quote", "dek", "borderline"}
TARGETS = (
    "promo recall ≥ 0.95, reporting flagged ≤ 0.5%, headline/dek/subheadings exact ≥ 90%, "
    "entities recall ≥ 0.85 and precision ≥ 0.80"
)


class Tally:
    """Line counts for one part."""

    def __init__(self):
        self.promo = Counter()  # kind -> promo lines
        self.caught = Counter()  # kind -> promo lines kept out of the body
        self.flagged_as = Counter()  # kind -> lines the importer kept out as that kind
        self.flagged_right = Counter()  # kind -> of those, promo of any kind
        self.reporting = 0
        self.reporting_flagged = 0
        self.reporting_lost = 0
        self.files = 0
        self.headline = self.dek = self.subheadings = self.headline_files = 0
        self.entity_tp = self.entity_found = self.entity_gold = 0
        self.seconds: list[float] = []
        self.misses: list[str] = []
        self.chrome_kept = 0  # body lines from outside the labelled article region

    def add_line(self, label, kind, fate, fate_kind, where: str) -> None:
        if fate in {"set_apart", "sponsored"}:
            self.flagged_as[fate_kind] += 1
            self.flagged_right[fate_kind] += label == "non_reporting"
        if label == "non_reporting":
            self.promo[kind] += 1
            kept_out = fate != "body"
            self.caught[kind] += kept_out
            if not kept_out:
                self.misses.append(f"  missed {kind:<22} {where}")
        elif label in REPORTING:
            self.reporting += 1
            if fate in {"set_apart", "sponsored"}:
                self.reporting_flagged += 1
                self.misses.append(f"  flagged {label:<10} as {fate_kind:<16} {where}")
            elif fate == "dropped":
                self.reporting_lost += 1

    def report(self, title: str, used: str, structure: bool = True) -> None:
        print(f"\n== {title} ==\n{used}")
        total, caught = sum(self.promo.values()), sum(self.caught.values())
        flagged = sum(self.flagged_as.values())
        right = sum(self.flagged_right.values())
        print(
            f"promo lines {total}: recall {ratio(caught, total)}, precision {ratio(right, flagged)}"
        )
        print(f"  {'kind':<22} {'lines':>5} {'recall':>7} {'flagged':>8} {'precision':>9}")
        for kind in PROMO_KINDS:
            if self.promo[kind] or self.flagged_as[kind]:
                recall = ratio(self.caught[kind], self.promo[kind])
                precision = ratio(self.flagged_right[kind], self.flagged_as[kind])
                print(
                    f"  {kind:<22} {self.promo[kind]:>5} {recall:>7} "
                    f"{self.flagged_as[kind]:>8} {precision:>9}"
                )
        print(
            f"reporting lines {self.reporting}: flagged {self.reporting_flagged} "
            f"({percent(self.reporting_flagged, self.reporting)})"
            + (f", lost by extraction {self.reporting_lost}" if self.reporting_lost else "")
        )
        if self.chrome_kept:
            print(f"body lines from outside the article region (page chrome): {self.chrome_kept}")
        if structure and self.files:
            n = self.files
            print(
                f"files {n}: headline exact {ratio(self.headline, self.headline_files)} "
                f"(of {self.headline_files} with a labelled headline), dek exact "
                f"{ratio(self.dek, n)}, subheadings exact {ratio(self.subheadings, n)}"
            )
        if self.entity_gold:
            print(
                f"entities: recall {ratio(self.entity_tp, self.entity_gold)} "
                f"({self.entity_tp}/{self.entity_gold}), precision "
                f"{ratio(self.entity_tp, self.entity_found)} (of {self.entity_found} found)"
            )
        if self.seconds:
            print(
                f"time per article: median {statistics.median(self.seconds) * 1000:.0f} ms, "
                f"max {max(self.seconds) * 1000:.0f} ms (import: extraction, detector, linking)"
            )


def ratio(a: int, b: int) -> str:
    return f"{a / b:.3f}" if b else "–"


def percent(a: int, b: int) -> str:
    return f"{100 * a / b:.1f}%" if b else "–"


# Following each labelled line to where the import put it -----------------------------------


def fates(parsed) -> list[tuple[str, str, str | None]]:
    """(normalised text, fate, kind) of everything the import produced."""
    out = [(normalise(parsed.headline), "headline", None)]
    if parsed.dek:
        out.append((normalise(parsed.dek), "body", None))
    for block in parsed.blocks:
        for part in block.text.split("\n"):
            out.append((normalise(part), "body", None))
    out += [(normalise(s.text), "sponsored", s.kind) for s in parsed.sponsored]
    out += [(normalise(s.text), "set_apart", s.kind) for s in parsed.set_apart]
    out += [(normalise(k.text), "kept_out", k.label) for k in parsed.kept_out]
    return out


def fate_of(text: str, produced) -> tuple[str, str | None]:
    """Where a labelled line went: exact text first, then inside a longer produced block."""
    for item, fate, kind in produced:
        if item == text:
            return fate, kind
    if len(text) >= 12:
        for item, fate, kind in produced:
            if text in item:
                return fate, kind
    return "dropped", None


def entity_match(found: str, gold: str) -> bool:
    a, b = found.casefold(), gold.casefold()
    return a == b or bool(
        re.search(rf"\b{re.escape(a)}\b", b) or re.search(rf"\b{re.escape(b)}\b", a)
    )


def score_entities(tally: Tally, parsed, gold: list[str], gazetteer: Gazetteer) -> None:
    found = link(
        gazetteer,
        headline=parsed.headline,
        dek=parsed.dek or "",
        blocks=[b.text for b in parsed.blocks],
    )
    names = list(dict.fromkeys([m.name for m in found.mentions] + list(found.candidates)))
    tally.entity_gold += len(gold)
    tally.entity_found += len(names)
    tally.entity_tp += sum(any(entity_match(n, g) for n in names) for g in gold)


def score_structure(tally: Tally, parsed, labelled: list[tuple[str, str]]) -> None:
    """Headline, dek and the list of subheadings, each exactly as labelled."""
    headline = [t for label, t in labelled if label == "headline"]
    deks = [t for label, t in labelled if label == "dek"]
    subheadings = [t for label, t in labelled if label == "subheading"]
    tally.files += 1
    if headline:  # a page whose labelled region starts below its headline is not scored on it
        tally.headline_files += 1
        tally.headline += normalise(parsed.headline) == headline[0]
    got_dek = normalise(parsed.dek) if parsed.dek else None
    tally.dek += (got_dek is None and not deks) or (got_dek in deks or got_dek == " ".join(deks))
    got = [normalise(b.text) for b in parsed.blocks if b.type == "heading"]
    tally.subheadings += got == subheadings


# The parts --------------------------------------------------------------------------------


def blind_part(show: bool) -> None:
    tally = Tally()
    gazetteer = Gazetteer(entries_from_records(json.loads(GAZETTEER.read_text())))
    pages, missing = [], []
    for entry in load_manifest():
        if entry["split"] != "blind":
            continue
        try:
            pages.append(load_page(entry))
        except CorpusError as exc:
            missing.append(f"{entry['id']} ({exc})")
    for name in missing:
        print(f"  not measured, not in the cache: {name}")
    for page in pages:
        html = decode_page(cache_path(page.meta["source"]).read_bytes())
        started = time.perf_counter()
        try:
            parsed = parse(html, "html")
        except ImportRefused as exc:
            print(f"  {page.id}: import refused: {exc}")
            continue
        tally.seconds.append(time.perf_counter() - started)
        produced = fates(parsed)
        labelled = []
        for block in page.blocks:
            if not block.in_region:
                continue
            fate, kind = fate_of(block.segment.text, produced)
            tally.add_line(
                block.label, block.kind, fate, kind, f"{page.id}@{block.segment.position}"
            )
            labelled.append((block.label, block.segment.text))
        score_structure(tally, parsed, labelled)
        score_entities(tally, parsed, list(page.entities), gazetteer)
        region = {text for _, text in labelled}
        tally.chrome_kept += sum(
            fate == "body" and not any(item in text or text in item for text in region)
            for item, fate, _ in produced
        )
    publishers = sorted({p.publisher for p in pages})
    tally.report(
        "blind split: real pages from publishers absent in training, end to end (HTML import)",
        f"{len(pages)} pages ({len(missing)} not cached), {sum(tally.promo.values())} promo "
        f"lines, {tally.reporting} reporting lines; publishers: {', '.join(publishers)}",
    )
    if show:
        print("\n".join(tally.misses))


def selfwritten_part(show: bool) -> None:
    tally = Tally()
    gazetteer = Gazetteer(entries_from_records(json.loads(GAZETTEER.read_text())))
    docs = [r for r in detector_training.read_selfwritten() if r["split"] == "test"]
    for doc in docs:
        raw = "\n\n".join(text for _, _, text in doc["blocks"])
        started = time.perf_counter()
        parsed = parse(raw, "text")
        tally.seconds.append(time.perf_counter() - started)
        produced = fates(parsed)
        labelled = []
        for i, (label, kind, text) in enumerate(doc["blocks"]):
            fate, fate_kind = fate_of(normalise(text), produced)
            tally.add_line(label, kind, fate, fate_kind, f"{doc['id']}@{i}: {text[:60]}")
            labelled.append((label, normalise(text)))
        score_structure(tally, parsed, labelled)
    del gazetteer  # the self-written articles carry no entity labels
    tally.report(
        "self-written test articles, pasted as text",
        f"{len(docs)} articles, {sum(tally.promo.values())} promo lines, {tally.reporting} "
        "reporting lines",
    )
    if show:
        print("\n".join(tally.misses))


def cv_part(show: bool) -> None:
    documents = detector_training.training_documents()
    base_blocks, y = detector_training._stack(documents)
    folds = detector_training.FOLDS
    first = detector_training.out_of_fold(
        documents, base_blocks, y, folds, detector_training.C_FIRST
    )
    second_blocks = detector_training._second_matrix(base_blocks, first, documents)
    oof = detector_training.out_of_fold(
        documents, second_blocks, y, folds, detector_training.C_SECOND
    )
    threshold = detector.current_model().threshold
    by_source: dict[str, Tally] = defaultdict(Tally)
    promo_columns = [CLASSES.index(k) for k in PROMO_KINDS]
    row = 0
    for d in documents:
        tally = by_source[d.source]
        for i, target in enumerate(d.targets):
            probabilities = oof[row]
            promo = probabilities[PROMO_OUTPUT] >= threshold
            kind = PROMO_KINDS[int(probabilities[promo_columns].argmax())] if promo else None
            label = "non_reporting" if target in PROMO_KINDS else target
            fate = ("sponsored" if kind == "third_party_ad" else "set_apart") if promo else "body"
            tally.add_line(
                label, target if label == "non_reporting" else None, fate, kind, f"{d.id}@{i}"
            )
            row += 1
    names = {
        "real": "real train pages as pages (with page hints)",
        "real_text": "real train pages as pasted text (no page hints)",
        "selfwritten": "self-written train articles",
    }
    for source, tally in by_source.items():
        docs = sum(d.source == source for d in documents)
        tally.report(
            f"cross-validation ({detector_training.FOLDS} folds by document): "
            f"{names.get(source, source)}",
            f"{docs} documents, {sum(tally.promo.values())} promo lines, {tally.reporting} "
            f"reporting lines; threshold {threshold}",
            structure=False,
        )
        if show:
            print("\n".join(tally.misses[:80]))


def detector_speed() -> None:
    """The detector alone on a 5,000-word article (100 paragraphs of 50 words)."""
    words = (
        "The council voted on Tuesday to approve the budget for the coming year and " * 4
    ).split()
    lines = ["A headline about the budget"] + [" ".join(words[:50])] * 100
    detector.classify(lines)
    runs = []
    for _ in range(5):
        started = time.perf_counter()
        detector.classify(lines)
        runs.append(time.perf_counter() - started)
    median = statistics.median(runs) * 1000
    print(f"\ndetector alone, 5,000-word article (101 lines): median {median:.1f} ms")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=("cv", "blind", "selfwritten"), action="append")
    parser.add_argument("--misses", action="store_true", help="list each miss and false flag")
    args = parser.parse_args(argv)
    parts = args.part or ["cv", "blind", "selfwritten"]
    print(f"model: {detector.current_model().meta['trained_on']}\ntargets (blind): {TARGETS}")
    try:
        if "cv" in parts:
            cv_part(args.misses)
        if "blind" in parts:
            blind_part(args.misses)
    except CorpusError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if "selfwritten" in parts:
        selfwritten_part(args.misses)
    detector_speed()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
