"""``LiteLLMClient``: the one module that talks to litellm (hosted providers, local servers).

litellm is imported lazily (on the first call) so that ``import summarize``, the extractive
backend and a run answered from the response cache never pay its import time. Retries are NOT
done here: litellm's and the openai client's own retries are switched off so that
``models/retry.py`` is the single retry layer.

Structured output (``request.json_schema`` set) has three wire modes:

- ``json_schema``: OpenAI-style ``{"type": "json_schema", "json_schema": {...}}``.
- ``json_object``: ``{"type": "json_object", "schema": schema}`` — what the llama.cpp
  OpenAI-compatible server turns into a grammar (it rejects ``json_schema`` with HTTP 500).
- ``prompt``: no response_format; the schema and "reply with JSON only" go into the prompt.

``auto`` picks ``json_object`` when ``api_base`` is set (a self-hosted OpenAI-compatible
server, llama.cpp being the one we ship), else ``json_schema`` when
``litellm.supports_response_schema`` says the provider/model supports it, else ``prompt``.
"""

from __future__ import annotations

import email.utils
import functools
import json
import os
import re
import time
from typing import Any, Literal

from summarize.contract import Usage
from summarize.errors import AdapterError, ContextLengthError
from summarize.models.chat import ChatRequest, ChatResponse, Message, TokenLogprobs

JsonMode = Literal["auto", "json_schema", "json_object", "prompt"]

_MAX_MESSAGE = 300
_PREFIX = re.compile(r"^(?:litellm\.\w+:\s*)?(?:\w+Error:\s*)?")
# How servers that litellm does not map say the prompt is too long (llama.cpp, vLLM, ...).
_CONTEXT = re.compile(
    r"context (?:length|window|size)|maximum context|exceeds? (?:the )?(?:context|n_ctx)",
    re.IGNORECASE,
)


def import_litellm() -> Any:
    # Without this litellm fetches its cost map from GitHub on import (slow, and no network).
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    import litellm

    litellm.suppress_debug_info = True
    return litellm


def context_window(model: str) -> int | None:
    """The model's input window from litellm's model table, or None when it is unknown."""
    try:
        info = import_litellm().get_model_info(model=model)
    except Exception:  # unknown model or provider: the caller decides
        return None
    value = info.get("max_input_tokens") or info.get("max_tokens")
    return int(value) if value else None


