"""LiteLLMClient against a real local OpenAI-compatible HTTP server (no in-process mocks)."""

from __future__ import annotations

import json
import math
import socket
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from summarize.errors import AdapterError
from summarize.models.chat import ChatRequest, Message
from summarize.models.litellm_client import LiteLLMClient
from summarize.models.retry import NO_WAIT, complete_text
from tests.helpers.openai_server import OpenAIServer, serve


@pytest.fixture
def openai_server() -> Iterator[OpenAIServer]:
    with serve() as server:
        yield server


SCHEMA: dict[str, Any] = {
    "title": "Answer",
    "type": "object",
    "properties": {"value": {"type": "string"}},
    "required": ["value"],
    "additionalProperties": False,
}


def _request(**kw: Any) -> ChatRequest:
    messages = [
        Message(role="system", content="You are terse."),
        Message(role="user", content="Say hi."),
    ]
    return ChatRequest(messages=messages, **kw)


def _client(server: OpenAIServer, **kw: Any) -> LiteLLMClient:
    return LiteLLMClient("openai/test-model", api_base=server.api_base, **kw)


def test_plain_completion_usage_and_wire_params(openai_server: OpenAIServer) -> None:
    openai_server.reply("hello there", prompt_tokens=21, completion_tokens=3)
    client = _client(openai_server)
    response = client.complete(_request(temperature=0.25, seed=7, max_tokens=64))

    assert client.name == "litellm:openai/test-model"
    assert response.text == "hello there"
    assert response.usage.calls == 1
    assert response.usage.prompt_tokens == 21
    assert response.usage.completion_tokens == 3
    assert response.cost_usd is None  # no price known for test-model; must not crash
    assert response.logprobs is None
    (sent,) = openai_server.requests
    assert sent["model"] == "test-model"
    assert sent["temperature"] == 0.25
    assert sent["seed"] == 7
    assert sent["max_tokens"] == 64
    assert sent["messages"] == [
        {"role": "system", "content": "You are terse."},
        {"role": "user", "content": "Say hi."},
    ]
    assert "response_format" not in sent
    assert "logprobs" not in sent


def test_auto_mode_with_api_base_sends_json_object_with_schema(
    openai_server: OpenAIServer,
) -> None:
    openai_server.reply('{"value": "x"}')
    client = _client(openai_server)
    assert client.json_mode == "json_object"
    client.complete(_request(json_schema=SCHEMA))
    assert openai_server.requests[0]["response_format"] == {"type": "json_object", "schema": SCHEMA}


def test_json_schema_mode_sends_openai_style_response_format(openai_server: OpenAIServer) -> None:
    client = _client(openai_server, json_mode="json_schema")
    client.complete(_request(json_schema=SCHEMA))
    fmt = openai_server.requests[0]["response_format"]
    assert fmt["type"] == "json_schema"
    assert fmt["json_schema"]["name"] == "Answer"
    assert fmt["json_schema"]["schema"] == SCHEMA
    assert fmt["json_schema"]["strict"] is True


def test_json_schema_mode_not_strict_when_schema_has_optional_fields(
    openai_server: OpenAIServer,
) -> None:
    loose = {"title": "Loose", "type": "object", "properties": {"a": {"type": "string"}}}
    _client(openai_server, json_mode="json_schema").complete(_request(json_schema=loose))
    assert openai_server.requests[0]["response_format"]["json_schema"]["strict"] is False


def test_prompt_mode_appends_schema_to_last_user_message(openai_server: OpenAIServer) -> None:
    _client(openai_server, json_mode="prompt").complete(_request(json_schema=SCHEMA))
    sent = openai_server.requests[0]
    assert "response_format" not in sent
    last = sent["messages"][-1]
    assert last["role"] == "user"
    assert last["content"].startswith("Say hi.")
    assert "JSON only" in last["content"]
    assert json.dumps(SCHEMA, separators=(",", ":")) in last["content"]


def test_auto_mode_without_api_base_follows_litellm_capabilities() -> None:
    assert LiteLLMClient("gpt-4o-mini").json_mode == "json_schema"
    assert LiteLLMClient("openai/some-unknown-model").json_mode == "prompt"


def test_logprobs_are_requested_and_mapped(openai_server: OpenAIServer) -> None:
    openai_server.reply("Yes", logprobs=[{"Yes": 0.8, "No": 0.15, "Maybe": 0.05}])
    response = _client(openai_server).complete(_request(top_logprobs=2))
    sent = openai_server.requests[0]
    assert sent["logprobs"] is True
    assert sent["top_logprobs"] == 2
    assert response.logprobs is not None
    (first,) = response.logprobs
    assert first.token == "Yes"
    assert first.logprob == pytest.approx(math.log(0.8))
    assert first.top == pytest.approx({"Yes": math.log(0.8), "No": math.log(0.15)})


def test_503_then_ok_is_retried_transparently(openai_server: OpenAIServer) -> None:
    openai_server.fail(503)
    openai_server.reply("recovered")
    response = complete_text(_client(openai_server), _request(), backoff=NO_WAIT)
    assert response.text == "recovered"
    assert len(openai_server.requests) == 2  # litellm/openai added no retries of their own


def test_persistent_503_gives_up_after_max_attempts(openai_server: OpenAIServer) -> None:
    for _ in range(5):
        openai_server.fail(503)
    with pytest.raises(AdapterError) as info:
        complete_text(_client(openai_server), _request(), max_attempts=3, backoff=NO_WAIT)
    assert info.value.transient is True
    assert info.value.attempts == 3
    assert len(openai_server.requests) == 3


def test_401_is_permanent_and_not_retried(openai_server: OpenAIServer) -> None:
    openai_server.fail(401, "invalid api key")
    client = _client(openai_server, api_key="sk-secret-123")
    with pytest.raises(AdapterError) as info:
        complete_text(client, _request(), backoff=NO_WAIT)
    error = info.value
    assert error.transient is False
    assert len(openai_server.requests) == 1
    assert isinstance(error.__cause__, Exception)
    message = str(error)
    assert "openai/test-model" in message
    assert "sk-secret-123" not in message
    assert "\n" not in message
    assert openai_server.headers[0]["authorization"] == "Bearer sk-secret-123"


@pytest.mark.parametrize(("status", "transient"), [(400, False), (404, False), (429, True)])
def test_status_classification(openai_server: OpenAIServer, status: int, transient: bool) -> None:
    openai_server.fail(status)
    with pytest.raises(AdapterError) as info:
        _client(openai_server).complete(_request())
    assert info.value.transient is transient


def test_connection_refused_is_transient() -> None:
    with socket.socket() as s:  # a port that was free a moment ago: nothing listens there
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    client = LiteLLMClient("openai/test-model", api_base=f"http://127.0.0.1:{port}/v1")
    with pytest.raises(AdapterError) as info:
        client.complete(_request())
    assert info.value.transient is True


def test_importing_the_package_does_not_import_litellm() -> None:
    code = (
        "import sys, summarize, summarize.models.litellm_client, summarize.models.structured, summarize.models.fake, "
        "summarize.models.cache; assert 'litellm' not in sys.modules, 'litellm imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
