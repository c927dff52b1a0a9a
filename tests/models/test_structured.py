"""Structured output, re-ask and retry: over real HTTP for the litellm path, and with small
in-test clients for the retry edge cases."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pydantic import BaseModel, ConfigDict

from summarize.contract import Usage
from summarize.errors import AdapterError, StructuredOutputError
from summarize.models.chat import ChatRequest, ChatResponse, Message
from summarize.models.fake import FakeClient
from summarize.models.litellm_client import LiteLLMClient
from summarize.models.retry import NO_WAIT, complete_text
from summarize.models.structured import (
    Structured,
    complete_structured,
    extract_json,
    parse_model,
)
from tests.helpers.openai_server import OpenAIServer, serve


class Verdict(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str
    score: float


@pytest.fixture
def openai_server() -> Iterator[OpenAIServer]:
    with serve() as server:
        yield server


def _request() -> ChatRequest:
    return ChatRequest(messages=[Message(role="user", content="Judge it.")], prompt_name="judge")


def test_valid_first_answer(openai_server: OpenAIServer) -> None:
    openai_server.reply('{"label": "yes", "score": 0.9}')
    client = LiteLLMClient("openai/test-model", api_base=openai_server.api_base)
    result = complete_structured(client, _request(), Verdict, backoff=NO_WAIT)
    assert isinstance(result, Structured)
    assert result.value == Verdict(label="yes", score=0.9)
    assert result.reasked is False
    assert result.usage == Usage(calls=1, prompt_tokens=11, completion_tokens=7)
    fmt = openai_server.requests[0]["response_format"]
    assert fmt == {"type": "json_object", "schema": Verdict.model_json_schema()}


def test_malformed_then_valid_reasks_once_over_http(openai_server: OpenAIServer) -> None:
    openai_server.reply('{"label": "yes", "score": "very high"}')
    openai_server.reply('```json\n{"label": "yes", "score": 0.75}\n```')
    client = LiteLLMClient("openai/test-model", api_base=openai_server.api_base)
    result = complete_structured(client, _request(), Verdict, backoff=NO_WAIT)

    assert result.value.score == 0.75
    assert result.reasked is True
    assert result.usage == Usage(calls=2, prompt_tokens=22, completion_tokens=14)
    assert len(openai_server.requests) == 2
    second = openai_server.requests[1]["messages"]
    assert second[0] == {"role": "user", "content": "Judge it."}
    assert second[1] == {"role": "assistant", "content": '{"label": "yes", "score": "very high"}'}
    assert second[2]["role"] == "user"
    assert second[2]["content"].startswith("Your previous answer was invalid: score:")
    assert "Reply again with JSON matching the schema." in second[2]["content"]
    # The schema constraint is kept on the re-ask.
    assert openai_server.requests[1]["response_format"]["type"] == "json_object"


def test_invalid_twice_raises_with_last_output(openai_server: OpenAIServer) -> None:
    openai_server.reply("no idea")
    openai_server.reply('{"label": "maybe"}')
    client = LiteLLMClient("openai/test-model", api_base=openai_server.api_base)
    with pytest.raises(StructuredOutputError) as info:
        complete_structured(client, _request(), Verdict, backoff=NO_WAIT)
    assert info.value.last_output == '{"label": "maybe"}'
    assert info.value.transient is False
    assert "Verdict" in str(info.value)
    assert len(openai_server.requests) == 2


def test_transient_error_during_reask_is_retried(openai_server: OpenAIServer) -> None:
    openai_server.reply("not json")
    openai_server.fail(503)
    openai_server.reply('{"label": "no", "score": 0.1}')
    client = LiteLLMClient("openai/test-model", api_base=openai_server.api_base)
    result = complete_structured(client, _request(), Verdict, backoff=NO_WAIT)
    assert result.value.label == "no"
    assert result.usage.calls == 2  # the failed call returned nothing to count
    assert len(openai_server.requests) == 3


def test_existing_json_schema_is_kept() -> None:
    client = FakeClient.from_script({"default": [{"label": "a", "score": 1}]})
    custom = {"type": "object"}
    request = _request().model_copy(update={"json_schema": custom})
    complete_structured(client, request, Verdict)
    assert client.requests[0].json_schema == custom


def test_fake_malformed_then_valid_script() -> None:
    class Value(BaseModel):
        value: str

    client = FakeClient("fake:malformed-then-valid")
    result = complete_structured(client, _request(), Value)
    assert result.value.value == "ok"
    assert result.reasked is True
    assert result.cost_usd == 0.0
    assert len(client.requests) == 2
    assert "no JSON object found" in client.requests[1].messages[-1].content


class _Failing:
    """Fails ``failures`` times with the given transience, then answers."""

    def __init__(self, failures: int, transient: bool) -> None:
        self.name = "failing"
        self.calls = 0
        self.failures = failures
        self.transient = transient

    def complete(self, request: ChatRequest) -> ChatResponse:
        self.calls += 1
        if self.calls <= self.failures:
            raise AdapterError("boom", adapter=self.name, transient=self.transient)
        return ChatResponse(text="done", usage=Usage(calls=1))


def test_permanent_error_is_not_retried() -> None:
    client = _Failing(failures=1, transient=False)
    with pytest.raises(AdapterError):
        complete_text(client, _request(), backoff=NO_WAIT)
    assert client.calls == 1


def test_transient_errors_retry_up_to_max_attempts() -> None:
    assert complete_text(_Failing(2, True), _request(), backoff=NO_WAIT).text == "done"
    client = _Failing(failures=5, transient=True)
    with pytest.raises(AdapterError) as info:
        complete_text(client, _request(), max_attempts=2, backoff=NO_WAIT)
    assert client.calls == 2
    assert info.value.attempts == 2


@pytest.mark.parametrize(
    "text",
    [
        '{"label": "x", "score": 1}',
        'Here you go:\n{"label": "x", "score": 1}\nHope that helps {really}.',
        '```json\n{"label": "x", "score": 1}\n```',
        '```\n{"label": "x", "score": 1}\n```',
        'Note {not json} then {"label": "x", "score": 1}',
    ],
)
def test_extract_json_tolerates_wrapping(text: str) -> None:
    assert extract_json(text) == {"label": "x", "score": 1}


def test_extract_json_nested_and_missing() -> None:
    assert extract_json('x {"a": {"b": [1, {"c": 2}]}} y') == {"a": {"b": [1, {"c": 2}]}}
    with pytest.raises(ValueError, match="no JSON object"):
        extract_json("[1, 2, 3]")


def test_parse_model_reports_field_errors() -> None:
    value, error = parse_model('{"label": "x", "score": 1, "extra": 2}', Verdict)
    assert value is None
    assert "extra" in error
