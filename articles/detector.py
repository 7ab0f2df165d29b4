"""The learned promotional-copy and structure detector: which lines of an article are reporting.

Pure (no database, no network): the importer, the publish check and the bench call
`classify()` on a document's lines in reading order and get one `Verdict` per line.

How it decides
--------------
Each line becomes features (`line_features`): its own words (hashed with scikit-learn's
deterministic `HashingVectorizer`, without their order, so no sentence can be read back from
stored features), its shape (length, punctuation, prices, URLs, e-mail, second-person
address, first-person-plural publisher voice, button-like labels, the publisher's own name)
and, for HTML pages, where it sat (element, landmarks such as aside or form, class tokens,
link density). Rules survive only as features. Two linear models (one-vs-rest logistic
regression, trained by `articles.detector_training`, stored as sparse weights in
``articles/data/detector/model.json``) run in turn: the first sees each line alone plus its
position in the document; the second also sees the first one's verdicts on its neighbours,
so a short heading and the calls to action after it are judged as one box, and a price
inside a report is judged by the reporting around it.

Each model gives a probability per structure label, a probability per kind (which kind, if
the line is not reporting: learned from non-reporting lines only) and, from a binary head of
its own, the probability that the line is not reporting. A line is non-reporting when the
second model's binary head reaches the model's threshold (chosen in cross-validation, where
flagging a line of reporting costs ten times missing a line of promotion); its kind is then
the likeliest kind. Every other line gets its likeliest structural label (headline, dek,
subheading, paragraph, quote, caption, byline, borderline).
"""

import json
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.preprocessing import normalize
from sklearn.utils import murmurhash3_32

from articles import promo_kinds
from articles.sponsor_names import guess_sponsor

MODEL_PATH = Path(__file__).resolve().parent / "data" / "detector" / "model.json"

#: Bump when `line_features` changes: stored features and the model must then be rebuilt.
FEATURE_VERSION = 1

STRUCTURE_LABELS = (
    "headline",
    "dek",
    "subheading",
    "paragraph",
    "quote",
    "caption",
    "byline",
    "borderline",
)
PROMO_KINDS = tuple(promo_kinds.PROMO_KINDS)  # one vocabulary: articles/promo_kinds.py
CLASSES = STRUCTURE_LABELS + PROMO_KINDS
#: What each model outputs: a probability per class, then that of non-reporting (any kind)
#: from a binary head of its own, which is what the threshold applies to.
OUTPUTS = CLASSES + ("non_reporting",)
PROMO_OUTPUT = len(CLASSES)

TEXT_FEATURES = 2**20  # large, so an unseen word rarely shares a column with a learned one
HINT_FEATURES = 2**14
TEXT_CHARS = 400  # a long paragraph is judged by its opening; length is a shape feature
ADVERT_MAX_WORDS = 40  # a paragraph naming a company is reporting; an ad is short

CONTEXT_OFFSETS = (-3, -2, -1, 1, 2, 3)

_WORD = re.compile(r"[^\W\d_]+|\d+|[$€£¥%@©|•»›→]", re.UNICODE)
_PRICE = re.compile(
    r"[$€£¥]\s?\d|\d(?:[.,]\d+)?\s?(?:€|\$|£|usd|eur|gbp|dollars?|euros?)\b|/\s?(?:mo|month|year|yr)\b",
    re.I,
)
_PERCENT = re.compile(r"\d\s?%")
_URL = re.compile(r"https?://|www\.|\.(?:com|org|net|co\.uk|de|fr|io)\b", re.I)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
_HANDLE = re.compile(r"(?<!\w)@\w{2,}")
_DATE = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b|\b(?:19|20)\d\d\b"
    r"|\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b|\b\d{1,2}:\d\d\b",
    re.I,
)


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


_SECOND_PERSON = _wordset(
    "you your yours yourself you're you'll you've vous votre vos du dein deine dich dir ihr "
    "euch tu tus usted ustedes"
)
_FIRST_PLURAL = _wordset(
    "we our ours us we're we've we'll nous notre nos wir unser unsere uns nosotros nuestro "
    "nuestra nuestros"
)
# Verbs that open calls to action and button labels (a rule kept as a feature, not a verdict).
_ACTION_VERBS = _wordset(
    "sign subscribe donate give register join read listen download get buy shop order follow "
    "share watch support try start see click tap learn discover explore install claim save "
    "book reserve apply contact email call send upgrade unlock continue view show more load "
    "abonnieren jetzt lesen mehr weiterlesen anmelden spenden s'abonner lire suivre inscrivez "
    "abonnez suscríbete leer ver"
)
_QUOTES = '“”"«»„‚‘’'

