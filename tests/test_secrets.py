"""API keys (issue #9 item 6): taken from the option or the environment, sent to the provider,
and never written anywhere else: not to outputs, caches, logs, stdout/stderr, error messages
or the run record, not even when the server echoes the key back in an error body.

The command runs as a user runs it (a subprocess) against a real OpenAI-compatible HTTP server
on loopback, through litellm; every file it wrote and everything it printed is then grepped
for the keys."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.builders import REPO
from tests.helpers.openai_server import OpenAIServer, serve

OPTION_KEY = "sk-test-SECRET123option"  # --api-key
ENV_KEY = "sk-test-SECRET456environ"  # OPENAI_API_KEY
SECRETS = (OPTION_KEY, ENV_KEY, "SECRET123", "SECRET456")
MODEL = "litellm:openai/test-model"

_LINE = re.compile(r"^\[([A-Z]\d+\.p\d+\.s\d+)\] \([^)]*\) (.+)$", re.MULTILINE)


def _answer(body: dict[str, Any]) -> str:
    """A well-behaved model: restate the first passage; judge every claim supported."""
    user = next(m["content"] for m in body["messages"] if m["role"] == "user")
    if "<evidence>" in user:
        return json.dumps({"claims": [{"claim": "x", "verdict": "supported", "sentence": 0}]})
    line = _LINE.search(user)
    if line:
        return json.dumps({"sentence": line[2], "citations": [line[1]]})
    return json.dumps({"conflict": False})


def _echo(key: str) -> str:
    """An error body that echoes the key, as some providers and proxies do."""
    return f"Incorrect API key provided: {key}. Header was 'Authorization: Bearer {key}'."


@pytest.fixture()
def server() -> Iterator[OpenAIServer]:
    with serve() as s:
        s.responder = _answer
        yield s


class Cli:
    """Runs ``summarize`` with every user-level location (caches, logs) under ``home``."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.outputs: list[str] = []

    def __call__(
        self, *args: str, env_key: str | None = ENV_KEY
    ) -> subprocess.CompletedProcess[str]:
        env = {
            **os.environ,
            "LITELLM_LOCAL_MODEL_COST_MAP": "True",
            "HOME": str(self.home),
            "XDG_CACHE_HOME": str(self.home / "xdg-cache"),
            "SUMMARIZE_CACHE_DIR": str(self.home / "summarize-cache"),
        }
        env.pop("OPENAI_API_KEY", None)
        if env_key is not None:
            env["OPENAI_API_KEY"] = env_key
        r = subprocess.run(
            [sys.executable, str(REPO / "cli.py"), *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=self.home,
            timeout=600,
        )
        self.outputs += [r.stdout, r.stderr]
        return r

    def assert_no_secret_anywhere(self) -> int:
        """Every file under ``home`` and everything printed; returns the files read."""
        files = [p for p in self.home.rglob("*") if p.is_file()]
        for text, where in [
            *((p.read_bytes().decode("utf-8", "replace"), str(p)) for p in files),
            *((out, "stdout/stderr") for out in self.outputs),
        ]:
            for secret in SECRETS:
                assert secret not in text, f"{secret} written to {where}"
        return len(files)


@pytest.fixture()
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path)


def test_keys_reach_the_provider_and_nothing_else(
    server: OpenAIServer, cli: Cli, seed_event_dir: Path
) -> None:
    out, cache = cli.home / "out", cli.home / "cache"
    base = ["run", str(seed_event_dir), "--model", MODEL, "--api-base", server.api_base]
    base += ["--strategy", "stepwise"]
    r = cli(*base, "--api-key", OPTION_KEY, "--out", str(out), "--cache-dir", str(cache))
    assert r.returncode == 0, r.stderr
    # The option wins over the environment, and is what went over the wire.
    assert {h.get("authorization") for h in server.headers} == {f"Bearer {OPTION_KEY}"}
    sent = len(server.requests)
    # The same run again, printed as JSON: every answer from the cache.
    r = cli(*base, "--api-key", OPTION_KEY, "--json", "--cache-dir", str(cache))
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["run"]["model"] == MODEL and len(server.requests) == sent
    # Without --api-key the provider's environment variable is used.
    r = cli(*base, "--no-cache")
    assert r.returncode == 0, r.stderr
    assert "## Summary" in r.stdout
    assert server.headers[-1].get("authorization") == f"Bearer {ENV_KEY}"

    assert (out / "summary.json").is_file() and list(cache.rglob("*.json"))
    assert cli.assert_no_secret_anywhere() >= 3


