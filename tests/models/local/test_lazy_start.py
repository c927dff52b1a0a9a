"""The embedded model's server starts on the first request that reaches it, never before: a
re-run answered from the response cache starts nothing (stand-in servers, no model needed)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from summarize.errors import RuntimeCrashError
from summarize.generate.registry import client_for
from summarize.ingest.loader import load
from summarize.models.chat import ChatRequest, Message
from summarize.models.local.provider import LocalClient, StartOnFirstCall
from summarize.models.local.server import _SHARED, SERVER_CMD_ENV, _stop_all
from summarize.models.provider import ModelOptions
from summarize.pipeline import run_event

STANDIN = Path(__file__).with_name("standin_server.py")
REQUEST = ChatRequest(messages=[Message(role="user", content="hi")], max_tokens=4)


@pytest.fixture
def gguf(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "m.gguf"
    path.write_bytes(b"GGUF" + b"\0" * 64)
    yield path
    _stop_all()
    _SHARED.clear()


def starts(log: Path) -> int:
    """How many times a server was started (each start writes a header line)."""
    if not log.exists():
        return 0
    return sum(line.startswith("=== ") for line in log.read_text().splitlines())


def test_server_starts_on_the_first_request_not_before(
    gguf: Path, isolated_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SERVER_CMD_ENV, f"{sys.executable} {STANDIN} --mode ok")
    log = isolated_cache / "logs" / "llama-server.log"
    client = client_for(f"local:{gguf}", ModelOptions())
    assert isinstance(client, StartOnFirstCall) and client.name == "local:m.gguf"
    assert not client.started and starts(log) == 0
    assert client.complete(REQUEST).text == "{}"
    assert client.started and isinstance(client.client, LocalClient)
    client.complete(REQUEST)
    assert starts(log) == 1


def test_cached_rerun_starts_no_server(
    gguf: Path, isolated_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SERVER_CMD_ENV, f"{sys.executable} {STANDIN} --mode ok")
    log = isolated_cache / "logs" / "llama-server.log"
    event = load(Path(__file__).parents[3] / "examples" / "hollande-putin-2015").events[0]
    options = ModelOptions(cache_dir=tmp_path / "responses", strategy="stepwise")
    model = f"local:{gguf}"
    first = run_event(event, model, options, accept_fallback=True)
    assert first.run.usage.calls > 0 and starts(log) == 1
    _stop_all()  # a re-run that needed the server would have to start it again
    again = run_event(event, model, options, accept_fallback=True)
    assert again.run.usage.calls == 0
    assert again.run.usage.cache_hits == first.run.usage.calls
    assert starts(log) == 1


def test_a_failed_start_is_raised_again_without_starting_again(
    gguf: Path, isolated_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SERVER_CMD_ENV, f"{sys.executable} {STANDIN} --mode exit1-at-start")
    log = isolated_cache / "logs" / "llama-server.log"
    client = client_for(f"local:{gguf}", ModelOptions())
    assert isinstance(client, StartOnFirstCall)
    for _ in range(3):
        with pytest.raises(RuntimeCrashError, match="exited with code 1 during start-up"):
            client.complete(REQUEST)
    assert not client.started and starts(log) == 1
