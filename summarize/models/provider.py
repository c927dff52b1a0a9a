"""What every model provider implements, and the options a model string is built with.

A provider turns the rest of a model string (``litellm:<rest>``, ``local:<rest>``,
``fake:<rest>``) into a ``ChatClient`` and says, without starting or importing anything
heavy, whether it is ready. The registry (``summarize.generate.registry``) finds providers by
prefix; generation backends and LLM judges both get their clients through it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal, Protocol

from summarize.contract import Strict
from summarize.models.chat import ChatClient


class ModelOptions(Strict):
    api_base: str | None = None
    api_key: str | None = None
    timeout_s: float = 120.0
    max_retries: int = 3
    seed: int = 0
    # Disk cache for model calls keyed by request hash: a re-run costs no model calls.
    cache_dir: Path | None = None
    # The client must return token log-probabilities (the offline judge's p(Yes)).
    logprobs: bool = False
    # Context window to run a local model with; None = the runtime's default.
    context_tokens: int | None = None
    # A model string asked when this one's endpoint fails (models.fallback).
    fallback_model: str | None = None
    # How a model-backed backend uses the model: "stepwise" (the analysis chooses, the model
    # phrases: one short call per fact and per candidate conflict; right for small models),
    # "single" (one call over the whole event, map-reduce beyond the context), or "auto"
    # (stepwise for the embedded and scripted models, single for the others).
    strategy: Literal["auto", "stepwise", "single"] = "auto"
    # What the verifier keeps generated sentences and claims by: "auto" (the backend's own
    # model as a faithfulness judge, lexical support for extractive and scripted backends),
    # "lexical", "offline" (the calibrated embedded-model judge) or a model string.
    judge: str = "auto"


class Availability(Strict):
    """One line of ``summarize models``."""

    name: str
    kind: str  # extractive | local | hosted | openai-compatible | fake | plugin
    ready: bool
    detail: str


class Provider(Protocol):
    """A model-backed entry of the registry."""

    def client(self, rest: str, options: ModelOptions) -> ChatClient:
        """The client for ``<prefix>:<rest>``; its ``name`` is what ``run.model`` records."""
        ...

    def availability(self) -> list[Availability]:
        """Readiness, checked without starting a runtime or importing a heavy library."""
        ...
