from __future__ import annotations

from summarize.generate.draft import (
    Draft,
    DraftDisagreement,
    DraftPosition,
    DraftQuote,
    DraftSentence,
)
from summarize.ingest.document import Passage
from summarize.text.words import content_words
from summarize.verify.quotes import find_verbatim
from summarize.verify.verifier import _without_holder, verify


def overlap_support(claim: str, evidence: list[str]) -> float:
    """Share of the claim's content words found in the evidence: enough for these cases."""
    words = content_words(claim)
    pool = {w for e in evidence for w in content_words(e)}
    return sum(w in pool for w in words) / len(words) if words else 0.0


PASSAGES = [
    Passage(
        id="A1.p1.s1",
        article="A1",
        paragraph=1,
        sentence=1,
        text="Hollande said France sees “no place” for Assad in Syria's future.",
    ),
    Passage(
        id="A2.p1.s1",
        article="A2",
        paragraph=1,
        sentence=1,
        text='Putin said  the fate of Assad "must be decided by the Syrian people".',
    ),
    Passage(
        id="A2.p2.s1",
        article="A2",
        paragraph=2,
        sentence=1,
        text="The two leaders met in Moscow on Thursday.",
    ),
]


def test_find_verbatim_normalises_quotes_and_spaces_but_returns_source_characters() -> None:
    got = find_verbatim("the fate of Assad “must be decided", PASSAGES[1].text)
    assert got == 'the fate of Assad "must be decided'
    assert got in PASSAGES[1].text
    assert find_verbatim("the fate of Bashar", PASSAGES[1].text) is None
    assert find_verbatim("   ", PASSAGES[1].text) is None


def test_sentence_without_valid_citation_is_dropped_and_recorded() -> None:
    draft = Draft(
        summary=[
            DraftSentence(
                text="The two leaders met in Moscow on Thursday.", citations=["A2.p2.s1"]
            ),
            DraftSentence(text="They met in Paris.", citations=["A9.p1.s1"]),
            DraftSentence(text="Uncited sentence about Moscow.", citations=[]),
        ]
    )
    out = verify(draft, PASSAGES, overlap_support)
    assert [s.text for s in out.summary] == ["The two leaders met in Moscow on Thursday."]
    reasons = [(d.item, d.reason) for d in out.drops]
    assert ("citation", "no such passage") in reasons
    assert sum(1 for item, _ in reasons if item == "summary_sentence") == 2


def test_unsupported_sentence_is_dropped() -> None:
    draft = Draft(
        summary=[
            DraftSentence(
                text="Russia wants to strike all forces in Europe tomorrow.", citations=["A2.p2.s1"]
            ),
        ]
    )
    out = verify(draft, PASSAGES, overlap_support)
    assert out.summary == []
    assert "not supported" in out.drops[0].reason


def test_duplicate_sentences_are_kept_once() -> None:
    s = DraftSentence(text="The two leaders met in Moscow on Thursday.", citations=["A2.p2.s1"])
    out = verify(Draft(summary=[s, s]), PASSAGES, overlap_support)
    assert len(out.summary) == 1


def _dis(quote_a: str, quote_b: str, holder_b: str = "Putin") -> DraftDisagreement:
    return DraftDisagreement(
        kind="actor_position",
        topic="Assad's future",
        positions=[
            DraftPosition(
                holder="Hollande",
                claim="France sees no place for Assad in Syria's future.",
                citations=[DraftQuote(passage="A1.p1.s1", quote=quote_a)],
            ),
            DraftPosition(
                holder=holder_b,
                claim="Assad's fate must be decided by the Syrian people.",
                citations=[DraftQuote(passage="A2.p1.s1", quote=quote_b)],
            ),
        ],
    )


def test_verbatim_disagreement_survives_with_exact_source_quotes() -> None:
    out = verify(
        Draft(
            disagreements=[_dis("“no place” for Assad", '"must be decided by the Syrian people"')]
        ),
        PASSAGES,
        overlap_support,
    )
    assert len(out.disagreements) == 1
    d = out.disagreements[0]
    assert d.id == "D1"
    for pos in d.positions:
        for c in pos.citations:
            passage = next(p for p in PASSAGES if p.id == c.passage)
            assert c.quote in passage.text


