"""Training the promo detector (`articles.detector`) from committed data, deterministically.

Three sources, all in the repository or the database, none needing the network:

* ``articles/data/detector/real_features.jsonl``: the labelled blocks of the real-page corpus
  (``bench/corpus/manifest.json``) as derived features only — hashed counts and shape rows, no
  text — written by ``bench/derive_features.py`` from the git-ignored page cache;
* ``articles/data/detector/selfwritten.jsonl``: articles the team wrote, modelled on the
  structure of real boxes, with per-line labels (text is ours, so it is stored);
* optionally, the editors' corrections (`DetectorExample`: a restored line is reporting, a
  line set apart by hand is non-reporting), passed in by ``manage.py train_detector``.

`train()` fits the two passes (the second on out-of-fold first-pass predictions, so it learns
how much to trust its neighbours on unseen pages), picks the threshold in cross-validation and
returns the model as plain data; `export()` writes it with a fixed float format so the same
inputs give the same bytes.
"""

import json
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import sklearn
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.multiclass import OneVsRestClassifier

from articles import detector
from articles.detector import CLASSES, OUTPUTS, PROMO_KINDS, PROMO_OUTPUT, Line

DATA_DIR = detector.MODEL_PATH.parent
REAL_FEATURES = DATA_DIR / "real_features.jsonl"
SELF_WRITTEN = DATA_DIR / "selfwritten.jsonl"

C_FIRST = 4.0
C_SECOND = 4.0
FOLDS = 5
#: How much worse flagging a line of reporting is than missing a line of promotion, when the
#: threshold is chosen in cross-validation on training data.
FLAG_COST = 10.0
WEIGHT_DECIMALS = 6
AUGMENT_COPIES = 2
#: The lines whose flagging the threshold limits: the story's text (bylines, datelines and
#: captions set apart by mistake cost less, and are kept out of the body anyway).
REPORTING = frozenset({"headline", "dek", "subheading", "paragraph", "quote", "borderline"})


def target(label: str, kind: str | None) -> str:
    """The class a corpus label trains: a promo kind, or a structure label."""
    if label == "non_reporting":
        return kind
    return {"dateline": "byline"}.get(label, label)


@dataclass
class Document:
    """One labelled document as training sees it."""

    id: str
    group: str  # documents of one group stay in one fold (a page and its text-only copy)
    source: str  # "real", "real_text", "selfwritten", "feedback"
    split: str
    features: detector.LineFeatures
    targets: list[str]
    trap: bool = False


# Stored features --------------------------------------------------------------------------


def _pairs(row) -> list[list]:
    return [
        [int(i), int(v) if float(v).is_integer() else float(v)]
        for i, v in zip(row.indices, row.data, strict=True)
    ]


def _matrix(rows: list[list[list]], columns: int) -> sparse.csr_matrix:
    data, indices, indptr = [], [], [0]
    for row in rows:
        for index, value in sorted(row):
            indices.append(index)
            data.append(value)
        indptr.append(len(indices))
    return sparse.csr_matrix(
        (np.array(data, dtype=np.float64), np.array(indices, dtype=np.int32), indptr),
        shape=(len(rows), columns),
    )


def page_record(page_id: str, split: str, publisher: str, trap: bool, labelled) -> dict:
    """The stored form of one real page: `labelled` is [(Line, label, kind)] in order."""
    lines = [line for line, _, _ in labelled]
    raw = detector.raw_features(lines, publisher)
    return {
        "id": page_id,
        "split": split,
        "publisher": publisher,
        "trap": trap,
        "feature_version": detector.FEATURE_VERSION,
        "targets": [target(label, kind) for _, label, kind in labelled],
        "text": [_pairs(raw.text_counts[i]) for i in range(len(lines))],
        "page": [_pairs(raw.page_hints[i]) for i in range(len(lines))],
        "shape": [[round(v, 6) for v in row] for row in raw.shape],
    }


