"""Builders the tests share: paths, small events from plain texts, and the seed event built
the way the pipeline builds it (the real loader, cleaner and segmenter)."""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from pathlib import Path

from summarize.analysis.analyzer import AnalysisSettings, analyse
from summarize.analysis.disagreements.candidate import ConflictCandidate
from summarize.generate.draft import DraftDisagreement, disagreement_from
from summarize.ingest.document import Article, Event, Passage
from summarize.ingest.loader import load
from summarize.ingest.segmenter import segment
from summarize.pipeline import prepare

REPO = Path(__file__).resolve().parents[2]
SEED_EVENT = REPO / "examples" / "hollande-putin-2015"
SEED_GOLD = REPO / "tests" / "fixtures" / "hollande-putin-2015.gold.json"
SHARED_DATA = REPO.parent / "shared" / "data"


def make_event(
    texts: list[str], outlets: list[str | None] | None = None, event_id: str = "test"
) -> tuple[Event, list[Passage]]:
    """Articles from plain texts (paragraphs split on newlines; the first line is the title),
    segmented by the real segmenter. No cleaning: every line is kept."""
    arts = []
    for i, text in enumerate(texts, 1):
        paras = [" ".join(line.split()) for line in text.split("\n") if line.strip()]
        arts.append(
            Article(
                id=f"A{i}",
                path=f"<test>:{i}",
                title=paras[0] if paras else None,
                outlet=(outlets[i - 1] if outlets else None),
                paragraphs=paras,
                raw_paragraphs=paras,
            )
        )
    event = Event(id=event_id, articles=arts)
    return event, segment(event)


@functools.cache
def seed() -> tuple[Event, list[Passage]]:
    """The reference event as the pipeline sees it: loaded, cleaned, segmented."""
    batch = load(SEED_EVENT)
    return prepare(batch.events[0])


def find_disagreements(
    event: Event, passages: list[Passage], *, max_items: int = 8
) -> list[DraftDisagreement]:
    """The rules' findings as the extractive backend reports them."""
    settings = AnalysisSettings()
    settings.disagreements.max_findings = max_items
    return [disagreement_from(c) for c in analyse(event, passages, settings).findings]


def candidate_conflicts(
    event: Event, passages: list[Passage], *, limit: int = 12
) -> list[ConflictCandidate]:
    return analyse(event, passages).candidates[:limit]


def passage_with(passages: list[Passage], start: str) -> str:
    """The id of the one passage whose text starts with ``start`` (ids depend on cleaning, so
    tests find passages by their words)."""
    hits = [p.id for p in passages if " ".join(p.text.split()).startswith(start)]
    assert len(hits) == 1, f"{len(hits)} passages start with {start!r}"
    return hits[0]


def run_cli(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    """The command as a user runs it (``python cli.py ...``), output captured."""
    env = {**os.environ, "LITELLM_LOCAL_MODEL_COST_MAP": "True"}
    return subprocess.run(
        [sys.executable, str(REPO / "cli.py"), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=600,
    )