SHAPE_NAMES = (
    "length",
    "words",
    "ends_sentence",
    "ends_colon",
    "ends_exclaim_or_question",
    "starts_upper",
    "title_case",
    "all_caps",
    "digits",
    "price",
    "percent",
    "url",
    "email",
    "handle",
    "second_person",
    "first_person_plural",
    "button_like",
    "starts_action_verb",
    "quoted",
    "starts_quote",
    "publisher_named",
    "short",
    "long",
    "separators",
    "date",
    "starts_by",
    "copyright",
    "heading_like",
    "names_advertiser",
)
POSITION_NAMES = ("first", "second", "from_start", "from_end", "last", "near_end")
# Words sites use in the class names of a standfirst (a rule kept as a feature: "tok:~dek").
DEK_CLASS_WORDS = frozenset(
    {"dek", "deck", "standfirst", "intro", "lead", "lede", "leadtext", "excerpt", "summary",
     "subline", "subtitle", "abstract", "teaser", "bajada", "description", "subheadline",
     "chapo", "chapeau", "strapline"}
)  # fmt: skip


@dataclass(frozen=True)
class Line:
    """One line of a document as the detector sees it.

    `tag`, `landmarks`, `tokens` and `link_density` describe where an HTML page put it
    (`articles.segment.Segment` has the same fields); pasted text leaves them empty.
    """

    text: str
    tag: str = ""
    landmarks: tuple[str, ...] = ()
    tokens: tuple[str, ...] = ()
    link_density: float = 0.0


@dataclass(frozen=True)
class Verdict:
    """What the detector says of one line."""

    label: str  # a structure label, or "non_reporting"
    kind: str | None  # the promotional kind when label is "non_reporting"
    promo: float  # probability that the line is not reporting (0..1)
    confidence: float  # probability of the label (or of non-reporting)
    reasons: tuple[str, ...] = ()  # the strongest evidence for non-reporting, readable
    structure: tuple[tuple[str, float], ...] = field(default=(), compare=False)

    @property
    def is_promotional(self) -> bool:
        return self.label == "non_reporting"

    def probability(self, label: str) -> float:
        """Probability of a structure label, as the model saw it (0 when not recorded)."""
        return dict(self.structure).get(label, 0.0)


# Features ---------------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return [w if not w.isdigit() else "0" * min(len(w), 4) for w in _WORD.findall(text.lower())]


def _text_grams(text: str) -> list[str]:
    """The words of the line's opening, without their order (so no sentence can be read back
    from stored features). Character n-grams were tried and added nothing in cross-validation."""
    return [f"w:{w}" for w in _words(text[:TEXT_CHARS])]


def marked_as_dek(tokens) -> bool:
    """Whether a page's class names mark an element as the standfirst."""
    return any(DEK_CLASS_WORDS.intersection(re.split(r"[-_:./\s]+", token)) for token in tokens)


def _hint_tokens(line: Line) -> list[str]:
    tokens = [f"lm:{name}" for name in line.landmarks]
    if line.tag:
        tokens.append(f"tag:{line.tag}")
    for token in line.tokens:
        tokens.extend(f"tok:{part}" for part in re.split(r"[-_:./\s]+", token) if len(part) >= 3)
    if marked_as_dek(line.tokens):
        tokens.append("tok:~dek")
    if line.tag or line.landmarks or line.tokens:
        tokens.append(f"ld:{min(int(line.link_density * 4), 3)}")
        tokens.append("html")
    return tokens


# Counts, not normalised: stored training features keep counts, and both paths normalise them
# the same way (`line_features`).
_text_hasher = HashingVectorizer(
    analyzer=_text_grams, n_features=TEXT_FEATURES, alternate_sign=False, norm=None
)
_hint_hasher = HashingVectorizer(
    analyzer=lambda tokens: tokens, n_features=HINT_FEATURES, alternate_sign=False, norm=None
)


