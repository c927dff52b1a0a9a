"""CachingClient: hits skip the model, usage on a hit is zero, corrupt entries are replaced."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from summarize.contract import SummaryDocument, Usage
from summarize.errors import AdapterError
from summarize.generate.registry import resolve
from summarize.ingest.loader import load
from summarize.models import prompt as prompt_module
from summarize.models.cache import AnswerPack, CachingClient
from summarize.models.chat import ChatRequest, ChatResponse, Message
from summarize.models.fake import FakeClient
from summarize.models.provider import ModelOptions
from summarize.pipeline import run_event


def _request(text: str = "hello", seed: int = 0) -> ChatRequest:
    return ChatRequest(messages=[Message(role="user", content=text)], seed=seed)


def _fake() -> FakeClient:
    return FakeClient("fake:echo")


def test_second_call_is_a_hit_with_zero_usage(tmp_path: Path) -> None:
    inner = _fake()
    client = CachingClient(inner, tmp_path)
    assert client.name == inner.name
    first = client.complete(_request())
    second = client.complete(_request())
    assert len(inner.requests) == 1
    assert first.usage.calls == 1
    assert second.text == first.text
    assert second.usage == Usage(cache_hits=1)
    assert second.cost_usd == 0.0
    assert (client.hits, client.misses) == (1, 1)


def test_cache_survives_a_new_client_instance(tmp_path: Path) -> None:
    CachingClient(_fake(), tmp_path).complete(_request())
    inner = _fake()
    assert CachingClient(inner, tmp_path).complete(_request()).text == "hello"
    assert inner.requests == []


def test_key_covers_request_fields_and_client_name(tmp_path: Path) -> None:
    client = CachingClient(_fake(), tmp_path)
    keys = {
        client.key(_request()),
        client.key(_request(seed=1)),
        client.key(_request(text="other")),
        client.key(_request().model_copy(update={"json_schema": {"type": "object"}})),
        CachingClient(FakeClient("fake:malformed-then-valid"), tmp_path).key(_request()),
    }
    assert len(keys) == 5
    assert client.key(_request()) == CachingClient(_fake(), tmp_path / "x").key(_request())


def test_corrupt_entry_is_ignored_and_overwritten(tmp_path: Path) -> None:
    inner = _fake()
    client = CachingClient(inner, tmp_path)
    path = client.path_for(_request())
    path.parent.mkdir(parents=True)
    path.write_text('{"text": "trunc', encoding="utf-8")
    assert client.complete(_request()).text == "hello"
    assert len(inner.requests) == 1
    assert ChatResponse.model_validate_json(path.read_text(encoding="utf-8")).text == "hello"
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temp files left


class _Broken:
    name = "broken"

    def complete(self, request: ChatRequest) -> ChatResponse:
        raise AdapterError("down", adapter=self.name, transient=True)


def test_errors_are_not_cached(tmp_path: Path) -> None:
    client = CachingClient(_Broken(), tmp_path)
    with pytest.raises(AdapterError):
        client.complete(_request())
    assert not any(tmp_path.rglob("*.json"))


_WRITER = """
import sys
from pathlib import Path
from summarize.models.cache import AnswerPack, CachingClient
from summarize.models.chat import ChatRequest, Message
from summarize.models.fake import FakeClient

client = CachingClient(FakeClient("fake:echo"), Path(sys.argv[1]))
for i in range(60):
    # Both processes ask the same questions at the same time: same keys, same files.
    client.complete(ChatRequest(messages=[Message(role="user", content=f"q{i % 20}")]))
"""


def test_concurrent_runs_share_the_cache_safely(tmp_path: Path) -> None:
    procs = [subprocess.Popen([sys.executable, "-c", _WRITER, str(tmp_path)]) for _ in range(3)]
    assert all(p.wait(timeout=120) == 0 for p in procs)
    entries = list(tmp_path.rglob("*.json"))
    assert len(entries) == 20  # one entry per distinct request, whoever wrote it last
    assert not [p for p in tmp_path.rglob("*") if p.is_file() and p.suffix != ".json"]
    for entry in entries:
        ChatResponse.model_validate_json(entry.read_bytes())  # whole and valid
    hits = CachingClient(_fake(), tmp_path)
    hits.complete(_request("q3"))
    assert (hits.hits, hits.misses) == (1, 0)


@pytest.fixture
def prompt_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An editable copy of the prompt files, read instead of the packaged ones."""
    copy = tmp_path / "prompts"
    shutil.copytree(prompt_module.prompts_dir(), copy)
    monkeypatch.setattr(prompt_module, "prompts_dir", lambda: copy)
    prompt_module.load_prompt.cache_clear()
    yield copy
    prompt_module.load_prompt.cache_clear()