class LiteLLMClient:
    """``ChatClient`` over ``litellm.completion`` for any litellm model string."""

    def __init__(
        self,
        model: str,
        *,
        api_base: str | None = None,
        api_key: str | None = None,
        timeout_s: float = 120.0,
        json_mode: JsonMode = "auto",
        name: str | None = None,
    ) -> None:
        self.model = model
        self.name = name or "litellm:" + model
        self.api_base = api_base
        # A local server needs no key, but the openai client refuses to start without one.
        if api_key is None and api_base is not None and not os.environ.get("OPENAI_API_KEY"):
            api_key = "none"
        self._api_key = api_key
        self.timeout_s = timeout_s
        self._json_mode = json_mode

    @functools.cached_property
    def _litellm(self) -> Any:
        # Imported on the first call, not at construction: a run whose answers all come from
        # the response cache never pays litellm's import time.
        return import_litellm()

    @functools.cached_property
    def json_mode(self) -> Literal["json_schema", "json_object", "prompt"]:
        return self._auto_mode() if self._json_mode == "auto" else self._json_mode

    def __repr__(self) -> str:  # never show the key
        return f"LiteLLMClient(model={self.model!r}, api_base={self.api_base!r})"

    def _auto_mode(self) -> Literal["json_schema", "json_object", "prompt"]:
        if self.api_base is not None:
            return "json_object"
        try:
            if self._litellm.supports_response_schema(model=self.model):
                return "json_schema"
        except Exception:  # capability lookup is best effort; fall back to the prompt
            pass
        return "prompt"

    def complete(self, request: ChatRequest) -> ChatResponse:
        kwargs = self._kwargs(request)
        try:
            raw = self._litellm.completion(**kwargs)
        except Exception as e:
            raise self._adapter_error(e) from e
        return self._response(raw)

    # --- request -------------------------------------------------------------------------
    def _kwargs(self, request: ChatRequest) -> dict[str, Any]:
        messages = list(request.messages)
        kwargs: dict[str, Any] = {
            "model": self.model,
            "temperature": request.temperature,
            "seed": request.seed,
            "max_tokens": request.max_tokens,
            "timeout": self.timeout_s,
            # Retries live in structured.py; stacking litellm's or openai's would multiply.
            "num_retries": 0,
            "max_retries": 0,
        }
        if self.api_base is not None:
            kwargs["api_base"] = self.api_base
        if self._api_key is not None:
            kwargs["api_key"] = self._api_key
        if request.top_logprobs > 0:
            kwargs["logprobs"] = True
            kwargs["top_logprobs"] = request.top_logprobs
        schema = request.json_schema
        if schema is not None:
            if self.json_mode == "json_schema":
                kwargs["response_format"] = {
                    "type": "json_schema",
                    "json_schema": {
                        "name": _schema_name(schema),
                        "schema": schema,
                        "strict": _strict_compatible(schema),
                    },
                }
            elif self.json_mode == "json_object":
                kwargs["response_format"] = {"type": "json_object", "schema": schema}
            else:
                messages = _with_schema_instruction(messages, schema)
        kwargs["messages"] = [m.model_dump() for m in messages]
        return kwargs

    # --- response ------------------------------------------------------------------------
    def _response(self, raw: Any) -> ChatResponse:
        choice = raw.choices[0]
        text = choice.message.content or ""
        usage_raw = getattr(raw, "usage", None)
        usage = Usage(
            calls=1,
            prompt_tokens=int(getattr(usage_raw, "prompt_tokens", 0) or 0),
            completion_tokens=int(getattr(usage_raw, "completion_tokens", 0) or 0),
        )
        return ChatResponse(
            text=text,
            usage=usage,
            cost_usd=self._cost(raw),
            model=str(getattr(raw, "model", None) or self.model),
            logprobs=_logprobs(getattr(choice, "logprobs", None)),
        )

    def _cost(self, raw: Any) -> float | None:
        try:
            cost = self._litellm.completion_cost(completion_response=raw, model=self.model)
        except Exception:  # unknown model/provider pricing: cost is unknown, not an error
            return None
        return float(cost) if cost else None

    # --- errors --------------------------------------------------------------------------
    def _adapter_error(self, e: Exception) -> AdapterError:
        lt = self._litellm
        transient_types: tuple[type[BaseException], ...] = (
            lt.RateLimitError,
            lt.Timeout,
            lt.APIConnectionError,
            lt.ServiceUnavailableError,
            lt.InternalServerError,
            lt.BadGatewayError,
        )
        permanent_types: tuple[type[BaseException], ...] = (
            lt.AuthenticationError,
            lt.PermissionDeniedError,
            lt.BadRequestError,  # includes ContextWindowExceeded, UnsupportedParams, ...
            lt.NotFoundError,
            lt.UnprocessableEntityError,
        )
        status = getattr(e, "status_code", None)
        if isinstance(e, permanent_types):
            transient = False
        elif isinstance(e, transient_types):
            transient = True
        else:
            transient = isinstance(status, int) and (status >= 500 or status in (408, 429))
        # litellm prefixes its messages with the class names we already print.
        raw = _redact(str(getattr(e, "message", None) or e), self._api_key)
        detail = _PREFIX.sub("", _one_line(raw))
        code = f" (HTTP {status})" if isinstance(status, int) else ""
        message = f"{type(e).__name__}{code} calling {self.model}: {detail}"
        too_long = status in (400, 413) and _CONTEXT.search(detail) is not None
        if isinstance(e, lt.ContextWindowExceededError) or too_long:
            return ContextLengthError(message, adapter=self.name, transient=False)
        return AdapterError(
            message, adapter=self.name, transient=transient, retry_after_s=_retry_after(e)
        )