def read_real(path: Path = REAL_FEATURES) -> list[dict]:
    """The stored real-page records (empty when the file does not exist yet)."""
    if not Path(path).exists():
        return []
    records = [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]
    for record in records:
        if record["feature_version"] != detector.FEATURE_VERSION:
            raise ValueError(
                f"{path}: page {record['id']} has feature version {record['feature_version']}, "
                f"the code computes {detector.FEATURE_VERSION}: run bench/derive_features.py"
            )
    return records


def real_documents(records: list[dict]) -> list[Document]:
    """Each real page twice: as the page showed it, and as pasted text (no page hints)."""
    documents = []
    for record in records:
        raw = detector.RawFeatures(
            text_counts=_matrix(record["text"], detector.TEXT_FEATURES),
            page_hints=_matrix(record["page"], detector.HINT_FEATURES),
            shape=record["shape"],
        )
        for source, with_page in (("real", True), ("real_text", False)):
            documents.append(
                Document(
                    id=record["id"],
                    group=f"real:{record['id']}",
                    source=source,
                    split=record["split"],
                    features=raw.features(with_page),
                    targets=record["targets"],
                    trap=record["trap"],
                )
            )
    return documents


def read_selfwritten(path: Path = SELF_WRITTEN) -> list[dict]:
    """The team's own labelled articles (see the module docstring)."""
    if not Path(path).exists():
        return []
    return [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]


def text_document(doc_id: str, publisher: str, blocks, split: str, source: str, trap=False):
    """A document from labelled text: `blocks` is [(label, kind, text)] in order."""
    lines = [Line(text) for _, _, text in blocks]
    return Document(
        id=doc_id,
        group=f"{source}:{doc_id}",
        source=source,
        split=split,
        features=detector.line_features(lines, publisher),
        targets=[target(label, kind) for label, kind, _ in blocks],
        trap=trap,
    )


def selfwritten_documents(records: list[dict]) -> list[Document]:
    return [
        text_document(r["id"], r["publisher"], r["blocks"], r["split"], "selfwritten", r["trap"])
        for r in records
    ]


# Fitting ----------------------------------------------------------------------------------


def _stack(documents: list[Document]):
    base = [
        detector.base_matrix(d.features.text, d.features.hints, d.features.shape, len(d.targets))
        for d in documents
    ]
    y = np.array([CLASSES.index(t) for d in documents for t in d.targets])
    return base, y


def _logistic(c: float, balanced: bool = False) -> LogisticRegression:
    return LogisticRegression(
        l1_ratio=1.0,
        solver="liblinear",
        C=c,
        random_state=0,
        max_iter=200,
        class_weight="balanced" if balanced else None,
    )


def _fit(matrix, y, c: float) -> dict:
    """L1 logistic regressions (liblinear, fixed seed: sparse, small, deterministic weights),
    in three parts that share the columns of `OUTPUTS`:

    * structure: one-vs-rest over the structure labels, with every non-reporting kind as one
      more class, on all lines;
    * kinds: one-vs-rest over the non-reporting kinds, on the non-reporting lines only, so it
      learns what tells an advertiser's pitch from a newsletter box, not promotion from news;
    * the binary head: non-reporting of any kind against everything else.
    """
    coef = np.zeros((matrix.shape[1], len(OUTPUTS)))
    intercept = np.full(len(OUTPUTS), -20.0)  # a class never seen is never predicted
    kind_ids = [CLASSES.index(k) for k in PROMO_KINDS]
    is_promo = np.isin(y, kind_ids)
    structure_y = np.where(is_promo, PROMO_OUTPUT, y)
    # Kinds are balanced: a rare kind (an advertiser's pitch) must not lose to a common one.
    for rows, targets, balanced in (
        (slice(None), structure_y, False),
        (is_promo, y[is_promo], True),
    ):
        if len(np.unique(targets)) < 2:
            continue
        model = OneVsRestClassifier(_logistic(c, balanced), n_jobs=2).fit(matrix[rows], targets)
        for estimator, cls in zip(model.estimators_, model.classes_, strict=True):
            if cls != PROMO_OUTPUT and hasattr(estimator, "coef_"):
                coef[:, cls] = estimator.coef_.ravel()
                intercept[cls] = float(estimator.intercept_[0])
    if 0 < is_promo.sum() < len(y):
        head = _logistic(c).fit(matrix, is_promo)
        coef[:, PROMO_OUTPUT] = head.coef_.ravel()
        intercept[PROMO_OUTPUT] = float(head.intercept_[0])
    rows, cols = np.nonzero(np.round(coef, WEIGHT_DECIMALS))
    return {
        "intercept": [_round(v) for v in intercept],
        "coef": [[int(r), int(c), _round(coef[r, c])] for r, c in zip(rows, cols, strict=True)],
    }


