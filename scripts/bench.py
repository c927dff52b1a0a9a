"""Benchmark one event per backend: wall time per stage, model calls, tokens, tokens/s, peak
memory and cost; printed as a table and written as JSON.

    python scripts/bench.py [EVENT] [--run extractive --run fake:latency-200ms ...]
                            [--json bench.json] [--repeat 3] [--warm 5]

A run is a model string, optionally with a strategy after "@": ``local@single``,
``fake:latency-200ms@stepwise``. Default runs: extractive, the scripted backend with a fixed
200 ms latency in both strategies (what the pipeline itself costs around a model of known
speed), and the embedded model in both strategies. Each run is a fresh process (so peak
memory is its own and the embedded model's server starts cold), with the response cache off
unless ``--cache-dir`` names one.

Overhead (docs/PERFORMANCE.md#overhead): the wall time not spent inside a model call, from
loading the event to its finished document, in a process where the interpreter and
``summarize.pipeline`` are already imported. The first event of a process ("cold") also pays
the lazy imports of its backend and the first use of every regular expression; ``--warm N``
runs the same event N more times in that process, every cache keyed on the event's text
emptied before each (``forget_texts``), and reports the median of those ("warm": an event in the
middle of a batch, whose text the process has not seen). CPU seconds are reported beside
wall seconds: on a shared machine the wall time also counts waiting for a core.

A measurement, not a test: run it on an otherwise idle machine and quote its output with the
command line.
"""

from __future__ import annotations

import argparse
import contextlib
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


