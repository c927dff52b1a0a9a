"""The judge interface: what every faithfulness judge returns, and what the metrics and
`summarize judge` call."""

from __future__ import annotations

from typing import Literal, Protocol

from pydantic import Field

from summarize.contract import Strict, Usage

VerdictLabel = Literal["supported", "contradicted", "not_mentioned"]


class Verdict(Strict):
    score: float = Field(ge=0.0, le=1.0)  # probability-like: 1 = supported
    label: int  # 1 supported / consistent, 0 not
    verdict: VerdictLabel = "not_mentioned"
    explanation: str = ""
    evidence: list[str] = Field(default_factory=list)  # the source sentences it rests on
    usage: Usage = Field(default_factory=Usage)
    seconds: float = 0.0


class Judge(Protocol):
    """Decides whether ``claim`` is supported by ``sources`` (full texts or passages)."""

    name: str

    def judge(self, claim: str, sources: list[str]) -> Verdict: ...

    def describe(self) -> dict[str, object]:
        """Judge model, prompt hashes, thresholds and seed: written into every results file."""
        ...
