"""Reception words: warm or cool, turned by a negator just before them."""

from __future__ import annotations

import pytest

from summarize.text.reactions import reactions


@pytest.mark.parametrize(
    ("text", "polarity", "surface"),
    [
        ('She said the deal would be "enormously helpful."', "warm", "helpful"),
        # A degree adverb between the negator and the word does not stop the negator.
        ("He said it would not be very helpful.", "cool", "helpful"),
        ("He said it would not be particularly helpful.", "cool", "helpful"),
        ("The deal was not widely welcomed.", "cool", "welcomed"),
        ("He gave the idea a much cooler reception.", "cool", "much cooler reception"),
        ("The minister welcomed the plan.", "warm", "welcomed"),
        ("The minister did not welcome the plan.", "cool", "welcome"),
        ("Officials were sceptical of the offer.", "cool", "sceptical"),
        ("The union never rejected the offer.", "warm", "rejected"),
    ],
)
def test_reaction_polarity(text: str, polarity: str, surface: str) -> None:
    (r,) = reactions(text)
    assert (r.polarity, r.surface) == (polarity, surface)
    assert text[r.start : r.end] == surface


def test_no_reaction_in_plain_report() -> None:
    assert reactions("The two leaders met in Moscow on Thursday and talked for three hours.") == []
