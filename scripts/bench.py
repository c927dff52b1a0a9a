"""Benchmark one event per backend: wall time per stage, model calls, tokens, tokens/s, peak
memory and cost; printed as a table and written as JSON.

    python scripts/bench.py [EVENT] [--run extractive --run fake:latency-200ms ...]
                            [--json bench.json] [--repeat 3]

A run is a model string, optionally with a strategy after "@": ``local@single``,
``fake:latency-200ms@stepwise``. Default runs: extractive, the scripted backend with a fixed
200 ms latency in both strategies (what the pipeline itself costs around a model of known
speed), and the embedded model in both strategies. Each run is a fresh process (so peak
memory is its own and the embedded model's server starts cold), with the response cache off.

A measurement, not a test: run it on an otherwise idle machine and quote its output with the
command line.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

DEFAULT_RUNS = [
    "extractive",
    "fake:latency-200ms@stepwise",
    "fake:latency-200ms@single",
    "local@stepwise",
    "local@single",
]


def measure(event_path: Path, run: str) -> dict[str, Any]:
    """One run in this process: the pipeline's own timings plus wall time and peak RSS."""
    from summarize.ingest.loader import load
    from summarize.models.provider import ModelOptions
    from summarize.pipeline import run_event

    model, _, strategy = run.partition("@")
    options = ModelOptions(strategy=strategy or "auto")  # type: ignore[arg-type]
    t0 = time.perf_counter()
    (event,) = load(event_path).events[:1]
    doc = run_event(event, model, options, accept_fallback=True)
    wall = time.perf_counter() - t0
    u = doc.run.usage
    draft = doc.run.timings_s.get("draft", 0.0)
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "run": run,
        "model": doc.run.model,
        "strategy": doc.run.settings.get("backend", {}).get("strategy"),
        "wall_s": round(wall, 3),
        "stages_s": doc.run.timings_s,
        "calls": u.calls,
        "prompt_tokens": u.prompt_tokens,
        "completion_tokens": u.completion_tokens,
        "tokens_per_s": round((u.prompt_tokens + u.completion_tokens) / draft, 1)
        if draft
        else None,
        "completion_tokens_per_s": round(u.completion_tokens / draft, 1) if draft else None,
        "cost_usd": doc.run.cost_usd,  # litellm's price table; null for local and fake
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "peak_rss_children_mb": round(children / 1024, 1),
        "summary_sentences": len(doc.summary),
        "disagreements": len(doc.disagreements),
        "fell_back": sum(r.fell_back for r in doc.run.stages.values()),
    }


def run_fresh(event: Path, run: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, str(event), "--one", run],
        capture_output=True,
        text=True,
        env={**os.environ, "LITELLM_LOCAL_MODEL_COST_MAP": "True"},
        check=False,
    )
    if out.returncode != 0:
        return {"run": run, "error": (out.stderr.strip().splitlines() or ["failed"])[-1]}
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The median row (by wall time) of repeated runs, with the wall-time spread."""
    ok = [r for r in rows if "error" not in r]
    if not ok:
        return rows[0]
    walls = sorted(r["wall_s"] for r in ok)
    median = min(ok, key=lambda r: abs(r["wall_s"] - statistics.median(walls)))
    return {**median, "repeats": len(ok), "wall_s_min": walls[0], "wall_s_max": walls[-1]}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("event", nargs="?", default=str(REPO / "examples" / "hollande-putin-2015"))
    p.add_argument("--run", action="append", default=None, help="model[@strategy]")
    p.add_argument("--repeat", type=int, default=1, help="runs per backend (median reported)")
    p.add_argument("--json", type=Path, default=None, help="write the results here")
    p.add_argument("--one", help=argparse.SUPPRESS)
    args = p.parse_args()
    event = Path(args.event)
    if args.one:
        print(json.dumps(measure(event, args.one)))
        return 0
    results = []
    for run in args.run or DEFAULT_RUNS:
        row = summarise([run_fresh(event, run) for _ in range(max(1, args.repeat))])
        results.append(row)
        if "error" in row:
            print(f"== {run}: failed: {row['error']}", flush=True)
            continue
        spread = f" [{row['wall_s_min']}-{row['wall_s_max']}]" if row.get("repeats", 1) > 1 else ""
        print(
            f"== {run}  wall {row['wall_s']} s{spread}, {row['calls']} calls, "
            f"{row['prompt_tokens']}+{row['completion_tokens']} tokens, "
            f"peak RSS {row['peak_rss_mb']} MB (+{row['peak_rss_children_mb']} MB children)",
            flush=True,
        )
        for stage, seconds in row["stages_s"].items():
            print(f"   {stage:<24} {seconds:8.3f} s")
    machine = {"cpus": os.cpu_count(), "python": sys.version.split()[0], "platform": sys.platform}
    if args.json:
        args.json.write_text(
            json.dumps({"event": str(event), "machine": machine, "runs": results}, indent=2) + "\n",
            encoding="utf-8",
        )
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
