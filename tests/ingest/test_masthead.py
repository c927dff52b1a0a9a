"""Outlet names for articles whose input names none: the furniture the cleaner dropped, else
the file name, and where the name came from."""

from __future__ import annotations

import pytest

from summarize.ingest.cleaner import clean
from summarize.ingest.document import Article, DroppedParagraph, Event
from summarize.ingest.masthead import outlet_from_furniture, outlet_from_path
from tests.helpers.builders import seed


def _dropped(*lines: str) -> list[DroppedParagraph]:
    return [DroppedParagraph(text=line, reason="boilerplate: test") for line in lines]


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["© 2015 Example 24"], "Example 24"),
        (["Copyright © 2019 The Example Post. All rights reserved."], "The Example Post"),
        (["Follow Example News on Twitter"], "Example News"),
        (["ExampleWorld and agencies"], "Example World"),
        (["Example365 News is the only media outlet reporting on it."], "Example365 News"),
        # Two mentions of a publication-like name in appeals are enough; one is not.
        (
            ["More people are reading The Example Herald than ever.", "CEO, Example Herald Group"],
            "The Example Herald",
        ),
        (["More people are reading The Example Herald than ever."], None),
        (["Sign up for our newsletter", "Share this article"], None),
        # Only the keywords are case-insensitive: the name must be capitalised, not a pronoun,
        # not the rights notice, and "by" is no part of it.
        (["Follow us on Twitter"], None),
        (["Follow Us on Facebook"], None),
        (["FOLLOW Example News ON TWITTER"], "Example News"),
        (["© 2024 All rights reserved"], None),
        (["© 2024 All Rights Reserved."], None),
        (["Copyright 2015 by The Example Post"], "The Example Post"),
        (["COPYRIGHT 2015 By Example News"], "Example News"),
        (["© 2020 US News"], "US News"),
    ],
)
def test_outlet_from_furniture(lines: list[str], expected: str | None) -> None:
    assert outlet_from_furniture(_dropped(*lines)) == expected


def test_photo_credits_name_agencies_not_outlets() -> None:
    credits = [DroppedParagraph(text="© Example Wire Photos", reason="boilerplate: photo credit")]
    assert outlet_from_furniture(credits) is None


def test_outlet_from_path() -> None:
    assert outlet_from_path("002_c552f0d34fe51c66.txt") == "002_c552f0d34fe51c66"
    assert outlet_from_path("data/x.jsonl#ev1/allsides-1-left") == "allsides-1-left"


def test_seed_outlets_and_their_sources() -> None:
    event, _ = seed()
    named = {a.path: (a.outlet, a.outlet_source) for a in event.articles}
    assert named["000_4994fa98bd5915b8.txt"] == ("The Jerusalem Post", "furniture")
    assert named["003_99a0643e97d60c3b.txt"] == ("Israel365 News", "furniture")
    assert named["004_116d57e9488b4445.txt"] == ("TRT World", "furniture")
    # No furniture names France 24's copy: the file name stands in, and says so.
    assert named["002_c552f0d34fe51c66.txt"] == ("002_c552f0d34fe51c66", "filename")


def test_metadata_outlet_wins_and_clean_is_idempotent() -> None:
    given = Article(
        id="A1",
        path="a.txt",
        outlet="Given Outlet",
        raw_paragraphs=["Body text of the story here.", "© 2020 Other News"],
    )
    inferred = Article(id="A2", path="b.txt", raw_paragraphs=["Body.", "© 2020 Other News"])
    url = Article(
        id="A3", path="c.txt", url="https://www.site.example.com/x", raw_paragraphs=["B."]
    )
    once = clean(Event(id="e", articles=[given, inferred, url]))
    twice = clean(once)
    for event in (once, twice):
        got = [(a.outlet, a.outlet_source) for a in event.articles]
        assert got == [
            ("Given Outlet", "metadata"),
            ("Other News", "furniture"),
            ("site.example.com", "metadata"),
        ]
