"""The text toolkit: the sentence splitter, numbers, name spans, negation and retrieval."""

from __future__ import annotations

from summarize.text.bm25 import retrieve
from summarize.text.names import name_spans
from summarize.text.negation import negation_flip
from summarize.text.numbers import numbers
from summarize.text.sentences import split_text

SOURCE = (
    "President François Hollande met Vladimir Putin in Moscow on Dec. 29. "
    "They agreed to strike only terrorists and not to strike forces fighting terrorism. "
    'Putin said the talks were "constructive and trustful". About 130 people attended.'
)


def test_split_text() -> None:
    assert split_text("") == []
    assert split_text("One here. Two there!\nThree") == ["One here.", "Two there!", "Three"]


def test_numbers_normalised() -> None:
    values = {
        n.value for n in numbers("one hundred and thirty, 2 million, 2,000,000, twenty-one, 3.5")
    }
    assert values == {130.0, 2e6, 21.0, 3.5}
    assert numbers("") == []
    assert numbers("one of them") == []  # a lone "one" is a pronoun far more often


def test_number_spans_point_at_the_number() -> None:
    text = "It killed 12 people and two hundred cattle."
    assert [(text[n.start : n.end], n.value, n.spelled) for n in numbers(text)] == [
        ("12", 12.0, False),
        ("two hundred", 200.0, True),
    ]


def test_name_spans_fold_diacritics_and_skip_sentence_starts() -> None:
    spans = name_spans(SOURCE)
    assert ("President François Hollande", ["president", "francois", "hollande"]) in spans
    assert ("Vladimir Putin", ["vladimir", "putin"]) in spans
    assert ("Dec", ["december"]) in spans  # month abbreviations take one canonical form
    assert not [s for s, _ in spans if s in ("They", "Putin", "About")]  # sentence starts


def test_negation_flip_both_ways() -> None:
    plain = "They agreed to strike forces fighting terrorism."
    assert negation_flip(plain, "They agreed not to strike forces fighting terrorism.")
    assert negation_flip("They did not strike forces fighting terrorism.", plain)
    assert not negation_flip(plain, plain)
    # The negating side also states the shared words plainly: no flip.
    assert not negation_flip(
        "They agreed to strike only terrorist groups.",
        "They agreed to strike only terrorist groups, and not to strike the groups fighting them.",
    )


def test_retrieve() -> None:
    sentences = split_text(SOURCE)
    top = retrieve("Putin called the talks constructive", sentences, k=2)
    assert top[0][0] == 2 and len(top) <= 2
    assert top == sorted(top, key=lambda p: -p[1])
    assert retrieve("", sentences) == [] and retrieve("Putin", [], k=3) == []
    assert retrieve("Putin", sentences, k=0) == []
