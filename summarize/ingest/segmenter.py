"""Segment stage: kept paragraphs of non-duplicate articles -> sentence ``Passage`` objects.

Sentences come from ``text.sentences`` (pysbd), each an exact substring of its paragraph.
Ids are ``<article>.p<n>.s<m>`` (1-based, over kept paragraphs), so they depend only on the
article's position and its cleaned text and are stable across re-runs.
"""

from __future__ import annotations

from summarize.ingest.document import Event, Passage
from summarize.text.sentences import split_sentences


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
