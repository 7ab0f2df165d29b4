"""Report how the promotional-copy detector does on labelled sets.

Usage: python bench/promo_bench.py [PATH ...]
       (default: tests/data/promo_lines.tsv and tests/data/promo_holdout.tsv)

For each file, then for all files combined, prints counts, precision, recall, the false-positive
rate on news lines, F1 and whether the targets are met; every misclassified line is listed under
its file. promo_lines.tsv is the set the rules were first tuned on; promo_holdout.tsv was written
afterwards to measure generalisation, so its figures are the ones to watch. Always exits 0: it
is a report, the pass/fail gate lives in tests/importing/test_promo.py.
"""

import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))  # make `articles` importable without installing anything

from articles.promo import THRESHOLD, assess  # noqa: E402

DATA_DIR = REPO_ROOT / "tests" / "data"
DEFAULT_PATHS = (DATA_DIR / "promo_lines.tsv", DATA_DIR / "promo_holdout.tsv")
TARGET_RECALL = 0.95
TARGET_FP_RATE = 0.01


@dataclass
class Tally:
    tp: int = 0
    fn: int = 0
    fp: int = 0
    tn: int = 0
    misses: list[tuple[str, float, str, tuple[str, ...]]] = field(default_factory=list)

    def add(self, other: "Tally") -> None:
        self.tp, self.fn = self.tp + other.tp, self.fn + other.fn
        self.fp, self.tn = self.fp + other.fp, self.tn + other.tn

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def fp_rate(self) -> float:
        return self.fp / (self.fp + self.tn) if self.fp + self.tn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def load(path: Path) -> list[tuple[str, str]]:
    """(label, text) pairs from a `label<TAB>text` file with a header line."""
    lines = path.read_text(encoding="utf-8").splitlines()[1:]
    return [tuple(line.split("\t", 1)) for line in lines if line.strip()]


def evaluate(rows: list[tuple[str, str]]) -> Tally:
    tally = Tally()
    for label, text in rows:
        verdict = assess(text)
        if label == "promo":
            if verdict.is_promotional:
                tally.tp += 1
            else:
                tally.fn += 1
        elif verdict.is_promotional:
            tally.fp += 1
        else:
            tally.tn += 1
        if verdict.is_promotional != (label == "promo"):
            tally.misses.append((label, verdict.score, text, verdict.reasons))
    return tally


def report(title: str, tally: Tally, *, list_misses: bool) -> None:
    print(f"== {title}")
    print(
        f"lines: {tally.tp + tally.fn + tally.fp + tally.tn}  promo: {tally.tp + tally.fn}  "
        f"news: {tally.fp + tally.tn}  threshold: {THRESHOLD}"
    )
    print(f"TP {tally.tp}  FN {tally.fn}  FP {tally.fp}  TN {tally.tn}")
    print(
        f"precision {tally.precision:.3f}  recall {tally.recall:.3f}  "
        f"FP rate {tally.fp_rate:.3f}  F1 {tally.f1:.3f}"
    )
    recall_ok = tally.recall >= TARGET_RECALL
    fp_ok = tally.fp_rate <= TARGET_FP_RATE
    print(
        f"target recall >= {TARGET_RECALL}: {'met' if recall_ok else 'NOT met'}  |  "
        f"target FP rate <= {TARGET_FP_RATE}: {'met' if fp_ok else 'NOT met'}"
    )
    if list_misses:
        print(f"misclassified ({len(tally.misses)}):")
        for label, score, text, reasons in tally.misses:
            kind = "missed promo" if label == "promo" else "false alarm"
            print(f"  [{kind} {score:.2f}] {text}")
            if reasons:
                print(f"      reasons: {'; '.join(reasons)}")
    print()


def main(argv: list[str]) -> int:
    paths = [Path(arg) for arg in argv[1:]] or list(DEFAULT_PATHS)
    combined = Tally()
    for path in paths:
        tally = evaluate(load(path))
        report(f"file: {path}", tally, list_misses=True)
        combined.add(tally)
    if len(paths) > 1:
        report(f"combined ({len(paths)} files)", combined, list_misses=False)
    return 0


if __name__ == "__main__":
    main(sys.argv)
    sys.exit(0)
