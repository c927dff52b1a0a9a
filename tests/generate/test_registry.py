"""The one registry: model strings to backends and clients, and what `summarize models` lists."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from summarize.errors import ConfigError
from summarize.generate import registry
from summarize.generate.extractive import ExtractiveBackend
from summarize.generate.single import SingleBackend
from summarize.generate.writer import WriterBackend
from summarize.models.cache import CachingClient
from summarize.models.fake import FakeClient
from summarize.models.hosted import HOSTED_PROVIDERS
from summarize.models.local import provision
from summarize.models.provider import ModelOptions


def test_lists_every_kind(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SUMMARIZE_CACHE_DIR", str(tmp_path))
    for _, env in HOSTED_PROVIDERS:
        monkeypatch.delenv(env, raising=False)
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-test")
    rows = {b.name: b for b in registry.availability()}
    assert rows["extractive"].ready
    assert rows["fake:<script>"].ready and "echo" in rows["fake:<script>"].detail
    assert rows["litellm:anthropic/<model>"].ready
    assert not rows["litellm:openai/<model>"].ready
    assert rows["litellm:<model> --api-base"].ready
    assert not rows["litellm:groq/<model>"].ready
    assert "GROQ_API_KEY" in rows["litellm:groq/<model>"].detail
    assert "sk-test" not in " ".join(b.detail for b in rows.values())
    assert {b.kind for b in rows.values()} >= {"extractive", "local", "hosted", "fake"}


def test_local_without_runtime(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "llama_cpp" else real(name, *a),
    )
    local = next(b for b in registry.availability() if b.name == "local")
    assert not local.ready and "summarize[local]" in local.detail
    assert registry.default_model() == "extractive"


def test_local_chunks_installed_but_not_assembled(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SUMMARIZE_CACHE_DIR", str(tmp_path))
    model = provision.PACKAGED_MODEL
    # Every chunk module present (whatever this venv has): the model is assembled on first use.
    monkeypatch.setattr(provision, "_missing_chunks", lambda m: [])
    local = next(b for b in registry.availability() if b.name == "local")
    assert local.ready and "assembled on first use" in local.detail
    # No chunk present and nothing assembled: not ready, and the fix is named.
    monkeypatch.setattr(provision, "_missing_chunks", lambda m: list(model.modules))
    local = next(b for b in registry.availability() if b.name == "local")
    assert not local.ready and "missing" in local.detail


def test_listing_imports_nothing_heavy() -> None:
    code = (
        "import sys; from summarize.generate import registry; registry.availability(); "
        "registry.resolve('extractive'); "
        "assert 'litellm' not in sys.modules and 'llama_cpp' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_resolve_by_prefix(tmp_path: Path) -> None:
    assert isinstance(registry.resolve("extractive"), ExtractiveBackend)
    writer = registry.resolve("fake:echo")
    assert isinstance(writer, WriterBackend) and writer.name == "fake:echo"
    cached = registry.client_for("fake:echo", ModelOptions(cache_dir=tmp_path))
    assert isinstance(cached, CachingClient)
    assert isinstance(registry.client_for("fake:echo"), FakeClient)


@pytest.mark.parametrize(
    ("model", "message"),
    [
        ("nosuch:thing", "unknown model 'nosuch'"),
        ("extractive:x", "extractive takes no argument"),
        ("litellm:", "litellm needs a model"),
    ],
)
def test_bad_model_strings(model: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        registry.resolve(model)


def test_extractive_has_no_client() -> None:
    with pytest.raises(ConfigError, match="not a model-backed backend"):
        registry.client_for("extractive")


def test_plugins_come_from_entry_points(monkeypatch: pytest.MonkeyPatch) -> None:
    class EP:
        name, value = "mine", "summarize.models.fake:PROVIDER"

    class Builtin:
        name, value = "extractive", "summarize.models.fake:PROVIDER"

    monkeypatch.setattr(registry, "entry_points", lambda group: [EP(), Builtin()])
    found = registry.entries()
    assert found["mine"] == "summarize.models.fake:PROVIDER"
    assert found["extractive"] == "summarize.generate.extractive:ENTRY"  # not replaced
    assert isinstance(registry.resolve("mine:echo"), SingleBackend)  # auto: not a small model
    stepwise = ModelOptions(strategy="stepwise")
    assert isinstance(registry.resolve("mine:echo", stepwise), WriterBackend)


def test_auto_strategy_by_model() -> None:
    assert isinstance(registry.resolve("fake:echo"), WriterBackend)  # scripted: stepwise
    single = registry.resolve("fake:echo", ModelOptions(strategy="single", context_tokens=2000))
    assert isinstance(single, SingleBackend) and single.settings.context_tokens == 2000


def _packaged_model() -> bool:
    from summarize.models.local.provider import local_available

    return bool(local_available())


def test_the_packaged_model_is_not_asked_to_judge_conflicts(tmp_path: Path) -> None:
    """Its verdicts on the annotated events confirmed only false disagreements
    (WriterSettings.judge_conflicts); any other GGUF, and every other model, is asked."""
    gguf = tmp_path / "other.gguf"
    gguf.write_bytes(b"GGUF" + b"\0" * 64)
    other = registry.resolve(f"local:{gguf}", ModelOptions(strategy="stepwise"))
    assert isinstance(other, WriterBackend) and other.settings.judge_conflicts
    scripted = registry.resolve("fake:echo")
    assert isinstance(scripted, WriterBackend) and scripted.settings.judge_conflicts


@pytest.mark.skipif(not _packaged_model(), reason="embedded model not installed")
def test_the_packaged_model_writes_without_judging_conflicts() -> None:
    packaged = registry.resolve("local")
    assert isinstance(packaged, WriterBackend) and not packaged.settings.judge_conflicts
