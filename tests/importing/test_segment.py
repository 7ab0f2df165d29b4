"""Segmentation of whole pages (articles/segment.py) and the real-page corpus loader
(bench/corpus_loader.py, bench/fetch_corpus.py): pure Python, no database, no network.

The page below is written for these tests (no publisher's page is copied). Its keys are pinned
literally: they are the hashes the corpus manifest keys its labels by, so any change to the
segmentation or the normalisation must fail here first (and bump SEGMENTER_VERSION).
"""

import hashlib
import json
from pathlib import Path

import pytest

from articles.segment import SEGMENTER_VERSION, normalise, segment, text_key
from bench import fetch_corpus
from bench.corpus_loader import (
    CHROME,
    MANIFEST,
    CorpusError,
    cache_path,
    load_corpus,
    load_manifest,
)

PAGE = """<!DOCTYPE html>
<html lang="en">
<head><title>Ferry Fares Frozen | The Harbour Gazette</title>
<script>var tracker = "not text";</script><style>p { color: red }</style></head>
<body>
<header role="banner" class="site-header"><a href="/">The Harbour Gazette</a>
<nav id="primary"><ul><li><a href="/news">News</a></li>
<li><a href="/sport">Sport</a></li></ul></nav>
</header>
<main>
<article class="story">
<h1>Ferry fares frozen for a second winter</h1>
<p class="standfirst">The island operator says higher fuel costs will be absorbed until March.</p>
<div class="byline">By <a href="/staff/ana">Ana Ruiz</a>, transport reporter</div>
<p>Fares on the three island routes will stay at   last year's level,&nbsp;the operator said
on Tuesday.</p>
<p>Passengers had feared a rise of up to 12%. <a href="/fuel">Fuel prices</a> fell in the
autumn.</p>
<noscript><p>Enable scripts to see the fare table.</p></noscript>
<p hidden>Draft note: check the March date.</p>
<div aria-hidden="true">Share this story</div>
<p style="DISPLAY: None">Invisible promo line.</p>
<figure><img src="/f.jpg" alt="A ferry">
<figcaption>The morning sailing leaves the pier.</figcaption></figure>
<div class="note">Cafe&#x301; owners on the quay welcomed the decision.
<p>Nested paragraph.</p> After the nested paragraph.</div>
</article>
<aside class="newsletter-box" role="complementary">
<h2>Morning Tide</h2>
<p>The day's island news in your inbox.</p>
<form action="/subscribe"><label for="e">Email address</label><input id="e" type="email">
<input type="submit" value="Sign me up"><button type="button">No thanks</button></form>
</aside>
</main>
<footer><p>&copy; 2026 The Harbour Gazette<br>All rights reserved.</p>
<template><p>Template text</p></template>
<svg><text>svg text</text></svg><iframe src="/x">iframe text</iframe></footer>
</body>
</html>
"""

#: (text, tag, landmarks, link_density, key) of every block of PAGE, in order.
EXPECTED = [
    ("The Harbour Gazette", "header", ("header",), 1.0, "f5e69c1c648c"),
    ("News", "li", ("header", "nav"), 1.0, "69752f2313b2"),
    ("Sport", "li", ("header", "nav"), 1.0, "9a085dd854f0"),
    ("Ferry fares frozen for a second winter", "h1", ("main", "article"), 0.0, "cae72e6ec587"),
    (
        "The island operator says higher fuel costs will be absorbed until March.",
        "p",
        ("main", "article"),
        0.0,
        "4d8337e0b52c",
    ),
    ("By Ana Ruiz, transport reporter", "div", ("main", "article"), 0.258, "5fcd30ce7bcf"),
    (
        "Fares on the three island routes will stay at last year's level, the operator said "
        "on Tuesday.",
        "p",
        ("main", "article"),
        0.0,
        "dde1ec08142f",
    ),
    (
        "Passengers had feared a rise of up to 12%. Fuel prices fell in the autumn.",
        "p",
        ("main", "article"),
        0.149,
        "bc0cb410be4f",
    ),
    (
        "The morning sailing leaves the pier.",
        "figcaption",
        ("main", "article", "figure"),
        0.0,
        "1fa7ccd61799",
    ),
    (
        "Caf\u00e9 owners on the quay welcomed the decision.",
        "div",
        ("main", "article"),
        0.0,
        "bcd06ae38b8a",
    ),
    ("Nested paragraph.", "p", ("main", "article"), 0.0, "f3bcf906685f"),
    ("After the nested paragraph.", "div", ("main", "article"), 0.0, "dda95690b752"),
    ("Morning Tide", "h2", ("main", "aside"), 0.0, "66d37c32d746"),
    ("The day's island news in your inbox.", "p", ("main", "aside"), 0.0, "16e511abe801"),
    ("Email address", "label", ("main", "aside", "form"), 0.0, "f2488fd4ef4a"),
    ("Sign me up", "input", ("main", "aside", "form"), 0.0, "671456f16ee5"),
    ("No thanks", "button", ("main", "aside", "form"), 0.0, "49780701dc2d"),
    (
        "\u00a9 2026 The Harbour Gazette All rights reserved.",
        "p",
        ("footer",),
        0.0,
        "16007ac238ff",
    ),
]


