"""Consensus selection: which source sentences carry the facts most outlets agree on.

Redundancy across independent outlets is the importance signal (a fact reported by four
outlets matters more than one reported by one), and MMR keeps the selection from repeating
itself. Each selected sentence comes with the passages in other articles that restate it, so
a summary sentence can cite every outlet that carries the fact.
"""

from __future__ import annotations

import re

from pydantic import Field

from summarize.contract import Strict
from summarize.ingest.document import Passage
from summarize.text.tfidf import TfIdf, cosine
from summarize.text.words import content_words

# Sentences that lean on the previous one ("He said…", "But…") read wrongly out of context.
_DANGLING = re.compile(
    r"^(he|she|they|it|this|that|these|those|but|and|so|yet|also|however|meanwhile|"
    r"nonetheless|still|then|there|here|his|her|their|its)\b",
    re.IGNORECASE,
)
_QUOTE_CHARS = ('"', "“", "”")


class Cluster(Strict):
    """A selected sentence (``lead``) and the passages elsewhere that restate it."""

    lead: Passage
    support: list[Passage] = Field(default_factory=list)  # other articles, most similar first
    outlets: int  # distinct non-duplicate articles carrying the fact (lead's included)
    score: float

    @property
    def passages(self) -> list[Passage]:
        return [self.lead, *self.support]


class ConsensusSettings(Strict):
    max_sentences: int = 7
    match_threshold: float = 0.32  # cosine at which two sentences state the same fact
    cite_threshold: float = 0.4  # stricter: a restatement close enough to cite
    redundancy_threshold: float = 0.3  # MMR: skip what the selection already says
    mmr_lambda: float = 0.7
    restatement_weight: float = 0.5  # score = outlets + this x summed restatement similarity
    position_weight: float = 0.3  # ... + this x how early in its article (inverted pyramid)
    lede_first: bool = True  # the first sentence is the main news, not the earliest fact
    min_words: int = 8
    max_words: int = 60


def _standalone(p: Passage, settings: ConsensusSettings) -> bool:
    n = len(p.text.split())
    if n < settings.min_words or n > settings.max_words:
        return False
    if _DANGLING.match(p.text.strip()) or p.text.rstrip().endswith("?"):
        return False
    # An odd number of double quotes means the sentence is a fragment of a longer quote.
    quotes = sum(p.text.count(c) for c in _QUOTE_CHARS)
    if quotes % 2:
        return False
    # A sentence that is nothing but a quotation does not say who is speaking.
    stripped = p.text.strip()
    return not (stripped[:1] in _QUOTE_CHARS and stripped.rstrip(".")[-1:] in _QUOTE_CHARS)


def select(passages: list[Passage], settings: ConsensusSettings) -> list[Cluster]:
    """Rank passages by cross-outlet support, then pick with MMR; story order is kept."""
    if not passages:
        return []
    tfidf = TfIdf([p.text for p in passages])
    vectors = {p.id: tfidf.vector(p.text) for p in passages}
    article_size: dict[str, int] = {}
    for p in passages:
        article_size[p.article] = max(article_size.get(p.article, 0), p.paragraph)

    candidates: list[Cluster] = []
    for p in passages:
        if not _standalone(p, settings) or len(content_words(p.text)) < 4:
            continue
        best: dict[str, tuple[float, Passage]] = {}
        for q in passages:
            if q.article == p.article:
                continue
            sim = cosine(vectors[p.id], vectors[q.id])
            if sim >= settings.match_threshold and sim > best.get(q.article, (0.0, q))[0]:
                best[q.article] = (sim, q)
        support = sorted(best.values(), key=lambda t: (-t[0], t[1].id))
        outlets = 1 + len(support)
        # Earlier paragraphs carry the news in inverted-pyramid writing.
        position = 1.0 - (p.paragraph - 1) / max(article_size[p.article], 1)
        score = (
            outlets
            + settings.restatement_weight * sum(s for s, _ in support)
            + settings.position_weight * position
        )
        cited = [q for s, q in support if s >= settings.cite_threshold]
        candidates.append(Cluster(lead=p, support=cited, outlets=outlets, score=score))

    candidates.sort(key=lambda c: (-c.score, c.lead.id))
    chosen: list[Cluster] = []
    top = candidates[0].score if candidates else 1.0
    while candidates and len(chosen) < settings.max_sentences:
        best_i, best_val = -1, float("-inf")
        for i, c in enumerate(candidates):
            overlap = max(
                (cosine(vectors[c.lead.id], vectors[s.lead.id]) for s in chosen), default=0.0
            )
            if overlap >= settings.redundancy_threshold:
                continue
            val = settings.mmr_lambda * c.score / top - (1 - settings.mmr_lambda) * overlap
            if val > best_val:
                best_i, best_val = i, val
        if best_i < 0:
            break
        chosen.append(candidates.pop(best_i))

    # Lede first: the fact the most outlets carry, earliest in their articles (the news);
    # then story order, by where each fact appears relative to its article's length.
    story = sorted(
        chosen, key=lambda c: (c.lead.paragraph / max(article_size[c.lead.article], 1), c.lead.id)
    )
    if not settings.lede_first or not story:
        return story
    lede = max(story, key=lambda c: (c.outlets, -c.lead.paragraph, c.score))
    return [lede, *(c for c in story if c is not lede)]
