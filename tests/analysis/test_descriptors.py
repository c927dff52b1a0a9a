"""Outlet descriptor discrepancies: one happening described with descriptors that exclude
each other by two outlets; and the tempting pairs that are not (other happenings, an outlet
that gives both)."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarize.analysis.disagreements.descriptors import (
    Described,
    _Conflict,
    _merge,
    descriptor_candidates,
)
from summarize.ingest.document import Passage
from summarize.ingest.loader import load
from summarize.pipeline import prepare
from tests.helpers.builders import make_event

_OUTLETS = {"A1": "One", "A2": "Two", "A3": "Three"}


def _passages(*texts: str) -> list[Passage]:
    _, passages = make_event([f"Title\n{t}" for t in texts])
    return [p for p in passages if p.text != "Title"]


@pytest.mark.parametrize(
    ("a", "b", "conflict"),
    [
        (
            "An undersea cable cut on Tuesday blocked internet services in Portland.",
            "A terrestrial cable cut near Portland slowed internet services.",
            True,
        ),
        (
            "The storm caused the loss of all power in Dover.",
            "The storm partially cut power in Dover.",
            True,
        ),
        (
            "Crews laid an underground power line through Leeds last spring.",
            "Crews laid an overground power line through Leeds last spring.",
            True,
        ),
        # Another place: two happenings, not one told two ways.
        (
            "An undersea cable cut on Tuesday blocked internet services in Portland.",
            "A terrestrial cable cut near Dover slowed internet services.",
            False,
        ),
        # The same value worded differently.
        (
            "An undersea cable cut blocked internet services in Portland.",
            "A submarine cable cut blocked internet services in Portland.",
            False,
        ),
    ],
)
def test_descriptor_discrepancies(a: str, b: str, conflict: bool) -> None:
    found = descriptor_candidates(_passages(a, b), _OUTLETS)
    assert bool(found) == conflict
    if conflict:
        (c,) = found
        assert sorted(s.holder for s in c.sides) == ["One", "Two"]
        assert c.rule == "descriptors" and c.kind == "source_discrepancy"


def test_articles_about_other_days_tell_other_happenings() -> None:
    # A cable cut reported for August and one reported for October are two cuts.
    texts = (
        "An undersea cable cut in Portland slowed internet services on August 16.",
        "A terrestrial cable cut in Portland slowed internet services on October 8.",
    )
    assert descriptor_candidates(_passages(*texts), _OUTLETS) == []
    same_day = (texts[0], texts[1].replace("October 8", "August 16"))
    assert len(descriptor_candidates(_passages(*same_day), _OUTLETS)) == 1


def test_an_outlet_that_gives_both_values_does_not_contradict() -> None:
    texts = (
        "An undersea cable cut blocked internet services in Portland.",
        "A terrestrial cable cut blocked internet services in Portland. "
        "The undersea cable cut near Portland blocked internet services too.",
    )
    assert descriptor_candidates(_passages(*texts), _OUTLETS) == []


def test_an_outlet_giving_both_leaves_a_side_not_the_disagreement() -> None:
    found = descriptor_candidates(
        _passages(
            "An undersea cable cut blocked internet services in Portland.",
            "A terrestrial cable cut blocked internet services in Portland.",
            "A terrestrial cable cut hit internet in Portland. An undersea cable in Portland "
            "carries internet services.",
        ),
        _OUTLETS,
    )
    (c,) = found
    assert sorted(s.holder for s in c.sides) == ["One", "Two"]


@pytest.mark.parametrize("cluster", ["neus-allsides-5910", "neus-allsides-5698"])
def test_no_descriptor_discrepancy_on_dev_clusters(shared_data: Path, cluster: str) -> None:
    (raw,) = [
        e for e in load(shared_data / "events" / "neus_allsides.jsonl").events if e.id == cluster
    ]
    event, passages = prepare(raw)
    outlets = {a.id: a.outlet or a.id for a in event.articles}
    assert descriptor_candidates(passages, outlets) == []


def test_a_third_value_joins_as_a_side_of_its_own() -> None:
    # In a group of three values, a conflict One (a) vs Three (c) joins One (a) vs Two (b).
    (p,) = _passages("A line.")

    def d(outlet: str, value: str) -> Described:
        return Described(p, outlet, value, value, frozenset(), frozenset(), frozenset())

    conflicts: list[_Conflict] = []
    _merge(conflicts, _Conflict(0.5, [[d("One", "a")], [d("Two", "b")]]))
    _merge(conflicts, _Conflict(0.4, [[d("One", "a")], [d("Three", "c")]]))
    (c,) = conflicts
    assert [[x.outlet for x in side] for side in c.sides] == [["One"], ["Two"], ["Three"]]
