"""The learned promo detector (articles/detector.py) on the team's own articles.

The self-written test articles (articles/data/detector/selfwritten.jsonl, split "test") are
never used for training; they are pasted through the importer as a newsroom would. Real pages
are measured by bench/integrity.py, not here: their text is not in the repository.
"""

import json

import numpy as np
import pytest

from articles import detector, detector_training
from articles.detector import Line
from articles.importing import parse
from articles.promo_kinds import PROMO_KINDS

TEST_ARTICLES = [r for r in detector_training.read_selfwritten() if r["split"] == "test"]


def pasted(record) -> str:
    return "\n\n".join(text for _, _, text in record["blocks"])


def kept_out(parsed) -> dict[str, str]:
    """Text → kind of every line the importer kept out of the body as non-reporting."""
    out = {s.text: s.kind for s in parsed.set_apart}
    out.update({s.text: s.kind for s in parsed.sponsored})
    return out


def test_the_test_articles_cover_every_kind_and_traps():
    kinds = {kind for r in TEST_ARTICLES for label, kind, _ in r["blocks"] if kind}
    assert set(PROMO_KINDS) <= kinds
    assert sum(r["trap"] for r in TEST_ARTICLES) >= 5


# Floors, not targets: today's level (4 December 2026) with a small margin, so a retrain may
# not fall below it. The targets of issue 14 (recall 0.95 with at most 0.5% of reporting
# flagged, on real pages nobody on the team has seen) are measured by bench/integrity.py and
# are NOT met yet; raise these floors as the detector improves, never lower them.
RECALL_FLOOR = 0.55
REPORTING_FLAGGED_CEILING = 0.04
TRAP_LINES_FLAGGED_CEILING = 2


def outcomes():
    """(label, kind, kept out as) for every line of the test articles, pasted as text."""
    rows = []
    for record in TEST_ARTICLES:
        parsed_out = kept_out(parse(pasted(record), "text"))
        for label, kind, text in record["blocks"]:
            rows.append((label, kind, parsed_out.get(" ".join(text.split())), record["trap"]))
    return rows


def test_promo_lines_are_kept_out_of_the_body():
    rows = outcomes()
    promo = [r for r in rows if r[0] == "non_reporting"]
    caught = [r for r in promo if r[2] is not None]
    assert len(promo) > 100 and len(caught) / len(promo) >= RECALL_FLOOR
    # Every kind is recognised somewhere, and most lines caught keep their kind.
    assert {r[1] for r in caught} == set(PROMO_KINDS)
    assert sum(r[1] == r[2] for r in caught) / len(caught) >= 0.6


def test_reporting_lines_are_rarely_flagged():
    rows = outcomes()
    reporting = [r for r in rows if r[0] in {"paragraph", "subheading", "quote", "borderline"}]
    flagged = [r for r in reporting if r[2] is not None]
    assert len(reporting) > 150
    assert len(flagged) / len(reporting) <= REPORTING_FLAGGED_CEILING


def test_traps_keep_their_lines_in_the_body():
    traps = [r for r in outcomes() if r[3]]
    assert len(traps) > 50
    assert sum(r[2] is not None for r in traps) <= TRAP_LINES_FLAGGED_CEILING


def test_borderline_lines_are_never_filed_as_sponsored():
    for record in TEST_ARTICLES:
        sponsored = {s.text for s in parse(pasted(record), "text").sponsored}
        for label, _, text in record["blocks"]:
            if label == "borderline":
                assert text not in sponsored


def test_reporting_that_sounds_like_promotion_stays_reporting():
    lines = [
        "Pier operator cuts ferry fares as winter timetable begins",
        "The regulator said the bank had failed to warn customers about the fees it charged.",
        "A spokeswoman for the company declined to comment on pricing.",
        "The mayor urged residents to stay calm and to sign up for the county's emergency alerts.",
        "Users should update to version 4.2, which fixes the flaw, the company said.",
        "Tickets for the final cost between $45 and $300, according to the organisers.",
    ]
    verdicts = detector.classify(lines)
    assert [v.label for v in verdicts][1:] != [] and not any(v.is_promotional for v in verdicts)


def test_verdicts_say_why():
    verdicts = detector.classify(
        ["Council approves budget", "Sign up for our morning newsletter", "Email address"]
    )
    promo = [v for v in verdicts if v.is_promotional]
    assert promo and all(v.kind in PROMO_KINDS and v.reasons for v in promo)
    assert all(0 <= v.promo <= 1 and 0 <= v.confidence <= 1 for v in verdicts)


def test_hashed_columns_are_the_vectorizers():
    # explain() names the words behind a column; it must compute the same column.
    for gram in ("w:newsletter", "c: ne", "w:0000"):
        row = detector._text_hasher.transform([gram])
        assert row.nnz >= 1
    tokens = ["lm:aside", "tok:newsletter", "tag:button"]
    row = detector._hint_hasher.transform([tokens])
    assert sorted(row.indices) == sorted(detector._index(t, detector.HINT_FEATURES) for t in tokens)
    word_row = detector._text_hasher.transform(["newsletter"])
    assert detector._index("w:newsletter", detector.TEXT_FEATURES) in word_row.indices


def test_empty_and_odd_documents():
    assert detector.classify([]) == []
    [only] = detector.classify([Line("")])
    assert only.label in detector.STRUCTURE_LABELS + ("non_reporting",)


def test_a_model_for_other_features_is_refused(tmp_path):
    data = json.loads(detector.MODEL_PATH.read_text())
    data["feature_version"] = detector.FEATURE_VERSION + 1
    stale = tmp_path / "model.json"
    stale.write_text(json.dumps(data))
    with pytest.raises(ValueError, match="train_detector"):
        detector.load_model(stale)


def test_stored_real_features_hold_no_text():
    records = detector_training.read_real()
    assert len(records) >= 60
    for record in records:
        assert set(record) == {
            "id", "split", "publisher", "trap", "feature_version", "targets", "text", "page",
            "shape",
        }  # fmt: skip
        assert len(record["targets"]) == len(record["text"]) == len(record["shape"])
        assert set(record["targets"]) <= set(detector.CLASSES)
        for row in record["text"] + record["page"]:
            assert all(
                isinstance(i, int) and isinstance(v, (int, float)) and not isinstance(v, bool)
                for i, v in row
            )


def test_stored_features_are_what_the_code_computes_for_the_same_lines():
    lines = [Line("Sign up for our newsletter", tag="button", landmarks=("aside",))]
    record = detector_training.page_record(
        "x", "train", "The Ledger", False, [(lines[0], "non_reporting", "newsletter")]
    )
    raw = detector_training.real_documents([record])[0].features
    live = detector.line_features(lines, "The Ledger")
    assert np.allclose(raw.text.toarray(), live.text.toarray())
    assert np.allclose(raw.hints.toarray(), live.hints.toarray())
    assert np.allclose(raw.shape, live.shape)


def test_training_is_deterministic():
    # The whole model is rebuilt bit for bit by `manage.py train_detector --check` in
    # scripts/test.sh; here, a quick check that the same documents give the same bytes.
    docs = detector_training.selfwritten_documents(
        [r for r in detector_training.read_selfwritten() if r["split"] == "train"][:9]
    )
    first = detector_training.serialise(detector_training.train(docs, folds=3))
    second = detector_training.serialise(detector_training.train(docs, folds=3))
    assert first == second
    model = json.loads(first)
    assert model["feature_version"] == detector.FEATURE_VERSION and 0 < model["threshold"] < 1
