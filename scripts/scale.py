"""Scaling curve: wall time per stage, model calls and tokens against the size of the input,
for events of 5, 20, 50 and 200 articles; written as JSON, a Markdown table and (when
matplotlib is importable) a plot.

    python scripts/scale.py [--sizes 5 20 50 200] [--run extractive --run ...] [--no-local]
                            [--repeat 1] [--out docs/scale] [--data ../shared/data/events]
                            [--keep-events DIR]

How the events are built (deterministic, from the development clusters, nothing invented):
- a size that one development cluster can hold is the first articles (in file order) of the
  smallest such cluster: one real event. 5 articles: ECB+ topic 11 (the ecbplus half, exactly
  5); 20: the first 20 of ECB+ topic 1's ecbplus half (21 articles).
- a bigger size joins whole clusters in file order (``ecbplus.jsonl``: each ECB+ topic's two
  halves, which report two similar events, one after the other; then ``neus_allsides.jsonl``)
  and cuts the last one: 50 articles are ECB+ topic 1 (both halves, 39) and the first 11 of
  topic 7; 200 are all 199 ECB+ articles and the first NeuS article. Such an event is not one
  real event (the loader may warn that the articles fall into groups): it measures how the
  stages scale with the input, not the summary's quality.

Runs (each a fresh process, response cache off, through ``scripts/bench.py --one``):
extractive, the scripted backend with 200 ms per call (stepwise and single-pass: single
splits an event beyond the context into map-reduce calls), and, for sizes up to 20 articles
only, the embedded model (stepwise and single). The embedded runs come last (minutes each);
``--no-local`` skips them.

"Input tokens" are the whitespace-separated words of the articles' texts (the count the
scripted backend uses for its prompt tokens); the embedded model's tokenizer counts about 1.3
tokens per such word. "Non-model work" is the wall time minus the time spent inside model
calls (see docs/PERFORMANCE.md#overhead).

A measurement, not a test: quote its output with the command line.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "scripts" / "bench.py"
DEFAULT_DATA = Path(os.environ.get("SUMMARIZE_SHARED_DATA", REPO.parent / "shared" / "data"))
SOURCES = ("ecbplus.jsonl", "neus_allsides.jsonl")
DEFAULT_SIZES = (5, 20, 50, 200)
DEFAULT_RUNS = (
    "extractive",
    "fake:latency-200ms@stepwise",
    "fake:latency-200ms@single",
)
LOCAL_RUNS = ("local@stepwise", "local@single")
LOCAL_MAX_ARTICLES = 20


def clusters(data: Path) -> list[dict[str, Any]]:
    """Every development cluster, in file order (ECB+ first, then NeuS)."""
    out: list[dict[str, Any]] = []
    for name in SOURCES:
        with (data / name).open(encoding="utf-8") as f:
            out.extend(json.loads(line) for line in f if line.strip())
    return out


def build_event(size: int, pool: list[dict[str, Any]]) -> dict[str, Any]:
    """An event of ``size`` articles (see the module docstring for the rule)."""
    fitting = [c for c in pool if len(c["articles"]) >= size]
    if fitting:
        smallest = min(fitting, key=lambda c: len(c["articles"]))  # first of equal sizes
        return {
            "id": f"scale-{size}",
            "title": f"{size} articles of {smallest['id']}",
            "articles": smallest["articles"][:size],
            "sources": [smallest["id"]],
        }
    articles: list[dict[str, Any]] = []
    used: list[str] = []
    for cluster in pool:
        if len(articles) >= size:
            break
        take = cluster["articles"][: size - len(articles)]
        articles.extend(take)
        used.append(
            cluster["id"]
            if len(take) == len(cluster["articles"])
            else f"{cluster['id']} (first {len(take)})"
        )
    if len(articles) < size:
        raise SystemExit(f"the development clusters hold only {len(articles)} articles")
    return {
        "id": f"scale-{size}",
        "title": f"{size} articles joined from {len(used)} clusters",
        "articles": articles,
        "sources": used,
    }


def input_tokens(event: dict[str, Any]) -> int:
    return sum(len(str(a.get("text") or "").split()) for a in event["articles"])


def write_event(event: dict[str, Any], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{event['id']}.jsonl"
    record = {k: event[k] for k in ("id", "title", "articles")}
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def measure(event: Path, run: str, timeout_s: float) -> dict[str, Any]:
    """One run of ``scripts/bench.py --one`` in a fresh process."""
    try:
        out = subprocess.run(
            [sys.executable, str(BENCH), str(event), "--one", run],
            capture_output=True,
            text=True,
            check=False,
            timeout=timeout_s,
        )
    except subprocess.TimeoutExpired:
        return {"run": run, "error": f"timed out after {timeout_s:.0f} s"}
    if out.returncode != 0:
        return {"run": run, "error": (out.stderr.strip().splitlines() or ["failed"])[-1]}
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def median_row(rows: list[dict[str, Any]]) -> dict[str, Any]:
    ok = sorted((r for r in rows if "error" not in r), key=lambda r: r["wall_s"])
    if not ok:
        return rows[0]
    return {**ok[len(ok) // 2], "repeats": len(ok)}


def growth(points: list[tuple[float, float]]) -> float | None:
    """The exponent b of a least-squares fit of seconds = a * n^b (1: linear)."""
    pts = [(math.log(n), math.log(s)) for n, s in points if n > 0 and s > 0]
    if len(pts) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    sxx = sum((x - mx) ** 2 for x, _ in pts)
    return round(sum((x - mx) * (y - my) for x, y in pts) / sxx, 2) if sxx else None


STAGES = ("load", "clean_segment", "analyse", "draft", "verify")


def table(rows: list[dict[str, Any]]) -> str:
    head = (
        "| articles | input tokens | run | wall s | load | clean+segment | analyse | draft | "
        "verify | non-model s | per 1k input tokens | non-model share | calls | "
        "prompt + completion tokens |"
    )
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in rows:
        if "error" in r:
            lines.append(
                f"| {r['articles']} | {r['input_tokens']:,} | {r['run']} | "
                f"failed: {r['error']} |" + " |" * 10
            )
            continue
        st = r["stages_s"]
        cells = [f"{st.get(s, 0.0):.2f}" for s in STAGES]
        share = r.get("overhead_share")
        lines.append(
            f"| {r['articles']} | {r['input_tokens']:,} | `{r['run']}` | {r['wall_s']:.2f} | "
            + " | ".join(cells)
            + f" | {r['overhead_s']:.2f} | {1000 * r['overhead_s'] / r['input_tokens']:.3f} | "
            + (f"{100 * share:.1f} %" if share is not None else "–")
            + f" | {r['calls']} | {r['prompt_tokens']:,} + {r['completion_tokens']:,} |"
        )
    return "\n".join(lines) + "\n"


def plot(rows: list[dict[str, Any]], path: Path) -> bool:
    """Against input tokens (log-log), one line per run: wall time, non-model work (with a
    linear reference) and model tokens."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    ok = [r for r in rows if "error" not in r]
    runs = list(dict.fromkeys(r["run"] for r in ok))
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.4))
    panels = (
        ("wall time", "seconds", ("wall_s",)),
        ("non-model work (wall - time in model calls)", "seconds", ("overhead_s",)),
        ("model tokens (prompt + completion)", "tokens", ("prompt_tokens", "completion_tokens")),
    )
    for ax, (title, unit, keys) in zip(axes, panels, strict=True):
        for color, run in enumerate(runs):
            pts = sorted(
                (r["input_tokens"], sum(r[k] for k in keys)) for r in ok if r["run"] == run
            )
            pts = [(x, y) for x, y in pts if y > 0]
            if pts:
                xs, ys = [x for x, _ in pts], [y for _, y in pts]
                ax.plot(xs, ys, marker="o", label=run, color=f"C{color}")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("input tokens (words of the articles)")
        ax.set_ylabel(unit)
        ax.set_title(title, fontsize=10)
        ax.grid(True, which="both", alpha=0.3)
    base = [r for r in ok if r["run"] == "extractive"] or ok
    if base:
        x0 = min(r["input_tokens"] for r in base)
        y0 = min(r["overhead_s"] for r in base if r["input_tokens"] == x0)
        x1 = max(r["input_tokens"] for r in ok)
        axes[1].plot([x0, x1], [y0, y0 * x1 / x0], "k--", lw=1, label="linear")
        axes[1].legend(fontsize=7)
    axes[0].legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return True


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES))
    p.add_argument("--run", action="append", default=None, help="model[@strategy] (repeatable)")
    p.add_argument("--no-local", action="store_true", help="skip the embedded model's runs")
    p.add_argument("--repeat", type=int, default=1, help="runs per point (median reported)")
    p.add_argument("--data", type=Path, default=DEFAULT_DATA / "events")
    p.add_argument("--out", type=Path, default=REPO / "docs" / "scale", help="output prefix")
    p.add_argument("--timeout", type=float, default=1800.0, help="seconds per run")
    p.add_argument("--keep-events", type=Path, default=None, help="write the built events here")
    args = p.parse_args()

    pool = clusters(args.data)
    events_dir = args.keep_events or Path(tempfile.mkdtemp(prefix="summarize-scale-"))
    events = {n: build_event(n, pool) for n in args.sizes}
    paths = {n: write_event(e, events_dir) for n, e in events.items()}
    runs = list(args.run or DEFAULT_RUNS)
    plan = [(n, run) for run in runs for n in args.sizes]
    if not args.no_local and args.run is None:
        plan += [(n, run) for run in LOCAL_RUNS for n in args.sizes if n <= LOCAL_MAX_ARTICLES]

    rows: list[dict[str, Any]] = []
    for n, run in plan:
        row = median_row([measure(paths[n], run, args.timeout) for _ in range(max(1, args.repeat))])
        row = {"articles": n, "input_tokens": input_tokens(events[n]), **row}
        rows.append(row)
        if "error" in row:
            print(f"{n:>4} articles  {run:<30} failed: {row['error']}", flush=True)
            continue
        print(
            f"{n:>4} articles  {run:<30} wall {row['wall_s']:8.2f} s  non-model "
            f"{row['overhead_s']:7.2f} s  {row['calls']:>3} calls  "
            f"{row['prompt_tokens']:>7}+{row['completion_tokens']:<6} tokens",
            flush=True,
        )

    fits = {
        run: {
            "non_model_exponent": growth(
                [
                    (r["input_tokens"], r["overhead_s"])
                    for r in rows
                    if r["run"] == run and "error" not in r
                ]
            ),
            "calls_exponent": growth(
                [
                    (r["input_tokens"], r["calls"])
                    for r in rows
                    if r["run"] == run and "error" not in r
                ]
            ),
        }
        for run in dict.fromkeys(r["run"] for r in rows)
    }
    built = {
        n: {"input_tokens": input_tokens(e), "sources": e["sources"]} for n, e in events.items()
    }
    result = {
        "command": " ".join(sys.argv),
        "cpus": os.cpu_count(),
        "events": built,
        "rows": rows,
        "growth": fits,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    json_path = args.out.with_suffix(".json")
    json_path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    md_path = args.out.with_suffix(".md")
    md_path.write_text(table(rows), encoding="utf-8")
    print(f"wrote {json_path} and {md_path}")
    png = args.out.with_suffix(".png")
    if plot(rows, png):
        print(f"wrote {png}")
    else:
        print("matplotlib is not installed: no plot (pip install matplotlib)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
