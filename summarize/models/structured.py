"""Structured output above the ``ChatClient`` boundary (calls go through ``models.retry``).

- ``complete_structured`` asks for JSON matching a pydantic model, parses it tolerantly (code
  fences, leading prose: the first decodable JSON object wins), validates it, and on failure
  re-asks ONCE with the validation error; a second failure raises ``StructuredOutputError``
  carrying the last raw completion.
- ``complete_parsed`` is the same ask-read-re-ask for an answer in another format (a plain
  sentence): the caller's ``parse`` reads it.

Usage and cost are summed over every call that returned (the re-ask included), so a run's
``usage`` reflects what was actually spent.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from summarize.contract import Usage
from summarize.errors import StructuredOutputError
from summarize.models.chat import ChatClient, ChatRequest, Message
from summarize.models.retry import DEFAULT_BACKOFF, Backoff, complete_text

T = TypeVar("T", bound=BaseModel)

log = logging.getLogger(__name__)

REASK = "Your previous answer was invalid: {error}. Reply again with JSON matching the schema."
_FENCE = re.compile(r"```(?:json|JSON)?\s*\n?(.*?)```", re.DOTALL)
_MAX_ERROR = 600


class Structured(BaseModel, Generic[T]):
    model_config = ConfigDict(extra="forbid")

    value: T
    usage: Usage
    cost_usd: float | None = None
    raw: str
    reasked: bool = False


def complete_structured(
    client: ChatClient,
    request: ChatRequest,
    schema: type[T],
    *,
    max_attempts: int = 3,
    backoff: Backoff = DEFAULT_BACKOFF,
) -> Structured[T]:
    """Ask for an answer matching ``schema``; re-ask once with the validation error."""
    if request.json_schema is None:
        request = request.model_copy(update={"json_schema": schema.model_json_schema()})
    return complete_parsed(
        client,
        request,
        lambda text: parse_model(text, schema),
        what=schema.__name__,
        reask=REASK,
        max_attempts=max_attempts,
        backoff=backoff,
    )


def complete_parsed(
    client: ChatClient,
    request: ChatRequest,
    parse: Callable[[str], tuple[T | None, str]],
    *,
    what: str,
    reask: str,
    max_attempts: int = 3,
    backoff: Backoff = DEFAULT_BACKOFF,
) -> Structured[T]:
    """Ask, read the answer with ``parse`` (``(value, "")`` or ``(None, why)``) and re-ask
    once with ``reask`` (``{error}``: why) when it cannot be read: an answer in any format,
    JSON or plain text, gets the same one re-ask."""
    first = complete_text(client, request, max_attempts=max_attempts, backoff=backoff)
    usage, cost = first.usage, first.cost_usd
    value, error = parse(first.text)
    if value is not None:
        # model_construct: ``value`` is already validated, and ``Structured[schema]`` would
        # build a new generic class for every schema (the writer makes one per call).
        return Structured.model_construct(
            value=value, usage=usage, cost_usd=cost, raw=first.text, reasked=False
        )

    log.info("%s: invalid %s answer, re-asking: %s", client.name, what, error)
    again = request.model_copy(
        update={
            "messages": [
                *request.messages,
                Message(role="assistant", content=first.text),
                Message(role="user", content=reask.format(error=error)),
            ]
        }
    )
    second = complete_text(client, again, max_attempts=max_attempts, backoff=backoff)
    usage, cost = usage.add(second.usage), _add_cost(cost, second.cost_usd)
    value, error = parse(second.text)
    if value is not None:
        return Structured.model_construct(
            value=value, usage=usage, cost_usd=cost, raw=second.text, reasked=True
        )
    raise StructuredOutputError(
        f"answer did not match {what} even after a re-ask: {error}",
        adapter=client.name,
        attempts=2,
        last_output=second.text,
        usage=usage,
    )


def extract_json(text: str) -> Any:
    """The first JSON object in ``text``: the whole text, a fenced block, or the first
    ``{...}`` that decodes (small models like to wrap JSON in prose or code fences)."""
    candidates = [text.strip()]
    candidates += [m.group(1).strip() for m in _FENCE.finditer(text)]
    for candidate in candidates:
        try:
            value = json.loads(candidate)
        except ValueError:
            continue
        if isinstance(value, dict):
            return value
    decoder = json.JSONDecoder()
    for match in re.finditer(r"\{", text):
        try:
            value, _ = decoder.raw_decode(text, match.start())
        except ValueError:
            continue
        if isinstance(value, dict):
            return value
    raise ValueError("no JSON object found in the answer")


def parse_model(text: str, schema: type[T]) -> tuple[T | None, str]:
    """``(value, "")`` when ``text`` holds a valid ``schema`` object, else ``(None, why)``."""
    try:
        data = extract_json(text)
    except ValueError as e:
        return None, str(e)
    try:
        return schema.model_validate(data), ""
    except ValidationError as e:
        return None, _describe(e)


def _describe(error: ValidationError) -> str:
    parts = []
    for item in error.errors(include_url=False):
        loc = ".".join(str(p) for p in item["loc"]) or "(root)"
        parts.append(f"{loc}: {item['msg']}")
    text = "; ".join(parts)
    return text if len(text) <= _MAX_ERROR else text[: _MAX_ERROR - 1] + "…"


def _add_cost(a: float | None, b: float | None) -> float | None:
    # Unknown only when every call's cost is unknown; otherwise sum what is known.
    if a is None and b is None:
        return None
    return (a or 0.0) + (b or 0.0)
