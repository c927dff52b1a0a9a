"""What the disagreement rules propose: a candidate conflict with two or more sides, each side
a holder with a verbatim quote from one passage. A leaf module: the rules (actors, numbers,
framing), the detector and the generation backends all read these types."""

from __future__ import annotations

from pydantic import Field

from summarize.contract import DisagreementKind, Strict


class QuoteRef(Strict):
    passage: str
    quote: str  # exact substring of the passage text


class CandidateSide(Strict):
    holder: str
    claim: str
    passage: str
    quote: str  # exact substring of the passage text
    article: str
    outlet: str | None = None
    more: list[QuoteRef] = Field(default_factory=list)  # the same position elsewhere
    # Where the holder is named, when the quote's passage says only "he" or "she".
    named: QuoteRef | None = None


class ConflictCandidate(Strict):
    kind: DisagreementKind
    topic: str
    sides: list[CandidateSide] = Field(min_length=2)
    score: float
    evidence: list[str] = Field(default_factory=list)  # why the rule proposed it
    rule: str = ""  # which rule proposed it: actors | numbers | framing
