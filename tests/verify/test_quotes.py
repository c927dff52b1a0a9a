"""The one definition of "verbatim": normalised matching that returns the source's characters,
and the shortcut for plain passages (single spaces, nothing invisible) giving exactly what the character map gives."""

import pytest

from summarize.text.words import normalize_quote
from summarize.verify.quotes import _mapped, _plain, find_verbatim

PLAIN = [
    "Putin said Russia was ready to cooperate with the coalition.",
    'The minister said "we will not back down" on Tuesday, and left.',
    "Ends with a space ",
    "It's a 2-1 vote (a narrow one); 'quoted' words.",
    "The minister said “we will not back down” on Tuesday, and left.",
    "Non-ASCII but printable: café, naïve, “curly”, ‘single’ — and 2–1.",
    "A\u00a0no-break space, a\ttab and a\nline break, one at a time.",
]


@pytest.mark.parametrize("passage", PLAIN)
@pytest.mark.parametrize(
    "quote",
    [
        "ready to cooperate",
        "we will not back down",
        '"we will not back down"',
        "a space ",
        "2-1 vote",
        "not in it",
        "said",
        "“curly”, ‘single’",
        "naïve",
    ],
)
def test_plain_passages_match_as_the_character_map_does(passage: str, quote: str) -> None:
    assert _plain(passage)
    target = normalize_quote(quote).strip(" \"'")
    assert find_verbatim(quote, passage) == _mapped(target, passage)


@pytest.mark.parametrize(
    "passage",
    [
        "Two  spaces here",
        " leading space",
        "tab\t\tpair",
        "a \u00a0run",
        "\u00a0leading",
        "zero\u200bwidth",
    ],
)
def test_passages_that_normalise_differently_take_the_character_map(passage: str) -> None:
    assert not _plain(passage)


def test_quote_with_other_spacing_and_quotes_returns_the_source_characters() -> None:
    passage = "He said:  “we   will  stay”\tand left."
    assert find_verbatim('"we will stay"', passage) == "we   will  stay"
    assert find_verbatim("said: “we will", passage) == "said:  “we   will"
    assert find_verbatim("we will go", passage) is None


def test_invisible_characters_are_ignored_but_kept() -> None:
    passage = "The vote\u200b passed easily."
    assert find_verbatim("vote passed", passage) == "vote\u200b passed"
