"""The one registry of model strings: which backend ``--model`` selects, how a model-backed
entry's chat client is built (for generation and for LLM judges alike), and what
``summarize models`` lists.

The prefix of a model string picks the entry:

- ``extractive``                      deterministic baseline, no model
- ``litellm:<model>``                 any litellm model string (hosted providers, local servers)
- ``local`` / ``local:<path.gguf>``   the embedded llama.cpp model (through litellm)
- ``fake:<script>``                   scripted responses shipped in the package, for tests

Entries are named as ``module:attribute`` and imported only when used (inspect_ai's lazy
provider registry), so resolving ``extractive`` never imports litellm and listing imports
nothing heavy. Other packages add entries through the ``summarize.backends`` entry-point group
(llm's plugin idea): the value is a ``module:attribute`` naming a ``Provider``. A model-backed
entry generates with the writer strategy over its client.
"""

from __future__ import annotations

import importlib
from importlib.metadata import entry_points
from typing import Protocol, cast

from summarize.errors import ConfigError
from summarize.generate.draft import Backend
from summarize.models.cache import CachingClient
from summarize.models.chat import ChatClient
from summarize.models.fallback import FallbackClient
from summarize.models.provider import Availability, ModelOptions, Provider

EXTRACTIVE = "extractive"
LOCAL = "local"
ENTRY_POINT_GROUP = "summarize.backends"

# Prefixes whose models are small (the embedded one) or scripted: "auto" writes stepwise.
SMALL_MODELS = frozenset({LOCAL, "fake"})
# A model whose window litellm does not know is assumed to read this much.
DEFAULT_CONTEXT_TOKENS = 8192

_BUILTIN: dict[str, str] = {
    EXTRACTIVE: "summarize.generate.extractive:ENTRY",
    "litellm": "summarize.models.hosted:PROVIDER",
    LOCAL: "summarize.models.local.provider:PROVIDER",
    "fake": "summarize.models.fake:PROVIDER",
}


class BackendEntry(Protocol):
    """A registry entry that generates without a chat client (the extractive baseline)."""

    def backend(self, rest: str, options: ModelOptions) -> Backend: ...

    def availability(self) -> list[Availability]: ...


def entries() -> dict[str, str]:
    """prefix -> ``module:attribute``, built-ins first; a plugin cannot replace a built-in."""
    found = dict(_BUILTIN)
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        found.setdefault(ep.name, ep.value)
    return found


def _load(prefix: str) -> Provider | BackendEntry:
    # A built-in cannot be replaced, so it is found without reading every installed
    # distribution's entry points (a few milliseconds a run).
    target = _BUILTIN.get(prefix) or entries().get(prefix)
    if target is None:
        known = ", ".join(p if p == EXTRACTIVE else f"{p}:…" for p in sorted(entries()))
        raise ConfigError(f"unknown model {prefix!r}; known backends: {known}")
    module, _, attribute = target.partition(":")
    return cast("Provider | BackendEntry", getattr(importlib.import_module(module), attribute))


def _is_provider(entry: Provider | BackendEntry) -> bool:
    return hasattr(entry, "client")


def client_for(model: str, options: ModelOptions | None = None) -> ChatClient:
    """The chat client for a model-backed model string, wrapped in the disk cache when
    ``options.cache_dir`` is set."""
    options = options or ModelOptions()
    prefix, _, rest = model.partition(":")
    entry = _load(prefix)
    if not _is_provider(entry):
        raise ConfigError(f"{model!r} is not a model-backed backend (litellm:…, local, fake:…)")
    client = cast(Provider, entry).client(rest, options)
    if options.cache_dir is not None:
        client = CachingClient(client, options.cache_dir)
    if options.fallback_model is None:
        return client
    if options.fallback_model == model:
        raise ConfigError(f"--fallback-model is the model itself ({model})")
    fallback = client_for(
        options.fallback_model, options.model_copy(update={"fallback_model": None})
    )
    return FallbackClient(client, fallback, max_attempts=options.max_retries)


def resolve(model: str, options: ModelOptions | None = None) -> Backend:
    """The generation backend for a model string."""
    options = options or ModelOptions()
    prefix, _, rest = model.partition(":")
    entry = _load(prefix)
    if not _is_provider(entry):
        return cast(BackendEntry, entry).backend(rest, options)
    client = client_for(model, options)
    strategy = options.strategy
    if strategy == "auto":
        strategy = "stepwise" if prefix in SMALL_MODELS else "single"
    if strategy == "single":
        from summarize.generate.single import SingleBackend, SingleSettings

        window = options.context_tokens
        if window is None and hasattr(entry, "context_window"):
            window = entry.context_window(rest)
        single = SingleSettings(
            context_tokens=window or DEFAULT_CONTEXT_TOKENS,
            seed=options.seed,
            max_attempts=options.max_retries,
        )
        return SingleBackend(client.name, client, single)
    from summarize.generate.writer import WriterBackend, WriterSettings

    settings = WriterSettings(
        seed=options.seed,
        max_attempts=options.max_retries,
        # The packaged model's conflict verdicts were all wrong where they mattered
        # (WriterSettings.judge_conflicts); another GGUF (local:<path>) is asked.
        judge_conflicts=not (prefix == LOCAL and not rest),
    )
    return WriterBackend(client.name, client, settings)


def availability() -> list[Availability]:
    """Every entry's readiness, in registry order (starts nothing)."""
    out: list[Availability] = []
    for prefix in entries():
        try:
            out.extend(_load(prefix).availability())
        except Exception as e:  # a broken plugin must not hide the others
            out.append(Availability(name=prefix, kind="plugin", ready=False, detail=str(e)))
    return out


def default_model() -> str:
    """The embedded model when it can run here, else the extractive baseline."""
    from summarize.models.local.provider import local_available

    return LOCAL if local_available() else EXTRACTIVE
