"""The deterministic baseline: consensus source sentences + rule-found disagreements.

No model, no randomness: the same event always yields the same draft. Every other backend is
compared against it.
"""

from __future__ import annotations

import time

from summarize.backend import BackendOptions, register
from summarize.conflict import find_disagreements
from summarize.consensus import ConsensusSettings, select
from summarize.document import Event, Passage
from summarize.draft import Draft, DraftSentence


class ExtractiveBackend:
    name = "extractive"

    def __init__(self, settings: ConsensusSettings | None = None) -> None:
        self.settings = settings or ConsensusSettings()

    def draft(self, event: Event, passages: list[Passage]) -> Draft:
        t0 = time.perf_counter()
        clusters = select(event, passages, self.settings)
        summary = [
            DraftSentence(text=c.lead.text, citations=[p.id for p in c.passages]) for c in clusters
        ]
        t1 = time.perf_counter()
        disagreements = find_disagreements(event, passages)
        t2 = time.perf_counter()
        return Draft(
            summary=summary,
            disagreements=disagreements,
            timings_s={"select": round(t1 - t0, 4), "disagreements": round(t2 - t1, 4)},
        )


@register("extractive")
def _factory(rest: str, options: BackendOptions) -> ExtractiveBackend:
    return ExtractiveBackend()