def _publisher_words(publisher: str) -> tuple[str, ...]:
    words = [w for w in _words(publisher) if len(w) >= 3 and w not in {"the", "les", "der", "die"}]
    return tuple(words)


def shape(text: str, publisher: str = "") -> list[float]:
    """The shape features of one line (see `SHAPE_NAMES`), each scaled to about 0..1.

    Patterns are looked for in the line's opening only (`TEXT_CHARS`): a box is short, and
    a price deep inside a long paragraph says nothing about it.
    """
    full = text
    text = text[:TEXT_CHARS]
    words = full.split()
    opening = text.split()
    lowered = _words(text)
    n = max(len(opening), 1)
    capitalised = sum(w[:1].isupper() for w in opening)
    digits = sum(map(str.isdigit, text))
    has_at = "@" in text
    last = full.rstrip()[-1:]
    first_word = lowered[0] if lowered else ""
    pub = _publisher_words(publisher)
    return [
        min(math.log1p(len(full)) / 7, 1.5),
        min(math.log1p(len(words)) / 5, 1.5),
        float(last in ".…\"”'»)"),
        float(last == ":"),
        float(last in "!?"),
        float(text[:1].isupper()),
        capitalised / n,
        float(len(text) > 2 and text.isupper()),
        min(digits / max(len(text), 1) * 5, 1.0),
        float(bool(digits and _PRICE.search(text))),
        float(bool(digits and _PERCENT.search(text)) or "per cent" in text),
        float(bool(_URL.search(text))),
        float(bool(has_at and _EMAIL.search(text))),
        float(bool(has_at and _HANDLE.search(text))),
        min(len(_SECOND_PERSON.intersection(lowered)) / n * 4, 1.0),
        min(len(_FIRST_PLURAL.intersection(lowered)) / n * 4, 1.0),
        float(len(words) <= 4 and last not in ".,;" and first_word in _ACTION_VERBS),
        float(first_word in _ACTION_VERBS),
        float(any(q in text for q in _QUOTES)),
        float(text[:1] in _QUOTES),
        float(bool(pub) and all(w in lowered for w in pub)),
        float(len(words) <= 8),
        float(len(words) > 25),
        float(any(s in text for s in "|•›»")),
        float(bool(digits and _DATE.search(text))),
        float(first_word in {"by", "par", "von", "por"}),
        float("©" in text or "copyright" in text.lower()),
        float(_heading_like(full)),
        float(len(words) <= ADVERT_MAX_WORDS and _names_advertiser(text, pub)),
    ]


def _names_advertiser(text: str, publisher_words: tuple[str, ...]) -> bool:
    """The line names a brand that is not the publisher (a sponsor credit, a call to action
    with a brand, a CamelCase name): the advertiser's copy rather than the house's."""
    brand = guess_sponsor(text)
    return bool(brand) and not set(_words(brand)) <= set(publisher_words)


def _heading_like(text: str) -> bool:
    words = text.split()
    return (
        0 < len(words) <= 12 and text.rstrip()[-1:] not in ".,;:!?…\"”’'»)" and text[:1].isupper()
    )


@dataclass
class LineFeatures:
    """The per-line features of a document, one row per line, as the models read them."""

    text: sparse.csr_matrix  # lines × TEXT_FEATURES, each row l2-normalised
    hints: sparse.csr_matrix  # lines × HINT_FEATURES, counts of page-hint tokens
    shape: list[list[float]]


@dataclass
class RawFeatures:
    """What the corpus stores per line: hashed counts (no text) and the shape row."""

    text_counts: sparse.csr_matrix
    page_hints: sparse.csr_matrix  # where the page put the line (empty for pasted text)
    shape: list[list[float]]

    def features(self, with_page: bool = True) -> LineFeatures:
        hints = self.page_hints if with_page else sparse.csr_matrix(self.page_hints.shape)
        return LineFeatures(normalize(self.text_counts), hints, self.shape)


