"""The real embedded model, end to end on the reference event (slow: minutes on 2 cores)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

from summarize.contract import SummaryDocument
from summarize.ingest.loader import load
from summarize.models.local.provider import local_available
from summarize.pipeline import run_event
from summarize.text.holders import holders_match

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        importlib.util.find_spec("llama_cpp") is None or not local_available(),
        reason="embedded model not installed (pip install '.[local]')",
    ),
]


@pytest.fixture(scope="module")
def doc(seed_event_dir: Path) -> SummaryDocument:
    (event,) = load(seed_event_dir).events
    return run_event(event, "local")


def test_runs_on_the_embedded_model(doc: SummaryDocument) -> None:
    assert doc.run.model.startswith("local:")
    assert doc.run.usage.calls > 0 and doc.run.usage.completion_tokens > 0
    # The packaged model is not asked to judge conflicts (WriterSettings.judge_conflicts).
    # The verifier's offline judge asks about the sentences not stated verbatim.
    judged = doc.run.stages.get("judge")
    assert set(doc.run.prompts) == {"fact_sentence"} | ({"entailment"} if judged else set())
    assert doc.run.settings["backend"]["judge_conflicts"] is False


def test_every_sentence_cited_and_every_quote_verbatim(doc: SummaryDocument) -> None:
    text = {p.id: p.text for p in doc.passages}
    assert doc.summary
    for s in doc.summary:
        assert s.citations and all(c in text for c in s.citations)
    for d in doc.disagreements:
        for pos in d.positions:
            assert all(c.quote in text[c.passage] for c in pos.citations)


def test_finds_at_least_three_gold_disagreements(
    doc: SummaryDocument, seed_gold: dict[str, Any]
) -> None:
    found = [
        g["id"]
        for g in seed_gold["disagreements"]
        if any(
            all(
                any(holders_match(gp["holder"], p.holder) for p in d.positions)
                for gp in g["positions"]
            )
            for d in doc.disagreements
        )
    ]
    assert len(found) >= 3, found
