"""Print a cached page's segments so a labeller can write its manifest labels.

    .venv/bin/python bench/label_page.py <page id>           # a page of the manifest
    .venv/bin/python bench/label_page.py --file page.html    # any local file
    .venv/bin/python bench/label_page.py <page id> --from 40 --to 90

One line per block: position, key, container path, landmarks, link density and the first 100
characters of its text. Labels are written as [position, key, label, kind_or_null]; see
bench/corpus/README.md. This prints to the terminal only: page text is never committed.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from articles.segment import segment
from bench.corpus_loader import (
    CACHE_DIR,
    MANIFEST,
    CorpusError,
    cache_path,
    decode_page,
    load_manifest,
)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", nargs="?", help="page id in the manifest")
    parser.add_argument("--file", type=Path, help="segment this file instead")
    parser.add_argument("--manifest", type=Path, default=MANIFEST)
    parser.add_argument("--cache", type=Path, default=CACHE_DIR)
    parser.add_argument("--from", dest="first", type=int, default=0)
    parser.add_argument("--to", dest="last", type=int, default=None)
    args = parser.parse_args(argv)
    if args.file:
        path = args.file
    elif args.page:
        try:
            pages = {page["id"]: page for page in load_manifest(args.manifest)}
        except CorpusError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        if args.page not in pages:
            print(f"error: no page {args.page!r} in {args.manifest}", file=sys.stderr)
            return 1
        path = cache_path(pages[args.page]["source"], args.cache)
    else:
        parser.error("give a page id or --file")
    if not path.exists():
        print(f"error: {path} is not cached; see bench/fetch_corpus.py --layout", file=sys.stderr)
        return 1
    for seg in segment(decode_page(path.read_bytes())):
        if seg.position < args.first or (args.last is not None and seg.position > args.last):
            continue
        landmarks = ",".join(seg.landmarks) or "-"
        print(
            f"{seg.position:4d} {seg.key} {seg.tag:<10} {seg.path} [{landmarks}] "
            f"ld={seg.link_density:.2f} | {seg.text[:100]}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
