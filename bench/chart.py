"""Draw requests per second per URL, cache cold and warm, against the floor, from run.py's JSON.

Usage: python bench/chart.py [bench/results-sqlite.json] [--output bench/results.png]

Needs matplotlib (requirements-dev.txt); nothing else from the project. The bars use a
logarithmic scale: on this machine cached pages and uncached ones differ a hundredfold or more.
Over each bar a black tick marks the floor measured next to it (the mean of the /healthz runs
just before and after), and a red dotted tick the target where issue 7 sets one (70% of the
floor for cached article and home, 25% for the uncached article, 20% for the uncached API list).
"""

import argparse
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt

BENCH_DIR = Path(__file__).resolve().parent
COLOURS = {"cold": "#4c72b0", "warm": "#dd8452"}
# Issue 7's targets, as a share of the floor: (URL, mode) → fraction.
TARGETS = {
    ("article", "warm"): 0.70,
    ("home", "warm"): 0.70,
    ("article", "cold"): 0.25,
    ("api-list", "cold"): 0.20,
}


def load(path: Path) -> dict:
    return json.loads(path.read_text())


def draw(results: dict, output: Path) -> None:
    rows = [r for r in results["rows"] if r["name"] != "floor"]
    names = list(dict.fromkeys(r["name"] for r in rows))
    modes = [m for m in ("cold", "warm") if any(r["mode"] == m for r in rows)]
    by_key = {(r["name"], r["mode"]): r for r in rows}

    fig, ax = plt.subplots(figsize=(11, 5.5), dpi=120)
    width = 0.8 / max(len(modes), 1)
    for i, mode in enumerate(modes):
        xs = [n + (i - (len(modes) - 1) / 2) * width for n in range(len(names))]
        found = [by_key.get((name, mode)) for name in names]
        values = [row["rps"] if row else 0 for row in found]
        ax.bar(xs, values, width, label=f"{mode} cache", color=COLOURS[mode])
        for x, row in zip(xs, found, strict=True):
            if row is None:
                continue
            ratio = row["ratio"]
            text = f"{row['rps']:,.0f}" if row["rps"] >= 10 else f"{row['rps']:.1f}"
            ax.annotate(
                f"{text}\n{ratio:.0%}" if ratio >= 0.1 else f"{text}\n{ratio:.1%}",
                (x, max(row["rps"], 0.1)),
                ha="center",
                va="bottom",
                fontsize=7,
            )
            left, right = x - width / 2, x + width / 2
            ax.hlines(row["floor_rps"], left, right, colors="black", linewidth=1.5)
            target = TARGETS.get((row["name"], mode))
            if target:
                ax.hlines(
                    row["floor_rps"] * target, left, right, colors="red", linestyles=":", lw=1.5
                )
    ax.plot([], [], color="black", linewidth=1.5, label="floor (/healthz) measured next to it")
    ax.plot([], [], color="red", linestyle=":", linewidth=1.5, label="target share of the floor")

    env = results["environment"]
    top = max([r["floor_rps"] for r in rows] + [r["rps"] for r in rows] + [1])
    ax.set_yscale("log")
    ax.set_ylim(0.1, top * 3)
    ax.set_xticks(range(len(names)), names)
    ax.set_ylabel("requests per second (log scale)")
    ax.set_title(
        f"Newsroom under gunicorn ({env['gunicorn']['workers']} workers) and wrk "
        f"({env['wrk']['connections']} connections): {env['database']}, "
        f"{env['articles']:,} articles, {env['date'][:10]}\n"
        "bar labels: requests per second and share of the floor",
        fontsize=10,
    )
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.07), ncol=4, fontsize=8)
    ax.grid(axis="y", which="major", alpha=0.3)
    fig.tight_layout()
    fig.savefig(output)
    print(f"wrote {output}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("json", nargs="?", type=Path, default=BENCH_DIR / "results-sqlite.json")
    parser.add_argument("--output", type=Path, default=BENCH_DIR / "results.png")
    args = parser.parse_args()
    draw(load(args.json), args.output)


if __name__ == "__main__":
    main()
