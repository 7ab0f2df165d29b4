"""Load the labelled real-page corpus of issue 14 (see bench/corpus/README.md).

The manifest (`bench/corpus/manifest.json`) holds sources and per-block labels, never page text.
The pages themselves live in a git-ignored cache, `bench/corpus/cache/<owner>__<name>/<commit>/
<path>`, filled by `bench/fetch_corpus.py` (or by a session from the stored file index). This
module reads both, segments each page with `articles.segment.segment`, and checks every labelled
(position, key) against the segmentation. Any mismatch, missing file or malformed entry raises
`CorpusError` naming the page (and position). Text is returned in memory only, never written.

    from bench.corpus_loader import load_corpus
    for page in load_corpus(split="train"):
        for block in page.blocks:
            block.segment.text, block.label, block.kind
"""

import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))  # make `articles` importable when run as a script

from articles.promo_kinds import PROMO_KINDS  # noqa: E402
from articles.segment import SEGMENTER_VERSION, Segment, segment  # noqa: E402

CORPUS_DIR = REPO_ROOT / "bench" / "corpus"
MANIFEST = CORPUS_DIR / "manifest.json"
CACHE_DIR = CORPUS_DIR / "cache"

MANIFEST_VERSION = 1
SPLITS = ("train", "blind")
#: Label of every block outside a page's article region.
CHROME = "chrome"
BORDERLINE_KINDS = frozenset(
    {"syndication_credit", "funder_credit", "reader_callout", "pull_quote"}
)
NON_REPORTING_KINDS = frozenset(PROMO_KINDS)
#: Label -> the kinds it takes (empty: the kind must be null).
LABELS = {
    "headline": frozenset(),
    "dek": frozenset(),
    "subheading": frozenset(),
    "paragraph": frozenset(),
    "quote": frozenset(),
    "caption": frozenset(),
    "byline": frozenset(),
    "dateline": frozenset(),
    "borderline": BORDERLINE_KINDS,
    "non_reporting": NON_REPORTING_KINDS,
}
SOURCE_FIELDS = ("repo", "path", "commit")


class CorpusError(Exception):
    """The manifest or the cache does not match what the corpus promises."""


@dataclass(frozen=True)
class LabelledBlock:
    """A segment of a cached page with its label (`CHROME` outside the article region)."""

    segment: Segment
    label: str
    kind: str | None
    in_region: bool


@dataclass(frozen=True)
class LabelledPage:
    """A manifest entry with its segmented, hash-checked blocks."""

    id: str
    publisher: str
    split: str
    trap: bool
    entities: tuple[str, ...]
    meta: dict
    blocks: tuple[LabelledBlock, ...]


def cache_path(source: dict, cache_dir: Path = CACHE_DIR) -> Path:
    """Where the page of a manifest `source` lives in the cache."""
    return Path(cache_dir) / source["repo"].replace("/", "__") / source["commit"] / source["path"]


def raw_url(source: dict) -> str:
    """The raw.githubusercontent.com address of a manifest `source` at its pinned commit."""
    return f"https://raw.githubusercontent.com/{source['repo']}/{source['commit']}/{source['path']}"


def sha256_bytes(data: bytes) -> str:
    """Hex sha256 of a whole cached file (the manifest's per-page ``sha256``)."""
    return hashlib.sha256(data).hexdigest()


