"""Generation backends and the registry that picks one from the model string.

A backend turns an event's cleaned, segmented passages into a ``Draft``. The model string's
prefix selects the backend:

- ``extractive``            deterministic baseline, no model
- ``litellm:<model>``       any litellm model string (hosted providers, local servers)
- ``local`` / ``local:<path.gguf>``  the embedded llama.cpp model (through litellm)
- ``fake:<script>``         scripted responses shipped in the package, for tests

Factories import their modules lazily so that ``extractive`` never imports litellm.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from pydantic import BaseModel, ConfigDict

from summarize.document import Event, Passage
from summarize.draft import Draft
from summarize.errors import ConfigError


class BackendOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    api_base: str | None = None
    api_key: str | None = None
    timeout_s: float = 120.0
    max_retries: int = 3
    seed: int = 0
    # Disk cache for model calls keyed by request hash: a re-run costs no model calls.
    cache_dir: Path | None = None


class Backend(Protocol):
    name: str

    def draft(self, event: Event, passages: list[Passage]) -> Draft: ...


BackendFactory = Callable[[str, BackendOptions], Backend]
_REGISTRY: dict[str, BackendFactory] = {}


def register(prefix: str) -> Callable[[BackendFactory], BackendFactory]:
    """Register a factory for model strings equal to ``prefix`` or starting ``prefix:``."""

    def deco(factory: BackendFactory) -> BackendFactory:
        _REGISTRY[prefix] = factory
        return factory

    return deco


def registered_prefixes() -> list[str]:
    _load_builtin()
    return sorted(_REGISTRY)


def resolve(model: str, options: BackendOptions | None = None) -> Backend:
    _load_builtin()
    prefix, _, rest = model.partition(":")
    factory = _REGISTRY.get(prefix)
    if factory is None:
        known = ", ".join(f"{p}:…" if p != "extractive" else p for p in sorted(_REGISTRY))
        raise ConfigError(f"unknown model {model!r}; known backends: {known}")
    return factory(rest, options or BackendOptions())


def _load_builtin() -> None:
    # Importing the modules runs their @register decorators; each is cheap to import
    # (heavy dependencies such as litellm are imported inside the factories).
    from summarize import backends  # noqa: F401
