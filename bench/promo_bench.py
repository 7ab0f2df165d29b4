"""Report how the promotional-copy detector does on the labelled set.

Usage: python bench/promo_bench.py [PATH]   (default: tests/data/promo_lines.tsv)

Prints counts, precision, recall, the false-positive rate on news lines, F1, every
misclassified line and whether the targets are met. Always exits 0: it is a report, the
pass/fail gate lives in tests/importing/test_promo.py.
"""

import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))  # make `articles` importable without installing anything

from articles.promo import THRESHOLD, assess  # noqa: E402

DEFAULT_PATH = REPO_ROOT / "tests" / "data" / "promo_lines.tsv"
TARGET_RECALL = 0.95
TARGET_FP_RATE = 0.01


def load(path: Path) -> list[tuple[str, str]]:
    """(label, text) pairs from a `label<TAB>text` file with a header line."""
    lines = path.read_text(encoding="utf-8").splitlines()[1:]
    return [tuple(line.split("\t", 1)) for line in lines if line.strip()]


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else DEFAULT_PATH
    rows = load(path)
    tp = fp = tn = fn = 0
    misses: list[tuple[str, float, str, tuple[str, ...]]] = []
    for label, text in rows:
        verdict = assess(text)
        if label == "promo":
            tp, fn = (tp + 1, fn) if verdict.is_promotional else (tp, fn + 1)
        else:
            fp, tn = (fp + 1, tn) if verdict.is_promotional else (fp, tn + 1)
        if verdict.is_promotional != (label == "promo"):
            misses.append((label, verdict.score, text, verdict.reasons))

    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    fp_rate = fp / (fp + tn) if fp + tn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    print(f"file: {path}")
    print(f"lines: {len(rows)}  promo: {tp + fn}  news: {fp + tn}  threshold: {THRESHOLD}")
    print(f"TP {tp}  FN {fn}  FP {fp}  TN {tn}")
    print(f"precision {precision:.3f}  recall {recall:.3f}  FP rate {fp_rate:.3f}  F1 {f1:.3f}")
    print(f"\nmisclassified ({len(misses)}):")
    for label, score, text, reasons in misses:
        kind = "missed promo" if label == "promo" else "false alarm"
        print(f"  [{kind} {score:.2f}] {text}")
        if reasons:
            print(f"      reasons: {'; '.join(reasons)}")
    recall_ok = recall >= TARGET_RECALL
    fp_ok = fp_rate <= TARGET_FP_RATE
    print(f"\ntarget recall >= {TARGET_RECALL}: {'met' if recall_ok else 'NOT met'}")
    print(f"target FP rate <= {TARGET_FP_RATE}: {'met' if fp_ok else 'NOT met'}")
    return 0


if __name__ == "__main__":
    main(sys.argv)
    sys.exit(0)
