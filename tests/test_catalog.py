from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from summarize import catalog
from summarize.catalog import list_backends


def test_lists_every_kind(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SUMMARIZE_CACHE_DIR", str(tmp_path))
    for _, env in catalog.HOSTED_PROVIDERS:
        monkeypatch.delenv(env, raising=False)
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-test")
    rows = {b.name: b for b in list_backends()}
    assert rows["extractive"].ready
    assert rows["fake:<script>"].ready
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
    local = next(b for b in list_backends() if b.name == "local")
    assert not local.ready and "summarize[local]" in local.detail


def test_local_chunks_but_not_assembled(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SUMMARIZE_CACHE_DIR", str(tmp_path))
    local = catalog._local_status()
    if local.ready:  # chunks installed in this venv
        assert "assembled on first use" in local.detail
    else:
        assert "missing" in local.detail


def test_does_not_import_heavy_modules() -> None:
    code = (
        "import sys, summarize.catalog as c; c.list_backends(); "
        "assert 'litellm' not in sys.modules and 'llama_cpp' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
