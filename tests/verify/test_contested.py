"""A summary sentence that states one side's contested claim as fact is attributed to that
side, through the verifier, and the change is recorded."""

from __future__ import annotations

from summarize.contract import Disagreement, Position, QuoteCitation, SummarySentence
from summarize.generate.draft import Draft, DraftSentence
from summarize.verify.contested import attribute_contested, attributed, contested_holder
from summarize.verify.verifier import verify
from tests.verify.test_verifier import PASSAGES, _dis, overlap_support


def dispute() -> Disagreement:
    return Disagreement(
        id="D1",
        kind="actor_position",
        topic="Who strikes whom in Syria",
        positions=[
            Position(
                holder="Western governments",
                claim="Russia is targeting mostly Western-backed rebel groups.",
                citations=[QuoteCitation(passage="p1", quote="targeting mostly Western-backed")],
            ),
            Position(
                holder="Russia",
                claim="Russia says it strikes only terrorists.",
                citations=[QuoteCitation(passage="p2", quote="strikes only terrorists")],
            ),
        ],
    )


def test_a_claim_stated_as_fact_names_its_holder() -> None:
    fact = SummarySentence(
        text="The Russian air force is targeting mostly Western-backed rebel groups.",
        citations=["p1"],
    )
    named = SummarySentence(
        text="Western governments say Russia is targeting Western-backed rebel groups.",
        citations=["p1"],
    )
    unrelated = SummarySentence(text="The leaders met in Moscow on Thursday.", citations=["p3"])
    out, records = attribute_contested([fact, named, unrelated], [dispute()])
    assert [s.text for s in out] == [
        "According to Western governments, the Russian air force is targeting mostly "
        "Western-backed rebel groups.",
        named.text,
        unrelated.text,
    ]
    assert out[0].citations == ["p1"]
    assert len(records) == 1 and records[0].action == "attributed"
    assert records[0].text == fact.text and "Western governments" in records[0].reason


def test_a_sentence_repeating_a_quote_counts_as_stating_the_claim() -> None:
    assert contested_holder("Moscow strikes only terrorists, officials added.", [dispute()]) == (
        "Russia"
    )
    assert contested_holder("Russia strikes only terrorists.", [dispute()]) is None  # named


def test_a_name_at_the_start_keeps_its_capital() -> None:
    assert attributed("Assad must go.", "France") == "According to France, Assad must go."
    assert attributed("The jet fell.", "Turkey") == "According to Turkey, the jet fell."
    assert attributed("It fell.", "Turkey") == "According to Turkey, it fell."
    # A month, a title and a function word that is also a name are names here.
    assert attributed("May 5 was the day.", "CNN") == "According to CNN, May 5 was the day."
    assert attributed("Mr Putin left.", "CNN") == "According to CNN, Mr Putin left."
    assert attributed("Will Smith left.", "CNN") == "According to CNN, Will Smith left."
    assert attributed("US jets flew.", "CNN") == "According to CNN, US jets flew."


def test_a_side_of_several_outlets_names_them_all() -> None:
    assert attributed("The jet fell.", "CNN; BBC") == "According to CNN and BBC, the jet fell."
    assert attributed("The jet fell.", "A; B; C") == "According to A, B and C, the jet fell."


def test_the_verifier_attributes_after_verifying_the_disagreement() -> None:
    draft = Draft(
        summary=[
            DraftSentence(
                text="Assad's fate must be decided by the Syrian people.",
                citations=["A2.p1.s1"],
            )
        ],
        disagreements=[_dis("“no place” for Assad", '"must be decided by the Syrian people"')],
    )
    out = verify(draft, PASSAGES, overlap_support)
    assert len(out.disagreements) == 1
    assert [s.text for s in out.summary] == [
        "According to Putin, Assad's fate must be decided by the Syrian people."
    ]
    assert [d.action for d in out.drops] == ["attributed"]
    # Without the verified disagreement there is nothing contested to attribute.
    alone = verify(Draft(summary=draft.summary), PASSAGES, overlap_support)
    assert alone.summary[0].text == draft.summary[0].text and alone.drops == []