def test_editing_a_prompt_misses_exactly_the_calls_it_renders(
    prompt_copy: Path, tmp_path: Path, seed_event_dir: Path
) -> None:
    event = load(seed_event_dir).events[0]
    options = ModelOptions(cache_dir=tmp_path / "responses", strategy="stepwise")
    model = "fake:cite-first"

    def run() -> tuple[SummaryDocument, list[str | None]]:
        backend = resolve(model, options)
        doc = run_event(event, model, options, backend=backend)
        cache = backend.caller.client  # type: ignore[attr-defined]
        assert isinstance(cache, CachingClient) and isinstance(cache.inner, FakeClient)
        return doc, [r.prompt_name for r in cache.inner.requests]

    first, asked = run()
    assert {"fact_sentence", "conflict_judge"} <= set(asked)
    again, reasked = run()
    assert reasked == [] and again.run.usage.calls == 0
    assert again.run.usage.cache_hits == len(asked)

    judge = prompt_copy / "conflict_judge.prompt"
    judge.write_text(
        judge.read_text(encoding="utf-8").replace(
            "=== user ===", "Answer in plain words.\n\n=== user ===", 1
        ),
        encoding="utf-8",
    )
    prompt_module.load_prompt.cache_clear()
    edited, missed = run()
    assert missed == [name for name in asked if name == "conflict_judge"]
    assert edited.run.usage.cache_hits == len(asked) - len(missed)
    assert edited.run.prompts["conflict_judge"] != first.run.prompts["conflict_judge"]
    assert edited.run.prompts["fact_sentence"] == first.run.prompts["fact_sentence"]


# --- AnswerPack: recorded answers in one file, replayed elsewhere ----------------------------


def test_a_pack_replays_answers_on_another_instance_and_keeps_only_those_asked(
    tmp_path: Path,
) -> None:
    pack_file = tmp_path / "answers.jsonl"
    recording = CachingClient(_fake(), pack=AnswerPack(pack_file))
    for text in ("one", "two", "three"):
        recording.complete(_request(text))
    assert recording.pack is not None and recording.pack.save() == 3

    # Another machine: nothing in a cache folder, the model must not be asked.
    inner = _fake()
    pack = AnswerPack(pack_file)
    replay = CachingClient(inner, tmp_path / "empty-cache", pack=pack)
    assert replay.complete(_request("two")).text == "two"
    assert replay.complete(_request("four")).text == "four"  # new: asked, and recorded
    assert [r.messages[0].content for r in inner.requests] == ["four"]
    assert (replay.hits, replay.misses) == (1, 1)
    assert pack.save(prune=False) == 4  # a partial run adds its answers
    assert AnswerPack(pack_file).save() == 0  # nothing asked: nothing kept
    assert pack_file.read_text() == ""


def test_a_pack_keeps_the_answers_asked_in_a_stable_order(tmp_path: Path) -> None:
    pack_file = tmp_path / "answers.jsonl"
    first = AnswerPack(pack_file)
    client = CachingClient(_fake(), pack=first)
    for text in ("b", "a", "c"):
        client.complete(_request(text))
    first.save()
    again = AnswerPack(pack_file)
    CachingClient(_fake(), pack=again).complete(_request("c"))
    again.save()
    lines = pack_file.read_text().splitlines()
    assert len(lines) == 1 and '"text": "c"' in lines[0]


def test_an_unreadable_pack_line_is_asked_again_not_fatal(tmp_path: Path) -> None:
    pack_file = tmp_path / "answers.jsonl"
    first = AnswerPack(pack_file)
    CachingClient(_fake(), pack=first).complete(_request("kept"))
    first.save()
    pack_file.write_text(pack_file.read_text() + "{not json\n")
    inner = _fake()
    client = CachingClient(inner, pack=AnswerPack(pack_file))
    assert client.complete(_request("kept")).text == "kept"
    assert inner.requests == []
