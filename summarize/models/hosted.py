"""The ``litellm:<model>`` provider: every hosted provider litellm knows, and any
OpenAI-compatible server given with ``--api-base``."""

from __future__ import annotations

import os

from summarize.errors import ConfigError
from summarize.models.chat import ChatClient
from summarize.models.provider import Availability, ModelOptions

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


class HostedProvider:
    def client(self, rest: str, options: ModelOptions) -> ChatClient:
        if not rest:
            raise ConfigError("litellm needs a model, e.g. litellm:openai/gpt-4o-mini")
        # Imported here: listing providers must not pay litellm's import time.
        from summarize.models.litellm_client import LiteLLMClient

        return LiteLLMClient(
            rest, api_base=options.api_base, api_key=options.api_key, timeout_s=options.timeout_s
        )

    def context_window(self, rest: str) -> int | None:
        from summarize.models.litellm_client import context_window

        return context_window(rest)

    def availability(self) -> list[Availability]:
        out = []
        for provider, env in HOSTED_PROVIDERS:
            has_key = bool(os.environ.get(env))
            out.append(
                Availability(
                    name=f"litellm:{provider}/<model>",
                    kind="hosted",
                    ready=has_key,
                    detail=f"{env} is set" if has_key else f"set {env}",
                )
            )
        out.append(
            Availability(
                name="litellm:<model> --api-base",
                kind="openai-compatible",
                ready=True,
                detail="any OpenAI-compatible server: --api-base http://host:port/v1",
            )
        )
        return out


PROVIDER = HostedProvider()
