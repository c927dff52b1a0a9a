"""FallbackClient: which failures hand a request to the fallback model, and when it stops
asking the primary."""

from __future__ import annotations

import logging

import pytest

from summarize.errors import AdapterError, RuntimeCrashError
from summarize.models.chat import ChatRequest, ChatResponse, Message
from summarize.models.fallback import FallbackClient


class Scripted:
    """A chat client that raises the given errors in turn, then answers with its name."""

    def __init__(self, name: str, errors: list[Exception] | None = None) -> None:
        self.name = name
        self.errors = list(errors or [])
        self.calls = 0

    def complete(self, request: ChatRequest) -> ChatResponse:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return ChatResponse(text=self.name)


def request() -> ChatRequest:
    return ChatRequest(messages=[Message(role="user", content="hi")])


def crash() -> RuntimeCrashError:
    return RuntimeCrashError("local model runtime crashed (SIGSEGV)", returncode=-11, log_path="x")


def test_a_crashed_runtime_switches_to_the_fallback_at_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    primary, backup = Scripted("local", [crash()]), Scripted("hosted")
    client = FallbackClient(primary, backup, switch_after=3)
    with caplog.at_level(logging.WARNING):
        answers = [client.complete(request()).text for _ in range(3)]
    assert answers == ["hosted"] * 3
    assert primary.calls == 1  # never asked again after the crash
    assert backup.calls == 3
    assert "SIGSEGV" in caplog.text and "using hosted from now on" in caplog.text


def test_endpoint_failures_switch_after_the_configured_count() -> None:
    down = AdapterError("connection refused", adapter="a", transient=False)
    primary, backup = Scripted("a", [down, down]), Scripted("b")
    client = FallbackClient(primary, backup, max_attempts=1, switch_after=2)
    assert [client.complete(request()).text for _ in range(3)] == ["b", "b", "b"]
    assert primary.calls == 2


def test_a_primary_that_recovers_resets_the_count() -> None:
    flaky = AdapterError("503", adapter="a", transient=False)
    primary, backup = Scripted("a", [flaky]), Scripted("b")
    client = FallbackClient(primary, backup, max_attempts=1, switch_after=2)
    assert [client.complete(request()).text for _ in range(3)] == ["b", "a", "a"]
    assert client.failures == 0
