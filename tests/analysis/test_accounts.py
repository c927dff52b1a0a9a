"""Outlet accounts of one reaction: one holder's reception of one thing reported warm by one
outlet and cool by another; and the tempting pairs that are not (other holders, other things,
an outlet that reports both)."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarize.analysis.disagreements.accounts import account_candidates
from summarize.ingest.document import Passage
from summarize.ingest.loader import load
from summarize.pipeline import prepare
from tests.helpers.builders import make_event


def _passages(*texts: str) -> list[Passage]:
    _, passages = make_event([f"Title\n{t}" for t in texts])
    return [p for p in passages if p.text != "Title"]


_OUTLETS = {"A1": "One", "A2": "Two", "A3": "Three"}


@pytest.mark.parametrize(
    ("a", "b", "conflict"),
    [
        (
            'Chancellor Anna Berg said the trade pact would be "very helpful" to farmers.',
            "Chancellor Anna Berg gave the trade pact a cool reception.",
            True,
        ),
        (
            "Mayor Tom Reed welcomed the stadium plan.",
            "Mayor Tom Reed rejected the stadium plan.",
            True,
        ),
        # "the idea" is what was received, like any other noun.
        (
            "Mayor Tom Reed welcomed the idea.",
            "Mayor Tom Reed rejected the idea.",
            True,
        ),
        # Another holder's reaction: two accounts of two people, no conflict.
        (
            "Mayor Tom Reed welcomed the stadium plan.",
            "Governor Lisa Park rejected the stadium plan.",
            False,
        ),
        # The same holder on two different things.
        (
            "Mayor Tom Reed welcomed the stadium plan.",
            "Mayor Tom Reed rejected the tax increase.",
            False,
        ),
        # The same reception worded differently.
        (
            "Mayor Tom Reed welcomed the stadium plan.",
            "Mayor Tom Reed praised the stadium plan.",
            False,
        ),
    ],
)
def test_account_discrepancies(a: str, b: str, conflict: bool) -> None:
    found = account_candidates(_passages(a, b), _OUTLETS)
    assert bool(found) == conflict
    if conflict:
        (c,) = found
        assert [s.holder for s in c.sides] in (["One", "Two"], ["Two", "One"])
        assert c.rule == "accounts" and c.kind == "source_discrepancy"
        assert all(s.quote in a or s.quote in b for s in c.sides)


def test_an_outlet_that_reports_both_receptions_does_not_contradict() -> None:
    texts = (
        "Mayor Tom Reed welcomed the stadium plan.",
        "Mayor Tom Reed rejected the stadium plan. Later Mayor Tom Reed welcomed the stadium plan.",
    )
    assert account_candidates(_passages(*texts), _OUTLETS) == []


def test_outlets_giving_one_account_form_one_side() -> None:
    found = account_candidates(
        _passages(
            "Mayor Tom Reed welcomed the stadium plan.",
            "Mayor Tom Reed rejected the stadium plan.",
            "Mayor Tom Reed praised the stadium plan on Monday.",
        ),
        _OUTLETS,
    )
    (c,) = found
    assert sorted(s.holder for s in c.sides) == ["One; Three", "Two"]


def test_seed_reaction_accounts_found() -> None:
    event, passages = prepare(load(Path("examples/hollande-putin-2015")).events[0])
    outlets = {a.id: a.outlet or a.id for a in event.articles}
    (c,) = account_candidates(passages, outlets)
    assert "Obama" in c.topic
    assert {s.claim for s in c.sides} == {
        "US President Barack Obama announced Moscow’s cooperation against DAESH would be "
        '"enormously helpful."',
        "US President Barack Obama has given the idea of greater cooperation with Russia "
        "against the IS jihadists a much cooler reception.",
    }
    assert {s.article for s in c.sides} == {"A3", "A5"}


@pytest.mark.parametrize(
    "cluster", ["neus-allsides-5910", "neus-allsides-5881", "neus-allsides-6079"]
)
def test_no_account_discrepancy_on_dev_clusters(shared_data: Path, cluster: str) -> None:
    (raw,) = [
        e for e in load(shared_data / "events" / "neus_allsides.jsonl").events if e.id == cluster
    ]
    event, passages = prepare(raw)
    outlets = {a.id: a.outlet or a.id for a in event.articles}
    assert account_candidates(passages, outlets) == []
