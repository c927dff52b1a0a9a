"""Segment stage: kept paragraphs of non-duplicate articles -> sentence ``Passage`` objects.

pysbd keeps quoted speech with its attribution (``"…," he said.``) and knows abbreviations
(U.S., Mr., p.m.). Its sentences are located back in the paragraph so every ``Passage.text``
is an exact substring of the kept paragraph: citations and verbatim-quote checks rely on it.
Ids are ``<article>.p<n>.s<m>`` (1-based, over kept paragraphs), so they depend only on the
article's position and its cleaned text and are stable across re-runs.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pysbd

from summarize.document import Event, Passage

_HAS_WORD = re.compile(r"\w")


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    # clean=False: pysbd must not rewrite the text, or sentences stop being substrings.
    return pysbd.Segmenter(language="en", clean=False)


def split_sentences(paragraph: str) -> list[str]:
    """Sentences of one paragraph, each an exact, stripped substring of it, in order.

    Fragments without any word character (a stray ``.`` after ``..``) are glued onto the
    previous sentence instead of becoming passages of their own.
    """
    spans: list[tuple[int, int]] = []
    cursor = 0
    for raw in _segmenter().segment(paragraph):
        piece = raw.strip()
        if not piece:
            continue
        start = paragraph.find(piece, cursor)
        if start < 0:  # pysbd altered the text after all: fall back to one unsplit remainder
            rest = paragraph[cursor:].strip()
            if rest:
                start = paragraph.find(rest, cursor)
                spans.append((start, start + len(rest)))
            cursor = len(paragraph)
            break
        end = start + len(piece)
        if spans and not _HAS_WORD.search(piece):
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
        cursor = end
    tail = paragraph[cursor:].strip()
    if tail:  # pysbd dropped trailing text: keep it rather than lose it
        start = paragraph.find(tail, cursor)
        spans.append((start, start + len(tail)))
    return [paragraph[a:b] for a, b in spans if _HAS_WORD.search(paragraph[a:b])]


def segment(event: Event) -> list[Passage]:
    """Passages of every kept paragraph of every non-duplicate article, in article order."""
    passages: list[Passage] = []
    for article in event.articles:
        if article.duplicate_of is not None:
            continue
        for p_index, paragraph in enumerate(article.paragraphs, start=1):
            for s_index, sentence in enumerate(split_sentences(paragraph), start=1):
                passages.append(
                    Passage(
                        id=f"{article.id}.p{p_index}.s{s_index}",
                        article=article.id,
                        paragraph=p_index,
                        sentence=s_index,
                        text=sentence,
                    )
                )
    return passages
