"""Factories for the model-backed backends: ``litellm:<model>``, ``local[:<gguf>]``,
``fake:<script>``. Each builds a ChatClient and hands it to the writer strategy."""

from __future__ import annotations

import importlib.util

from summarize.backend import BackendOptions, register
from summarize.backends.writer import WriterBackend, WriterSettings
from summarize.chat import ChatClient
from summarize.errors import ConfigError

LOCAL_MODEL = "local"


def _cached(client: ChatClient, options: BackendOptions) -> ChatClient:
    if options.cache_dir is None:
        return client
    from summarize.cache import CachingClient

    return CachingClient(client, options.cache_dir)


def _settings(options: BackendOptions) -> WriterSettings:
    return WriterSettings(seed=options.seed, max_attempts=options.max_retries)


@register("litellm")
def _litellm(rest: str, options: BackendOptions) -> WriterBackend:
    from summarize.llm import LiteLLMClient

    if not rest:
        raise ConfigError("litellm needs a model, e.g. litellm:openai/gpt-4o-mini")
    client = LiteLLMClient(
        rest, api_base=options.api_base, api_key=options.api_key, timeout_s=options.timeout_s
    )
    return WriterBackend(f"litellm:{rest}", _cached(client, options), _settings(options))


@register("local")
def _local(rest: str, options: BackendOptions) -> WriterBackend:
    from summarize.llama_server import shared_server
    from summarize.llm import LiteLLMClient
    from summarize.provision import resolve_gguf

    spec = f"local:{rest}" if rest else LOCAL_MODEL
    path = resolve_gguf(spec)
    server = shared_server(path)
    client = LiteLLMClient(
        "openai/local",
        api_base=server.api_base,
        api_key="none",
        timeout_s=max(options.timeout_s, 300.0),
        json_mode="json_object",
    )
    name = f"local:{path.name}"
    return WriterBackend(name, _cached(client, options), _settings(options))


@register("fake")
def _fake(rest: str, options: BackendOptions) -> WriterBackend:
    from summarize.fake import FakeClient

    client = FakeClient(rest)
    return WriterBackend(f"fake:{rest}", client, _settings(options))


def local_available() -> bool:
    """The embedded model can run: runtime importable and the model (or its chunks) present.
    Checked without importing llama_cpp or starting anything."""
    if importlib.util.find_spec("llama_cpp") is None:
        return False
    from summarize.provision import model_status

    status = model_status()
    return bool(status.assembled or status.chunks_installed)


def default_model() -> str:
    return LOCAL_MODEL if local_available() else "extractive"
