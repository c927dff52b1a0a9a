"""The sentence splitter gives the same sentences when threads split side by side (batches
run events on threads; pysbd's Segmenter keeps per-call state), and its one-sentence shortcut
gives what pysbd gives."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pysbd
import pytest

from summarize.text import sentences
from summarize.text.sentences import split_sentences
from tests.helpers.builders import seed


def test_threads_split_like_one_thread() -> None:
    event, _ = seed()
    paragraphs = [p for a in event.articles for p in a.paragraphs] * 4
    alone = [split_sentences(p) for p in paragraphs]
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(split_sentences, paragraphs))
    assert together == alone
    assert sum(len(s) for s in alone) > len(paragraphs)  # real multi-sentence paragraphs


# Paragraphs pysbd splits although they hold no sentence-final punctuation before their end,
# and ordinary one-sentence paragraphs: the shortcut must answer as pysbd does for each.
TRICKY = [
    "“ My client is in that facility right now, ” Heller argued after a hearing.",
    "(Tue, 16 Aug 2011) This morning one provider experienced an outage",
    "He said “we will stay” and left",
    "Putin met Hollande in Moscow on Thursday",
    "The U.S. and Russia agreed",
    "Prices rose 2.5 percent in June",
    "Wait… what happened next",
    "Is it over? Nobody knows",
    "One sentence that ends here.",
    "One sentence that ends in a quote.”",
    "  padded with spaces  ",
    "...",
    "",
]


def test_one_sentence_shortcut_answers_as_pysbd(monkeypatch: pytest.MonkeyPatch) -> None:
    event, _ = seed()
    paragraphs = [*TRICKY, *(p for a in event.articles for p in a.paragraphs)]
    fast = [split_sentences(p) for p in paragraphs]
    assert any(sentences._one_sentence(p) for p in paragraphs)
    monkeypatch.setattr(sentences, "_one_sentence", lambda _: False)
    assert [split_sentences(p) for p in paragraphs] == fast


def test_sentences_are_pysbd_s_own(monkeypatch: pytest.MonkeyPatch) -> None:
    """What pysbd's ``segment`` returns, located without its per-sentence regular
    expressions: the same sentences as splitting on ``segment``'s own answer."""
    event, _ = seed()
    paragraphs = [*TRICKY, *(p for a in event.articles for p in a.paragraphs)]
    monkeypatch.setattr(sentences, "_one_sentence", lambda _: False)
    fast = [split_sentences(p) for p in paragraphs]
    segmenter = pysbd.Segmenter(language="en", clean=False)

    class Segmented:
        def __init__(self, text: str) -> None:
            self.text = text

        def process(self) -> list[str]:
            return list(segmenter.segment(self.text))

    class ViaSegment:
        def processor(self, text: str) -> Segmented:
            return Segmented(text)

    monkeypatch.setattr(sentences, "_segmenter", ViaSegment)
    assert [split_sentences(p) for p in paragraphs] == fast
    assert sum(len(s) for s in fast) > len(paragraphs)
