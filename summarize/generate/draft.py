"""What a backend returns before verification: like the contract, but nothing is trusted yet
(citations may point nowhere, quotes may be invented). ``verify.verifier`` turns a Draft into the
contract's summary and disagreements, recording every drop."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from pydantic import Field

from summarize.analysis.analyzer import Analysis
from summarize.analysis.disagreements.candidate import ConflictCandidate
from summarize.contract import DisagreementKind, StageReport, Strict, Usage
from summarize.ingest.document import Passage
from summarize.text.holders import same_holder


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
    # Who proposed it: a rule's name (``ConflictCandidate.rule``), else the model; and the
    # rule's evidence (the contract's ``Disagreement.rule`` / ``evidence``).
    rule: str = "model"
    evidence: list[str] = Field(default_factory=list)


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
        rule=candidate.rule or "rules",
        evidence=[*candidate.evidence, f"score {candidate.score:g}"],
        positions=[
            DraftPosition(
                holder=s.holder,
                claim=s.claim,
                citations=[
                    DraftQuote(passage=s.passage, quote=s.quote),
                    # Who "he" is, where the quote's own passage does not say.
                    *(
                        [DraftQuote(passage=s.named.passage, quote=s.named.quote)]
                        if s.named
                        else []
                    ),
                    *(DraftQuote(passage=q.passage, quote=q.quote) for q in s.more),
                ],
            )
            for s in candidate.sides
        ],
    )


def _passages(d: DraftDisagreement) -> set[str]:
    return {c.passage for p in d.positions for c in p.citations}


def _covers(a: DraftDisagreement, b: DraftDisagreement) -> bool:
    return all(any(same_holder(p.holder, q.holder) for q in b.positions) for p in a.positions)


def _same(a: DraftDisagreement, b: DraftDisagreement) -> bool:
    """The same holders (either way round) citing at least one common passage."""
    return _covers(a, b) and _covers(b, a) and bool(_passages(a) & _passages(b))


def merge_disagreements(
    rules: list[DraftDisagreement], confirmed: list[DraftDisagreement]
) -> list[DraftDisagreement]:
    """The rules' findings, each named by the model's topic where the model found the same
    conflict, then the model's other conflicts. The rules' source-worded positions win: the
    model adds and names conflicts, it does not veto what the sources state."""
    merged = []
    for rule in rules:
        match = next((d for d in confirmed if _same(rule, d)), None)
        merged.append(
            rule.model_copy(
                update={"topic": match.topic, "evidence": [*rule.evidence, "the model agrees"]}
            )
            if match
            else rule
        )
    merged += [d for d in confirmed if not any(_same(d, r) for r in rules)]
    return merged


class Backend(Protocol):
    """Turns an analysed event into a Draft."""

    name: str

    def draft(self, analysis: Analysis) -> Draft: ...


class Repair(Strict):
    """A model's second try at a summary sentence the verifier rejected: the new sentence
    (None when the model gave no usable one, ``failed`` says why) and what the try cost."""

    sentence: DraftSentence | None = None
    usage: Usage = Field(default_factory=Usage)
    cost_usd: float | None = None
    failed: str = ""


@runtime_checkable
class Repairer(Protocol):
    """A backend that can re-ask its model once for a rejected sentence, told why."""

    def repair(self, sentence: str, reason: str, passages: list[Passage]) -> Repair: ...
