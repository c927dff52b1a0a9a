"""End to end on the reference event with the deterministic backend (no model)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from summarize.analysis.analyzer import AnalysisSettings
from summarize.contract import SummaryDocument
from summarize.ingest.loader import load
from summarize.pipeline import PipelineSettings, run_event, run_path
from summarize.text.holders import holders_match
from summarize.verify.verifier import VerifySettings


@pytest.fixture(scope="module")
def doc(seed_event_dir: Path) -> SummaryDocument:
    (event,) = load(seed_event_dir).events
    return run_event(event, "extractive")


def _everything_shown(doc: SummaryDocument) -> str:
    parts = [s.text for s in doc.summary]
    parts += [p.text for p in doc.passages]
    for d in doc.disagreements:
        parts.append(d.topic)
        for pos in d.positions:
            parts += [pos.holder, pos.claim, *(c.quote for c in pos.citations)]
    return "\n".join(parts)


def test_no_gold_boilerplate_anywhere(doc: SummaryDocument, seed_gold: dict[str, Any]) -> None:
    shown = _everything_shown(doc)
    for s in seed_gold["boilerplate_must_not_appear"]:
        assert s not in shown, s
    assert sum(len(a.dropped) for a in doc.articles) > 0


def test_duplicate_wire_copy_detected(doc: SummaryDocument, seed_gold: dict[str, Any]) -> None:
    by_file = {Path(a.path).name: a for a in doc.articles}
    for name, info in seed_gold["documents"].items():
        if "near_duplicate_of" in info:
            assert by_file[name].duplicate_of == by_file[info["near_duplicate_of"]].id
    dup_ids = {a.id for a in doc.articles if a.duplicate_of}
    assert not any(p.article in dup_ids for p in doc.passages)


def test_every_sentence_cites_existing_passages(doc: SummaryDocument) -> None:
    ids = {p.id for p in doc.passages}
    assert len(doc.summary) >= 3
    for s in doc.summary:
        assert s.citations and set(s.citations) <= ids


def test_every_quote_is_verbatim(doc: SummaryDocument) -> None:
    text = {p.id: p.text for p in doc.passages}
    for d in doc.disagreements:
        for pos in d.positions:
            for c in pos.citations:
                assert c.quote in text[c.passage]


def test_assad_disagreement_found_with_both_sides_quoted(
    doc: SummaryDocument, seed_gold: dict[str, Any]
) -> None:
    d1 = next(d for d in seed_gold["disagreements"] if d["id"] == "D1")
    found = [
        d
        for d in doc.disagreements
        if all(
            any(holders_match(g["holder"], p.holder) for p in d.positions) for g in d1["positions"]
        )
    ]
    assert found, [(d.topic, [p.holder for p in d.positions]) for d in doc.disagreements]
    assert found[0].kind == "actor_position"
    assert all(p.citations for p in found[0].positions)


def test_output_matches_the_contract_and_records_the_run(doc: SummaryDocument) -> None:
    again = SummaryDocument.model_validate_json(doc.model_dump_json())
    assert again == doc
    raw = json.loads(doc.model_dump_json())
    assert set(raw) >= {
        "schema_version",
        "event",
        "articles",
        "passages",
        "summary",
        "disagreements",
        "run",
    }
    assert raw["run"]["model"] == "extractive"
    assert {"clean_segment", "analyse", "draft", "verify", "total"} <= set(raw["run"]["timings_s"])


def test_run_records_the_settings_it_used(seed_event_dir: Path, doc: SummaryDocument) -> None:
    assert doc.run.settings["analysis"] == AnalysisSettings().model_dump()
    assert doc.run.settings["verify"]["min_sentence_support"] == 0.5
    (event,) = load(seed_event_dir).events
    strict = PipelineSettings(verify=VerifySettings(min_quote_words=1000))
    other = run_event(event, "extractive", settings=strict)
    assert other.run.settings["verify"]["min_quote_words"] == 1000
    assert doc.disagreements
    # The setting is the one that ran: no quote is that long, so no side keeps a quote.
    assert other.disagreements == []
    assert any(d.reason == "quote too short" for d in other.run.verification)
    assert other.run.settings["judge"] == "lexical"


def test_deterministic(seed_event_dir: Path, doc: SummaryDocument) -> None:
    (event,) = load(seed_event_dir).events
    other = run_event(event, "extractive")
    assert other.summary == doc.summary and other.disagreements == doc.disagreements


def test_jsonl_batch_runs_every_event(shared_data: Path) -> None:
    result = run_path(shared_data / "events" / "neus_allsides.jsonl", "extractive")
    assert not result.failures
    assert len(result.documents) == 15
    assert len({d.event.id for d in result.documents}) == 15
    assert all(d.summary for d in result.documents)


def test_headlines_are_citable_passages_and_framing_quotes_them(tmp_path: Path) -> None:
    bodies = [
        "Bars in the county will require proof of vaccination from Monday, officials said. "
        "The order covers indoor bars, wineries and nightclubs across the county.",
        "Health officials announced the rule on Friday after a rise in cases this summer. "
        "Owners of nightclubs said they would check the cards at the door.",
    ]
    for i, (outlet, title) in enumerate(
        [
            ("Left Daily", "County to require proof of vaccination at bars"),
            ("Right Post", "County to Mandate Vaccine Passports at Bars"),
        ],
        1,
    ):
        body = bodies[i - 1]
        (tmp_path / f"a{i}.md").write_text(
            f"---\ntitle: {title}\noutlet: {outlet}\n---\n{body}\n", encoding="utf-8"
        )
    (event,) = load(tmp_path).events
    doc = run_event(event, "extractive")
    titles = {p.id: p.text for p in doc.passages if p.id.endswith(".t")}
    assert set(titles.values()) == {
        "County to require proof of vaccination at bars",
        "County to Mandate Vaccine Passports at Bars",
    }
    framing = [d for d in doc.disagreements if d.kind == "framing"]
    assert framing, doc.disagreements
    quoted = {c.passage for pos in framing[0].positions for c in pos.citations}
    assert quoted & set(titles)  # a headline is quoted as evidence, and survived the verifier
    assert framing[0].rule and framing[0].rule.startswith("framing")
    # Titles are not sentences of the story: no summary sentence is a bare headline.
    assert not any(s.text in titles.values() for s in doc.summary)


def test_disagreement_rules_run_beside_the_draft(
    seed_event_dir: Path, doc: SummaryDocument, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rules run on their own thread while the draft starts; what they find is what the
    same rules find run at once (the extractive backend reports exactly the findings)."""
    import threading

    import summarize.analysis.analyzer as analyzer
    from summarize.pipeline import prepare

    threads: list[str] = []
    detect = analyzer.detect  # type: ignore[attr-defined]

    def watched(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread().name)
        return detect(*args, **kwargs)

    monkeypatch.setattr(analyzer, "detect", watched)
    (event,) = load(seed_event_dir).events
    again = run_event(event, "extractive")
    assert len(threads) == 1 and threads[0] != threading.current_thread().name
    assert again.run.timings_s["analyse.rules"] > 0

    at_once = analyzer.analyse(*prepare(event))
    assert threads[1] == threading.current_thread().name
    assert [d.topic for d in again.disagreements] == [c.topic for c in at_once.findings]
    assert again.model_dump(exclude={"run"}) == doc.model_dump(exclude={"run"})


def test_an_error_in_the_rules_reaches_the_caller(
    seed_event_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import summarize.analysis.analyzer as analyzer

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("rule failed")

    monkeypatch.setattr(analyzer, "detect", broken)
    (event,) = load(seed_event_dir).events
    with pytest.raises(RuntimeError, match="rule failed"):
        run_event(event, "extractive")
