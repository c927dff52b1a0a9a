"""Attributed statements: holder, cue and the holder's own words, sliced from the passage."""

from __future__ import annotations

from summarize.analysis.attribution import Statement, extract_statements
from summarize.analysis.entities import EntityIndex
from tests.helpers.builders import make_event, passage_with, seed


def _stmts(texts: list[str]):  # type: ignore[no-untyped-def]
    _, passages = make_event(texts)
    return extract_statements(passages, EntityIndex.build(passages)), passages


def test_shapes() -> None:
    stmts, passages = _stmts(
        [
            "Title\n"
            '"We will not pay," Mayor John Smith said.\n'
            "Governor Jane Doe said that the city must pay its share.\n"
            'John Smith later added, "The state owes us money."\n'
            "According to Jane Doe, the budget is balanced.\n"
            "John Smith denied the claims.\n"
            "Jane Doe disagreed.\n"
            '"The figures speak for themselves."\n'
            '"It is a fair deal," he said.'
        ]
    )
    text = {p.id: p.text for p in passages}
    for s in stmts:
        assert s.quote in text[s.passage]
    got = [(s.holder, s.cue, s.quote, s.denial) for s in stmts]
    assert ("John Smith", "said", "We will not pay", False) in got
    assert ("Jane Doe", "said", "the city must pay its share", False) in got
    assert ("John Smith", "added", "The state owes us money", False) in got
    assert ("Jane Doe", "according to", "the budget is balanced", False) in got
    assert ("John Smith", "denied", "the claims", True) in got
    assert ("Jane Doe", "quoted", "The figures speak for themselves", False) in got
    assert got[-1][0] == "Jane Doe"  # "he said" -> most recent person named
    assert next(s for s in stmts if s.quote == "We will not pay").negated


def test_two_holders_in_one_sentence() -> None:
    _, passages = seed()
    idx = EntityIndex.build(passages)
    where = passage_with(passages, 'Hollande indicating that Assad "does not have his place')
    stmts = [s for s in extract_statements(passages, idx) if s.passage == where]
    assert [(s.holder, s.quoted) for s in stmts] == [
        ("Francois Hollande", True),
        ("Vladimir Putin", True),
    ]
    assert "place in Syria's future" in stmts[0].quote
    assert "hands of the Syrian people" in stmts[1].quote


def test_seed_pronouns_and_bare_quotes() -> None:
    _, passages = seed()
    idx = EntityIndex.build(passages)
    by_passage = {s.passage: s for s in extract_statements(passages, idx)}

    def said(start: str) -> Statement:
        return by_passage[passage_with(passages, start)]

    assert said('"Today we agreed to accelerate').holder == "Vladimir Putin"  # "..., he said"
    # A bare quote after the speaker was named.
    assert said("“From France’s view, it’s clear").holder == "Francois Hollande"
    assert said("“Shame on you.").holder == "Recep Tayyip Erdogan"
    denial = said("However, Russia still denies its plane")
    assert denial.holder == "Russia" and denial.denial


def test_empty() -> None:
    assert extract_statements([], EntityIndex.build([])) == []


def test_a_pronoun_s_statement_points_to_where_the_person_is_named() -> None:
    stmts, passages = _stmts(
        [
            "Title\n"
            "Mayor John Smith met the governor on Monday.\n"
            "The talks lasted an hour.\n"
            '"We will not pay," he said.\n'
            'Smith said, "The state owes us money."'
        ]
    )
    text = {p.id: p.text for p in passages}
    by_quote = {s.quote: s for s in stmts}
    pronoun = by_quote["We will not pay"]
    assert pronoun.holder == "John Smith"
    assert pronoun.named_in is not None and pronoun.named_as == "John Smith"
    assert text[pronoun.named_in].startswith("Mayor John Smith met")
    # A statement whose own passage names its holder needs no pointer.
    assert by_quote["The state owes us money"].named_in is None


def test_the_words_between_a_cue_and_its_quotation_are_kept_when_short() -> None:
    stmts, _ = _stmts(
        [
            "Title\n"
            'Mayor John Smith said that the governor "will pay his share."\n'
            'Governor Jane Doe said, "The budget is balanced."'
        ]
    )
    leads = {s.quote: s.lead for s in stmts}
    assert leads["will pay his share"] == "the governor"
    assert leads["The budget is balanced"] == ""