class CallClock:
    """Times every model call a backend makes (its ``ModelCaller``'s client and any client it
    keeps): the model's share of the wall time, whatever the backend."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.calls = 0

    def watch(self, backend: Any) -> None:
        for holder in (backend, getattr(backend, "caller", None)):
            client = getattr(holder, "client", None)
            if holder is not None and client is not None and hasattr(client, "complete"):
                holder.client = _Timed(client, self)


class _Timed:
    def __init__(self, inner: Any, clock: CallClock) -> None:
        self.inner, self.clock, self.name = inner, clock, inner.name

    def complete(self, request: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return self.inner.complete(request)
        finally:
            self.clock.seconds += time.perf_counter() - t0
            self.clock.calls += 1


def measure(event_path: Path, run: str, cache_dir: Path | None = None) -> dict[str, Any]:
    """One run in this process: the pipeline's own timings plus wall time, the time spent
    inside model calls, and peak RSS. The clock starts before loading the event and before
    the backend is resolved (its lazy imports and a model server's start are the run's)."""
    from summarize.generate.registry import resolve
    from summarize.ingest.loader import load
    from summarize.models.provider import ModelOptions
    from summarize.pipeline import run_event
    from summarize.verify.judges.choice import verification_judge

    model, _, strategy = run.partition("@")
    options = ModelOptions(strategy=strategy or "auto", cache_dir=cache_dir)  # type: ignore[arg-type]
    clock = CallClock()
    c0 = time.process_time()
    t0 = time.perf_counter()
    (event,) = load(event_path).events[:1]
    t1 = time.perf_counter()
    backend = resolve(model, options)
    clock.watch(backend)
    # The verifier's judge, as `summarize run` resolves it; its model calls are model time.
    judge = verification_judge(model, options)
    clock.watch(getattr(judge, "inner", None))
    t2 = time.perf_counter()
    doc = run_event(event, model, options, backend=backend, judge=judge, accept_fallback=True)
    wall = time.perf_counter() - t0
    cpu = time.process_time() - c0
    u = doc.run.usage
    draft = doc.run.timings_s.get("draft", 0.0)
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    stages = {"load": round(t1 - t0, 4), "resolve": round(t2 - t1, 4), **doc.run.timings_s}
    return {
        "run": run,
        "model": doc.run.model,
        "strategy": doc.run.settings.get("backend", {}).get("strategy"),
        "wall_s": round(wall, 3),
        "stages_s": stages,
        # Overhead: the wall time not spent inside a model call (docs/PERFORMANCE.md).
        "model_s": round(clock.seconds, 3),
        "overhead_s": round(wall - clock.seconds, 3),
        "overhead_share": round((wall - clock.seconds) / wall, 4) if clock.calls else None,
        # This process's CPU time over the same span: the overhead on a busy machine, where
        # wall time also counts waiting for a core (a model server's CPU is not in it).
        "cpu_s": round(cpu, 3),
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


def measure_warm(
    event_path: Path, run: str, warm: int, cache_dir: Path | None = None
) -> dict[str, Any]:
    """The cold run, then ``warm`` more in the same process: their medians under "warm"."""
    row = measure(event_path, run, cache_dir)
    if warm > 0:
        again = []
        for _ in range(warm):
            forget_texts()
            again.append(measure(event_path, run, cache_dir))
        row["warm"] = {
            key: round(statistics.median(r[key] for r in again), 3)
            for key in ("wall_s", "model_s", "overhead_s", "cpu_s")
        }
        row["warm"]["runs"] = warm
        row["peak_rss_mb"] = again[-1]["peak_rss_mb"]
    return row


# The rooms whose caches are keyed on an event's text (words, stems, sentences, paragraphs);
# the others cache what every event shares (prompt files, compiled templates, the VADER
# lexicon, answer schemas per set of passage ids).
TEXT_ROOMS = ("summarize.text.", "summarize.ingest.", "summarize.verify.")


def forget_texts() -> None:
    """Empty every ``functools`` cache keyed on an event's text: a warm run then reads its
    event as new text, as an event in a batch does, and only what every event shares is
    warm (imports, compiled patterns, prompts)."""
    for name, module in list(sys.modules.items()):
        if name.startswith(TEXT_ROOMS):
            for value in vars(module).values():
                clear = getattr(value, "cache_clear", None)
                if callable(clear) and hasattr(value, "cache_info"):
                    clear()


def run_fresh(
    event: Path, run: str, warm: int = 0, cache_dir: Path | None = None
) -> dict[str, Any]:
    cache = ["--cache-dir", str(cache_dir)] if cache_dir else []
    out = subprocess.run(
        [sys.executable, __file__, str(event), "--one", run, "--warm", str(warm), *cache],
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
    p.add_argument("--warm", type=int, default=0, help="also run N more times in the same process")
    p.add_argument(
        "--cache-dir",
        type=Path,
        default=None,
        help="use this response cache (default: none); a second run measures a cached re-run",
    )
    p.add_argument("--one", help=argparse.SUPPRESS)
    args = p.parse_args()
    event = Path(args.event)
    if args.one:
        print(json.dumps(measure_warm(event, args.one, args.warm, args.cache_dir)))
        return 0
    load_before = os.getloadavg()
    results = []
    for run in args.run or DEFAULT_RUNS:
        rows = [
            run_fresh(event, run, args.warm, args.cache_dir) for _ in range(max(1, args.repeat))
        ]
        row = summarise(rows)
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
        share = row["overhead_share"]
        print(
            f"   overhead {row['overhead_s']:.3f} s"
            + (f" ({100 * share:.1f} % of wall)" if share is not None else "")
            + f", CPU {row['cpu_s']:.3f} s, in model calls {row['model_s']:.3f} s"
        )
        if "warm" in row:
            w = row["warm"]
            print(
                f"   warm (median of {w['runs']}): wall {w['wall_s']:.3f} s, overhead "
                f"{w['overhead_s']:.3f} s, CPU {w['cpu_s']:.3f} s"
            )
        for stage, seconds in row["stages_s"].items():
            print(f"   {stage:<24} {seconds:8.3f} s")
    if args.json:
        record = {
            "command": " ".join(["python", *sys.argv]),
            "event": str(event),
            "machine": machine(),
            "load_average_1m": {"before": load_before[0], "after": os.getloadavg()[0]},
            "runs": results,
        }
        args.json.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.json}")
    return 0


def machine() -> dict[str, Any]:
    """What the numbers were measured on: CPU model, cores, memory, Python."""
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.partition(":")[2].strip()
                break
    mem_gb = None
    with contextlib.suppress(OSError, ValueError, IndexError):
        total = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
        mem_gb = round(int(total) / 1024**2, 1)
    return {
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "memory_gb": mem_gb,
        "python": sys.version.split()[0],
        "platform": sys.platform,
    }


if __name__ == "__main__":
    raise SystemExit(main())
