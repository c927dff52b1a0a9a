"""The boundary every model call crosses: request/response models and the client protocol.

Clients (the litellm client, the scripted fake) implement ``ChatClient``. Retry, structured
output and re-ask live above this boundary, in one place (``structured.py``).
"""

from __future__ import annotations

from typing import Any, Literal, Protocol, runtime_checkable

from pydantic import Field

from summarize.contract import Strict, Usage


class Message(Strict):
    role: Literal["system", "user", "assistant"]
    content: str


class ChatRequest(Strict):
    messages: list[Message]
    # Name of the prompt template that produced the messages; fake scripts key on it.
    prompt_name: str = ""
    json_schema: dict[str, Any] | None = None
    temperature: float = 0.0
    seed: int = 0
    max_tokens: int = 512
    # Ask for the top-k log-probabilities of each generated token (judges read p(Yes)).
    top_logprobs: int = 0


class TokenLogprobs(Strict):
    token: str
    logprob: float
    top: dict[str, float] = Field(default_factory=dict)


class ChatResponse(Strict):
    text: str
    usage: Usage = Field(default_factory=Usage)
    cost_usd: float | None = None
    model: str = ""
    logprobs: list[TokenLogprobs] | None = None


@runtime_checkable
class ChatClient(Protocol):
    """One method: send a chat request, get the completion. Raise ``AdapterError``
    (``transient=True`` for errors worth retrying)."""

    name: str

    def complete(self, request: ChatRequest) -> ChatResponse: ...
