"""The shared rate-limit gate: one worker's 429 with Retry-After holds back every worker,
checked against a real OpenAI-compatible server that answers 429 like a provider's rate
limiter (every request inside the window it announced is refused too)."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from summarize.contract import Usage
from summarize.engine.gate import GatedClient, RateGate
from summarize.errors import AdapterError
from summarize.models.chat import ChatClient, ChatRequest, ChatResponse, Message
from summarize.models.litellm_client import LiteLLMClient
from summarize.models.retry import Backoff, complete_text
from tests.helpers.openai_server import serve

REQUEST = ChatRequest(messages=[Message(role="user", content="hello")])


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Refusing:
    """A client whose answers are scripted errors or text."""

    name = "refusing"

    def __init__(self, *answers: AdapterError | str) -> None:
        self.answers = list(answers)

    def complete(self, request: ChatRequest) -> ChatResponse:
        answer = self.answers.pop(0)
        if isinstance(answer, AdapterError):
            raise answer
        return ChatResponse(text=answer, usage=Usage(calls=1))


def limited(after: float | None) -> AdapterError:
    return AdapterError(
        "RateLimitError (HTTP 429)", adapter="x", transient=True, retry_after_s=after
    )


def test_a_retry_after_closes_the_gate_for_every_client_sharing_it() -> None:
    clock = Clock()
    gate = RateGate(clock=clock)
    first, second = GatedClient(Refusing(limited(30.0)), gate), GatedClient(Refusing("ok"), gate)
    with pytest.raises(AdapterError):
        first.complete(REQUEST)
    assert gate.remaining() == 30.0
    clock.now += 30.0  # the gate opens when the provider said it would
    assert gate.remaining() == 0.0
    assert second.complete(REQUEST).text == "ok"


def test_errors_without_retry_after_leave_the_gate_open() -> None:
    gate = RateGate(clock=Clock())
    client = GatedClient(Refusing(limited(None), "ok"), gate)
    with pytest.raises(AdapterError):
        client.complete(REQUEST)
    assert gate.remaining() == 0.0
    assert client.complete(REQUEST).text == "ok"


def test_a_hold_is_capped_and_never_shortened() -> None:
    gate = RateGate(clock=Clock(), max_hold_s=60.0)
    gate.hold(3600.0)
    assert gate.remaining() == 60.0
    gate.hold(5.0)
    assert gate.remaining() == 60.0


def test_a_stopped_gate_refuses_every_call_at_once() -> None:
    gate = RateGate()
    gate.hold(60.0)
    waiter_error: list[BaseException] = []

    def wait() -> None:
        try:
            gate.wait()
        except AdapterError as e:
            waiter_error.append(e)

    waiter = threading.Thread(target=wait)
    waiter.start()
    gate.stop()  # wakes the waiter long before the hold ends
    waiter.join(5)
    assert not waiter.is_alive()
    assert waiter_error and not getattr(waiter_error[0], "transient", True)
    with pytest.raises(AdapterError, match="interrupted"):
        GatedClient(Refusing("ok"), gate).complete(REQUEST)


def workers(n: int, client_for: Callable[[int], ChatClient], calls: int) -> list[str]:
    """``n`` threads, each making ``calls`` calls (with the retry policy) through its client."""
    answers: list[str] = []
    lock = threading.Lock()
    backoff = Backoff(initial_s=0.01, max_s=0.05)  # waits are what Retry-After says

    def run(i: int) -> None:
        client = client_for(i)
        for _ in range(calls):
            text = complete_text(client, REQUEST, max_attempts=3, backoff=backoff).text
            with lock:
                answers.append(text)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return answers


@pytest.mark.parametrize("shared", [True, False])
def test_one_429_holds_back_the_other_workers_only_when_the_gate_is_shared(shared: bool) -> None:
    """Four workers are each in a call when the server refuses the first of them (429,
    Retry-After: 2) and answers the others a second later. With one shared gate, the other
    three wait out the window before their next call: one 429 in all. With a gate each, each
    of them runs into the window and is refused too."""
    with serve() as server:
        server.rate_limit(2.0, after=4, answer_after_s=1.0)
        client = LiteLLMClient("openai/test-model", api_base=server.api_base, api_key="sk-test")
        common = RateGate()
        gates = [common if shared else RateGate() for _ in range(4)]
        answers = workers(4, lambda i: GatedClient(client, gates[i]), calls=2)
    assert answers == ["ok"] * 8  # every call answered in the end
    assert len(server.limited) == (1 if shared else 4)
