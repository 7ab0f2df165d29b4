"""Fill the git-ignored corpus cache from the sources pinned in bench/corpus/manifest.json.

    .venv/bin/python bench/fetch_corpus.py            # fetch what is missing
    .venv/bin/python bench/fetch_corpus.py --layout   # only print where each page belongs

Each page is fetched from https://raw.githubusercontent.com/<repo>/<commit>/<path> (urllib, with
a timeout) into bench/corpus/cache/<owner>__<name>/<commit>/<path>. It is resumable: a page
already cached whose whole-file sha256 matches the manifest's ``sha256`` is skipped; a fetched
file whose hash differs is refused (not written). A page without a recorded ``sha256`` is kept
and its hash printed so it can be pinned. Without a network it says so and prints the layout,
so a session can fill the cache from the stored file index instead (read the file at the pinned
commit, page by page, and write the exact text, UTF-8, to the path shown).
"""

import argparse
import sys
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus_loader import (
    CACHE_DIR,
    MANIFEST,
    CorpusError,
    cache_path,
    load_manifest,
    raw_url,
    sha256_bytes,
)

TIMEOUT = 20  # seconds per request
MAX_BYTES = 8 * 1024 * 1024  # the largest candidate page is under 2 MB


class NoNetwork(Exception):
    """The raw file host cannot be reached from here."""


def fetch(url: str) -> bytes:
    """Download one file; raise `NoNetwork` when the host is unreachable."""
    request = urllib.request.Request(url, headers={"User-Agent": "newsroom-corpus-fetch"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            data = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError:
        raise
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise NoNetwork(str(exc)) from exc
    if len(data) > MAX_BYTES:
        raise ValueError(f"{url} is larger than {MAX_BYTES} bytes")
    return data


def print_layout(pages, cache_dir: Path) -> None:
    """Print, per page, its cache path and whether it is present and matches its hash."""
    for page in pages:
        path = cache_path(page["source"], cache_dir)
        if not path.exists():
            state = "missing"
        elif page.get("sha256") and sha256_bytes(path.read_bytes()) != page["sha256"]:
            state = "HASH MISMATCH"
        else:
            state = "ok"
        source = page["source"]
        print(f"{page['id']}: {state}\n  {source['repo']} {source['commit']} {source['path']}")
        print(f"  -> {path}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--manifest", type=Path, default=MANIFEST)
    parser.add_argument("--cache", type=Path, default=CACHE_DIR)
    parser.add_argument("--layout", action="store_true", help="print the cache layout only")
    args = parser.parse_args(argv)
    try:
        pages = load_manifest(args.manifest)
    except CorpusError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.layout:
        print_layout(pages, args.cache)
        return 0
    fetched = skipped = failed = 0
    for page in pages:
        path = cache_path(page["source"], args.cache)
        pinned = page.get("sha256")
        if path.exists() and (not pinned or sha256_bytes(path.read_bytes()) == pinned):
            skipped += 1
            continue
        url = raw_url(page["source"])
        try:
            data = fetch(url)
        except NoNetwork as exc:
            print(
                f"no network ({exc}): cannot reach raw.githubusercontent.com.\n"
                "Fill the cache another way (e.g. the stored public file index): write each "
                "page's exact text, UTF-8, to the path below, then run bench/corpus_loader.py.\n",
                file=sys.stderr,
            )
            print_layout(pages, args.cache)
            return 2
        except (urllib.error.HTTPError, ValueError) as exc:
            print(f"{page['id']}: {url}: {exc}", file=sys.stderr)
            failed += 1
            continue
        digest = sha256_bytes(data)
        if pinned and digest != pinned:
            print(f"{page['id']}: fetched sha256 {digest} != pinned {pinned}; not written")
            failed += 1
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        fetched += 1
        if not pinned:
            print(f'{page["id"]}: fetched, no sha256 pinned yet; add "sha256": "{digest}"')
    print(f"fetched {fetched}, already cached {skipped}, failed {failed}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
