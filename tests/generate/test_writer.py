"""The writer strategy in process, driven through scripted answers (``FakeClient``): what the
model says is used where it validates, the rules' findings are kept as the rules word them and
never asked about, and an answer that never validates falls back to the source sentence with
a note."""

from __future__ import annotations

from typing import Any

from summarize.analysis.analyzer import Analysis, analyse
from summarize.analysis.disagreements.candidate import ConflictCandidate
from summarize.generate.writer import CONFLICT_SCHEMA, WriterBackend, WriterSettings
from summarize.models.fake import FakeClient
from summarize.models.prompt import as_data
from tests.helpers.builders import seed


def _writer(script: dict[str, object]) -> tuple[WriterBackend, FakeClient]:
    client = FakeClient.from_script(script)
    return WriterBackend("fake:test", client), client


def _asked(analysis: Analysis) -> list[ConflictCandidate]:
    """The candidates the writer asks the model about: the best ones that are not findings."""
    best = analysis.candidates[: WriterSettings().max_candidates]
    return [c for c in best if c not in analysis.findings]


def test_model_sentences_and_conflicts_are_used() -> None:
    analysis = analyse(*seed())
    asked = _asked(analysis)
    assert analysis.findings and asked  # the seed event has both
    shown = [c.passages[: WriterSettings().max_passages_per_fact] for c in analysis.clusters]
    # The first fact's answer is JSON narrowing its citations; the others are plain
    # sentences: each then cites every passage shown.
    sentences = [f"Fact number {i} restates: {ps[0].text}" for i, ps in enumerate(shown)]
    facts: list[Any] = [
        {"sentence": sentences[0], "citations": [shown[0][0].id]},
        *sentences[1:],
    ]
    judged = [{"conflict": True, "topic": "Who should lead Syria?", "claims": ["Yes.", "No."]}]
    judged += [{"conflict": False}] * (len(asked) - 1)
    backend, client = _writer({"responses": {"fact_sentence": facts, "conflict_judge": judged}})
    draft = backend.draft(analysis)

    assert [s.text for s in draft.summary] == [" ".join(t.split()) for t in sentences]
    assert draft.summary[0].citations == [shown[0][0].id]
    assert [s.citations for s in draft.summary[1:]] == [[p.id for p in ps] for ps in shown[1:]]
    names = [r.prompt_name for r in client.requests]
    assert names.count("fact_sentence") == len(analysis.clusters)
    assert names.count("conflict_judge") == len(asked)
    assert draft.usage.calls == len(client.requests)
    facts_report, conflicts_report = draft.stages["fact_sentence"], draft.stages["conflict_judge"]
    assert facts_report.asked == facts_report.answered == len(analysis.clusters)
    assert conflicts_report.answered == conflicts_report.asked and not facts_report.fell_back
    assert set(draft.prompts) == {"fact_sentence", "conflict_judge"}
    # Every rule finding is reported under the rules' own topic.
    for finding in analysis.findings:
        quotes = {s.quote for s in finding.sides}
        (reported,) = [
            d
            for d in draft.disagreements
            if quotes <= {c.quote for p in d.positions for c in p.citations}
        ]
        assert reported.topic == finding.topic
    # The confirmed conflict is named by the model; its sides say what the rules' sentences
    # say, each with its verbatim quote; the model's claims are not read.
    (confirmed,) = [d for d in draft.disagreements if d.topic == "Who should lead Syria?"]
    assert [(p.holder, p.claim) for p in confirmed.positions] == [
        (s.holder, s.claim) for s in asked[0].sides
    ]
    assert [[c.quote for c in p.citations] for p in confirmed.positions] == [
        [s.quote] for s in asked[0].sides
    ]
    # Who proposed it is on record: the rule, confirmed by the model.
    assert confirmed.rule == f"{asked[0].rule or 'rules'}+model"
    assert "the model says they conflict" in confirmed.evidence


