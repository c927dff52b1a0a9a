"""The output contract: what ``summary.json`` holds and what external tools read.

Keys named in the contract (schema_version 1) are never renamed; new keys may be added.
``summarize schema`` prints ``SummaryDocument.model_json_schema()``.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION: Literal["1"] = "1"

DisagreementKind = Literal["actor_position", "source_discrepancy", "framing"]
# Where an article's outlet name came from: the input's own metadata (front matter, a JSON
# field, HTML metadata), the page furniture the cleaner removed (a copyright or "follow us"
# line, a masthead), or, failing both, the file name.
OutletSource = Literal["metadata", "furniture", "filename"]


class Strict(BaseModel):
    """The one strict base model: unknown keys are an error at every boundary."""

    model_config = ConfigDict(extra="forbid")


class EventInfo(Strict):
    id: str
    title: str | None = None


class DroppedRecord(Strict):
    text: str
    reason: str


class ArticleRecord(Strict):
    id: str
    path: str
    outlet: str | None = None
    title: str | None = None
    date: str | None = None
    duplicate_of: str | None = None
    dropped: list[DroppedRecord] = Field(default_factory=list)
    # The outlet's political leaning when the input carries one (a NeuS/AllSides cluster's
    # ``allsides_bias_rating``, a ``leaning:`` front-matter key): "left", "center", ...
    leaning: str | None = None
    outlet_source: OutletSource | None = None  # where ``outlet`` came from


class PassageRecord(Strict):
    id: str
    article: str
    text: str


class SummarySentence(Strict):
    text: str
    citations: list[str] = Field(min_length=1)


class QuoteCitation(Strict):
    passage: str
    quote: str


class Position(Strict):
    holder: str
    claim: str
    citations: list[QuoteCitation] = Field(min_length=1)


class Disagreement(Strict):
    id: str
    kind: DisagreementKind
    topic: str
    positions: list[Position] = Field(min_length=2)
    # Why it is reported: the rule that proposed it ("actors", "numbers", "times",
    # "accounts", "framing", ...) or "model", and that rule's evidence, in words.
    rule: str | None = None
    evidence: list[str] = Field(default_factory=list)


class Usage(Strict):
    calls: int = 0  # model calls made (and paid for) by this run
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cache_hits: int = 0  # answers replayed from the response cache: no call, no cost

    def add(self, other: Usage) -> Usage:
        return Usage(
            calls=self.calls + other.calls,
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            cache_hits=self.cache_hits + other.cache_hits,
        )


class StageReport(Strict):
    """How one model-backed stage went: what was asked, what the model answered usably, what
    fell back to deterministic output and why (never silently)."""

    asked: int = 0
    answered: int = 0
    fell_back: int = 0
    reasons: dict[str, int] = Field(default_factory=dict)  # why it fell back -> how often


class VerificationDrop(Strict):
    """Something the verifier removed from the draft or changed in it, and why (never
    silently lost): ``action`` "dropped" (``text`` is what was removed), "attributed" (a
    summary sentence stating a contested claim as fact now names its holder; ``text`` is the
    sentence as drafted) or "repaired" (a summary sentence the checks rejected was replaced:
    ``text`` is the sentence as drafted, ``reason`` why it was rejected and how it was
    replaced)."""

    item: Literal["summary_sentence", "disagreement", "position", "citation"]
    text: str
    reason: str
    action: Literal["dropped", "attributed", "repaired"] = "dropped"


class RunInfo(Strict):
    model: str
    prompts: dict[str, str] = Field(default_factory=dict)  # prompt name -> sha256
    usage: Usage = Field(default_factory=Usage)
    cost_usd: float | None = None
    timings_s: dict[str, float] = Field(default_factory=dict)
    version: str
    verification: list[VerificationDrop] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    # Per model-backed stage (e.g. "fact_sentence", "conflict_judge"): answered / fell back.
    stages: dict[str, StageReport] = Field(default_factory=dict)
    # Every threshold and weight the run used (analysis, verification), so a result can be
    # reproduced and two results compared.
    settings: dict[str, Any] = Field(default_factory=dict)


class SummaryDocument(Strict):
    schema_version: Literal["1"] = SCHEMA_VERSION
    event: EventInfo
    articles: list[ArticleRecord]
    passages: list[PassageRecord]
    summary: list[SummarySentence]
    disagreements: list[Disagreement]
    run: RunInfo
