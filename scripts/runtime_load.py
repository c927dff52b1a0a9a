"""Generation speed of the embedded runtime idle and beside a competing CPU job, per setting.

For each load level (0 = idle, 1 = one busy-loop process pinned to CPU 0, ...) and each
repeat, every configuration (threads x OpenMP wait policy) gets a fresh ``LlamaServer``, one
short warm-up request, then one measured request on a fixed prompt (temperature 0, seed 0).
Configurations are interleaved within a repeat so drift in the machine's load hits them all.
Speeds are llama.cpp's own timings from the server log; ``other_cpu`` is the CPU time used
by processes other than the server and the competing job during the request, as a share of
the whole machine (others' tests on a shared machine show up there).

    python scripts/runtime_load.py --load 0 1 --repeats 3
    python scripts/runtime_load.py --configs default:2 passive:1 --load 1 --json-out r.json

``default`` leaves OMP_WAIT_POLICY and GOMP_SPINCOUNT unset (libgomp spins 300,000 times,
then sleeps); ``passive`` sets OMP_WAIT_POLICY=PASSIVE (sleep at once); ``active`` sets
ACTIVE; ``spinN`` leaves the policy unset and sets GOMP_SPINCOUNT=N (spin N times, then
sleep). Needs the embedded model (``python -m summarize.models.local.provision``).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from summarize.models.local.provision import resolve_gguf  # noqa: E402
from summarize.models.local.server import LlamaServer  # noqa: E402

POLICIES: dict[str, str | None] = {"default": None, "passive": "PASSIVE", "active": "ACTIVE"}


def omp_env(policy: str) -> dict[str, str | None]:
    """The server's OpenMP environment for a policy name (None = unset)."""
    if policy.startswith("spin"):
        return {"OMP_WAIT_POLICY": None, "GOMP_SPINCOUNT": policy.removeprefix("spin")}
    return {"OMP_WAIT_POLICY": POLICIES[policy], "GOMP_SPINCOUNT": None}


_PROMPT = re.compile(r"prompt eval time =\s*([\d.]+) ms /\s*(\d+) tokens")
_EVAL = re.compile(r"\s eval time =\s*([\d.]+) ms /\s*(\d+) runs")


def prompt_text(chars: int) -> str:
    texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "examples").glob("*/*.txt"))]
    return "\n\n".join(t.strip() for t in texts)[:chars]


def ask(server: LlamaServer, content: str, max_tokens: int) -> dict[str, Any]:
    body = {
        "messages": [{"role": "user", "content": content}],
        "max_tokens": max_tokens,
        "temperature": 0,
        "seed": 0,
    }
    req = urllib.request.Request(
        server.api_base + "/chat/completions",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=1800) as resp:
        answer: dict[str, Any] = json.load(resp)
        return answer


def busy_jiffies() -> int:
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    values = [int(x) for x in fields]
    return sum(values) - values[3] - values[4]  # minus idle and iowait


def proc_jiffies(pid: int) -> int:
    try:
        parts = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(parts[11]) + int(parts[12])  # utime + stime


def competitors(n: int) -> list[subprocess.Popen[bytes]]:
    procs = []
    cpus = sorted(os.sched_getaffinity(0))
    for i in range(n):
        cpu = cpus[i % len(cpus)]
        procs.append(
            subprocess.Popen(
                ["taskset", "-c", str(cpu), sys.executable, "-c", "while True: pass"],
                stdin=subprocess.DEVNULL,
            )
        )
    time.sleep(0.5)
    return procs


def measure(
    path: Path, threads: int, policy: str, chars: int, max_tokens: int, hogs: list[int]
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "server.log"
        server = LlamaServer(path, n_ctx=4096, n_threads=threads, log_path=log, env=omp_env(policy))
        with server:
            assert server.pid is not None
            ask(server, "Say OK.", 4)  # warm-up: page in the weights
            since = len(log.read_bytes())
            jiffies = os.sysconf("SC_CLK_TCK")
            b0, s0 = busy_jiffies(), proc_jiffies(server.pid)
            h0 = sum(proc_jiffies(h) for h in hogs)
            t0 = time.monotonic()
            answer = ask(
                server,
                prompt_text(chars) + "\n\nSummarise these articles in ten numbered points.",
                max_tokens,
            )
            wall = time.monotonic() - t0
            b1, s1 = busy_jiffies(), proc_jiffies(server.pid)
            h1 = sum(proc_jiffies(h) for h in hogs)
            ncpu = len(os.sched_getaffinity(0))
            other = ((b1 - b0) - (s1 - s0) - (h1 - h0)) / jiffies / (wall * ncpu)
            text = log.read_bytes()[since:].decode(errors="replace")
        p, g = _PROMPT.search(text), _EVAL.search(text)
        return {
            "wall_s": round(wall, 2),
            "prompt_tokens": int(p[2]) if p else None,
            "prompt_tok_s": round(int(p[2]) / float(p[1]) * 1000, 2) if p else None,
            "gen_tokens": int(g[2]) if g else None,
            "gen_tok_s": round(int(g[2]) / float(g[1]) * 1000, 2) if g else None,
            "completion_tokens": answer["usage"]["completion_tokens"],
            "server_cpu_s": round((s1 - s0) / jiffies, 2),
            "other_cpu": round(max(0.0, other), 3),
            "loadavg_before": os.getloadavg()[0],
        }


def summary(values: list[float]) -> dict[str, float]:
    return {
        "median": round(statistics.median(values), 2),
        "min": round(min(values), 2),
        "max": round(max(values), 2),
        "n": len(values),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="local")
    ap.add_argument("--configs", nargs="+", default=["default:2", "passive:2", "passive:1"])
    ap.add_argument("--load", nargs="+", type=int, default=[0, 1], help="busy-loop processes")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--chars", type=int, default=600, help="article chars in the prompt")
    ap.add_argument("--max-tokens", type=int, default=48)
    ap.add_argument("--json-out", type=Path)
    a = ap.parse_args()
    path = resolve_gguf(a.model)
    configs = []
    for c in a.configs:
        policy, _, threads = c.partition(":")
        omp_env(policy)  # unknown names fail here, before anything starts
        configs.append((c, int(threads), policy))
    rows: list[dict[str, Any]] = []
    for load in a.load:
        hogs = competitors(load)
        try:
            for rep in range(a.repeats):
                for name, threads, policy in configs:
                    r = measure(path, threads, policy, a.chars, a.max_tokens, [h.pid for h in hogs])
                    r.update(load=load, config=name, repeat=rep)
                    rows.append(r)
                    print(json.dumps(r), flush=True)
        finally:
            for h in hogs:
                h.kill()
                h.wait()
    table: dict[str, Any] = {}
    for load in a.load:
        for name, _, _ in configs:
            sel = [r for r in rows if r["load"] == load and r["config"] == name]
            table[f"load={load} {name}"] = {
                k: summary([r[k] for r in sel if r[k] is not None])
                for k in ("gen_tok_s", "prompt_tok_s", "wall_s", "other_cpu")
            }
    print(json.dumps(table, indent=1))
    if a.json_out:
        a.json_out.write_text(json.dumps({"rows": rows, "table": table}, indent=1))


if __name__ == "__main__":
    main()