def _round(value: float) -> float:
    return float(f"{value:.{WEIGHT_DECIMALS}g}")


def _second_matrix(base_blocks, first_probabilities, documents):
    blocks, start = [], 0
    for base, d in zip(base_blocks, documents, strict=True):
        n = len(d.targets)
        ctx = detector.context(first_probabilities[start : start + n], d.features.shape)
        blocks.append(sparse.hstack([base, sparse.csr_matrix(ctx)], format="csr"))
        start += n
    return blocks


def out_of_fold(documents, blocks, y, folds: int, c: float) -> np.ndarray:
    """Probabilities for every line from models (fit on `blocks`, one matrix per document)
    that never saw its document: the folds group a page with its copies."""
    groups = [d.group for d in documents]
    offsets = np.cumsum([0] + [len(d.targets) for d in documents])
    out = np.zeros((len(y), len(OUTPUTS)))
    splitter = GroupKFold(n_splits=min(folds, len(set(groups))))
    for train_idx, test_idx in splitter.split(documents, groups=groups):
        rows = np.concatenate([np.arange(offsets[i], offsets[i + 1]) for i in train_idx])
        fitted = _fit(sparse.vstack([blocks[i] for i in train_idx]), y[rows], c)
        model = detector.LinearModel.from_json(fitted, blocks[0].shape[1])
        for i in test_idx:
            out[offsets[i] : offsets[i + 1]] = model.probabilities(blocks[i])
    return out


def threshold_for(probability: np.ndarray, is_promo, is_reporting, document) -> float:
    """The threshold that maximises promo recall minus FLAG_COST × the share of reporting
    flagged, over 0.05–0.95: flagging a line of the story costs more than missing a box.

    The share flagged is averaged per document, so one unusual page (a product test whose
    table of prices reads like shop buttons) cannot decide the threshold for every story.
    """
    promo = probability[is_promo]
    documents = [document == d for d in np.unique(document[is_reporting])]
    if len(promo) == 0 or not documents:
        return 0.5
    best, best_score = 0.5, -np.inf
    for step in range(5, 96):
        threshold = step / 100
        flagged = np.mean([(probability[m & is_reporting] >= threshold).mean() for m in documents])
        score = (promo >= threshold).mean() - FLAG_COST * flagged
        if score > best_score + 1e-12:
            best, best_score = threshold, score
    return best