def test_invented_quote_drops_position_and_then_the_disagreement() -> None:
    out = verify(
        Draft(disagreements=[_dis("no place for Assad anywhere", "decided by the Syrian people")]),
        PASSAGES,
        overlap_support,
    )
    assert out.disagreements == []
    reasons = {d.reason for d in out.drops}
    assert "quote is not verbatim in the passage" in reasons
    assert "fewer than two verified positions from different holders" in reasons


def test_same_holder_on_both_sides_is_not_a_disagreement() -> None:
    out = verify(
        Draft(
            disagreements=[
                _dis("no place” for Assad", "decided by the Syrian people", holder_b="Hollande")
            ]
        ),
        PASSAGES,
        overlap_support,
    )
    assert out.disagreements == []


def test_claim_not_supported_by_its_quote_is_dropped() -> None:
    dis = _dis("no place” for Assad", "decided by the Syrian people")
    dis.positions[1].claim = "Putin announced sanctions against Turkey."
    out = verify(Draft(disagreements=[dis]), PASSAGES, overlap_support)
    assert out.disagreements == []
    assert any("claim not supported" in d.reason for d in out.drops)


def test_empty_draft() -> None:
    out = verify(Draft(), PASSAGES, overlap_support)
    assert out.summary == [] and out.disagreements == [] and out.drops == []


def test_outlets_sharing_a_last_word_are_two_sides_and_the_rule_is_kept() -> None:
    passages = [
        Passage(id="A1.t", article="A1", paragraph=0, sentence=1, text="Vaccine passports start"),
        Passage(id="A2.t", article="A2", paragraph=0, sentence=1, text="Proof of vaccination due"),
    ]

    def framing(holder_a: str, holder_b: str, kind: str = "framing") -> DraftDisagreement:
        return DraftDisagreement(
            kind=kind,  # type: ignore[arg-type]
            topic="How the requirement is labelled",
            rule="framing",
            evidence=["labels: vaccine passports / proof of vaccination"],
            positions=[
                DraftPosition(
                    holder=holder_a,
                    claim=f"{holder_a} calls it vaccine passports.",
                    citations=[DraftQuote(passage="A1.t", quote="Vaccine passports start")],
                ),
                DraftPosition(
                    holder=holder_b,
                    claim=f"{holder_b} calls it proof of vaccination.",
                    citations=[DraftQuote(passage="A2.t", quote="Proof of vaccination due")],
                ),
            ],
        )

    out = verify(
        Draft(disagreements=[framing("The Epoch Times", "Los Angeles Times")]),
        passages,
        overlap_support,
    )
    assert [d.rule for d in out.disagreements] == ["framing"]
    assert out.disagreements[0].evidence == ["labels: vaccine passports / proof of vaccination"]
    # The claims name their outlet, which the quoted title does not: still supported.
    assert not [d for d in out.drops if d.item == "position"]
    # People are matched by surname: "Putin" and "Vladimir Putin" are one holder.
    same = verify(
        Draft(disagreements=[framing("Putin", "Vladimir Putin", "actor_position")]),
        passages,
        overlap_support,
    )
    assert same.disagreements == []


def test_a_claim_loses_its_holders_name_not_the_names_words() -> None:
    # The name as a name goes; the same word used otherwise stays.
    assert _without_holder(
        "The Independent reports an independent inquiry found the leak.", "The Independent"
    ) == ("reports an independent inquiry found the leak.")
    assert _without_holder("Russia says it strikes only terrorists.", "Russia") == (
        "says it strikes only terrorists."
    )
    assert _without_holder("Obama said Moscow's help would be welcome.", "Barack Obama") == (
        "said Moscow's help would be welcome."
    )
    # Several outlets: each is a name. A word of a longer name alone is not the name.
    assert _without_holder("CNN and Fox News report a news blackout.", "CNN; Fox News") == (
        "and report a news blackout."
    )
    assert _without_holder("The Hill reports a hill fire.", "The Hill") == "reports a hill fire."
    # Nothing else left: the claim stays whole.
    assert _without_holder("Russia.", "Russia") == "Russia."
