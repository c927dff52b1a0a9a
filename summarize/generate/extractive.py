"""The deterministic baseline: consensus source sentences + rule-found disagreements.

No model, no randomness: the same event always yields the same draft. Every other backend is
compared against it.
"""

from __future__ import annotations

from summarize.analysis.analyzer import Analysis
from summarize.errors import ConfigError
from summarize.generate.draft import Draft, DraftSentence, disagreement_from
from summarize.models.provider import Availability, ModelOptions


class ExtractiveBackend:
    name = "extractive"

    def draft(self, analysis: Analysis) -> Draft:
        return Draft(
            summary=[
                DraftSentence(text=c.lead.text, citations=[p.id for p in c.passages])
                for c in analysis.clusters
            ],
            disagreements=[disagreement_from(c) for c in analysis.findings],
        )


class ExtractiveEntry:
    def backend(self, rest: str, options: ModelOptions) -> ExtractiveBackend:
        if rest:
            raise ConfigError(f"extractive takes no argument (got extractive:{rest})")
        return ExtractiveBackend()

    def availability(self) -> list[Availability]:
        return [
            Availability(
                name="extractive", kind="extractive", ready=True, detail="no model, deterministic"
            )
        ]


ENTRY = ExtractiveEntry()
