"""Entity index: neutral canonical names across outlets."""

from __future__ import annotations

import random
import re

from summarize.analysis.entities import EntityIndex, _sentence_start
from tests.helpers.builders import make_event, seed


def test_canonical_names_fold_titles_and_diacritics() -> None:
    _, passages = make_event(
        [
            "Title\nFrench President François Hollande met officials on Monday.\n"
            "Hollande said the talks went well.",
            "Title\nFrancois Hollande arrived in the capital. Russian President Vladimir Putin "
            "greeted him.\nPutin said the meeting was useful.",
        ]
    )
    idx = EntityIndex.build(passages)
    assert idx.resolve("Hollande") == idx.resolve("François Hollande")
    assert idx.resolve("Francois Hollande") == idx.resolve("Hollande")
    assert idx.resolve("Putin") == "Vladimir Putin"
    assert idx.side("Vladimir Putin") == "Russia"
    assert idx.resolve("Moscow") == "Russia" and idx.resolve("the Kremlin") == "Russia"
    mentions = idx.mentions("French President François Hollande met officials.")
    assert [m.entity for m in mentions] == [idx.resolve("Hollande")]


def test_seed_entities_merge_spellings() -> None:
    _, passages = seed()
    idx = EntityIndex.build(passages)
    persons = [e.canonical for e in idx.entities.values() if e.kind == "person"]
    # Misspelled and al-/no-al- variants are one person each.
    assert len([n for n in persons if n.endswith("Putin")]) == 1
    assert len([n for n in persons if n.endswith("Assad")]) == 1
    assert len([n for n in persons if n.endswith("Obama")]) == 1
    assert idx.resolve("Turkish authorities") == "Turkey"
    assert "Islamic State" in idx.canonical_names()


def test_empty() -> None:
    idx = EntityIndex.build([])
    assert idx.mentions("") == []
    assert idx.resolve("Nobody") is None


# The definition ``_sentence_start`` implements without scanning the text before the word.
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“”‘(\[…]|\s[-–—])\s*$")


def test_sentence_start_is_the_regular_expression_it_replaces() -> None:
    rng = random.Random(5)
    alphabet = "ab .!?:;\"“”‘([…-–—\n\t\u00a0\u2028,'x"
    for _ in range(20000):
        text = "".join(rng.choices(alphabet, k=rng.randint(0, 8))) + "W"
        at = len(text) - 1
        expected = bool(_SENTENCE_START.search(text[:at]))
        assert _sentence_start(text, at) == expected, repr(text)
