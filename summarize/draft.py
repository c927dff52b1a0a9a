"""What a backend returns before verification: like the contract, but nothing is trusted yet
(citations may point nowhere, quotes may be invented). ``verify.py`` turns a Draft into the
contract's summary and disagreements, recording every drop."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from summarize.contract import DisagreementKind, Usage


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DraftSentence(Strict):
    text: str
    citations: list[str] = Field(default_factory=list)


class DraftQuote(Strict):
    passage: str
    quote: str


class DraftPosition(Strict):
    holder: str
    claim: str
    citations: list[DraftQuote] = Field(default_factory=list)


class DraftDisagreement(Strict):
    kind: DisagreementKind
    topic: str
    positions: list[DraftPosition] = Field(default_factory=list)


class Draft(Strict):
    summary: list[DraftSentence] = Field(default_factory=list)
    disagreements: list[DraftDisagreement] = Field(default_factory=list)
    usage: Usage = Field(default_factory=Usage)
    cost_usd: float | None = None
    prompts: dict[str, str] = Field(default_factory=dict)  # prompt name -> sha256
    timings_s: dict[str, float] = Field(default_factory=dict)
    notes: list[str] = Field(default_factory=list)