@pytest.mark.parametrize(("status", "flag"), [(401, True), (500, False)])
def test_an_error_that_echoes_the_key_does_not_repeat_it(
    server: OpenAIServer, cli: Cli, seed_event_dir: Path, status: int, flag: bool
) -> None:
    """401 (permanent: the run fails) with the key from --api-key; 500 (transient: retried,
    each retry printed, then answered) with the key from the environment."""
    key = OPTION_KEY if flag else ENV_KEY
    for _ in range(2):
        server.fail(status, _echo(key))
    args = ["run", str(seed_event_dir), "--model", MODEL, "--api-base", server.api_base]
    args += ["--out", str(cli.home / "out"), "--no-cache", "--strategy", "stepwise"]
    r = cli(*args, *(["--api-key", OPTION_KEY] if flag else []))
    if status == 401:
        assert r.returncode != 0
        assert "401" in r.stderr and "Traceback" not in r.stderr
    else:
        assert r.returncode == 0, r.stderr
        # Each retry is printed with the server's message: the echoed key, redacted.
        assert "retrying" in r.stderr and "Incorrect API key provided: ***" in r.stderr
        doc = json.loads((cli.home / "out" / "summary.json").read_text())
        assert doc["summary"]
    cli.assert_no_secret_anywhere()


def test_judge_cache_and_predictions_hold_no_key(
    server: OpenAIServer, cli: Cli, tmp_path: Path
) -> None:
    items = cli.home / "items.jsonl"
    lines = [
        {"id": f"i{n}", "sources": ["Putin met Hollande in Moscow."], "claim": "They met."}
        for n in (1, 2)
    ]
    items.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    server.fail(401, _echo(ENV_KEY))  # the first item fails, echoing the key
    preds, cache = cli.home / "preds.jsonl", cli.home / "judge-cache"
    r = cli(
        "judge",
        str(items),
        "--out",
        str(preds),
        "--judge",
        MODEL,
        "--api-base",
        server.api_base,
        "--cache-dir",
        str(cache),
    )
    assert r.returncode == 0, r.stderr
    assert "***" in r.stderr and preds.is_file() and list(cache.rglob("*.json"))
    assert server.headers[-1].get("authorization") == f"Bearer {ENV_KEY}"
    cli.assert_no_secret_anywhere()


def test_paths_in_outputs_are_relative_to_the_input(tmp_path: Path, seed_event_dir: Path) -> None:
    from summarize.ingest.loader import load
    from summarize.output.markdown import to_markdown
    from summarize.pipeline import run_event

    event_dir = tmp_path / "private" / "event"
    event_dir.mkdir(parents=True)
    for f in seed_event_dir.iterdir():
        (event_dir / f.name).write_bytes(f.read_bytes())
    (event,) = load(event_dir.resolve()).events
    doc = run_event(event, "extractive")
    assert {a.path for a in doc.articles} == {f.name for f in seed_event_dir.iterdir()}
    assert str(tmp_path) not in doc.model_dump_json() + to_markdown(doc)


def test_warnings_in_outputs_are_relative_to_the_input(
    tmp_path: Path, seed_event_dir: Path
) -> None:
    from summarize.ingest.loader import load
    from summarize.pipeline import run_event

    event_dir = tmp_path / "private" / "event"
    event_dir.mkdir(parents=True)
    for f in seed_event_dir.iterdir():
        (event_dir / f.name).write_bytes(f.read_bytes())
    (event_dir / "zz_utf16.txt").write_bytes("Putin met Hollande in Moscow.".encode("utf-16"))
    (event,) = load(event_dir.resolve()).events
    doc = run_event(event, "extractive")
    assert any("zz_utf16.txt" in w for w in doc.run.warnings)
    assert str(tmp_path) not in doc.model_dump_json()
