"""Batch throughput: events per second of ``summarize run batch.jsonl`` at several
``--concurrency`` values on the local engine, and on a local Ray instance with 1 and 2 workers;
printed as a table and written as JSON.

    python scripts/bench_batch.py [--events 64] [--model fake:latency-200ms]
                                  [--concurrency 1 4 16 64] [--ray 1 2]
                                  [--ray-concurrency 1] [--json batch.json]

The batch: the development clusters in ``../shared/data/events`` (15 NeuS/AllSides clusters of
3 articles, 16 ECB+ topics of 5-21 articles), in that order and cycled with renamed ids
(``<id>~2``, ...) until ``--events`` events; written once to a temporary JSONL. The response
cache is off, so a repeated cluster pays its model calls again. The default model is the
scripted backend with a fixed 200 ms per call (``fake:latency-200ms``): what a batch costs
around a model of known speed, the model itself taking no CPU.

Each configuration runs in a fresh process (``--one``); its wall time is from loading the
batch to the last event's document (imports excluded; a Ray run's wall time includes starting
its local instance and workers, also reported on its own as ``ray_start_s``).

A measurement, not a test: run it on an otherwise idle machine and quote its output with the
command line.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

DATA = REPO.parent / "shared" / "data" / "events"
SOURCES = ("neus_allsides.jsonl", "ecbplus.jsonl")


def build_batch(n: int, data: Path, target: Path) -> dict[str, Any]:
    """``n`` events: the development clusters, cycled with renamed ids."""
    clusters = [
        json.loads(line)
        for name in SOURCES
        for line in (data / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    if not clusters:
        raise SystemExit(f"no clusters in {data}")
    lines = []
    for i in range(n):
        event = dict(clusters[i % len(clusters)])
        copy = i // len(clusters) + 1
        if copy > 1:
            event["id"] = f"{event['id']}~{copy}"
        lines.append(json.dumps(event, ensure_ascii=False))
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    articles = [len(json.loads(line)["articles"]) for line in lines]
    return {
        "events": n,
        "distinct_clusters": len(clusters),
        "articles": sum(articles),
        "sources": [str(data / name) for name in SOURCES],
    }


def measure(spec: dict[str, Any]) -> dict[str, Any]:
    """One configuration, in this process."""
    from summarize.contract import SummaryDocument
    from summarize.models.provider import ModelOptions
    from summarize.pipeline import iter_run

    ray_start = None
    if spec["engine"] == "ray":
        import logging

        import ray

        t = time.perf_counter()
        ray.init(
            num_cpus=spec["workers"],
            include_dashboard=False,
            log_to_driver=False,
            logging_level=logging.ERROR,
        )
        ray_start = time.perf_counter() - t
    t0 = time.perf_counter()
    calls = done = failed = 0
    first = None
    for item in iter_run(
        Path(spec["batch"]),
        spec["model"],
        ModelOptions(),  # no response cache: every event pays its calls
        concurrency=spec["concurrency"],
        engine=spec["engine"],
    ):
        first = first or time.perf_counter() - t0
        if isinstance(item, SummaryDocument):
            done += 1
            calls += item.run.usage.calls
        else:
            failed += 1
    wall = time.perf_counter() - t0 + (ray_start or 0.0)
    return {
        **{k: spec[k] for k in ("engine", "workers", "concurrency", "model")},
        "events": done + failed,
        "failed": failed,
        "model_calls": calls,
        "wall_s": round(wall, 2),
        "ray_start_s": None if ray_start is None else round(ray_start, 2),
        "first_result_s": round(first or 0.0, 2),
        "events_per_s": round((done + failed) / wall, 3),
        "calls_per_s": round(calls / wall, 2),
    }


def run_one(spec: dict[str, Any]) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, __file__, "--one", json.dumps(spec)],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(f"{spec}: failed\n{proc.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--events", type=int, default=64)
    p.add_argument("--model", default="fake:latency-200ms")
    p.add_argument("--concurrency", type=int, nargs="*", default=[1, 4, 16, 64])
    p.add_argument("--ray", type=int, nargs="*", default=[1, 2], help="Ray worker counts")
    p.add_argument("--ray-concurrency", type=int, nargs="*", default=[1])
    p.add_argument("--data", type=Path, default=DATA)
    p.add_argument("--json", type=Path, default=None, help="write the results here")
    p.add_argument("--one", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.one:
        print(json.dumps(measure(json.loads(args.one))))
        return 0

    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        batch = Path(tmp) / "batch.jsonl"
        info = build_batch(args.events, args.data, batch)
        base = {"batch": str(batch), "model": args.model}
        specs = [
            {**base, "engine": "local", "workers": 1, "concurrency": c} for c in args.concurrency
        ]
        specs += [
            {**base, "engine": "ray", "workers": w, "concurrency": c}
            for w in args.ray
            for c in args.ray_concurrency
        ]
        results = []
        print(
            f"{info['events']} events ({info['distinct_clusters']} distinct clusters, "
            f"{info['articles']} articles), model {args.model}, {os.cpu_count()} CPUs"
        )
        print(
            f"{'engine':<7} {'workers':>7} {'conc.':>6} {'events/s':>9} {'calls/s':>8} "
            f"{'wall s':>7} {'ray start s':>11} {'failed':>6}"
        )
        for spec in specs:
            r = run_one(spec)
            results.append(r)
            start = "" if r["ray_start_s"] is None else f"{r['ray_start_s']:.1f}"
            print(
                f"{r['engine']:<7} {r['workers']:>7} {r['concurrency']:>6} "
                f"{r['events_per_s']:>9.2f} {r['calls_per_s']:>8.1f} {r['wall_s']:>7.1f} "
                f"{start:>11} {r['failed']:>6}",
                flush=True,
            )
    record = {
        "batch": info,
        "machine": {"cpus": os.cpu_count(), "platform": sys.platform},
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "results": results,
    }
    if args.json:
        args.json.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
