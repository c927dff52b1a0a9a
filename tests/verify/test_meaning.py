"""Verification by meaning: the judge decides where one is given (behind the exact-signal
vetoes), a sentence stated verbatim needs no judge, a failing judge falls back to lexical
support visibly, and a rejected sentence is repaired (re-asked once, told why, else narrowed
to its closest cited passage) before it is dropped."""

from __future__ import annotations

from summarize.contract import Usage
from summarize.errors import AdapterError
from summarize.generate.draft import Draft, DraftSentence, Repair, Repairer
from summarize.ingest.document import Passage
from summarize.verify.judges.verdict import Verdict
from summarize.verify.judges.veto import VetoedJudge
from summarize.verify.support import lexical_support
from summarize.verify.verifier import verify

PASSAGES = [
    Passage(
        id="A1.p1.s1",
        article="A1",
        paragraph=1,
        sentence=1,
        text="Hollande and Putin met in Moscow on Thursday to discuss the fight against IS.",
    ),
    Passage(
        id="A1.p1.s2",
        article="A1",
        paragraph=1,
        sentence=2,
        text="The two leaders agreed to coordinate air strikes in Syria.",
    ),
]
MET = ["A1.p1.s1"]


class ScriptedJudge:
    """Says ``label`` about every claim, and records what it was asked."""

    def __init__(self, label: int, *, fail: AdapterError | None = None) -> None:
        self.label, self.fail, self.name = label, fail, "scripted-judge"
        self.asked: list[str] = []

    def judge(self, claim: str, sources: list[str]) -> Verdict:
        self.asked.append(claim)
        if self.fail is not None:
            raise self.fail
        verdict = "supported" if self.label else "contradicted"
        return Verdict(
            score=float(self.label),
            label=self.label,
            verdict=verdict,
            explanation="scripted",
            usage=Usage(calls=1, prompt_tokens=50, completion_tokens=1),
        )

    def describe(self) -> dict[str, object]:
        return {"judge": self.name, "prompts": {"claim_check": "sha"}}


class ScriptedRepair:
    def __init__(self, text: str | None) -> None:
        self.text = text
        self.asked: list[tuple[str, str, list[str]]] = []

    def repair(self, sentence: str, reason: str, passages: list[Passage]) -> Repair:
        self.asked.append((sentence, reason, [p.id for p in passages]))
        usage = Usage(calls=1, prompt_tokens=80, completion_tokens=20)
        if self.text is None:
            return Repair(usage=usage, failed="answer did not match the schema after a re-ask")
        return Repair(sentence=DraftSentence(text=self.text, citations=MET), usage=usage)


def draft_of(text: str, cites: list[str] = MET) -> Draft:
    return Draft(summary=[DraftSentence(text=text, citations=cites)])


PARAPHRASE = "Putin and Hollande held talks in Moscow this week about combating IS."


def test_the_judge_keeps_a_faithful_paraphrase_lexical_support_would_drop() -> None:
    assert lexical_support(PARAPHRASE, [PASSAGES[0].text]) < 0.5  # why a judge is needed
    lexical = verify(draft_of(PARAPHRASE), PASSAGES, lexical_support)
    assert lexical.summary == [] or lexical.summary[0].text != PARAPHRASE
    judge = ScriptedJudge(1)
    got = verify(draft_of(PARAPHRASE), PASSAGES, lexical_support, judge=judge)
    assert [s.text for s in got.summary] == [PARAPHRASE]
    assert judge.asked == [PARAPHRASE]
    assert got.stages["judge"].asked == 1 and got.stages["judge"].answered == 1
    assert got.usage.calls == 1


def test_a_sentence_stated_verbatim_is_not_judged() -> None:
    judge = ScriptedJudge(0)
    got = verify(draft_of(PASSAGES[0].text), PASSAGES, lexical_support, judge=judge)
    assert [s.text for s in got.summary] == [PASSAGES[0].text]
    assert judge.asked == []


def test_the_judge_rejects_what_reuses_source_words_and_the_reason_says_so() -> None:
    # Every word is the source's, the meaning is not: lexical support passes it.
    wrong = "Hollande and Putin met in Moscow on Thursday to discuss the fight against Syria."
    got = verify(draft_of(wrong), PASSAGES, lexical_support, judge=ScriptedJudge(0))
    assert wrong not in [s.text for s in got.summary]
    [record] = [d for d in got.drops if d.item == "summary_sentence"]
    assert "the judge finds it contradicted" in record.reason


def test_exact_signal_vetoes_reject_without_asking_the_model() -> None:
    inner = ScriptedJudge(1)
    judge = VetoedJudge(inner, veto=["entities_missing", "negation_flip"])
    claim = "Hollande and Merkel met in Moscow on Thursday."
    verdict = judge.judge(claim, [PASSAGES[0].text])
    assert verdict.label == 0 and "Merkel" in verdict.explanation and inner.asked == []
    denied = "Hollande and Putin did not meet in Moscow on Thursday."
    assert judge.judge(denied, [PASSAGES[0].text]).verdict == "contradicted"
    assert inner.asked == []
    assert judge.judge(PARAPHRASE, [PASSAGES[0].text]).label == 1
    assert inner.asked == [PARAPHRASE]