def raw_features(lines: Sequence[Line], publisher: str = "") -> RawFeatures:
    """Hash and measure every line (rows in the order of `lines`)."""
    texts = [unicodedata.normalize("NFC", line.text) for line in lines]
    return RawFeatures(
        text_counts=_text_hasher.transform(texts).tocsr(),
        page_hints=_hint_hasher.transform([_hint_tokens(line) for line in lines]).tocsr(),
        shape=[shape(text, publisher) for text in texts],
    )


def line_features(lines: Sequence[Line], publisher: str = "") -> LineFeatures:
    """Features of every line, stacked (rows in the order of `lines`)."""
    return raw_features(lines, publisher).features()


def positions(count: int) -> np.ndarray:
    """Where each of `count` lines sits: first, second, share from start and end, last…"""
    rows = []
    for i in range(count):
        rows.append(
            [
                float(i == 0),
                float(i == 1),
                i / max(count - 1, 1),
                (count - 1 - i) / max(count - 1, 1),
                float(i == count - 1),
                float(count - 1 - i < 3),
            ]
        )
    return np.array(rows, dtype=np.float64).reshape(count, len(POSITION_NAMES))


def base_matrix(text, hints, shapes, count: int) -> sparse.csr_matrix:
    """The first model's input: text, hints, shape and position columns side by side."""
    dense = np.hstack([np.asarray(shapes, dtype=np.float64).reshape(count, -1), positions(count)])
    return sparse.hstack([text, hints, sparse.csr_matrix(dense)], format="csr")


def context_names() -> tuple[str, ...]:
    names = []
    for offset in CONTEXT_OFFSETS:
        names += [
            f"at{offset:+d}:promo",
            f"at{offset:+d}:heading",
            f"at{offset:+d}:short",
            f"at{offset:+d}:long",
        ]
    names += [f"window:{k}" for k in PROMO_KINDS]
    names += ["window:max_promo", "box:heading_promo", "box:run_of_short"]
    return tuple(names)


CONTEXT_NAMES = context_names()
_PROMO_COLUMNS = [CLASSES.index(k) for k in PROMO_KINDS]
_ADVERT_COLUMN = CLASSES.index("third_party_ad")
HOUSE_PITCHES = frozenset({"subscription", "donation", "house_event", "app_or_podcast"})
_NAMES_BRAND_COLUMN = SHAPE_NAMES.index("names_advertiser")
_PRICE_COLUMN = SHAPE_NAMES.index("price")
_HEADING_COLUMN = CLASSES.index("subheading")


def context(first_pass: np.ndarray, shapes) -> np.ndarray:
    """The second model's extra columns: the first pass's verdicts on each line's neighbours
    (promotional, heading) and their shape (short, long), the window's promotional kinds, and
    the box the line may belong to (a heading-like line rated promotional shortly before it,
    a run of short lines around it)."""
    count = first_pass.shape[0]
    promo_prob = first_pass[:, PROMO_OUTPUT]
    heading = first_pass[:, _HEADING_COLUMN]
    short_col = SHAPE_NAMES.index("short")
    long_col = SHAPE_NAMES.index("long")
    heading_like_col = SHAPE_NAMES.index("heading_like")
    short = np.array([s[short_col] for s in shapes]) if count else np.zeros(0)
    heading_like = np.array([s[heading_like_col] for s in shapes]) if count else np.zeros(0)
    long = np.array([s[long_col] for s in shapes]) if count else np.zeros(0)
    rows = np.zeros((count, len(CONTEXT_NAMES)))
    for i in range(count):
        row = []
        for offset in CONTEXT_OFFSETS:
            j = i + offset
            inside = 0 <= j < count
            row += [promo_prob[j], heading[j], short[j], long[j]] if inside else [0.0] * 4
        lo, hi = max(i - 3, 0), min(i + 4, count)
        window = [j for j in range(lo, hi) if j != i]
        kinds = first_pass[window][:, _PROMO_COLUMNS].mean(axis=0) if window else np.zeros(10)
        row += list(kinds)
        row.append(max((promo_prob[j] for j in window), default=0.0))
        box = [promo_prob[j] for j in range(max(i - 4, 0), i) if heading_like[j]]
        row.append(box[-1] if box else 0.0)
        run = 0
        for j in range(i, count):
            if not short[j]:
                break
            run += 1
        for j in range(i - 1, -1, -1):
            if not short[j]:
                break
            run += 1
        row.append(min(run / 5, 1.0))
        rows[i] = row
    return rows


