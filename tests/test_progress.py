"""Progress and feedback: a live display only on a terminal, plain lines elsewhere, one
closing line (events done, failed, cached, time, tokens, cost), -q and -v, and nothing but
the result on stdout."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from summarize.contract import Usage
from summarize.models.provider import ModelOptions
from summarize.output import progress as progress_mod
from summarize.output.progress import QUIET, VERBOSE, RunProgress
from summarize.pipeline import EventFailure, iter_run
from tests.helpers.builders import REPO, SEED_EVENT
from tests.helpers.builders import run_cli as cli

BATCH = REPO / "evals" / "data" / "ecbplus-subset.jsonl"


def plain(verbosity: int = 0, model: str = "litellm:x") -> tuple[RunProgress, io.StringIO]:
    out = io.StringIO()
    return RunProgress(verbosity, stream=out, live=False, model=model), out


def test_closing_line_counts_done_failed_cached_skipped_tokens_cost() -> None:
    p, out = plain()
    p.batch_started(3, 1)
    p.event_started("a")
    p.event_finished(
        "a", usage=Usage(calls=3, prompt_tokens=100, completion_tokens=20), cost_usd=0.01
    )
    p.event_started("b")
    p.event_finished("b", usage=Usage(cache_hits=5), cost_usd=None)  # every answer replayed
    p.event_started("c")
    p.event_finished("c", failed=True)
    p.close()
    line = out.getvalue().strip()
    assert line.startswith("summarize: 4 events: 2 done (1 cached), 1 failed, 1 skipped")
    assert "3 model calls (+5 from the cache)" in line and "120 tokens" in line
    assert "$0.0100" in line
    assert out.getvalue().count("\n") == 1  # not a terminal: no per-event lines by default


def test_unpriced_calls_are_said_and_local_models_cost_nothing() -> None:
    p, _ = plain(model="litellm:openai/some-model")
    p.batch_started(1, 0)
    p.event_finished("a", usage=Usage(calls=2, prompt_tokens=5), cost_usd=None)
    assert "cost unknown" in p.closing_line()
    p, _ = plain(model="local")
    p.batch_started(1, 0)
    p.event_finished("a", usage=Usage(calls=2, prompt_tokens=5), cost_usd=None)
    assert p.closing_line().endswith("$0.0000")


def test_quiet_keeps_only_warnings_and_errors() -> None:
    p, out = plain(QUIET)
    p.info("summarize: wrote x")
    p.detail("summarize: event a: done")
    p.say("summarize: warning: w")
    p.close()
    assert out.getvalue() == "summarize: warning: w\n"


def test_verbose_says_each_event_and_each_slow_call(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress_mod, "SLOW_CALL_S", 0.0)
    p, out = plain(VERBOSE)
    p.batch_started(1, 0)
    p.event_started("a")
    p.call_finished(p.call_started("fact_sentence"))
    p.event_finished("a", usage=Usage(calls=1, prompt_tokens=7))
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("summarize: model call fact_sentence: ")
    assert lines[1].startswith("summarize: event a: done in ")


def test_live_display_on_a_terminal_shows_the_batch_and_slow_calls(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(progress_mod, "SLOW_CALL_S", 0.0)
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=120, color_system=None)
    p = RunProgress(console=console, live=True)
    with p.running():
        p.batch_started(2, 0)
        p.event_started("event-one")
        handle = p.call_started("conflict_judge")
        assert p._display is not None
        p._display.refresh()
        p.say("summarize: warning: said above the display")
        p.call_finished(handle)
        p.event_finished("event-one", usage=Usage(calls=1))
        p._display.refresh()
    shown = buffer.getvalue()
    assert "event-one" in shown and "model call: conflict_judge" in shown
    assert "1/2" in shown and "ETA" in shown
    assert "summarize: warning: said above the display" in shown


def test_live_display_is_off_when_stderr_is_not_a_terminal() -> None:
    p = RunProgress(stream=io.StringIO())
    assert not p.live
    with p.running():
        assert p._display is None


class Recorder:
    def __init__(self) -> None:
        self.batches: list[tuple[int, int]] = []
        self.events: list[str] = []
        self.started: list[str] = []
        self.finished = 0

    def batch_started(self, total: int, skipped: int) -> None:
        self.batches.append((total, skipped))

    def event_started(self, event_id: str) -> None:
        self.events.append(event_id)

    def call_started(self, label: str) -> int:
        self.started.append(label)
        return len(self.started)

    def call_finished(self, handle: int) -> None:
        self.finished += 1


@pytest.mark.parametrize("strategy", ["stepwise", "single"])
def test_the_pipeline_reports_the_batch_events_and_every_model_call(strategy: str) -> None:
    rec = Recorder()
    options = ModelOptions(strategy=strategy)
    docs = list(iter_run(SEED_EVENT, "fake:cite-first", options, progress=rec))
    assert not [d for d in docs if isinstance(d, EventFailure)]
    doc = docs[0]
    assert not isinstance(doc, EventFailure)
    assert rec.batches == [(1, 0)] and rec.events == ["hollande-putin-2015"]
    assert rec.started and len(rec.started) == rec.finished == doc.run.usage.calls
    assert all(label for label in rec.started)


def test_skipped_events_are_counted_in_the_batch() -> None:
    rec = Recorder()
    list(iter_run(BATCH, "extractive", progress=rec, skip=lambda e: e.endswith("ecb")))
    assert rec.batches == [(1, 1)] and len(rec.events) == 1 and rec.started == []


def test_batch_ends_with_the_closing_line_and_stdout_stays_empty(tmp_path: Path) -> None:
    out = tmp_path / "o"
    r = cli("run", str(BATCH), "--model", "extractive", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert r.stdout == ""
    last = r.stderr.splitlines()[-1]
    assert last.startswith("summarize: 2 events: 2 done, 0 failed · ") and "tokens" in last
    assert "\x1b[" not in r.stderr  # no terminal codes where stderr is not a terminal
    again = cli("run", str(BATCH), "--model", "extractive", "--out", str(out), "--resume")
    assert "resume: skipped 2 events already written" in again.stderr
    assert again.stderr.splitlines()[-1].startswith(
        "summarize: 2 events: 0 done, 0 failed, 2 skipped (already written)"
    )
    quiet = cli("run", str(BATCH), "--model", "extractive", "--out", str(tmp_path / "q"), "-q")
    assert quiet.returncode == 0 and quiet.stderr == "", quiet.stderr
    verbose = cli("run", str(BATCH), "--model", "extractive", "--out", str(tmp_path / "v"), "-v")
    assert sum(" done in " in ln for ln in verbose.stderr.splitlines()) == 2


@pytest.mark.parametrize(
    ("args", "starts"),
    [((), "# "), (("--json",), "{"), (("--format", "html"), "<!doctype html>")],
)
def test_stdout_carries_only_the_result(args: tuple[str, ...], starts: str) -> None:
    r = cli("run", str(SEED_EVENT), "--model", "extractive", *args)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(starts)
    assert "summarize:" not in r.stdout
    assert r.stderr.splitlines()[-1].startswith("summarize: 1 event: 1 done")


def test_unknown_format_is_a_bad_option() -> None:
    r = cli("run", str(SEED_EVENT), "--model", "extractive", "--format", "pdf")
    assert r.returncode == 2 and "--format must be one of markdown, json, html" in r.stderr
