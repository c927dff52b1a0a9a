"""Segment stage: kept paragraphs of non-duplicate articles -> sentence ``Passage`` objects.

Sentences come from ``text.sentences`` (pysbd), each an exact substring of its paragraph.
Ids are ``<article>.p<n>.s<m>`` (1-based, over kept paragraphs), so they depend only on the
article's position and its cleaned text and are stable across re-runs.

Titles are passages of their own (``title_passages``: ``<article>.t``, paragraph 0), kept out
of ``segment`` so that the body's ids and the body-only stages (consensus, attribution) are
unchanged: a headline is citable (framing quotes it) but is not a sentence of the story.
"""

from __future__ import annotations

from collections.abc import Sequence

from summarize.ingest.document import Article, Event, Passage
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


def title_passages(articles: Sequence[Article]) -> list[Passage]:
    """One passage per non-duplicate article with a title: id ``<article>.t``, paragraph 0,
    its text the title exactly as the input gives it (stripped)."""
    return [
        Passage(id=title_id(a.id), article=a.id, paragraph=0, sentence=1, text=a.title.strip())
        for a in articles
        if a.duplicate_of is None and a.title and a.title.strip()
    ]


def title_id(article_id: str) -> str:
    return f"{article_id}.t"


def is_title(passage: Passage) -> bool:
    return passage.paragraph == 0
