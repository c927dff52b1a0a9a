"""`--model litellm:openai/<name> --api-base ...` end to end: a real HTTP round trip through
litellm to a local OpenAI-compatible server, including a malformed first answer that the
re-ask repairs."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.builders import REPO
from tests.helpers.openai_server import OpenAIServer, is_sentence_request, serve, well_behaved

_PASSAGE = re.compile(r"^\[([A-Z]\d+\.p\d+\.s\d+)\] \([^)]*\) (.+)$", re.MULTILINE)
_SIDE = re.compile(r'^Side \d+ - [^:]+:\n"(.*)"$', re.MULTILINE)


def run_cli(
    server: OpenAIServer, event: Path, out: Path, *extra: str
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LITELLM_LOCAL_MODEL_COST_MAP": "True", "OPENAI_API_KEY": "sk-test"}
    # The stepwise strategy: these tests are about its per-call re-asks and fallbacks.
    model = ["--model", "litellm:openai/test-model", "--api-base", server.api_base]
    model += ["--strategy", "stepwise"]
    return subprocess.run(
        [
            sys.executable,
            str(REPO / "cli.py"),
            "run",
            str(event),
            *model,
            "--out",
            str(out),
            *extra,
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


@pytest.fixture()
def server() -> Iterator[OpenAIServer]:
    with serve() as s:
        s.responder = well_behaved
        yield s


def test_litellm_backend_end_to_end_with_reask(
    server: OpenAIServer, seed_event_dir: Path, tmp_path: Path
) -> None:
    # Prose that uses none of the passages' words is no sentence of them: re-asked.
    server.reply("Sure! Here is the sentence you asked for.")
    r = run_cli(server, seed_event_dir, tmp_path)
    assert r.returncode == 0, r.stderr
    doc = json.loads((tmp_path / "summary.json").read_text())
    assert doc["run"]["model"] == "litellm:openai/test-model"
    # The re-ask: the second request carries the bad answer and the validation error.
    reask = server.requests[1]["messages"]
    assert reask[-2] == {
        "role": "assistant",
        "content": "Sure! Here is the sentence you asked for.",
    }
    assert "previous answer was invalid" in reask[-1]["content"]
    assert doc["run"]["usage"]["calls"] == len(server.requests)
    # The verifier's judge (the same model) is asked about every sentence not verbatim.
    judged = doc["run"]["stages"].get("judge", {}).get("asked", 0)
    assert set(doc["run"]["prompts"]) == {"fact_sentence", "conflict_judge"} | (
        {"claim_check"} if judged else set()
    )
    # Requests went out at temperature 0; fact sentences as plain text, everything else
    # with its answer schema.
    assert all(req.get("temperature") == 0 for req in server.requests)
    sentences = [req for req in server.requests if is_sentence_request(req)]
    assert sentences and all("response_format" not in req for req in sentences)
    assert all("response_format" in req for req in server.requests if req not in sentences)
    ids = {p["id"] for p in doc["passages"]}
    assert doc["summary"] and all(set(s["citations"]) <= ids for s in doc["summary"])
    text = {p["id"]: p["text"] for p in doc["passages"]}
    for d in doc["disagreements"]:
        for pos in d["positions"]:
            assert all(c["quote"] in text[c["passage"]] for c in pos["citations"])
    assert doc["disagreements"], "the model confirmed every candidate; some must survive"


def test_a_model_that_never_answers_validly_is_an_error(
    server: OpenAIServer, seed_event_dir: Path, tmp_path: Path
) -> None:
    server.responder = lambda body: "no json here"
    r = run_cli(server, seed_event_dir, tmp_path)
    # Paid-for calls that produced nothing usable must not pass as the model's output.
    assert r.returncode == 4, r.stderr
    errors = [line for line in r.stderr.splitlines() if "error:" in line]
    assert len(errors) == 1 and "no usable answer to any of" in errors[0]
    assert "no usable sentence" in errors[0] and "did not match the schema" in errors[0]
    assert "--accept-fallback" in errors[0]
    assert not (tmp_path / "summary.json").exists()


def test_accepted_fallback_is_written_and_said(
    server: OpenAIServer, seed_event_dir: Path, tmp_path: Path
) -> None:
    server.responder = lambda body: "no json here"
    r = run_cli(server, seed_event_dir, tmp_path, "--accept-fallback")
    assert r.returncode == 0, r.stderr
    doc = json.loads((tmp_path / "summary.json").read_text())
    # Facts fall back to verbatim source sentences; nothing unverified reaches the output.
    passages = {p["id"]: p["text"] for p in doc["passages"]}
    assert doc["summary"]
    assert all(s["text"] == passages[s["citations"][0]] for s in doc["summary"])
    # Only the rules' own findings remain, each quote verbatim.
    for d in doc["disagreements"]:
        for pos in d["positions"]:
            assert all(c["quote"] in passages[c["passage"]] for c in pos["citations"])
    stages = doc["run"]["stages"]
    assert stages["fact_sentence"]["answered"] == 0
    assert stages["fact_sentence"]["fell_back"] == stages["fact_sentence"]["asked"] > 0
    # stderr says what fell back, how many and why.
    said = [line for line in r.stderr.splitlines() if "fell back" in line]
    assert any("fact_sentence" in line and "no usable sentence" in line for line in said)
