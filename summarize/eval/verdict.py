"""The judge's interface, shared by the faithfulness judge, the verifier and the metrics."""

from __future__ import annotations

from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

from summarize.contract import Usage

VerdictLabel = Literal["supported", "contradicted", "not_mentioned"]


class Verdict(BaseModel):
    model_config = ConfigDict(extra="forbid")

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
