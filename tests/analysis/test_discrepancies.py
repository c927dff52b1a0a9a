"""Outlet discrepancies: incompatible figures and days for the same thing, and the tempting
pairs that are not (roundings, other quantities, other happenings, the day a thing was said).
Hard negatives come from the development clusters' ``not_disagreements``."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarize.analysis.disagreements.numbers import figures, number_candidates
from summarize.analysis.disagreements.times import days_named, time_candidates
from summarize.ingest.document import Passage
from summarize.ingest.loader import load
from summarize.pipeline import prepare
from tests.helpers.builders import make_event


def _outlets(*names: str) -> dict[str, str]:
    return {f"A{i}": n for i, n in enumerate(names, 1)}


def _passages(*texts: str) -> list[Passage]:
    _, passages = make_event([f"Title\n{t}" for t in texts])
    return [p for p in passages if p.text != "Title"]


def test_figures_read_as_intervals() -> None:
    (p,) = _passages("There were nearly 190,000 encounters and more than 178,000 arrests.")
    got = {f.surface: (f.low, f.high) for f in figures(p, "X")}
    assert got == {"nearly 190,000": (180_000, 190_000), "more than 178,000": (178_000, 179_000)}


def test_qualifiers_are_whole_words() -> None:
    # "laptop", "handsome" and "Moreover" end in "top", "some" and "over" but qualify nothing.
    passages = _passages(
        "He bought a laptop 5,000 times, paid a handsome 2,000 pounds. Moreover 178,000 came."
    )
    got = {f.surface: (f.low, f.high) for p in passages for f in figures(p, "X")}
    assert got == {"5,000": (4_500, 5_500), "2,000": (1_500, 2_500), "178,000": (177_500, 178_500)}
    passages = _passages("Top 5,000 were counted, and some 2,000 left.")
    got = {f.surface: (f.low, f.high) for p in passages for f in figures(p, "X")}
    assert got == {"Top 5,000": (5_000, 6_000), "some 2,000": (1_000, 3_000)}


def test_figures_skip_years_ages_dates_and_ranges() -> None:
    (p,) = _passages(
        "In 2021 the actress, 26, said on May 3 that 29 of 34 members and a 5-year plan remain."
    )
    assert figures(p, "X") == []


def test_a_lower_case_may_is_no_month() -> None:
    passages = _passages("As many as 3,000 may have died, and 2,500 MAY 5 was a guess.")
    assert [f.surface for p in passages for f in figures(p, "X")] == ["3,000"]
    passages = _passages("Some 4,000 march on Sunday; 3,000 Sunday.")
    assert [f.surface for p in passages for f in figures(p, "X")] == ["Some 4,000"]


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("Officials said 20 may have died.", set()),
        ("Officials said 20 May was the worst day.", {"may 20"}),
        ("The march 3 blocks long", set()),
        ("The Sun reported the crash on Monday.", {"monday"}),
        ("It was first reported by the Sun.", set()),
        ("The talks opened on Sun. 5 and ended on Sunday.", {"sunday"}),
        ("MONDAY, OCT. 3", {"monday", "oct 3"}),
    ],
)
def test_days_are_capitalised_names(text: str, days: set[str]) -> None:
    assert days_named(text) == days


@pytest.mark.parametrize(
    ("a", "b", "conflict"),
    [
        # A figure given more precisely is a rounding of the same figure, not a conflict.
        (
            "Agents stopped 188,829 migrants in June.",
            "Nearly 190,000 migrants came in June.",
            False,
        ),
        (
            "The House will vote on a $1 trillion bill.",
            "The House will vote on a $1.2 trillion bill.",
            False,
        ),
        (
            "Agents made more than 178,000 arrests in June.",
            "Agents stopped more than 188,000 people in June.",
            True,
        ),
        (
            "The quake killed 130 people on Sunday.",
            "The quake killed 129 people, officials said.",
            True,
        ),
        # Far apart: a different quantity (a part of the total), not another account of it.
        (
            "Agents stopped 188,829 migrants in June.",
            "Nearly 105,000 migrants were expelled in June.",
            False,
        ),
        # Tied to different months: different quantities.
        (
            "Agents stopped 188,829 migrants in June.",
            "Agents stopped 180,034 migrants in May.",
            False,
        ),
    ],
)
def test_number_discrepancies(a: str, b: str, conflict: bool) -> None:
    found = number_candidates(_passages(a, b), _outlets("One", "Two"))
    assert bool(found) == conflict
    if conflict:
        assert [s.holder for s in found[0].sides] in (["One", "Two"], ["Two", "One"])
        assert found[0].rule == "numbers" and found[0].kind == "source_discrepancy"


def test_an_outlet_that_also_gives_the_other_figure_does_not_contradict() -> None:
    texts = (
        "The quake killed 130 people on Sunday.",
        "The quake killed 129 people on Sunday. Later counts said the quake killed 130 people.",
    )
    assert number_candidates(_passages(*texts), _outlets("One", "Two")) == []


def test_a_figure_is_tied_to_its_own_month() -> None:
    (p,) = _passages("CBP said 188,829 migrants were encountered, up from the 180,034 in May.")
    assert {f.surface: f.anchors for f in figures(p, "X")} == {
        "188,829": frozenset(),
        "180,034": frozenset({"may"}),
    }


def test_an_outlet_restating_a_side_s_figure_joins_that_side() -> None:
    """Other words for the same precise figure ("188,829 migrants ... encountered" for "more
    than 188,000 immigrants") put the third outlet on that side, its words quoted; a loose
    round figure that happens to meet it does not."""
    texts = (
        "Agents stopped more than 188,000 immigrants in June.",
        "Agents made more than 178,000 arrests in June.",
        "CBP said that 188,829 migrants were encountered, up from the 180,034 in May.",
        "Officials counted over a million people in 1,500,000 homes.",
    )
    (found,) = number_candidates(_passages(*texts), _outlets("One", "Two", "Three", "Four"))
    sides = {s.holder: s for s in found.sides}
    assert set(sides) == {"One; Three", "Two"}
    assert [q.quote for q in sides["One; Three"].more] == [texts[2]]
    # On its own a restatement starts nothing: the same figure in other words agrees.
    assert number_candidates(_passages(texts[0], texts[2]), _outlets("One", "Three")) == []


@pytest.mark.parametrize(
    ("a", "b", "conflict"),
    [
        (
            "Lindsay Lohan checked into the Betty Ford Center in Rancho Mirage late Thursday night.",
            "Early Friday, the actress checked into the Betty Ford Center in Rancho Mirage.",
            True,
        ),
        # The day something was said dates the statement, not the happening.
        (
            "Lindsay Lohan checked into the Betty Ford Center in Rancho Mirage, a prosecutor said Friday.",
            "The actress checked into the Betty Ford Center in Rancho Mirage on Friday.",
            False,
        ),
        # Different happenings on different days: a tweet, then the announcement.
        (
            "Governor Kristi Noem posted a tweet on Monday about the National Guard.",
            "Governor Kristi Noem announced on Tuesday that she will send troops to Texas.",
            False,
        ),
        # "Late on Wednesday" and "Wednesday" are the same day.
        (
            "John McAfee was found dead in his cell in Barcelona late on Wednesday.",
            "John McAfee was found dead in his cell in Barcelona on Wednesday.",
            False,
        ),
    ],
)
def test_time_discrepancies(a: str, b: str, conflict: bool) -> None:
    found = time_candidates(_passages(a, b), _outlets("One", "Two"))
    assert bool(found) == conflict
    if conflict:
        assert {s.holder for s in found[0].sides} == {"One", "Two"}


@pytest.mark.parametrize(
    "cluster",
    [
        # "$1 trillion" vs "$1.2 trillion" is a rounding; Monday's signal and Tuesday's warning
        # are two happenings.
        "neus-allsides-5663",
        # Announcement, issue and effective dates are all compatible.
        "neus-allsides-5698",
        # "Late on Wednesday" vs "Wednesday".
        "neus-allsides-5926",
        # The tweet on Monday previewed Tuesday's announcement; "up to 50" vs "50".
        "neus-allsides-5910",
        # Elected in 1978, served 1979-2009, five terms: consistent.
        "neus-allsides-6009",
    ],
)
def test_no_discrepancy_on_dev_hard_negatives(shared_data: Path, cluster: str) -> None:
    (raw,) = [
        e for e in load(shared_data / "events" / "neus_allsides.jsonl").events if e.id == cluster
    ]
    event, passages = prepare(raw)
    outlets = {a.id: a.outlet or a.id for a in event.articles}
    assert number_candidates(passages, outlets) == []
    assert time_candidates(passages, outlets) == []