def test_segment_emits_each_visible_leaf_block_with_pinned_keys():
    segments = segment(PAGE)
    got = [(s.text, s.tag, s.landmarks, s.link_density, s.key) for s in segments]
    assert got == EXPECTED
    assert [s.position for s in segments] == list(range(len(EXPECTED)))


def test_segment_drops_scripts_templates_and_hidden_content():
    text = " ".join(s.text for s in segment(PAGE))
    for dropped in (
        "not text",  # <script> in <head>
        "color: red",  # <style>
        "Enable scripts",  # <noscript>
        "Draft note",  # hidden attribute
        "Share this story",  # aria-hidden="true"
        "Invisible promo",  # style="DISPLAY: None"
        "Template text",  # <template>
        "svg text",  # <svg>
        "iframe text",  # <iframe>
        "Ferry Fares Frozen |",  # <title> is not body text
    ):
        assert dropped not in text


def test_segment_records_container_path_and_class_tokens():
    by_text = {s.text: s for s in segment(PAGE)}
    box = by_text["Sign me up"]
    assert box.path == "body>main>aside[complementary]>form>input"
    assert box.tokens == ("newsletter-box",)
    byline = by_text["By Ana Ruiz, transport reporter"]
    assert byline.tokens == ("byline", "story")
    nav = by_text["News"]
    assert nav.path == "body>header[banner]>nav>ul>li"
    assert nav.tokens == ("primary", "site-header")


def test_normalisation_is_nfc_with_collapsed_whitespace():
    assert normalise("  Cafe\u0301\u00a0au\n\tlait  ") == "Caf\u00e9 au lait"
    assert (
        text_key("Caf\u00e9 au lait")
        == hashlib.sha256("Caf\u00e9 au lait".encode()).hexdigest()[:12]
    )
    # the same text written differently gets the same key
    assert (
        segment("<p>Caf&eacute;  au lait</p>")[0].key
        == segment("<p>Cafe\u0301<br>au\nlait</p>")[0].key
    )


def test_segment_of_empty_or_odd_input_is_empty_or_tolerant():
    assert segment("") == []
    assert segment("   ") == []
    declared = '<?xml version="1.0" encoding="utf-8"?><html><body><p>One</p></body></html>'
    assert [s.text for s in segment(declared)] == ["One"]


# --- the corpus loader, on a self-written page in a temporary cache ---------------------------

SOURCE = {
    "repo": "example/pages",
    "path": "fixtures/harbour.html",
    "commit": "0123456789abcdef0123456789abcdef01234567",
    "url_if_known": None,
}


def region_labels():
    """Labels for positions 3..16: the article and its newsletter box."""
    names = [
        "headline",
        "dek",
        "byline",
        "paragraph",
        "paragraph",
        "caption",
        "paragraph",
        "paragraph",
        "paragraph",
    ]
    labels = [[3 + i, EXPECTED[3 + i][4], name, None] for i, name in enumerate(names)]
    labels += [[12 + i, EXPECTED[12 + i][4], "non_reporting", "newsletter"] for i in range(5)]
    return labels


def write_corpus(tmp_path: Path, *, labels=None, sha256=None, cached=True) -> tuple[Path, Path]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    cache = tmp_path / "cache"
    data = PAGE.encode("utf-8")
    if cached:
        path = cache_path(SOURCE, cache)
        path.parent.mkdir(parents=True)
        path.write_bytes(data)
    manifest = tmp_path / "manifest.json"
    page = {
        "id": "harbour-ferry",
        "source": SOURCE,
        "publisher": "The Harbour Gazette",
        "licence": "test fixture written for this project",
        "split": "train",
        "trap": False,
        "sha256": sha256 or hashlib.sha256(data).hexdigest(),
        "region": [3, 16],
        "labels": labels if labels is not None else region_labels(),
        "entities": ["Ana Ruiz"],
    }
    manifest.write_text(
        json.dumps({"version": 1, "segmenter_version": SEGMENTER_VERSION, "pages": [page]}),
        encoding="utf-8",
    )
    return manifest, cache