# The model --------------------------------------------------------------------------------


@dataclass(frozen=True)
class LinearModel:
    """One-vs-rest logistic regression as sparse weights: columns × classes."""

    weights: sparse.csr_matrix
    intercept: np.ndarray

    @classmethod
    def from_json(cls, data: dict, columns: int) -> "LinearModel":
        rows, cols, values = zip(*data["coef"], strict=True) if data["coef"] else ((), (), ())
        weights = sparse.csr_matrix(
            (np.array(values, dtype=np.float64), (np.array(rows), np.array(cols))),
            shape=(columns, len(OUTPUTS)),
        )
        return cls(weights, np.array(data["intercept"], dtype=np.float64))

    def scores(self, matrix) -> np.ndarray:
        product = matrix @ self.weights
        dense = product.toarray() if sparse.issparse(product) else np.asarray(product)
        return dense + self.intercept

    def probabilities(self, matrix) -> np.ndarray:
        """Each row's probabilities in the columns of `OUTPUTS`: the structure labels (one-vs-
        rest sigmoids normalised over them), the non-reporting kinds (normalised over them:
        which kind, if the line is not reporting), then the binary head's probability that it
        is not reporting."""
        raw = 1.0 / (1.0 + np.exp(-self.scores(matrix)))
        parts = []
        for part in (raw[:, : len(STRUCTURE_LABELS)], raw[:, len(STRUCTURE_LABELS) : PROMO_OUTPUT]):
            parts.append(part / np.maximum(part.sum(axis=1, keepdims=True), 1e-12))
        return np.hstack([*parts, raw[:, PROMO_OUTPUT:]])


@dataclass(frozen=True)
class Model:
    first: LinearModel
    second: LinearModel
    threshold: float
    meta: dict


def base_columns() -> int:
    return TEXT_FEATURES + HINT_FEATURES + len(SHAPE_NAMES) + len(POSITION_NAMES)


def load_model(path: Path = MODEL_PATH) -> Model:
    """Read a model file written by `articles.detector_training.export`."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    layout = [data.get(name) for name in ("shape_names", "position_names", "context_names")]
    if data.get("feature_version") != FEATURE_VERSION or layout != [
        list(SHAPE_NAMES),
        list(POSITION_NAMES),
        list(CONTEXT_NAMES),
    ]:
        raise ValueError(
            f"{path} was trained on feature version {data.get('feature_version')}, this code "
            f"computes version {FEATURE_VERSION}: run manage.py train_detector"
        )
    columns = base_columns()
    return Model(
        first=LinearModel.from_json(data["first"], columns),
        second=LinearModel.from_json(data["second"], columns + len(CONTEXT_NAMES)),
        threshold=data["threshold"],
        meta={k: v for k, v in data.items() if k not in {"first", "second"}},
    )


@lru_cache(maxsize=1)
def current_model() -> Model:
    """The committed model, loaded once per process."""
    return load_model()


# Classifying ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Passes:
    """Both models' outputs for a document: the context columns and final probabilities."""

    context: np.ndarray
    probabilities: np.ndarray


def predict(features: LineFeatures, count: int, model: Model) -> Passes:
    """Run both passes over a document's features."""
    if count == 0:
        empty = np.zeros((0, len(OUTPUTS)))
        return Passes(np.zeros((0, len(CONTEXT_NAMES))), empty)
    base = base_matrix(features.text, features.hints, features.shape, count)
    ctx = context(model.first.probabilities(base), features.shape)
    full = sparse.hstack([base, sparse.csr_matrix(ctx)], format="csr")
    return Passes(ctx, model.second.probabilities(full))


def classify(
    lines: Sequence[Line | str], *, publisher: str = "", model: Model | None = None
) -> list[Verdict]:
    """Label every line of a document given in reading order (headline first).

    `publisher` is the name of the publication the copy comes from, if known: a line naming it
    in the first person plural reads as the publisher's own promotion.
    """
    if not lines:
        return []
    model = model or current_model()
    lines = [line if isinstance(line, Line) else Line(line) for line in lines]
    features = line_features(lines, publisher)
    passes = predict(features, len(lines), model)
    return [
        _verdict(line, row, model, features, i, passes)
        for i, (line, row) in enumerate(zip(lines, passes.probabilities, strict=True))
    ]


