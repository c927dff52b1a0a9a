"""Outlets named for a reader: a host's site name, collisions kept apart."""

from __future__ import annotations

import pytest

from summarize.text.outlets import host_of, readable_outlets, site_name


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("ktla.com", "KTLA"),
        ("uk.eonline.com", "Eonline"),
        ("www.example-news.co.uk", "Example News"),
        # Words run together are split where a publication word or a number ends them.
        ("egyptindependent.com", "Egypt Independent"),
        ("nydailynews.com", "NY Daily News"),
        ("theexampletimes.com", "The Example Times"),
        ("cbsnews.com", "CBS News"),
        ("express.co.uk", "Express"),
        ("mybroadband.co.za", "Mybroadband"),
        ("kim.wits.ac.za", "WITS"),
        ("someone.blogspot.nl", "Someone"),
        ("https://www.france24.com/en/article", "France 24"),
        ("The Hill", "The Hill"),
        ("CNN (Online News)", "CNN"),
    ],
)
def test_site_name(value: str, expected: str) -> None:
    assert site_name(value) == expected


def test_host_of() -> None:
    assert host_of("http://a.example.org/path?q=1") == "a.example.org"
    assert host_of("Example News") is None


def test_colliding_site_names_keep_their_hosts() -> None:
    got = readable_outlets({"A1": "espn.go.com", "A2": "espn.co.uk", "A3": "bbc.co.uk"})
    assert got == {"A1": "espn.go.com", "A2": "espn.co.uk", "A3": "BBC"}
