"""The sentence splitter gives the same sentences when threads split side by side (batches
run events on threads; pysbd's Segmenter keeps per-call state)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

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
