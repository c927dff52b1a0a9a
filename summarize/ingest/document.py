"""In-memory models of the input: an event, its articles, their paragraphs and passages.

These flow between the load -> clean -> segment stages. The output contract lives in
``contract.py``; these models are the pipeline's internal boundary.
"""

from __future__ import annotations

from pydantic import Field

from summarize.contract import OutletSource, Strict


class DroppedParagraph(Strict):
    text: str
    reason: str


class Article(Strict):
    """One source article. ``paragraphs`` is what survives cleaning; ``raw_paragraphs`` is
    everything the loader found, in order."""

    id: str  # stable within an event: "A1", "A2", ... in input order
    path: str  # file path, or "<jsonl path>#<event id>/<article id>" for clusters
    outlet: str | None = None
    outlet_source: OutletSource | None = None  # where ``outlet`` came from
    title: str | None = None
    date: str | None = None
    url: str | None = None
    raw_paragraphs: list[str] = Field(default_factory=list)
    paragraphs: list[str] = Field(default_factory=list)
    dropped: list[DroppedParagraph] = Field(default_factory=list)
    duplicate_of: str | None = None
    extra: dict[str, str] = Field(default_factory=dict)


class Event(Strict):
    id: str
    title: str | None = None
    articles: list[Article]
    reference_summary: str | None = None
    warnings: list[str] = Field(default_factory=list)


class Passage(Strict):
    """One sentence of a kept paragraph, or an article's title; the unit every citation
    points at.

    ``id`` is ``<article>.p<paragraph>.s<sentence>`` (1-based), e.g. ``A3.p2.s1``; it depends
    only on the article's position and its cleaned text, so re-runs cite the same ids. A
    title passage is ``<article>.t`` with paragraph 0 (``segmenter.title_passages``), so
    body ids never shift when titles are added.
    """

    id: str
    article: str
    paragraph: int
    sentence: int
    text: str
