"""Asking a model on behalf of a generation strategy: the validated answer or a recorded
fallback. Every strategy goes through ``ModelCaller`` (``ask``: a JSON answer; ``ask_sentence``:
one plain sentence), so each counts its answers and
fallbacks in the same ``Ledger`` and shares the same dead-endpoint rule; and every strategy
shows passages and names to the model the same way (``shown_passages``, ``shown_names``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

from pydantic import BaseModel, Field

from summarize.contract import Strict, Usage
from summarize.errors import AdapterError, ContextLengthError, StructuredOutputError
from summarize.generate.ledger import Ledger
from summarize.ingest.document import Passage
from summarize.models.chat import ChatClient, ChatRequest
from summarize.models.prompt import as_data
from summarize.models.structured import (
    Structured,
    complete_parsed,
    complete_structured,
    extract_json,
)
from summarize.text.words import content_words

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


class SentenceAnswer(Strict):
    """A sentence a model wrote from the passages shown, and the shown ids it named (none:
    it rests on all of them)."""

    sentence: str
    citations: list[str] = Field(default_factory=list)


MAX_SENTENCE_CHARS = 600
SENTENCE_REASK = (
    "Your previous answer was invalid: {error}. Reply again with the sentence only, on one line."
)
_ID = r"[A-Za-z]\d+\.(?:t|p\d+\.s\d+)"
# Ids a model writes into its sentence: "... [A1.p2.s1]", "(A1.p1.s1, A2.p3.s1)".
_WRITTEN_IDS = re.compile(rf"\s*[\[(]\s*{_ID}(?:\s*[,;]\s*{_ID})*\s*[\])]")
_LABEL = re.compile(
    r"^(?:(?:here is|here's) (?:the|a|my) (?:corrected |neutral |summary )*sentence|"
    r"(?:corrected )?sentence|summary|answer)\s*:\s*",
    re.IGNORECASE,
)
_OPENING, _CLOSING = "\"'“‘`", "\"'”’`"


def sentence_answer(
    text: str, ids: tuple[str, ...], shown: str = ""
) -> tuple[SentenceAnswer | None, str]:
    """A sentence answer read from plain text: the first line with words, a label ("Sentence:")
    and quotation marks wrapped around the whole of it removed, passage ids written into it
    removed (the sentence cites the passages shown). A model that answers in JSON anyway
    (``{"sentence": ..., "citations": [...]}``) is read too; an id it cites that was not
    shown makes the answer invalid. A sentence without a content word of the ``shown``
    passages' text answers something else ("Sure! Here it is."). ``(None, why)`` when
    nothing usable is there."""
    value, why = _read_sentence(text, ids)
    if (
        value is not None
        and shown
        and not set(content_words(value.sentence)) & set(content_words(shown))
    ):
        return None, "the sentence uses none of the passages' words"
    return value, why


def _read_sentence(text: str, ids: tuple[str, ...]) -> tuple[SentenceAnswer | None, str]:
    stripped = text.strip()
    if stripped[:1] in ("{", "`"):
        try:
            data = extract_json(stripped)
        except ValueError:
            data = None
        if data is None or "sentence" not in data:
            return None, "the answer is code or JSON without a sentence"
        if not isinstance(data["sentence"], str):
            return None, '"sentence" is not text'
        cites = data.get("citations") or []
        if not isinstance(cites, list):
            return None, "citations is not a list of passage ids"
        unknown = [str(c) for c in cites if str(c) not in ids]
        if unknown:
            return None, f"it cites {unknown[0]}, which is not one of the passages shown"
        return _sentence(str(data["sentence"]), [str(c) for c in cites])
    for line in stripped.splitlines():
        line = _LABEL.sub("", line.strip())
        line = _WRITTEN_IDS.sub("", line).strip()
        if len(line) >= 2 and line[0] in _OPENING and line[-1] in _CLOSING:
            inner = line[1:-1]
            if not any(q in inner for q in _OPENING + _CLOSING):
                line = inner.strip()
        if any(ch.isalnum() for ch in line):
            return _sentence(line, [])
    return None, "no sentence in the answer"


def _sentence(text: str, citations: list[str]) -> tuple[SentenceAnswer | None, str]:
    sentence = " ".join(text.split())
    if not any(ch.isalnum() for ch in sentence):
        return None, "the sentence is empty"
    if len(sentence) > MAX_SENTENCE_CHARS:
        return None, f"the sentence is over {MAX_SENTENCE_CHARS} characters: write one sentence"
    return SentenceAnswer(sentence=sentence, citations=list(dict.fromkeys(citations))), ""


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
        return self._answer(
            stage,
            lambda: complete_structured(
                self.client, request, schema, max_attempts=self.max_attempts
            ),
            spent,
            ledger,
            invalid="answer did not match the schema after a re-ask",
        )

    def ask_sentence(
        self,
        stage: str,
        request: ChatRequest,
        passages: list[Passage],
        spent: Spent,
        ledger: Ledger,
    ) -> SentenceAnswer | None:
        """One sentence written from ``passages``, asked for as plain text (no JSON and no
        grammar: on the embedded model a constrained token costs a third more, and the JSON
        around a sentence is a third of its tokens); as ``ask`` otherwise."""
        ids = tuple(p.id for p in passages)
        shown = " ".join(p.text for p in passages)
        return self._answer(
            stage,
            lambda: complete_parsed(
                self.client,
                request,
                lambda text: sentence_answer(text, ids, shown),
                what="a sentence",
                reask=SENTENCE_REASK,
                max_attempts=self.max_attempts,
            ),
            spent,
            ledger,
            invalid="answer was no usable sentence after a re-ask",
        )

    def _answer(
        self,
        stage: str,
        call: Callable[[], Structured[T]],
        spent: Spent,
        ledger: Ledger,
        *,
        invalid: str,
    ) -> T | None:
        if self.unavailable is not None:
            ledger.fell_back(stage, f"model unavailable: {self.unavailable}")
            return None
        try:
            result = call()
        except StructuredOutputError as e:
            spent.spend(e.usage, None)
            ledger.fell_back(stage, invalid)
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
