"""The analysis stage: everything the deterministic rules know about one event, computed once
and passed down (to the backends, then recorded): the entity index, the attributed
statements, the consensus clusters, the disagreement candidates and the rules' findings.

The disagreement rules may run while the backend starts drafting (``analyse(start=...)``):
a writer's first model calls need only the consensus facts, so the rules' CPU work can fill
the wait for those calls; whoever reads ``candidates`` or ``findings`` waits for the rules."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass

from pydantic import Field

from summarize.analysis.attribution import Statement, extract_statements
from summarize.analysis.consensus import Cluster, ConsensusSettings, select
from summarize.analysis.disagreements.candidate import ConflictCandidate
from summarize.analysis.disagreements.detector import (
    DisagreementSettings,
    detect,
    findings,
    outlet_holders,
)
from summarize.analysis.entities import EntityIndex
from summarize.contract import Strict
from summarize.ingest.document import Event, Passage
from summarize.ingest.segmenter import title_passages


class AnalysisSettings(Strict):
    consensus: ConsensusSettings = Field(default_factory=ConsensusSettings)
    disagreements: DisagreementSettings = Field(default_factory=DisagreementSettings)


@dataclass(frozen=True)
class Rules:
    """What the disagreement rules found, and how long they took."""

    candidates: list[ConflictCandidate]
    findings: list[ConflictCandidate]
    seconds: float


Disputes = Future[Rules]
# How the rules are run: given the job, a future of its result. The default runs it at once.
Start = Callable[[Callable[[], Rules]], Disputes]


def now(job: Callable[[], Rules]) -> Disputes:
    done: Disputes = Future()
    done.set_result(job())
    return done


@dataclass(frozen=True)
class Analysis:
    """One event's analysis. ``passages`` are the segmented passages of the non-duplicate
    articles (the segmenter already leaves duplicates out)."""

    event: Event
    passages: list[Passage]
    entities: EntityIndex
    statements: list[Statement]
    clusters: list[Cluster]
    disputes: Disputes
    settings: AnalysisSettings

    @property
    def candidates(self) -> list[ConflictCandidate]:
        """Every verified disagreement candidate, best first."""
        return self.disputes.result().candidates

    @property
    def findings(self) -> list[ConflictCandidate]:
        """The candidates over their rule's threshold."""
        return self.disputes.result().findings

    @property
    def names(self) -> list[str]:
        """Canonical person and organisation names (for prompts)."""
        return self.entities.canonical_names()

    @property
    def holders(self) -> dict[str, str]:
        """Article id -> the outlet as the disagreement sides name it (``outlet_holders``)."""
        return outlet_holders(self.event.articles)

    @property
    def outlets(self) -> dict[str, str]:
        """Article id -> how a reader names its source: the outlet, else the article id."""
        return {a.id: a.outlet or a.id for a in self.event.articles}


def analyse(
    event: Event,
    passages: list[Passage],
    settings: AnalysisSettings | None = None,
    *,
    start: Start = now,
) -> Analysis:
    settings = settings or AnalysisSettings()
    entities = EntityIndex.build(passages)
    statements = extract_statements(passages, entities)
    rules = settings.disagreements

    def job() -> Rules:
        t0 = time.perf_counter()
        found = detect(passages, event.articles, entities, statements, rules)
        return Rules(found, findings(found, rules), time.perf_counter() - t0)

    disputes = start(job)
    return Analysis(
        event=event,
        passages=passages,
        entities=entities,
        statements=statements,
        clusters=select(
            passages, settings.consensus, [t.text for t in title_passages(event.articles)]
        ),
        disputes=disputes,
        settings=settings,
    )
