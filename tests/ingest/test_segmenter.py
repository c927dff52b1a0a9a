"""Segment stage: sentence passages that are exact substrings with stable ids."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from summarize.ingest.cleaner import clean
from summarize.ingest.document import Article, Event
from summarize.ingest.loader import load
from summarize.ingest.segmenter import (
    is_title,
    segment,
    split_sentences,
    title_id,
    title_passages,
)


@pytest.fixture(scope="module")
def seed(seed_event_dir: Path) -> Event:
    return clean(load(seed_event_dir).events[0])


def test_passages_are_substrings_with_ids(seed: Event) -> None:
    passages = segment(seed)
    assert passages
    by_id = {a.id: a for a in seed.articles}
    for p in passages:
        assert re.fullmatch(r"A\d+\.p\d+\.s\d+", p.id)
        assert p.id == f"{p.article}.p{p.paragraph}.s{p.sentence}"
        assert p.text and p.text == p.text.strip()
        assert p.text in by_id[p.article].paragraphs[p.paragraph - 1]
    assert len({p.id for p in passages}) == len(passages)


def test_duplicates_are_not_segmented(seed: Event) -> None:
    dups = {a.id for a in seed.articles if a.duplicate_of}
    assert dups
    assert not [p for p in segment(seed) if p.article in dups]


def test_ids_stable_across_runs(seed_event_dir: Path, seed: Event) -> None:
    again = segment(clean(load(seed_event_dir).events[0]))
    assert [(p.id, p.text) for p in again] == [(p.id, p.text) for p in segment(seed)]


def test_sentences_cover_paragraph(seed: Event) -> None:
    for art in seed.articles:
        for para in art.paragraphs:
            # Only whitespace between sentences may be left out, never words.
            joined = "".join("".join(split_sentences(para)).split())
            assert joined == "".join(para.split())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '"We will rebuild. It will take time," the mayor said. Work starts Monday.',
            ['"We will rebuild. It will take time," the mayor said.', "Work starts Monday."],
        ),
        (
            "Mr. Smith met U.S. officials at 5 p.m. on Friday. He left.",
            ["Mr. Smith met U.S. officials at 5 p.m. on Friday.", "He left."],
        ),
        (
            "It was informed in advance.. Then it ended.",
            ["It was informed in advance..", "Then it ended."],
        ),
        ("  Leading space.  Two spaces.", ["Leading space.", "Two spaces."]),
        ("...", []),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_paragraph_index_counts_kept_paragraphs_only() -> None:
    art = Article(id="A1", path="x", raw_paragraphs=["x"], paragraphs=["One. Two.", "Three."])
    ids = [p.id for p in segment(Event(id="e", articles=[art]))]
    assert ids == ["A1.p1.s1", "A1.p1.s2", "A1.p2.s1"]


def test_title_passages_are_separate_and_do_not_shift_body_ids(seed: Event) -> None:
    titles = title_passages(seed.articles)
    body = segment(seed)
    assert {p.id for p in titles}.isdisjoint({p.id for p in body})
    by_id = {a.id: a for a in seed.articles}
    for p in titles:
        assert p.id == title_id(p.article) and is_title(p)
        assert p.text == by_id[p.article].title
        assert by_id[p.article].duplicate_of is None
    assert not [p for p in body if is_title(p)]
    assert len(titles) == sum(1 for a in seed.articles if a.title and not a.duplicate_of)
