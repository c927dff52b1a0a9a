"""Fault injection through the real litellm path: every fault either recovers into a valid,
verified result or ends in one line naming the cause and a non-zero exit; no partial file."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from tests.helpers.openai_server import is_sentence_request, shown_ids
from tests.reliability.faults import FAULTS, Fault, Outcome, run_fault

BY_NAME = {f.name: f for f in FAULTS}
_CONNECTION = re.compile(r"APIConnectionError|InternalServerError")


def outcome(name: str, tmp_path: Path) -> Outcome:
    return run_fault(BY_NAME[name], tmp_path / "out")


def assert_recovered(o: Outcome) -> None:
    assert o.exit_code == 0, o.stderr
    assert o.doc is not None and o.doc["summary"]
    passages = {p["id"] for p in o.doc["passages"]}
    assert all(set(s["citations"]) <= passages for s in o.doc["summary"])
    assert o.fell_back() == 0, o.stages
    assert o.files == ["summary.json", "summary.md"]  # whole files only, no temp leftovers


def assert_failed_cleanly(o: Outcome, code: int, *words: str) -> None:
    assert o.exit_code == code, o.stderr
    assert len(o.errors) == 1, o.stderr
    assert all(w in o.errors[0] for w in words), o.errors[0]
    assert "Traceback" not in o.stderr
    assert o.files == []  # nothing half-written


@pytest.mark.parametrize(
    "name",
    [
        "429",
        "500",
        "503",
        "connection reset",
        "empty content",
        "truncated JSON",
        "JSON breaking the schema",
        "citation to a passage that does not exist",
    ],
)
def test_recovers(name: str, tmp_path: Path) -> None:
    assert_recovered(outcome(name, tmp_path))


def test_retry_after_is_honoured(tmp_path: Path) -> None:
    o = outcome("429 + Retry-After", tmp_path)
    assert_recovered(o)
    assert o.server.arrivals[1] - o.server.arrivals[0] >= 0.95  # waited as asked


def test_slow_answer_times_out_and_is_retried(tmp_path: Path) -> None:
    o = outcome("slow answer", tmp_path)
    assert_recovered(o)
    assert "Timeout" in o.stderr  # the retry is said, not silent


def test_context_overflow_asks_again_with_fewer_passages(tmp_path: Path) -> None:
    o = outcome("context length exceeded", tmp_path)
    assert_recovered(o)
    shown = [len(shown_ids(r)) for r in o.server.requests if is_sentence_request(r)]
    # Some fact was first asked with several passages, then again with fewer, and answered.
    assert max(shown) > 1 and any(a > b for a, b in itertools.pairwise(shown))


def test_server_dying_mid_run_degrades_visibly_and_stops_asking(tmp_path: Path) -> None:
    o = outcome("server dies mid-run", tmp_path)
    assert o.exit_code == 0, o.stderr
    assert o.doc is not None and o.fell_back() > 0
    warnings = [line for line in o.stderr.splitlines() if "fell back" in line]
    # Each says how many fell back and names the cause (litellm reports a refused connection
    # to an OpenAI-compatible server as APIConnectionError or InternalServerError).
    assert warnings and all(_CONNECTION.search(w) for w in warnings), warnings
    # After the endpoint failed twice the writer stops asking it (bounded waste).
    assert len(o.server.requests) <= 6


def test_fallback_model_takes_over(tmp_path: Path) -> None:
    o = outcome("server dies mid-run, --fallback-model", tmp_path)
    assert_recovered(o)
    assert "fake:cite-first" in o.stderr and "fake:cite-first" in o.doc["run"]["model"]  # type: ignore[index]


def test_server_down_from_the_start(tmp_path: Path) -> None:
    o = outcome("server down from the start", tmp_path)
    assert_failed_cleanly(o, 4, "no usable answer")
    assert _CONNECTION.search(o.errors[0]), o.errors[0]


def test_bad_key_is_not_retried(tmp_path: Path) -> None:
    o = outcome("bad API key", tmp_path)
    assert_failed_cleanly(o, 4, "no usable answer", "AuthenticationError")
    assert len(o.server.requests) == 1  # permanent: no retry, and no further calls


def test_never_valid_is_an_error_unless_accepted(tmp_path: Path) -> None:
    o = outcome("never a valid answer", tmp_path)
    assert_failed_cleanly(
        o, 4, "no usable answer", "no usable sentence", "did not match the schema"
    )
    accepted = run_fault(BY_NAME["never a valid answer, --accept-fallback"], tmp_path / "b")
    assert accepted.exit_code == 0 and accepted.doc is not None
    assert accepted.fell_back() == sum(s["asked"] for s in accepted.stages.values())


def test_every_fault_has_a_test() -> None:
    tested = {
        "429 + Retry-After",
        "429",
        "500",
        "503",
        "connection reset",
        "slow answer",
        "empty content",
        "truncated JSON",
        "JSON breaking the schema",
        "citation to a passage that does not exist",
        "context length exceeded",
        "server dies mid-run",
        "server dies mid-run, --fallback-model",
        "server down from the start",
        "bad API key",
        "never a valid answer",
        "never a valid answer, --accept-fallback",
    }
    assert {f.name for f in FAULTS} == tested
    assert all(isinstance(f, Fault) for f in FAULTS)
