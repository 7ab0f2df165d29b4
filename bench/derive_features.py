"""Derive the committed detector features from the real-page corpus (issue 14).

    .venv/bin/python bench/derive_features.py           # writes real_features.jsonl
    .venv/bin/python bench/derive_features.py --check   # compare with the committed file

Reads the manifest and the git-ignored page cache (bench/fetch_corpus.py fills it), checks
every label's key, and stores, per labelled block of each page's article region, only what
`articles.detector.raw_features` computes: hashed word and character n-gram counts (words
without their order), hashed page hints, the rule signals and the shape row. No sentence can be
read back from it, so the repository may hold it, and `manage.py train_detector` trains from it
in a clean clone.
"""

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from articles.detector import Line
from articles.detector_training import REAL_FEATURES, page_record
from bench.corpus_loader import CorpusError, load_corpus


def line_of(segment) -> Line:
    """The detector's view of a page block: its text and where the page put it."""
    return Line(
        segment.text,
        tag=segment.tag,
        landmarks=segment.landmarks,
        tokens=segment.tokens,
        link_density=segment.link_density,
    )


def records() -> list[dict]:
    out = []
    for page in load_corpus():
        labelled = [(line_of(b.segment), b.label, b.kind) for b in page.blocks if b.in_region]
        out.append(page_record(page.id, page.split, page.publisher, page.trap, labelled))
    return out


def render(items: list[dict]) -> str:
    return "".join(json.dumps(item, sort_keys=True, separators=(",", ":")) + "\n" for item in items)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args(argv)
    try:
        text = render(records())
    except CorpusError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.check:
        same = REAL_FEATURES.exists() and REAL_FEATURES.read_text() == text
        print("real_features.jsonl is up to date" if same else "real_features.jsonl differs")
        return 0 if same else 1
    REAL_FEATURES.parent.mkdir(parents=True, exist_ok=True)
    REAL_FEATURES.write_text(text)
    print(f"wrote {REAL_FEATURES} ({len(text):,} bytes, {text.count(chr(10))} pages)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