def test_a_failing_judge_falls_back_to_lexical_support_and_says_so() -> None:
    dead = AdapterError(
        "APIConnectionError calling test-model: refused", adapter="test", transient=True
    )
    judge = ScriptedJudge(1, fail=dead)
    two = Draft(
        summary=[
            DraftSentence(text="Putin and Hollande met in Moscow on Thursday.", citations=MET),
            DraftSentence(text="The leaders agreed to coordinate strikes.", citations=["A1.p1.s2"]),
            DraftSentence(
                text="The two leaders agreed on Syria air strikes.", citations=["A1.p1.s2"]
            ),
        ]
    )
    got = verify(two, PASSAGES, lexical_support, judge=judge)
    assert len(got.summary) == 3  # lexical support keeps them all
    report = got.stages["judge"]
    assert report.asked == 3 and report.answered == 0 and report.fell_back == 3
    # Two failures in a row: the third sentence does not ask the dead endpoint again.
    assert len(judge.asked) == 2
    assert any("judge unavailable: APIConnectionError" in r for r in report.reasons)


def test_a_rejected_sentence_is_re_asked_once_told_why() -> None:
    fixed = "Putin and Hollande met in Moscow."
    repair = ScriptedRepair(fixed)
    assert isinstance(repair, Repairer)
    judge = ScriptedJudge(0)
    got = verify(draft_of(PARAPHRASE), PASSAGES, lexical_support, judge=judge, repair=repair)
    [(sentence, reason, shown)] = repair.asked
    assert sentence == PARAPHRASE and "the judge finds it contradicted" in reason
    assert shown == MET
    # The judge said no to the paraphrase; the repair is judged too (and rejected): the
    # closest cited passage replaces it.
    assert judge.asked == [PARAPHRASE, fixed]
    assert [s.text for s in got.summary] == [PASSAGES[0].text]
    [record] = [d for d in got.drops if d.item == "summary_sentence"]
    assert record.action == "repaired" and "replaced by its cited passage A1.p1.s1" in record.reason
    assert got.stages["sentence_repair"].answered == 1
    assert got.usage.calls == 3  # two verdicts and one repair
    assert got.warnings == [
        "verification: 1 summary sentences rejected by the checks were repaired (0 re-asked, "
        "1 replaced by a cited passage; run.verification says why)"
    ]


def test_a_repair_the_judge_accepts_is_kept() -> None:
    fixed = "Putin and Hollande discussed the fight against IS in Moscow."
    judge = ScriptedJudge(0)
    judge_then_yes = iter([0, 1])

    def verdicts(claim: str, sources: list[str]) -> Verdict:
        judge.label = next(judge_then_yes)
        return ScriptedJudge.judge(judge, claim, sources)

    judge.judge = verdicts  # type: ignore[method-assign]
    got = verify(
        draft_of(PARAPHRASE), PASSAGES, lexical_support, judge=judge, repair=ScriptedRepair(fixed)
    )
    assert [s.text for s in got.summary] == [fixed]
    [record] = [d for d in got.drops if d.item == "summary_sentence"]
    assert record.action == "repaired" and "re-asked, told why" in record.reason
    assert record.text == PARAPHRASE


def test_a_sentence_with_nothing_to_narrow_to_is_dropped() -> None:
    unrelated = "Oil prices fell sharply on the London exchange."
    repair = ScriptedRepair(None)  # the model gives no usable repair
    got = verify(
        draft_of(unrelated), PASSAGES, lexical_support, judge=ScriptedJudge(0), repair=repair
    )
    assert got.summary == []
    [record] = [d for d in got.drops if d.item == "summary_sentence"]
    assert record.action == "dropped"
    assert got.stages["sentence_repair"].fell_back == 1


def test_only_a_model_written_side_is_judged_the_rules_sides_by_lexical_support() -> None:
    from summarize.generate.draft import DraftDisagreement, DraftPosition, DraftQuote

    def side(holder: str, pid: str, quote: str) -> DraftPosition:
        return DraftPosition(
            holder=holder,
            claim=f"{holder} says {quote}",
            citations=[DraftQuote(passage=pid, quote=quote)],
        )

    sides = [
        side("Hollande", "A1.p1.s1", "met in Moscow on Thursday"),
        side("Putin", "A1.p1.s2", "agreed to coordinate air strikes"),
    ]
    for rule, judged in (("numbers", 0), ("model", 2)):
        judge = ScriptedJudge(1)
        dis = DraftDisagreement(kind="actor_position", topic="t", positions=sides, rule=rule)
        got = verify(Draft(disagreements=[dis]), PASSAGES, lexical_support, judge=judge)
        assert len(got.disagreements) == 1
        assert len(judge.asked) == judged, rule