def train(documents: list[Document], folds: int = FOLDS) -> dict:
    """Fit both passes on `documents`; return the model as plain data (see `export`)."""
    base_blocks, y = _stack(documents)
    first_oof = out_of_fold(documents, base_blocks, y, folds, C_FIRST)
    second_blocks = _second_matrix(base_blocks, first_oof, documents)
    second = _fit(sparse.vstack(second_blocks), y, C_SECOND)
    first = _fit(sparse.vstack(base_blocks), y, C_FIRST)
    # The threshold comes from second-pass predictions on documents each fold did not see.
    oof = out_of_fold(documents, second_blocks, y, folds, C_SECOND)
    # Synthetic copies (boxes put into real pages) are for learning, not for choosing.
    real = np.array([d.source != "augmented" for d in documents for _ in d.targets])
    is_reporting = np.array([CLASSES[v] in REPORTING for v in y]) & real
    is_promo = np.array([CLASSES[v] in PROMO_KINDS for v in y]) & real
    document = np.array([d.id + d.source for d in documents for _ in d.targets])
    threshold = threshold_for(oof[:, PROMO_OUTPUT], is_promo, is_reporting, document)
    counts = {}
    for d in documents:
        counts[d.source] = counts.get(d.source, 0) + len(d.targets)
    return {
        "version": 1,
        "feature_version": detector.FEATURE_VERSION,
        "sklearn": sklearn.__version__,
        "classes": list(CLASSES),
        "shape_names": list(detector.SHAPE_NAMES),
        "position_names": list(detector.POSITION_NAMES),
        "context_names": list(detector.CONTEXT_NAMES),
        "threshold": round(threshold, 4),
        "trained_on": {
            "documents": len(documents),
            "lines": counts,
            "classes": {c: int((y == i).sum()) for i, c in enumerate(CLASSES)},
        },
        "first": first,
        "second": second,
    }


def serialise(model: dict) -> bytes:
    """The model file's bytes; the same model data always gives the same bytes."""
    return (json.dumps(model, sort_keys=True, separators=(",", ":")) + "\n").encode()


def export(model: dict, path: Path = detector.MODEL_PATH) -> bytes:
    """Write the model file (see `serialise`)."""
    data = serialise(model)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_bytes(data)
    return data


def boxes(documents: list[Document]) -> list[tuple[Document, int, int]]:
    """Every run of non-reporting lines in `documents`: (document, first, last + 1)."""
    runs = []
    for d in documents:
        start = None
        for i, tg in enumerate([*d.targets, None]):
            if tg in PROMO_KINDS and start is None:
                start = i
            elif tg not in PROMO_KINDS and start is not None:
                runs.append((d, start, i))
                start = None
    return runs


def with_boxes(real: list[Document], own: list[Document], copies: int = AUGMENT_COPIES):
    """Real pages as pasted text with boxes of the team's own articles put into them (at the
    top, in the middle, at the end; fixed seed): real reporting around every kind of box."""
    rng = random.Random(0)
    pool = boxes(own)
    out = []
    if not pool:
        return out
    for d in real:
        if d.source != "real_text":
            continue
        for copy in range(copies):
            rows = list(range(len(d.targets)))
            pieces = [(d, i, i + 1) for i in rows]
            for _ in range(rng.choice((1, 2))):
                where = rng.choice((0, len(pieces) // 2, len(pieces)))
                where = min(where + rng.randint(0, 2), len(pieces))
                box = rng.choice(pool)
                pieces[where:where] = [box]
            out.append(_joined(f"{d.id}+box{copy}", d.group, pieces))
    return out


def _joined(doc_id: str, group: str, pieces) -> Document:
    text, hints, shape, targets = [], [], [], []
    for doc, start, end in pieces:
        text.append(doc.features.text[start:end])
        hints.append(doc.features.hints[start:end])
        shape.extend(doc.features.shape[start:end])
        targets.extend(doc.targets[start:end])
    features = detector.LineFeatures(
        sparse.vstack(text, format="csr"), sparse.vstack(hints, format="csr"), shape
    )
    return Document(doc_id, group, "augmented", "train", features, targets)


def training_documents(feedback: list[Document] = ()) -> list[Document]:
    """Every training document: real pages of the train split (as pages, as pasted text, and
    with boxes of the team's articles put in), self-written train articles, and the editors'
    corrections."""
    real = [d for d in real_documents(read_real()) if d.split == "train"]
    own = [d for d in selfwritten_documents(read_selfwritten()) if d.split == "train"]
    return real + own + with_boxes(real, own) + list(feedback)