def _retry_after(e: Exception) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or HTTP date), wherever litellm kept
    the response headers."""
    sources = (
        getattr(e, "headers", None),
        getattr(e, "litellm_response_headers", None),
        getattr(getattr(e, "response", None), "headers", None),
    )
    for headers in sources:
        try:
            value = headers.get("retry-after") or headers.get("Retry-After")  # type: ignore[union-attr]
        except AttributeError:
            continue
        if not value:
            continue
        try:
            return max(0.0, float(value))
        except ValueError:
            pass
        try:
            when = email.utils.parsedate_to_datetime(str(value))
        except (TypeError, ValueError):
            continue
        return max(0.0, when.timestamp() - time.time())
    return None


# Credentials an error body may echo: a bearer token, or anything shaped like an API key.
_KEY_SHAPED = re.compile(r"(?i)\b(bearer\s+)\S+|\b(?:sk|pk|rk)-[\w\-]{8,}|\bAIza[\w\-]{20,}")


def _redact(text: str, api_key: str | None) -> str:
    """``text`` without the key in use, whether it came from ``--api-key`` or from a
    provider's environment variable (litellm reads those itself), and without anything
    key-shaped. Applied before truncation, so no prefix of a key survives either."""
    names = ("_API_KEY", "_TOKEN", "_SECRET")
    secrets = {api_key, *(v for k, v in os.environ.items() if k.upper().endswith(names))}
    for secret in sorted((s for s in secrets if s and len(s) >= 8), key=len, reverse=True):
        text = text.replace(secret, "***")
    return _KEY_SHAPED.sub(lambda m: (m[1] or "") + "***", text)


def _one_line(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= _MAX_MESSAGE else line[: _MAX_MESSAGE - 1] + "…"


def _schema_name(schema: dict[str, Any]) -> str:
    title = str(schema.get("title") or "response")
    # OpenAI restricts the name to [a-zA-Z0-9_-]{1,64}.
    cleaned = "".join(c if c.isalnum() or c in "_-" else "_" for c in title)
    return cleaned[:64] or "response"


def _strict_compatible(schema: Any) -> bool:
    """OpenAI strict mode needs every object closed and every property required; pydantic
    models with defaults are not, and sending strict=True for them is a 400."""
    if isinstance(schema, dict):
        props = schema.get("properties")
        if isinstance(props, dict) and (
            schema.get("additionalProperties") is not False
            or set(schema.get("required", [])) != set(props)
        ):
            return False
        return all(_strict_compatible(v) for v in schema.values())
    if isinstance(schema, list):
        return all(_strict_compatible(v) for v in schema)
    return True


def _with_schema_instruction(messages: list[Message], schema: dict[str, Any]) -> list[Message]:
    instruction = (
        "\n\nReply with JSON only: one object matching this JSON schema, no prose, "
        "no code fences.\n" + json.dumps(schema, separators=(",", ":"))
    )
    for i in range(len(messages) - 1, -1, -1):
        if messages[i].role == "user":
            updated = Message(role="user", content=messages[i].content + instruction)
            return [*messages[:i], updated, *messages[i + 1 :]]
    return [*messages, Message(role="user", content=instruction.strip())]


def _get(obj: Any, key: str) -> Any:
    # litellm returns pydantic objects, but some providers hand back plain dicts.
    return obj.get(key) if isinstance(obj, dict) else getattr(obj, key, None)


def _logprobs(raw: Any) -> list[TokenLogprobs] | None:
    content = _get(raw, "content") if raw is not None else None
    if not content:
        return None
    out = []
    for item in content:
        top = {
            str(_get(t, "token")): float(_get(t, "logprob"))
            for t in (_get(item, "top_logprobs") or [])
        }
        out.append(
            TokenLogprobs(
                token=str(_get(item, "token")), logprob=float(_get(item, "logprob")), top=top
            )
        )
    return out
