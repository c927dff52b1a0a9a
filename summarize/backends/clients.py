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


def client_for(model: str, options: BackendOptions) -> tuple[str, ChatClient]:
    """The ChatClient (and display name) for a model-backed model string; used by the
    generation backends and by LLM judges alike."""
    prefix, _, rest = model.partition(":")
    client: ChatClient
    if prefix == "litellm":
        from summarize.llm import LiteLLMClient

        if not rest:
            raise ConfigError("litellm needs a model, e.g. litellm:openai/gpt-4o-mini")
        name = model
        client = LiteLLMClient(
            rest, api_base=options.api_base, api_key=options.api_key, timeout_s=options.timeout_s
        )
    elif prefix == "local":
        from summarize.llama_server import shared_server
        from summarize.llm import LiteLLMClient
        from summarize.provision import resolve_gguf

        path = resolve_gguf(f"local:{rest}" if rest else LOCAL_MODEL)
        server = shared_server(path)
        name = f"local:{path.name}"
        client = LiteLLMClient(
            "openai/local",
            api_base=server.api_base,
            api_key="none",
            timeout_s=max(options.timeout_s, 300.0),
            json_mode="json_object",
        )
    elif prefix == "fake":
        from summarize.fake import FakeClient

        name, client = model, FakeClient(rest)
    else:
        raise ConfigError(f"{model!r} is not a model-backed backend (litellm:…, local, fake:…)")
    return name, _cached(client, options)


def _writer(model: str, options: BackendOptions) -> WriterBackend:
    name, client = client_for(model, options)
    return WriterBackend(name, client, _settings(options))


@register("litellm")
def _litellm(rest: str, options: BackendOptions) -> WriterBackend:
    return _writer(f"litellm:{rest}", options)


@register("local")
def _local(rest: str, options: BackendOptions) -> WriterBackend:
    return _writer(f"local:{rest}" if rest else LOCAL_MODEL, options)


@register("fake")
def _fake(rest: str, options: BackendOptions) -> WriterBackend:
    return _writer(f"fake:{rest}", options)


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
