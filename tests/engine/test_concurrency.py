"""``summarize run batch.jsonl --concurrency N`` (``pipeline.iter_run(concurrency=N)``):
the same documents as one at a time, never more than N model calls in flight, a failing
event isolated, one 429 holding back every worker, resume and Ctrl-C as before, printed
results in input order."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from summarize.contract import SummaryDocument
from summarize.models.provider import ModelOptions
from summarize.pipeline import EventFailure, iter_run
from tests.helpers.builders import REPO, SEED_EVENT, run_cli
from tests.helpers.openai_server import Scripted, serve, well_behaved

MODEL = "litellm:openai/test-model"
# Every sentence of this event names the place: a server that refuses it refuses every
# request the event makes (and none of the others').
POISON = "Zanzibar"
POISONED = {
    "id": "poisoned",
    "articles": [
        {
            "id": "a",
            "outlet": "Daily One",
            "text": "Zanzibar ferry sinks near Stone Town\n\nA ferry carrying 200 passengers "
            "sank off Zanzibar on Tuesday, officials in Zanzibar said.\n\nRescue teams in "
            "Zanzibar pulled 150 survivors from the water, the Zanzibar police chief said.",
        },
        {
            "id": "b",
            "outlet": "Daily Two",
            "text": "Dozens feared dead as Zanzibar ferry capsizes\n\nA ferry with 200 "
            "passengers on board sank near Zanzibar on Tuesday, Zanzibar officials said.\n\n"
            "Zanzibar rescue teams pulled 150 survivors from the water, police in Zanzibar said.",
        },
    ],
}


def seed_batch(tmp_path: Path, n: int = 4, *extra: dict[str, Any]) -> Path:
    """``n`` distinct events from the reference event's five articles: event k leaves out
    article k (event 0 keeps all five, so it has the most work)."""
    articles = [
        {"id": p.stem, "text": p.read_text(encoding="utf-8")}
        for p in sorted(SEED_EVENT.glob("*.txt"))
    ]
    events = [
        {"id": f"seed-{k}", "articles": [a for i, a in enumerate(articles) if k == 0 or i != k]}
        for k in range(n)
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("".join(json.dumps(e) + "\n" for e in [*events, *extra]), encoding="utf-8")
    return path


def comparable(doc: SummaryDocument) -> dict[str, Any]:
    data = doc.model_dump(mode="json")
    data["run"].pop("timings_s")
    return data


def test_concurrent_batch_gives_the_same_documents_as_one_at_a_time(tmp_path: Path) -> None:
    batch = seed_batch(tmp_path)
    runs = {}
    for concurrency in (1, 4):
        docs = list(iter_run(batch, "fake:cite-first", concurrency=concurrency))
        assert all(isinstance(d, SummaryDocument) for d in docs)
        runs[concurrency] = {d.event.id: comparable(d) for d in docs}  # type: ignore[union-attr]
    assert set(runs[1]) == {f"seed-{k}" for k in range(4)}
    assert runs[4] == runs[1]
    assert all(d["run"]["usage"]["calls"] > 0 for d in runs[1].values())


def test_never_more_than_concurrency_calls_in_flight(tmp_path: Path) -> None:
    batch = seed_batch(tmp_path, 5)
    with serve() as server:
        server.responder = well_behaved
        server.latency_s = 0.05
        options = ModelOptions(api_base=server.api_base, api_key="sk-test", strategy="stepwise")
        docs = list(iter_run(batch, MODEL, options, concurrency=3))
    assert len(docs) == 5 and all(isinstance(d, SummaryDocument) for d in docs)
    assert 2 <= server.peak_in_flight <= 3  # side by side, and bounded


def test_a_failing_event_fails_alone(tmp_path: Path) -> None:
    batch = seed_batch(tmp_path, 4, POISONED)

    def refuse_poisoned(body: dict[str, Any]) -> str | Scripted:
        if POISON in json.dumps(body["messages"]):
            return "this is not JSON"  # every answer of that event fails validation
        return well_behaved(body)

    with serve() as server:
        server.responder = refuse_poisoned
        options = ModelOptions(api_base=server.api_base, api_key="sk-test", strategy="stepwise")
        items = list(iter_run(batch, MODEL, options, concurrency=3))
    failures = [i for i in items if isinstance(i, EventFailure)]
    done = [i for i in items if isinstance(i, SummaryDocument)]
    assert [f.event_id for f in failures] == ["poisoned"]
    assert failures[0].exit_code == 4 and "no usable answer" in failures[0].error
    assert sorted(d.event.id for d in done) == [f"seed-{k}" for k in range(4)]
    for doc in done:  # the others' answers were the model's, not fallbacks
        assert all(r.answered == r.asked for r in doc.run.stages.values())


def test_one_retry_after_holds_back_every_worker_of_the_batch(tmp_path: Path) -> None:
    """The first call of three concurrent events is refused (429, Retry-After: 2) while the
    other two are answered half a second later; their next calls wait out the window instead
    of running into it, so the server refuses exactly one request in all."""
    batch = seed_batch(tmp_path, 3)
    with serve() as server:
        server.responder = well_behaved
        server.rate_limit(2.0, after=3, answer_after_s=0.5)
        options = ModelOptions(api_base=server.api_base, api_key="sk-test", strategy="stepwise")
        docs = list(iter_run(batch, MODEL, options, concurrency=3))
    assert len(server.limited) == 1
    assert len(docs) == 3
    for doc in docs:
        assert isinstance(doc, SummaryDocument)
        assert all(r.answered == r.asked for r in doc.run.stages.values())


def test_printed_results_keep_input_order(tmp_path: Path) -> None:
    """Event 0 has the most work, so it finishes last at concurrency 4; printed, it still
    comes first."""
    batch = seed_batch(tmp_path, 4)
    r = run_cli("run", str(batch), "-m", "fake:cite-first", "--json", "--concurrency", "4")
    assert r.returncode == 0, r.stderr
    decoder, text, ids = json.JSONDecoder(), r.stdout.strip(), []
    while text:
        doc, end = decoder.raw_decode(text)
        ids.append(doc["event"]["id"])
        text = text[end:].strip()
    assert ids == [f"seed-{k}" for k in range(4)]


def test_resume_skips_finished_events_with_concurrency(tmp_path: Path) -> None:
    batch, out = seed_batch(tmp_path, 4), tmp_path / "out"
    args = ("run", str(batch), "-m", "fake:cite-first", "--out", str(out), "--concurrency", "3")
    first = run_cli(*args)
    assert first.returncode == 0, first.stderr
    written = {p.parent.name: p.stat().st_mtime_ns for p in out.glob("*/summary.json")}
    assert set(written) == {f"seed-{k}" for k in range(4)}
    (out / "seed-2" / "summary.json").unlink()
    again = run_cli(*args, "--resume")
    assert again.returncode == 0, again.stderr
    assert "resume: skipped 3 events already written" in again.stderr
    for name, mtime in written.items():
        path = out / name / "summary.json"
        assert path.exists()
        if name != "seed-2":
            assert path.stat().st_mtime_ns == mtime  # finished work untouched


def test_ctrl_c_stops_a_concurrent_batch_leaving_only_whole_files(tmp_path: Path) -> None:
    batch, out = seed_batch(tmp_path, 6), tmp_path / "out"
    with serve() as server:
        server.responder = well_behaved
        server.latency_s = 0.1
        command = [sys.executable, str(REPO / "cli.py"), "run", str(batch), "-m", MODEL]
        command += ["--api-base", server.api_base, "--api-key", "sk-test"]
        command += ["--strategy", "stepwise", "--out", str(out), "--no-cache", "--concurrency", "3"]
        proc = subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 120
        while not list(out.glob("*/summary.json")) and time.monotonic() < deadline:
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "interrupted" in stderr
    assert "Traceback" not in stderr
    finished = list(out.glob("*/summary.json"))
    assert 1 <= len(finished) < 6
    for path in out.rglob("*"):
        if path.is_file():
            assert path.name in ("summary.json", "summary.md"), f"stray file {path}"
    for path in finished:
        SummaryDocument.model_validate_json(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("bad", [("--concurrency", "0"), ("--ray-address", "auto")])
def test_bad_batch_options_are_one_line_and_exit_2(bad: tuple[str, str]) -> None:
    r = run_cli("run", str(SEED_EVENT), "-m", "extractive", *bad)
    assert r.returncode == 2
    assert r.stderr.strip().count("\n") == 0 and r.stderr.startswith("summarize: error:")
