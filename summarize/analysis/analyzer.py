"""The analysis stage: everything the deterministic rules know about one event, computed once
and passed down (to the backends, then recorded): the entity index, the attributed
statements, the consensus clusters, the disagreement candidates and the rules' findings."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import Field

from summarize.analysis.attribution import Statement, extract_statements
from summarize.analysis.consensus import Cluster, ConsensusSettings, select
from summarize.analysis.disagreements.candidate import ConflictCandidate
from summarize.analysis.disagreements.detector import DisagreementSettings, detect, findings
from summarize.analysis.entities import EntityIndex
from summarize.contract import Strict
from summarize.ingest.document import Event, Passage
from summarize.ingest.segmenter import title_passages


class AnalysisSettings(Strict):
    consensus: ConsensusSettings = Field(default_factory=ConsensusSettings)
    disagreements: DisagreementSettings = Field(default_factory=DisagreementSettings)


@dataclass(frozen=True)
class Analysis:
    """One event's analysis. ``passages`` are the segmented passages of the non-duplicate
    articles (the segmenter already leaves duplicates out)."""

    event: Event
    passages: list[Passage]
    entities: EntityIndex
    statements: list[Statement]
    clusters: list[Cluster]
    candidates: list[ConflictCandidate]  # every verified candidate, best first
    findings: list[ConflictCandidate]  # those over their rule's threshold
    settings: AnalysisSettings

    @property
    def names(self) -> list[str]:
        """Canonical person and organisation names (for prompts)."""
        return self.entities.canonical_names()

    @property
    def outlets(self) -> dict[str, str]:
        """Article id -> how a reader names its source: the outlet, else the article id."""
        return {a.id: a.outlet or a.id for a in self.event.articles}


def analyse(
    event: Event, passages: list[Passage], settings: AnalysisSettings | None = None
) -> Analysis:
    settings = settings or AnalysisSettings()
    entities = EntityIndex.build(passages)
    statements = extract_statements(passages, entities)
    candidates = detect(passages, event.articles, entities, statements, settings.disagreements)
    return Analysis(
        event=event,
        passages=passages,
        entities=entities,
        statements=statements,
        clusters=select(
            passages, settings.consensus, [t.text for t in title_passages(event.articles)]
        ),
        candidates=candidates,
        findings=findings(candidates, settings.disagreements),
        settings=settings,
    )
