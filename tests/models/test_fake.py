"""FakeClient: script loading, ordering, default, usage, logprobs, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summarize.errors import AdapterError, ConfigError
from summarize.models.chat import ChatClient, ChatRequest, Message
from summarize.models.fake import FakeClient, available_scripts, load_script


def _request(prompt_name: str = "", text: str = "one two three", **kw: object) -> ChatRequest:
    return ChatRequest(
        messages=[Message(role="system", content="be brief"), Message(role="user", content=text)],
        prompt_name=prompt_name,
        **kw,  # type: ignore[arg-type]
    )


def test_packaged_scripts_exist_and_load() -> None:
    names = available_scripts()
    assert {"echo", "malformed-then-valid"} <= set(names)
    for name in names:
        load_script(name)  # every shipped script must be valid


def test_echo_returns_last_user_message_and_counts_words() -> None:
    client = FakeClient("fake:echo")
    assert isinstance(client, ChatClient)
    assert client.name == "fake:echo"
    response = client.complete(_request(text="hello fake world"))
    assert response.text == "hello fake world"
    assert response.usage.calls == 1
    assert response.usage.prompt_tokens == 5  # "be brief" + "hello fake world"
    assert response.usage.completion_tokens == 3
    assert response.cost_usd == 0.0
    assert response.model == "fake:echo"
    assert len(client.requests) == 1


def test_responses_in_order_last_repeats_and_default_is_separate() -> None:
    client = FakeClient.from_script(
        {
            "responses": {"fact_sentence": ["a", "b"], "conflict_judge": [{"verdict": "x"}]},
            "default": ["d1", "d2"],
        }
    )
    served = [client.complete(_request("fact_sentence")).text for _ in range(3)]
    assert served == ["a", "b", "b"]
    assert client.complete(_request("conflict_judge")).text == json.dumps({"verdict": "x"})
    assert client.complete(_request("entailment")).text == "d1"
    assert client.complete(_request("other")).text == "d2"
    assert client.complete(_request("entailment")).text == "d2"
    assert [r.prompt_name for r in client.requests][:3] == ["fact_sentence"] * 3


def test_missing_prompt_without_default_is_a_clear_error() -> None:
    client = FakeClient.from_script({"responses": {"a": ["x"]}})
    with pytest.raises(AdapterError, match="'entailment'") as info:
        client.complete(_request("entailment"))
    assert info.value.transient is False


def test_script_from_path(tmp_path: Path) -> None:
    path = tmp_path / "mine.json"
    path.write_text(json.dumps({"default": [{"ok": True}]}), encoding="utf-8")
    client = FakeClient(f"fake:{path}")
    assert json.loads(client.complete(_request()).text) == {"ok": True}


def test_unknown_and_invalid_scripts_raise_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"unknown fake script 'nope'.*echo"):
        FakeClient("fake:nope")
    with pytest.raises(ConfigError):
        FakeClient(f"fake:{tmp_path / 'missing.json'}")
    bad = tmp_path / "bad.json"
    bad.write_text('{"respones": {}}', encoding="utf-8")
    with pytest.raises(ConfigError, match="invalid"):
        FakeClient(f"fake:{bad}")
    with pytest.raises(ConfigError):
        FakeClient("fake:")


def test_logprobs_are_certain_per_word() -> None:
    client = FakeClient.from_script({"default": ["Yes"]})
    response = client.complete(_request(top_logprobs=3))
    assert response.logprobs is not None
    assert response.logprobs[0].token == "Yes"
    assert response.logprobs[0].top == {"Yes": 0.0}
    assert client.complete(_request()).logprobs is None
