"""What ``summarize models`` lists: every backend and whether it is ready, without starting,
importing or downloading anything (no litellm, no llama_cpp import; find_spec only)."""

from __future__ import annotations

import importlib.util
import os

from pydantic import BaseModel, ConfigDict

from summarize.provision import model_status


class BackendStatus(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    kind: str  # extractive | local | hosted | openai-compatible | fake
    ready: bool
    detail: str


# litellm provider prefix -> the API-key variable litellm reads for it.
HOSTED_PROVIDERS: tuple[tuple[str, str], ...] = (
    ("openai", "OPENAI_API_KEY"),
    ("anthropic", "ANTHROPIC_API_KEY"),
    ("gemini", "GEMINI_API_KEY"),
    ("mistral", "MISTRAL_API_KEY"),
    ("groq", "GROQ_API_KEY"),
    ("deepseek", "DEEPSEEK_API_KEY"),
    ("together_ai", "TOGETHERAI_API_KEY"),
    ("openrouter", "OPENROUTER_API_KEY"),
)


def _local_status() -> BackendStatus:
    if importlib.util.find_spec("llama_cpp") is None:
        return BackendStatus(
            name="local",
            kind="local",
            ready=False,
            detail="llama.cpp runtime not installed: pip install 'summarize[local]'",
        )
    st = model_status()
    if st.verified:
        detail, ready = f"model ready: {st.path}", True
    elif st.chunks_installed:
        detail, ready = f"model will be assembled on first use into {st.path}", True
    elif st.assembled:
        # Chunks gone but a full-size file exists: it is verified (hashed) on first use.
        detail, ready = f"model present, verified on first use: {st.path}", True
    else:
        missing = ", ".join(st.missing_chunks[:3]) + ("…" if len(st.missing_chunks) > 3 else "")
        detail = f"model chunks missing ({missing}): pip install 'summarize[local]'"
        ready = False
    return BackendStatus(name="local", kind="local", ready=ready, detail=detail)


def list_backends() -> list[BackendStatus]:
    out = [
        BackendStatus(
            name="extractive", kind="extractive", ready=True, detail="no model, deterministic"
        ),
        _local_status(),
        BackendStatus(
            name="local:<path.gguf>",
            kind="local",
            ready=importlib.util.find_spec("llama_cpp") is not None,
            detail="any GGUF file on disk, served by the embedded llama.cpp runtime",
        ),
    ]
    for provider, env in HOSTED_PROVIDERS:
        has_key = bool(os.environ.get(env))
        out.append(
            BackendStatus(
                name=f"litellm:{provider}/<model>",
                kind="hosted",
                ready=has_key,
                detail=f"{env} is set" if has_key else f"set {env}",
            )
        )
    out.append(
        BackendStatus(
            name="litellm:<model> --api-base",
            kind="openai-compatible",
            ready=True,
            detail="any OpenAI-compatible server: --api-base http://host:port/v1",
        )
    )
    out.append(BackendStatus(name="fake:<script>", kind="fake", ready=True, detail="for tests"))
    return out
