"""Hand-built cases for the exact signals and the verifier's lexical support."""

from __future__ import annotations

from summarize.verify.support import lexical_support, signals
from tests.text.test_text import SOURCE


def test_number_signal() -> None:
    assert signals("One hundred and thirty people attended.", [SOURCE]).numbers_missing == []
    assert signals("About 150 people attended.", [SOURCE]).numbers_missing == ["150"]


def test_entities_fold_diacritics_and_months() -> None:
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


def test_coverage_and_degenerate_inputs() -> None:
    assert signals("", [SOURCE]).coverage == 0.0
    empty = signals("Putin met Hollande.", [])
    assert empty.coverage == 0.0 and empty.best_sentence == ""
    assert empty.entities_missing == ["Hollande"]  # a lone sentence-initial word is skipped
    assert signals("Hollande met Putin in Moscow.", [SOURCE]).coverage == 1.0


def test_lexical_support_range_and_order() -> None:
    good = lexical_support("Hollande met Putin in Moscow.", [SOURCE])
    bad = lexical_support("Merkel met Obama in Berlin.", [SOURCE])
    assert 0.0 <= bad < good <= 1.0
    assert lexical_support("", [SOURCE]) == 0.0
    assert lexical_support("Hollande met Putin.", []) == 0.0
    assert lexical_support("Hollande met Putin.", ["   "]) == 0.0
