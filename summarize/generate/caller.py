"""Asking a model on behalf of a generation strategy: the validated answer or a recorded
fallback. Every strategy goes through ``ModelCaller.ask``, so each counts its answers and
fallbacks in the same ``Ledger`` and shares the same dead-endpoint rule; and every strategy
shows passages and names to the model the same way (``shown_passages``, ``shown_names``)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, create_model

from summarize.contract import Usage
from summarize.errors import AdapterError, ContextLengthError, StructuredOutputError
from summarize.generate.ledger import Ledger
from summarize.ingest.document import Passage
from summarize.models.chat import ChatClient, ChatRequest
from summarize.models.prompt import as_data
from summarize.models.structured import complete_structured

T = TypeVar("T", bound=BaseModel)
# Consecutive calls the endpoint itself failed (after retries) before a strategy stops asking
# it for the rest of the batch; a permanent error (bad key, unknown model) stops it at once.
MAX_ENDPOINT_FAILURES = 2


SHORT = 100  # outlets, names, holders: a longer one is not a name


def shown_passages(passages: list[Passage], outlets: dict[str, str]) -> list[dict[str, str]]:
    """Passages as a prompt's data block shows them: id, outlet, text (``as_data``)."""
    return [
        {
            "id": p.id,
            "outlet": as_data(outlets.get(p.article, p.article), SHORT),
            "text": as_data(p.text),
        }
        for p in passages
    ]


def shown_names(names: list[str]) -> str:
    return ", ".join(as_data(n, SHORT) for n in names)


# Per set of shown ids (passage ids repeat from event to event: A1.p1.s1, ...): building a
# pydantic model and its JSON schema costs more than the rest of preparing the call.
@lru_cache(maxsize=1024)
def sentence_schema(ids: tuple[str, ...]) -> type[BaseModel]:
    # Citations typed as a Literal of the shown ids: an answer citing anything else fails
    # validation (re-asked, then the fact falls back to its source sentence).
    cite = Literal[tuple(ids)]  # type: ignore[valid-type]
    fields: dict[str, Any] = {
        "sentence": (str, Field(min_length=1, max_length=600)),
        "citations": (list[cite], Field(default_factory=list)),  # type: ignore[valid-type]
    }
    return create_model("FactSentence", __config__=ConfigDict(extra="forbid"), **fields)


class Spent:
    """What a draft spent on the model: usage and cost, summed over every attempt."""

    def __init__(self) -> None:
        self.usage = Usage()
        self.cost = 0.0

    def spend(self, usage: Usage | None, cost: float | None) -> None:
        self.usage = self.usage.add(usage or Usage())
        self.cost += cost or 0.0


class ModelCaller:
    def __init__(self, client: ChatClient, *, max_attempts: int = 3) -> None:
        self.client = client
        self.max_attempts = max_attempts
        # Why the model endpoint is unusable, once it is (kept across the events of a batch,
        # so a dead server or a bad key costs one round of retries, not one per call).
        self.unavailable: str | None = None
        self._endpoint_failures = 0

    def ask(
        self, stage: str, request: ChatRequest, schema: type[T], spent: Spent, ledger: Ledger
    ) -> T | None:
        """The model's validated answer, or None after recording why it fell back. A request
        too long for the model's context raises ``ContextLengthError`` for the caller to
        shrink."""
        if self.unavailable is not None:
            ledger.fell_back(stage, f"model unavailable: {self.unavailable}")
            return None
        try:
            result = complete_structured(
                self.client, request, schema, max_attempts=self.max_attempts
            )
        except StructuredOutputError as e:
            spent.spend(e.usage, None)
            ledger.fell_back(stage, "answer did not match the schema after a re-ask")
            return None
        except ContextLengthError:
            raise
        except AdapterError as e:
            spent.spend(e.usage, None)
            why = cause(e)
            self._endpoint_failures += 1
            if not e.transient or self._endpoint_failures >= MAX_ENDPOINT_FAILURES:
                self.unavailable = why
            ledger.fell_back(stage, why)
            return None
        self._endpoint_failures = 0
        spent.spend(result.usage, result.cost_usd)
        ledger.answered(stage)
        return result.value


def cause(e: AdapterError) -> str:
    """The kind of failure without the per-call detail, so equal causes count together:
    "RateLimitError (HTTP 429)", "APIConnectionError"."""
    return e.reason.split(" calling ")[0]