def _verdict(line: Line, row, model: Model, features, i: int, passes: Passes) -> Verdict:
    promo_prob = float(row[PROMO_OUTPUT])
    structure = tuple((label, round(float(row[j]), 4)) for j, label in enumerate(STRUCTURE_LABELS))
    if promo_prob >= model.threshold:
        kind_index = max(_PROMO_COLUMNS, key=lambda j: row[j])
        # A priced pitch (to subscribe, join, attend, download) that names a brand other than
        # the publisher is an advertiser's offer, not the house's: it goes to ad operations.
        # (A newsletter's own name, "Get the … Brief", carries no price.)
        shape_row = features.shape[i]
        offer = shape_row[_NAMES_BRAND_COLUMN] and shape_row[_PRICE_COLUMN]
        if offer and CLASSES[kind_index] in HOUSE_PITCHES:
            kind_index = _ADVERT_COLUMN
        kind = CLASSES[kind_index]
        reasons = explain(line, features, i, passes.context[i], model, kind_index)
        return Verdict(
            "non_reporting", kind, round(promo_prob, 4), round(promo_prob, 4), reasons, structure
        )
    label_index = max(range(len(STRUCTURE_LABELS)), key=lambda j: row[j])
    structure_total = float(row[: len(STRUCTURE_LABELS)].sum())
    confidence = float(row[label_index]) / max(structure_total, 1e-9)
    return Verdict(
        STRUCTURE_LABELS[label_index],
        None,
        round(promo_prob, 4),
        round(min(confidence, 1.0), 4),
        (),
        structure,
    )


def explain(
    line: Line, features, i: int, ctx, model: Model, class_index: int, top: int = 3
) -> tuple[str, ...]:
    """The strongest readable evidence the second model used for `class_index` on line `i`:
    words of the line, shape and page features, and the neighbours' verdicts."""
    weights = model.second.weights[:, class_index].toarray().ravel()
    contributions: dict[str, float] = {}
    text_row = features.text[i]
    by_index: dict[int, list[str]] = {}
    for gram in _text_grams(unicodedata.normalize("NFC", line.text)):
        by_index.setdefault(_index(gram, TEXT_FEATURES), []).append(gram)
    for j, value in zip(text_row.indices, text_row.data, strict=True):
        grams = by_index.get(j, [])
        words = [g[2:] for g in grams if g.startswith("w:")]
        name = f"word “{words[0]}”" if words else None
        if name:
            contributions[name] = contributions.get(name, 0.0) + weights[j] * value
    hint_row = features.hints[i]
    names = {_index(t, HINT_FEATURES): t for t in _hint_tokens(line)}
    for j, value in zip(hint_row.indices, hint_row.data, strict=True):
        token = names.get(j)
        if token:
            contributions[_readable_hint(token)] = weights[TEXT_FEATURES + j] * value
    offset = TEXT_FEATURES + HINT_FEATURES
    for k, name in enumerate(SHAPE_NAMES):
        value = features.shape[i][k]
        if value:
            contributions[f"shape: {name.replace('_', ' ')}"] = weights[offset + k] * value
    offset += len(SHAPE_NAMES) + len(POSITION_NAMES)
    for k, name in enumerate(CONTEXT_NAMES):
        if ctx[k] and not name.startswith("own:"):
            contributions[f"context: {name}"] = weights[offset + k] * ctx[k]
    ranked = sorted((v, k) for k, v in contributions.items() if v > 0)
    return tuple(name for _, name in reversed(ranked[-top:]))


def _readable_hint(token: str) -> str:
    prefix, _, value = token.partition(":")
    return {
        "lm": f"page: inside <{value}>",
        "tag": f"page: a <{value}> element",
        "tok": f"page: class “{value}”",
        "ld": "page: mostly links" if value == "3" else f"page: link density {value}",
    }.get(prefix, token)


def _index(token: str, n_features: int) -> int:
    """The column `HashingVectorizer` gives `token` (signed murmurhash3, seed 0, modulo)."""
    return abs(murmurhash3_32(token, seed=0)) % n_features