def test_findings_are_not_asked_about() -> None:
    analysis = analyse(*seed())
    backend, client = _writer({"default": ['{"conflict": false}']})
    backend.draft(analysis)
    statements = [
        r.messages[-1].content for r in client.requests if r.prompt_name == "conflict_judge"
    ]
    for finding in analysis.findings:
        assert not any(all(as_data(s.quote) in text for s in finding.sides) for text in statements)
    for cand, text in zip(_asked(analysis), statements, strict=True):
        assert all(as_data(s.quote) in text for s in cand.sides)


def test_the_model_is_asked_only_for_what_is_read() -> None:
    """The answer formats sent: a fact is one plain sentence (no schema, no grammar; it then
    cites the passages shown), a "no" that ends at once, a "yes" with a topic and no claims."""
    analysis = analyse(*seed())
    backend, client = _writer({"default": ['{"conflict": false}']})
    draft = backend.draft(analysis)
    fact = next(r for r in client.requests if r.prompt_name == "fact_sentence")
    assert fact.json_schema is None
    assert "Reply with the sentence only" in fact.messages[0].content
    shown = [p.id for p in analysis.clusters[0].passages[:4]]
    assert all(f"[{pid}]" in fact.messages[-1].content for pid in shown)
    # '{"conflict": false}' is no sentence: the fact fell back to its lead passage.
    assert draft.summary[0].citations == [analysis.clusters[0].lead.id]
    conflict = next(r for r in client.requests if r.prompt_name == "conflict_judge")
    assert conflict.json_schema == CONFLICT_SCHEMA
    no, yes = CONFLICT_SCHEMA["anyOf"]
    assert no["properties"] == {"conflict": {"const": False}} and not no["additionalProperties"]
    assert yes["required"] == ["conflict", "topic"] and yes["properties"]["claims"]["maxItems"] == 0


def test_the_prompt_shows_the_passages_and_neutral_names() -> None:
    analysis = analyse(*seed())
    backend, client = _writer({"default": ['{"conflict": false}']})
    backend.draft(analysis)
    first = next(r for r in client.requests if r.prompt_name == "fact_sentence")
    user = first.messages[-1].content
    lead = analysis.clusters[0].lead
    assert lead.id in user and as_data(lead.text) in user  # the text, as data
    everything = "\n".join(m.content for m in first.messages)
    assert "Vladimir Putin" in everything  # canonical names for the model


def test_answers_that_never_validate_fall_back_with_notes() -> None:
    analysis = analyse(*seed())
    asked = len(_asked(analysis))
    backend, client = _writer({"default": ["{not json"]})
    draft = backend.draft(analysis)
    # Each fact falls back to its lead source sentence, citing it; each failure is noted.
    assert [s.text for s in draft.summary] == [c.lead.text for c in analysis.clusters]
    assert [s.citations for s in draft.summary] == [[c.lead.id] for c in analysis.clusters]
    why = "answer was no usable sentence after a re-ask"
    facts = draft.stages["fact_sentence"]
    assert facts.asked == facts.fell_back == len(analysis.clusters) and facts.answered == 0
    assert facts.reasons == {why: len(analysis.clusters)}
    conflicts = draft.stages["conflict_judge"]
    assert conflicts.fell_back == asked and conflicts.answered == 0
    # The re-ask was tried: two requests per call.
    assert len(client.requests) == 2 * (len(analysis.clusters) + asked)
    assert len(draft.disagreements) == len(analysis.findings)


def test_without_the_conflict_judge_the_rules_findings_are_reported_and_nothing_asked() -> None:
    analysis = analyse(*seed())
    assert _asked(analysis), "the seed event has candidates the judge would be asked about"
    client = FakeClient.from_script({"responses": {"fact_sentence": ["$CITE_FIRST"]}})
    backend = WriterBackend("fake:test", client, WriterSettings(judge_conflicts=False))
    draft = backend.draft(analysis)
    assert {r.prompt_name for r in client.requests} == {"fact_sentence"}
    assert "conflict_judge" not in draft.stages
    assert set(draft.prompts) == {"fact_sentence"}
    assert len(draft.disagreements) == len(analysis.findings)
    assert {d.rule for d in draft.disagreements} == {f.rule for f in analysis.findings}
