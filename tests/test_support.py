"""Hand-built cases for the exact signals, retrieval and the verifier's lexical support."""

from __future__ import annotations

import time
from pathlib import Path

from summarize.support import (
    entities,
    lexical_support,
    negation_flip,
    numbers,
    retrieve,
    signals,
    split_sentences,
)

SOURCE = (
    "President François Hollande met Vladimir Putin in Moscow on Dec. 29. "
    "They agreed to strike only terrorists and not to strike forces fighting terrorism. "
    'Putin said the talks were "constructive and trustful". About 130 people attended.'
)


def test_split_sentences() -> None:
    assert split_sentences("") == []
    assert split_sentences("One here. Two there!\nThree") == ["One here.", "Two there!", "Three"]


def test_numbers_normalised() -> None:
    values = {
        v for _, v in numbers("one hundred and thirty, 2 million, 2,000,000, twenty-one, 3.5")
    }
    assert values == {130.0, 2e6, 21.0, 3.5}
    assert numbers("") == []
    assert numbers("one of them") == []  # a lone "one" is a pronoun far more often


def test_number_signal() -> None:
    assert signals("One hundred and thirty people attended.", [SOURCE]).numbers_missing == []
    assert signals("About 150 people attended.", [SOURCE]).numbers_missing == ["150"]


def test_entities_fold_diacritics_and_months() -> None:
    assert ("Vladimir Putin", ["vladimir", "putin"]) in entities(SOURCE)
    s = signals("Francois Hollande met Putin in December.", [SOURCE])
    assert s.entities_missing == []
    assert signals("Hollande met Putin in Berlin.", [SOURCE]).entities_missing == ["Berlin"]


def test_demonyms_match_their_country_and_nothing_else() -> None:
    source = "A mine collapsed in northern China on Wednesday, officials in France said."
    assert signals("A Chinese mine collapsed.", [source]).entities_missing == []
    assert signals("French officials spoke.", [source]).entities_missing == []
    assert signals("A Japanese mine collapsed.", [source]).entities_missing == ["Japanese"]
    # and the other way round: the claim names the country, the source its demonym
    assert signals("China reported it.", ["Chinese officials reported it."]).entities_missing == []


def test_quotes() -> None:
    assert (
        signals('Putin called the talks "constructive and trustful".', [SOURCE]).quotes_missing
        == []
    )
    s = signals('Putin called the talks "a great success".', [SOURCE])
    assert s.quotes == 1 and s.quotes_missing == ["a great success"]


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


def test_coverage_and_degenerate_inputs() -> None:
    assert signals("", [SOURCE]).coverage == 0.0
    empty = signals("Putin met Hollande.", [])
    assert empty.coverage == 0.0 and empty.best_sentence == ""
    assert empty.entities_missing == ["Hollande"]  # a lone sentence-initial word is skipped
    assert signals("Hollande met Putin in Moscow.", [SOURCE]).coverage == 1.0


def test_retrieve() -> None:
    sentences = split_sentences(SOURCE)
    top = retrieve("Putin called the talks constructive", sentences, k=2)
    assert top[0][0] == 2 and len(top) <= 2
    assert top == sorted(top, key=lambda p: -p[1])
    assert retrieve("", sentences) == [] and retrieve("Putin", [], k=3) == []
    assert retrieve("Putin", sentences, k=0) == []


def test_lexical_support_range_and_order() -> None:
    good = lexical_support("Hollande met Putin in Moscow.", [SOURCE])
    bad = lexical_support("Merkel met Obama in Berlin.", [SOURCE])
    assert 0.0 <= bad < good <= 1.0
    assert lexical_support("", [SOURCE]) == 0.0
    assert lexical_support("Hollande met Putin.", []) == 0.0
    assert lexical_support("Hollande met Putin.", ["   "]) == 0.0


def test_signals_fast_on_seed_event(seed_event_dir: Path) -> None:
    sources = [p.read_text(encoding="utf-8") for p in sorted(seed_event_dir.glob("*.txt"))]
    start = time.perf_counter()
    for _ in range(10):
        signals("Hollande and Putin agreed to strike only terrorist groups", sources)
    assert (time.perf_counter() - start) / 10 < 0.5  # the verifier calls it per sentence
