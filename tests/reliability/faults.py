"""The fault cases: each scripts the local OpenAI-compatible server to misbehave one way, runs
the real CLI against it through litellm (`summarize run … --model litellm:openai/test-model`)
and reads what came out. Shared by tests/reliability/test_faults.py (which asserts each
outcome) and scripts/fault_table.py (which prints the table in docs/RELIABILITY.md)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.helpers.builders import REPO, SEED_EVENT
from tests.helpers.openai_server import OpenAIServer, Scripted, serve, shown_ids, well_behaved

MODEL = "litellm:openai/test-model"


@dataclass
class Outcome:
    exit_code: int
    stderr: str
    doc: dict[str, Any] | None  # summary.json, when written
    files: list[str]  # everything under --out
    server: OpenAIServer

    @property
    def errors(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if "error:" in line]

    @property
    def stages(self) -> dict[str, Any]:
        return dict(self.doc["run"]["stages"]) if self.doc else {}

    def fell_back(self) -> int:
        return sum(int(s["fell_back"]) for s in self.stages.values())


@dataclass
class Fault:
    name: str
    server_does: str  # for the table
    script: Callable[[OpenAIServer], None]
    args: list[str] = field(default_factory=list)


def _garbage_citation(server: OpenAIServer) -> None:
    server.reply_json({"sentence": "Hollande met Putin.", "citations": ["A9.p9.s9"]})


def _always(status: int, message: str) -> Callable[[OpenAIServer], None]:
    def script(server: OpenAIServer) -> None:
        server.responder = None
        for _ in range(60):
            server.fail(status, message)

    return script


def _small_context(server: OpenAIServer) -> None:
    """A model whose context holds one passage: any request showing two or more overflows."""

    def answer(body: dict[str, Any]) -> str | Scripted:
        if len(shown_ids(body)) > 1:
            return Scripted(
                "This model's maximum context length is 512 tokens; you requested 900",
                status=400,
            )
        return well_behaved(body)

    server.responder = answer


FAULTS: list[Fault] = [
    Fault(
        "429 + Retry-After",
        "HTTP 429 with `Retry-After: 1` on the first request",
        lambda s: s.fail(429, "rate limited", {"Retry-After": "1"}),
    ),
    Fault("429", "HTTP 429 without Retry-After", lambda s: s.fail(429, "rate limited")),
    Fault("500", "HTTP 500 on the first request", lambda s: s.fail(500, "boom")),
    Fault("503", "HTTP 503 twice", lambda s: (s.fail(503), s.fail(503))),
    Fault("connection reset", "closes the connection without answering", lambda s: s.reset()),
    Fault(
        "slow answer",
        "answers after 3 s; the client's timeout is 1 s",
        lambda s: s.hang(3.0),
        ["--timeout", "1"],
    ),
    Fault("empty content", "an empty answer", lambda s: s.reply("")),
    Fault(
        "truncated JSON",
        'an answer cut off: `{"sentence": "Putin met`',
        lambda s: s.reply('{"sentence": "Putin met'),
    ),
    Fault(
        "JSON breaking the schema",
        '`{"sentence": 5}`',
        lambda s: s.reply_json({"sentence": 5}),
    ),
    Fault(
        "citation to a passage that does not exist",
        "cites `A9.p9.s9`",
        _garbage_citation,
    ),
    Fault(
        "context length exceeded",
        "HTTP 400 'maximum context length' for any request showing 2+ passages",
        _small_context,
    ),
    Fault(
        "server dies mid-run",
        "answers 5 requests, then the server is gone",
        lambda s: setattr(s, "die_after", 5),
    ),
    Fault(
        "server dies mid-run, --fallback-model",
        "answers 5 requests, then the server is gone; `--fallback-model fake:cite-first`",
        lambda s: setattr(s, "die_after", 5),
        ["--fallback-model", "fake:cite-first"],
    ),
    Fault(
        "server down from the start",
        "every request: connection closed",
        lambda s: setattr(s, "die_after", 0),
    ),
    Fault(
        "bad API key",
        "HTTP 401 on every request",
        _always(401, "invalid api key"),
    ),
    Fault(
        "never a valid answer",
        "every answer is prose about nothing shown, not a sentence or JSON",
        lambda s: setattr(s, "responder", lambda body: "Sure! Here it is."),
    ),
    Fault(
        "never a valid answer, --accept-fallback",
        "every answer is prose about nothing shown; `--accept-fallback`",
        lambda s: setattr(s, "responder", lambda body: "Sure! Here it is."),
        ["--accept-fallback"],
    ),
]


def run_fault(fault: Fault, out: Path, event: Path = SEED_EVENT) -> Outcome:
    """Run the CLI on ``event`` against a server scripted by ``fault``."""
    with serve() as server:
        server.responder = well_behaved
        fault.script(server)
        env = {**os.environ, "LITELLM_LOCAL_MODEL_COST_MAP": "True", "OPENAI_API_KEY": "sk-test"}
        cmd = [
            sys.executable,
            str(REPO / "cli.py"),
            "run",
            str(event),
            "--model",
            MODEL,
            "--api-base",
            server.api_base,
            "--out",
            str(out),
            "--no-cache",
            # Stepwise: many calls per event, so a fault mid-run has calls before and after it.
            "--strategy",
            "stepwise",
            *fault.args,
        ]
        r = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
        summary = out / "summary.json"
        doc = json.loads(summary.read_text()) if summary.exists() else None
        files = sorted(str(p.relative_to(out)) for p in out.rglob("*")) if out.exists() else []
        return Outcome(r.returncode, r.stderr, doc, files, server)


def describe(o: Outcome) -> str:
    """One cell of the table: what the user got."""
    if o.exit_code:
        return f"exit {o.exit_code}: `{o.errors[0].split('error: ', 1)[-1][:160]}`"
    calls = o.doc["run"]["usage"]["calls"] if o.doc else 0
    fell = o.fell_back()
    degraded = f"; {fell} answers fell back (stderr and run.stages say why)" if fell else ""
    return f"exit 0, verified summary.json ({calls} model calls{degraded})"