def test_loader_returns_labelled_blocks_and_chrome(tmp_path):
    manifest, cache = write_corpus(tmp_path)
    [page] = load_corpus(manifest, cache)
    assert page.id == "harbour-ferry"
    labels = [(b.segment.position, b.label, b.kind) for b in page.blocks]
    assert labels[:3] == [(0, CHROME, None), (1, CHROME, None), (2, CHROME, None)]
    assert labels[3] == (3, "headline", None)
    assert labels[12] == (12, "non_reporting", "newsletter")
    assert labels[17] == (17, CHROME, None)
    assert not any(path.suffix == ".json" for path in cache.rglob("*"))  # nothing written


def test_loader_names_page_and_position_on_a_key_mismatch(tmp_path):
    labels = region_labels()
    labels[4][1] = "ffffffffffff"  # position 7 relabelled with a wrong key
    manifest, cache = write_corpus(tmp_path, labels=labels)
    with pytest.raises(CorpusError, match=r"page harbour-ferry: position 7 has key bc0cb410be4f"):
        load_corpus(manifest, cache)


def test_loader_fails_clearly_when_the_page_is_not_cached(tmp_path):
    manifest, cache = write_corpus(tmp_path, cached=False)
    with pytest.raises(CorpusError, match=r"page harbour-ferry: not in the cache .*harbour.html"):
        load_corpus(manifest, cache)


def test_loader_refuses_a_cached_file_whose_hash_differs(tmp_path):
    manifest, cache = write_corpus(tmp_path, sha256="0" * 64)
    with pytest.raises(CorpusError, match=r"page harbour-ferry: cached file .* has sha256"):
        load_corpus(manifest, cache)


def test_loader_refuses_a_cached_copy_of_the_wrong_length(tmp_path):
    manifest, cache = write_corpus(tmp_path)
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["pages"][0]["chars"] = len(PAGE) + 5  # e.g. characters lost while copying
    data["pages"][0].pop("sha256")
    manifest.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CorpusError, match=r"page harbour-ferry: cached file .* characters"):
        load_corpus(manifest, cache)


def test_manifest_must_label_every_block_of_the_region(tmp_path):
    manifest, cache = write_corpus(tmp_path, labels=region_labels()[:-1])
    with pytest.raises(CorpusError, match=r"page harbour-ferry: labels must cover every position"):
        load_corpus(manifest, cache)


def test_manifest_rejects_a_kind_outside_the_vocabulary(tmp_path):
    labels = region_labels()
    labels[-1][3] = "pop_up"
    manifest, cache = write_corpus(tmp_path, labels=labels)
    with pytest.raises(CorpusError, match=r"position 16: non_reporting needs a kind"):
        load_corpus(manifest, cache)


def test_committed_manifest_is_valid_without_the_cache():
    pages = load_manifest(MANIFEST)
    assert pages, "bench/corpus/manifest.json lists no pages"
    for page in pages:
        assert page.get("sha256"), f"{page['id']} has no sha256 pinned"


def test_fetch_skips_cached_pages_and_explains_when_offline(tmp_path, monkeypatch, capsys):
    manifest, cache = write_corpus(tmp_path)
    calls = []
    monkeypatch.setattr(fetch_corpus, "fetch", lambda url: calls.append(url))
    assert fetch_corpus.main(["--manifest", str(manifest), "--cache", str(cache)]) == 0
    assert calls == []  # already cached with the pinned hash: resumable, nothing fetched

    manifest, cache = write_corpus(tmp_path / "empty", cached=False)

    def offline(url):
        raise fetch_corpus.NoNetwork("name resolution failed")

    monkeypatch.setattr(fetch_corpus, "fetch", offline)
    assert fetch_corpus.main(["--manifest", str(manifest), "--cache", str(cache)]) == 2
    out = capsys.readouterr()
    assert "no network" in out.err
    assert str(cache_path(SOURCE, cache)) in out.out
    assert not cache.exists()


def test_fetch_refuses_a_download_whose_hash_differs(tmp_path, monkeypatch):
    manifest, cache = write_corpus(tmp_path, cached=False)
    monkeypatch.setattr(fetch_corpus, "fetch", lambda url: b"<html>something else</html>")
    assert fetch_corpus.main(["--manifest", str(manifest), "--cache", str(cache)]) == 1
    assert not cache_path(SOURCE, cache).exists()
