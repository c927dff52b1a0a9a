"""What a backend returns before verification: like the contract, but nothing is trusted yet
(citations may point nowhere, quotes may be invented). ``verify.verifier`` turns a Draft into the
contract's summary and disagreements, recording every drop."""

from __future__ import annotations

from typing import Protocol

from pydantic import Field

from summarize.analysis.analyzer import Analysis
from summarize.analysis.disagreements.candidate import ConflictCandidate
from summarize.contract import DisagreementKind, StageReport, Strict, Usage


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
    stages: dict[str, StageReport] = Field(default_factory=dict)  # model-backed stages
    settings: dict[str, object] = Field(default_factory=dict)  # the backend's own settings


def disagreement_from(candidate: ConflictCandidate, topic: str | None = None) -> DraftDisagreement:
    """A rule's candidate as a draft disagreement, each side worded as the source words it."""
    return DraftDisagreement(
        kind=candidate.kind,
        topic=topic or candidate.topic,
        positions=[
            DraftPosition(
                holder=s.holder,
                claim=s.claim,
                citations=[
                    DraftQuote(passage=s.passage, quote=s.quote),
                    *(DraftQuote(passage=q.passage, quote=q.quote) for q in s.more),
                ],
            )
            for s in candidate.sides
        ],
    )


class Backend(Protocol):
    """Turns an analysed event into a Draft."""

    name: str

    def draft(self, analysis: Analysis) -> Draft: ...
