"""A summary sentence that states one side's contested claim as fact is attributed to that
side, through the verifier, and the change is recorded."""

from __future__ import annotations

import pytest

from summarize.contract import Disagreement, Position, QuoteCitation, SummarySentence
from summarize.generate.draft import Draft, DraftSentence
from summarize.verify.contested import (
    attribute_contested,
    attributed,
    attributions,
    contested_side,
    side_overlap,
)
from summarize.verify.verifier import verify
from tests.verify.test_verifier import PASSAGES, _dis, overlap_support


def side(holder: str, claim: str, passage: str, quote: str) -> Position:
    return Position(
        holder=holder, claim=claim, citations=[QuoteCitation(passage=passage, quote=quote)]
    )


def dispute() -> Disagreement:
    return Disagreement(
        id="D1",
        kind="actor_position",
        topic="Who strikes whom in Syria",
        positions=[
            side(
                "Western governments",
                "Russia is targeting mostly Western-backed rebel groups.",
                "p1",
                "targeting mostly Western-backed",
            ),
            side(
                "Russia", "Russia says it strikes only terrorists.", "p2", "strikes only terrorists"
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
    side = contested_side("Moscow strikes only terrorists, officials added.", [dispute()])
    assert side is not None and side[1].holder == "Russia"
    assert contested_side("Russia strikes only terrorists.", [dispute()]) is None  # named


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


def outlet_dispute() -> Disagreement:
    """Two outlets (the first side held by two) frame one bill differently."""
    sweeping = "A sweeping bill to crack down on hate crimes."
    return Disagreement(
        id="D1",
        kind="framing",
        topic="How broad the bill is",
        positions=[
            side("Alpha News; Beta Times", sweeping, "a1", "sweeping bill to crack down"),
            side("Gamma Post", "A narrow bill on hate crimes data.", "g1", "narrow bill"),
        ],
    )


def test_a_contested_sentence_between_outlets_names_the_outlets_it_cites() -> None:
    """A side two outlets hold does not make one outlet's sentence the other's: the reader
    following the citation must find the outlet the sentence names."""
    outlets = {"a1": "Alpha News", "a2": "Alpha News", "b1": "Beta Times", "g1": "Gamma Post"}
    text = "The Senate passed a sweeping bill to crack down on hate crimes."
    one = SummarySentence(text=text, citations=["a2"])
    both = SummarySentence(text=text, citations=["a1", "b1"])
    out, records = attribute_contested([one, both], [outlet_dispute()], outlets)
    assert [s.text for s in out] == [
        "According to Alpha News, the Senate passed a sweeping bill to crack down on hate crimes.",
        "According to Alpha News and Beta Times, the Senate passed a sweeping bill to crack "
        "down on hate crimes.",
    ]
    assert "Alpha News; Beta Times's contested claim" in records[0].reason
    # Without the outlets of the passages, the side's holder is named as before.
    out, _ = attribute_contested([one], [outlet_dispute()])
    assert out[0].text.startswith("According to Alpha News and Beta Times, ")
    # An actor's side keeps its holder whatever outlet the sentence cites.
    fact = SummarySentence(
        text="Russia is targeting mostly Western-backed rebel groups.", citations=["a1"]
    )
    out, _ = attribute_contested([fact], [dispute()], outlets)
    assert out[0].text.startswith("According to Western governments, ")


def test_words_both_sides_use_do_not_make_a_sentence_state_one_side() -> None:
    mine = ["A sweeping bill to crack down on hate crimes."]
    theirs = ["A narrow bill on hate crimes data."]
    # "bill", "hate", "crimes" are the event; "sweeping" and "crack" are the claim.
    assert side_overlap([mine, theirs], 0, "The Senate passed a hate crimes bill.") == 0.0
    said = "Critics call it a sweeping bill to crack down."
    assert side_overlap([mine, theirs], 0, said) == 1.0
    assert side_overlap([mine], 0, "The Senate passed a hate crimes bill.") == pytest.approx(3 / 5)
    # A side with a figure of its own is stated only with that figure.
    figure = ["Agents made more than 178,000 arrests in June."]
    other = ["Agents made more than 188,000 arrests in June."]
    assert side_overlap([figure, other], 0, "Agents made more than a million arrests.") == 0.0
    assert side_overlap([figure, other], 0, "Agents made 178,000 arrests.") == 1.0


def test_an_attribution_reads_back_in_every_way_its_commas_allow() -> None:
    sentence = attributed("After she left, she checked in.", "KTLA; People; Starpulse")
    assert sentence == "According to KTLA, People and Starpulse, after she left, she checked in."
    readings = attributions(sentence)
    assert (["KTLA", "People", "Starpulse"], "After she left, she checked in.") in readings
    assert readings[0] == (["KTLA"], "People and Starpulse, after she left, she checked in.")
    assert attributions("Rain fell, according to police.") == []