def decode_page(data: bytes) -> str:
    """Decode a cached page: UTF-8 (a BOM is dropped), else Windows-1252 as browsers do."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def load_manifest(manifest_path: Path = MANIFEST) -> list[dict]:
    """Read and validate the manifest; return its pages. Raises `CorpusError` when malformed."""
    try:
        data = json.loads(Path(manifest_path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise CorpusError(f"manifest not found: {manifest_path}") from exc
    except json.JSONDecodeError as exc:
        raise CorpusError(f"manifest {manifest_path} is not valid JSON: {exc}") from exc
    if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION:
        raise CorpusError(f"manifest {manifest_path}: expected {{'version': {MANIFEST_VERSION}}}")
    if data.get("segmenter_version") != SEGMENTER_VERSION:
        raise CorpusError(
            f"manifest {manifest_path} was labelled with segmenter version "
            f"{data.get('segmenter_version')}, this code is version {SEGMENTER_VERSION}: relabel"
        )
    pages = data.get("pages")
    if not isinstance(pages, list):
        raise CorpusError(f"manifest {manifest_path}: 'pages' must be a list")
    seen = set()
    for page in pages:
        _validate_page(page)
        if page["id"] in seen:
            raise CorpusError(f"page {page['id']}: duplicate id")
        seen.add(page["id"])
    return pages


def _validate_page(page: dict) -> None:
    page_id = page.get("id") if isinstance(page, dict) else None
    if not isinstance(page_id, str) or not page_id:
        raise CorpusError(f"manifest entry without an id: {str(page)[:80]}")

    def fail(message):
        raise CorpusError(f"page {page_id}: {message}")

    source = page.get("source")
    if not isinstance(source, dict) or not all(
        isinstance(source.get(name), str) and source.get(name) for name in SOURCE_FIELDS
    ):
        fail("source needs repo, path and commit")
    if len(source["commit"]) != 40:
        fail("source.commit must be a full 40-digit commit")
    for name in ("publisher", "licence"):
        if not isinstance(page.get(name), str) or not page[name]:
            fail(f"{name} is missing")
    if page.get("split") not in SPLITS:
        fail(f"split must be one of {SPLITS}")
    if not isinstance(page.get("trap"), bool):
        fail("trap must be true or false")
    chars = page.get("chars")
    if chars is not None and (not isinstance(chars, int) or chars <= 0):
        fail("chars must be a positive whole number")
    sha = page.get("sha256")
    if sha is not None and (not isinstance(sha, str) or len(sha) != 64):
        fail("sha256 must be 64 hex digits")
    region = page.get("region")
    if (
        not isinstance(region, list)
        or len(region) != 2
        or not all(isinstance(n, int) for n in region)
        or not 0 <= region[0] <= region[1]
    ):
        fail("region must be [first, last] positions with first <= last")
    labels = page.get("labels")
    if not isinstance(labels, list):
        fail("labels must be a list")
    expected = list(range(region[0], region[1] + 1))
    positions = [entry[0] if isinstance(entry, list) and entry else None for entry in labels]
    if positions != expected:
        fail(
            f"labels must cover every position of the region {region[0]}..{region[1]} once, "
            "in order"
        )
    for entry in labels:
        if len(entry) != 4 or not isinstance(entry[1], str) or len(entry[1]) != 12:
            fail(f"position {entry[0]}: a label is [position, key(12 hex), label, kind|null]")
        _, _, label, kind = entry
        if label not in LABELS:
            fail(f"position {entry[0]}: unknown label {label!r}")
        if LABELS[label] and kind not in LABELS[label]:
            fail(f"position {entry[0]}: {label} needs a kind from {sorted(LABELS[label])}")
        if not LABELS[label] and kind is not None:
            fail(f"position {entry[0]}: {label} takes no kind")
    entities = page.get("entities", [])
    if not isinstance(entities, list) or not all(isinstance(e, str) for e in entities):
        fail("entities must be a list of names")


def load_page(page: dict, cache_dir: Path = CACHE_DIR) -> LabelledPage:
    """Segment one validated manifest page from the cache and check its labels."""
    page_id = page["id"]
    path = cache_path(page["source"], cache_dir)
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise CorpusError(
            f"page {page_id}: not in the cache ({path}); run bench/fetch_corpus.py "
            "or fill it from the stored file index"
        ) from exc
    if page.get("sha256") and sha256_bytes(data) != page["sha256"]:
        raise CorpusError(
            f"page {page_id}: cached file {path} has sha256 {sha256_bytes(data)}, "
            f"the manifest pins {page['sha256']}"
        )
    text = decode_page(data)
    if page.get("chars") is not None and len(text) != page["chars"]:
        raise CorpusError(
            f"page {page_id}: cached file {path} has {len(text)} characters, the manifest "
            f"records {page['chars']}; the copy is incomplete"
        )
    segments = segment(text)
    first, last = page["region"]
    if last >= len(segments):
        raise CorpusError(
            f"page {page_id}: region ends at position {last} but the page has only "
            f"{len(segments)} blocks"
        )
    labels = {entry[0]: entry for entry in page["labels"]}
    blocks = []
    for seg in segments:
        entry = labels.get(seg.position)
        if entry is None:
            blocks.append(LabelledBlock(seg, CHROME, None, in_region=False))
            continue
        if entry[1] != seg.key:
            raise CorpusError(
                f"page {page_id}: position {seg.position} has key {seg.key}, the manifest "
                f"labels key {entry[1]} ({entry[2]}); the cached page or the segmenter changed"
            )
        blocks.append(LabelledBlock(seg, entry[2], entry[3], in_region=True))
    meta = {
        name: page[name]
        for name in ("source", "licence", "region", "sha256", "notes")
        if name in page
    }
    return LabelledPage(
        id=page_id,
        publisher=page["publisher"],
        split=page["split"],
        trap=page["trap"],
        entities=tuple(page.get("entities", [])),
        meta=meta,
        blocks=tuple(blocks),
    )


def load_corpus(
    manifest_path: Path = MANIFEST, cache_dir: Path = CACHE_DIR, split: str | None = None
) -> list[LabelledPage]:
    """Load every page of the manifest (or of one split), checking every label's key."""
    if split is not None and split not in SPLITS:
        raise CorpusError(f"unknown split {split!r}; expected one of {SPLITS}")
    return [
        load_page(page, cache_dir)
        for page in load_manifest(manifest_path)
        if split is None or page["split"] == split
    ]


def main(argv=None) -> int:
    """Check the whole corpus and print one line per page (counts only, no text)."""
    try:
        pages = load_corpus()
    except CorpusError as exc:
        print(f"corpus check failed: {exc}", file=sys.stderr)
        return 1
    for page in pages:
        region = [block for block in page.blocks if block.in_region]
        promo = sum(block.label == "non_reporting" for block in region)
        print(
            f"{page.id}: {page.split}, {len(page.blocks)} blocks, {len(region)} labelled, "
            f"{promo} non-reporting"
        )
    print(f"ok: {len(pages)} pages, every label matches its block")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
