"""Framing: outlets choosing loaded or neutral labels for one referent, headlines of opposite
tone; and what is not framing (the same label, a speaker's quoted words, an outlet using both
labels, other emphasis). Hard negatives come from the development clusters."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarize.analysis.disagreements.framing import label_candidates, tone_candidates
from summarize.ingest.document import Passage
from summarize.ingest.loader import load
from summarize.ingest.segmenter import title_passages
from summarize.pipeline import prepare
from tests.helpers.builders import make_event

OUTLETS = {"A1": "Left Daily", "A2": "Right Post"}


def _passages(*texts: str) -> list[Passage]:
    event, passages = make_event(list(texts))
    return [*passages, *title_passages(event.articles)]


def test_different_labels_for_one_referent() -> None:
    passages = _passages(
        "Judge blocks program\nThe ruling affects undocumented immigrants brought as children.",
        "Judge blocks program\nThe ruling affects illegal immigrants brought as children.",
    )
    (cand,) = label_candidates(passages, OUTLETS)
    assert cand.kind == "framing" and cand.rule == "framing:labels"
    assert {s.holder for s in cand.sides} == {"Left Daily", "Right Post"}
    assert {s.claim for s in cand.sides} == {
        'The story says "undocumented immigrants".',
        'The story says "illegal immigrants".',
    }
    text = {p.id: p.text for p in passages}
    assert all(s.quote in text[s.passage] for s in cand.sides)


def test_a_headline_label_is_quoted_from_the_title_passage() -> None:
    passages = _passages(
        "County to Mandate Vaccine Passports\nBars will require proof of vaccination.",
        "County to require proof of vaccination at bars\nBars will require proof of vaccination.",
    )
    (cand,) = label_candidates(passages, OUTLETS)
    by_holder = {s.holder: s for s in cand.sides}
    assert by_holder["Left Daily"].passage == "A1.t"
    assert by_holder["Left Daily"].quote == "County to Mandate Vaccine Passports"


@pytest.mark.parametrize(
    "texts",
    [
        # The same label everywhere.
        ("T\nThe ruling affects undocumented immigrants.", "T\nIt helps undocumented immigrants."),
        # A label inside a quotation is the speaker's word, not the outlet's.
        (
            "T\nThe ruling affects undocumented immigrants.",
            'T\n"Illegal immigrants must go," he said.',
        ),
        # An outlet using both labels in its text has made no choice.
        (
            "T\nThe ruling affects undocumented immigrants.",
            "T\nCritics say illegal immigrants gain. Others say undocumented immigrants lose.",
        ),
    ],
)
def test_not_framing(texts: tuple[str, str]) -> None:
    assert label_candidates(_passages(*texts), OUTLETS) == []


def test_headline_tone() -> None:
    titles = title_passages(
        make_event(
            [
                "Jobs report brings wonderful, hopeful news for workers\nBody.",
                "Disastrous jobs report fuels fears of a painful crisis\nBody.",
            ]
        )[0].articles
    )
    (cand,) = tone_candidates(titles, OUTLETS)
    assert cand.rule == "framing:tone"
    assert [s.holder for s in cand.sides] == ["Left Daily", "Right Post"]
    calm = title_passages(
        make_event(["Senate passes the bill\nBody.", "Senate approves the bill\nBody."])[0].articles
    )
    assert tone_candidates(calm, OUTLETS) == []


@pytest.mark.parametrize(
    "cluster",
    [
        # Different emphasis in the headlines (a marriage, military affairs): not a slant.
        "neus-allsides-6009",
        # "Evacuation flights" / "evacuating" / "relocation flights": the same operation.
        "neus-allsides-5866",
        # "Must" / "should be released" / "orders": the same conclusion.
        "neus-allsides-5819",
        # "Encouraging burst of hiring" vs "still far from normal": a caveat, not a slant.
        "neus-allsides-5899",
        # "Liberals" vs "progressive lawmakers" are labels of one group, but no loaded pair.
        "neus-allsides-5616",
    ],
)
def test_no_framing_on_dev_hard_negatives(shared_data: Path, cluster: str) -> None:
    (raw,) = [
        e for e in load(shared_data / "events" / "neus_allsides.jsonl").events if e.id == cluster
    ]
    event, passages = prepare(raw)
    outlets = {a.id: a.outlet or a.id for a in event.articles}
    titles = title_passages(event.articles)
    assert label_candidates([*passages, *titles], outlets) == []
    assert tone_candidates(titles, outlets) == []
