"""Nothing lost: a real batch process killed mid-way (SIGKILL, SIGINT) leaves only whole files,
and `--resume` finishes it with no repeated model call for finished work: finished events are
skipped, the interrupted one replays its cached calls."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers.builders import REPO, SEED_EVENT
from tests.helpers.openai_server import OpenAIServer, serve, well_behaved

MODEL = "litellm:openai/test-model"


def batch_file(tmp_path: Path) -> Path:
    """Three events with different articles: the seed event and the vendored ECB+ subset."""
    seed = {
        "id": "seed",
        "articles": [
            {"id": p.stem, "text": p.read_text(encoding="utf-8")}
            for p in sorted(SEED_EVENT.glob("*.txt"))
        ],
    }
    ecb = (REPO / "evals" / "data" / "ecbplus-subset.jsonl").read_text(encoding="utf-8")
    path = tmp_path / "batch.jsonl"
    path.write_text(json.dumps(seed) + "\n" + ecb, encoding="utf-8")
    return path


def command(batch: Path, server: OpenAIServer, out: Path, cache: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        str(REPO / "cli.py"),
        "run",
        str(batch),
        "--model",
        MODEL,
        "--api-base",
        server.api_base,
        "--out",
        str(out),
        "--cache-dir",
        str(cache),
        # Stepwise: many calls per event, so a kill lands between answered calls.
        "--strategy",
        "stepwise",
        *extra,
    ]


def env() -> dict[str, str]:
    return {**os.environ, "LITELLM_LOCAL_MODEL_COST_MAP": "True", "OPENAI_API_KEY": "sk-test"}


def whole_outputs(out: Path) -> dict[str, dict[str, object]]:
    """Every file under ``out`` is a finished output: no temp file, every JSON parses."""
    docs = {}
    for path in out.rglob("*"):
        if path.is_dir():
            continue
        assert path.name in ("summary.json", "summary.md"), f"stray file {path}"
        if path.name == "summary.json":
            docs[path.parent.name] = json.loads(path.read_text(encoding="utf-8"))
    return docs


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_killed_batch_resumes_without_repeating_calls(sig: signal.Signals, tmp_path: Path) -> None:
    batch, out, cache = batch_file(tmp_path), tmp_path / "out", tmp_path / "cache"
    with serve() as server:
        server.responder = well_behaved
        server.latency_s = 0.1  # slow enough to be caught mid-event
        proc = subprocess.Popen(
            command(batch, server, out, cache),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=env(),
        )
        first_done = out / "seed" / "summary.json"
        deadline = time.monotonic() + 120
        while not first_done.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert first_done.exists(), "the first event never finished"
        calls_for_seed = len(server.requests)
        while len(server.requests) < calls_for_seed + 3 and time.monotonic() < deadline:
            time.sleep(0.02)
        proc.send_signal(sig)
        _, stderr = proc.communicate(timeout=60)
        if sig == signal.SIGINT:
            assert proc.returncode == 130 and "interrupted" in stderr
            assert "Traceback" not in stderr
        else:
            assert proc.returncode == -signal.SIGKILL
        before = whole_outputs(out)
        assert set(before) == {"seed"}  # the interrupted event left nothing behind
        seed_mtime = first_done.stat().st_mtime_ns
        asked_before = len(server.requests)

        r = subprocess.run(
            command(batch, server, out, cache, "--resume"),
            capture_output=True,
            text=True,
            env=env(),
            timeout=300,
        )
        assert r.returncode == 0, r.stderr
    assert "resume: skipped 1 events already written: seed" in r.stderr
    assert first_done.stat().st_mtime_ns == seed_mtime  # finished work untouched
    after = whole_outputs(out)
    assert set(after) == {"seed", "ecbplus-topic11-ecbplus", "ecbplus-topic34-ecb"}
    interrupted = after["ecbplus-topic11-ecbplus"]["run"]["usage"]  # type: ignore[index]
    # The calls answered before the kill are replayed from the cache, not paid for again
    # (only a call still in flight when it was killed is asked again).
    assert interrupted["cache_hits"] >= asked_before - calls_for_seed - 1 >= 2
    # Every request the resumed run sent is a call it reports; none was for finished work.
    resumed = [d for name, d in after.items() if name != "seed"]
    assert len(server.requests) - asked_before == sum(
        int(d["run"]["usage"]["calls"])
        for d in resumed  # type: ignore[index]
    )


def test_a_rerun_is_answered_from_the_cache_with_the_server_gone(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    with serve() as server:
        server.responder = well_behaved
        first = subprocess.run(
            command(SEED_EVENT, server, tmp_path / "a", cache),
            capture_output=True,
            text=True,
            env=env(),
            timeout=300,
        )
        assert first.returncode == 0, first.stderr
        calls = len(server.requests)
    # The server is stopped: every answer must come from the cache.
    again = subprocess.run(
        command(SEED_EVENT, server, tmp_path / "b", cache),
        capture_output=True,
        text=True,
        env=env(),
        timeout=300,
    )
    assert again.returncode == 0, again.stderr
    a = json.loads((tmp_path / "a" / "summary.json").read_text(encoding="utf-8"))
    b = json.loads((tmp_path / "b" / "summary.json").read_text(encoding="utf-8"))
    assert b["run"]["usage"]["calls"] == 0
    assert b["run"]["usage"]["cache_hits"] == a["run"]["usage"]["calls"] == calls
    assert b["summary"] == a["summary"] and b["disagreements"] == a["disagreements"]
    assert f"{calls} answers from the cache" in again.stderr
