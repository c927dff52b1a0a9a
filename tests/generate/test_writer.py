"""The writer strategy in process, driven through scripted answers (``FakeClient``): what the
model says is used where it validates, the rules' findings are kept and named, and an answer
that never validates falls back to the source sentence with a note."""

from __future__ import annotations

from summarize.analysis.analyzer import analyse
from summarize.generate.writer import WriterBackend, WriterSettings
from summarize.models.fake import FakeClient
from summarize.models.prompt import as_data
from tests.helpers.builders import seed


def _writer(script: dict[str, object]) -> tuple[WriterBackend, FakeClient]:
    client = FakeClient.from_script(script)
    return WriterBackend("fake:test", client, WriterSettings(max_candidates=3)), client


def test_model_sentences_and_conflicts_are_used() -> None:
    analysis = analyse(*seed())
    shown = [c.passages[: WriterSettings().max_passages_per_fact] for c in analysis.clusters]
    facts = [
        {"sentence": f"Fact number {i} in neutral words.", "citations": [ps[0].id]}
        for i, ps in enumerate(shown)
    ]
    judged = {"conflict": True, "topic": "Who should lead Syria?", "claims": ["Yes.", "No."]}
    backend, client = _writer({"responses": {"fact_sentence": facts, "conflict_judge": [judged]}})
    draft = backend.draft(analysis)

    assert [s.text for s in draft.summary] == [f["sentence"] for f in facts]
    assert [s.citations for s in draft.summary] == [f["citations"] for f in facts]
    names = [r.prompt_name for r in client.requests]
    assert names.count("fact_sentence") == len(analysis.clusters)
    assert names.count("conflict_judge") == min(3, len(analysis.candidates))
    assert draft.usage.calls == len(client.requests)
    facts_report, conflicts_report = draft.stages["fact_sentence"], draft.stages["conflict_judge"]
    assert facts_report.asked == facts_report.answered == len(analysis.clusters)
    assert conflicts_report.answered == conflicts_report.asked and not facts_report.fell_back
    assert set(draft.prompts) == {"fact_sentence", "conflict_judge"}
    # Every rule finding is reported; one the model also confirmed carries the model's topic.
    rule_quotes = {s.quote for c in analysis.findings for s in c.sides}
    reported = {c.quote for d in draft.disagreements for p in d.positions for c in p.citations}
    assert rule_quotes <= reported
    assert any(d.topic == "Who should lead Syria?" for d in draft.disagreements)


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
    backend, client = _writer({"default": ["{not json"]})
    draft = backend.draft(analysis)
    # Each fact falls back to its lead source sentence, citing it; each failure is noted.
    assert [s.text for s in draft.summary] == [c.lead.text for c in analysis.clusters]
    assert [s.citations for s in draft.summary] == [[c.lead.id] for c in analysis.clusters]
    why = "answer did not match the schema after a re-ask"
    facts = draft.stages["fact_sentence"]
    assert facts.asked == facts.fell_back == len(analysis.clusters) and facts.answered == 0
    assert facts.reasons == {why: len(analysis.clusters)}
    conflicts = draft.stages["conflict_judge"]
    assert conflicts.fell_back == min(3, len(analysis.candidates)) and conflicts.answered == 0
    # The re-ask was tried: two requests per call.
    assert len(client.requests) == 2 * (len(analysis.clusters) + min(3, len(analysis.candidates)))
    assert len(draft.disagreements) == len(analysis.findings)
