"""Benchmark one event per backend: wall time per stage, model calls, tokens, tokens/s.

    python scripts/bench.py [EVENT_DIR] [--model extractive --model local ...]

A measurement, not a test: run it on an otherwise idle machine and quote its output with
the command line.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from summarize.ingest.loader import load  # noqa: E402
from summarize.pipeline import run_event  # noqa: E402


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("event", nargs="?", default=str(REPO / "examples" / "hollande-putin-2015"))
    p.add_argument("--model", action="append", default=None)
    args = p.parse_args()
    (event,) = load(Path(args.event)).events[:1]
    for model in args.model or ["extractive", "local"]:
        t0 = time.perf_counter()
        doc = run_event(event, model)
        wall = time.perf_counter() - t0
        u, t = doc.run.usage, doc.run.timings_s
        draft = t.get("draft", 0.0)
        print(f"== {doc.run.model}  (wall {wall:.1f} s incl. backend start)")
        for stage, seconds in t.items():
            print(f"   {stage:<24} {seconds:8.2f} s")
        print(
            f"   model calls {u.calls}, prompt tokens {u.prompt_tokens}, "
            f"completion tokens {u.completion_tokens}"
        )
        if u.calls and draft:
            print(
                f"   tokens/s over the draft stage: prompt+completion "
                f"{(u.prompt_tokens + u.completion_tokens) / draft:.1f}, "
                f"completion {u.completion_tokens / draft:.1f}"
            )
        print(
            f"   summary sentences {len(doc.summary)}, disagreements {len(doc.disagreements)}, "
            f"verification drops {len(doc.run.verification)}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
