"""Consensus selection: which source sentences carry the facts most outlets agree on.

Redundancy across independent outlets is the importance signal (a fact reported by four
outlets matters more than one reported by one), and MMR keeps the selection from repeating
itself. Each selected sentence comes with the passages in other articles that restate it, so
a summary sentence can cite every outlet that carries the fact.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

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
    # Length follows the event: one sentence per non-duplicate article plus
    # ``base_sentences``, at least ``min_sentences``, within the ``max_sentences`` budget
    # (``--max-sentences``). Three outlets give four sentences, about the length of an
    # editor's three-outlet roundup (NeuS: 111 words, 5.4 sentences).
    max_sentences: int = Field(default=10, ge=1)
    min_sentences: int = Field(default=3, ge=1)
    base_sentences: int = 4
    match_threshold: float = 0.32  # cosine at which two sentences state the same fact
    cite_threshold: float = 0.4  # stricter: a restatement close enough to cite
    redundancy_threshold: float = 0.3  # MMR: skip what the selection already says
    mmr_lambda: float = 0.7
    restatement_weight: float = 0.5  # score = outlets + this x summed restatement similarity
    position_weight: float = 0.3  # ... + this x how early in its article (inverted pyramid)
    lede_first: bool = True  # the first sentence is the main news, not the earliest fact
    # The lede is an opening sentence (this many paragraphs in) whose TF-IDF cosine with the
    # headlines' centroid is at least ``lede_min_headline``; headlines that are dates or site
    # names reach no sentence, and the most widely carried fact leads instead.
    lede_paragraphs: int = 2
    lede_min_headline: float = 0.15
    min_words: int = 8
    max_words: int = 60

    def budget(self, articles: int) -> int:
        """How many sentences an event of ``articles`` non-duplicate articles gets."""
        wanted = max(self.min_sentences, self.base_sentences + articles)
        return min(self.max_sentences, wanted)


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


class Neighbours:
    """Which vectors of a collection can reach a cosine of ``threshold`` with one of them,
    found without comparing every pair (all-pairs similarity search with prefix filtering:
    Bayardo, Ma and Srikant, WWW 2007).

    Terms are ordered from the most common to the rarest. Each vector leaves out its longest
    run of most common terms whose norm stays under ``LEFT_OUT`` x the threshold (its
    left-out norm), and is indexed under the rest, its rarer terms. Any two vectors share
    their terms either in both indexed parts or in the left-out part of the one that leaves
    out more of the order; by Cauchy-Schwarz the latter contribute at most that left-out norm
    times the other's norm. So two vectors at or above the threshold share an indexed term,
    and their cosine is at most the product over the shared indexed terms plus that bound.
    ``of(i)`` returns every vector whose bound reaches the threshold with vector ``i`` (a
    superset: the caller computes the exact cosine); common terms, the long posting lists
    that make pairwise comparison quadratic, stay out of the index."""

    # The share of the threshold left to terms outside the index: a larger share indexes
    # fewer terms but loosens the bound (1.0 would prune almost nothing beyond the shared
    # term); half measured fastest on a 200-article event (10k candidate pairs of 5M).
    LEFT_OUT = 0.5

    def __init__(self, vectors: list[dict[str, float]], threshold: float) -> None:
        df: Counter[str] = Counter(t for v in vectors for t in v)
        # Norms are 1 up to rounding; the largest one bounds the other vector's.
        self.top = max((math.sqrt(sum(w * w for w in v.values())) for v in vectors), default=1.0)
        self.threshold = threshold
        room = self.LEFT_OUT * threshold / (self.top * (1 + 1e-9))
        limit = room * room if threshold > 0 else 0.0
        self.postings: dict[str, list[tuple[int, float]]] = {}
        self.indexed: list[list[tuple[str, float]]] = []
        self.left_out: list[float] = []
        for i, v in enumerate(vectors):
            terms = sorted(v, key=lambda t: (-df[t], t))  # most common first
            left_out, k = 0.0, 0
            while k < len(terms) and left_out + v[terms[k]] ** 2 < limit:
                left_out += v[terms[k]] ** 2
                k += 1
            self.left_out.append(math.sqrt(left_out))
            self.indexed.append([(t, v[t]) for t in terms[k:]])
            for t in terms[k:]:
                self.postings.setdefault(t, []).append((i, v[t]))

    def of(self, i: int) -> list[int]:
        """Indices (ascending) of every vector that may reach the threshold with vector
        ``i``, ``i`` itself included."""
        shared: dict[int, float] = {}
        for t, w in self.indexed[i]:
            for j, wj in self.postings[t]:
                shared[j] = shared.get(j, 0.0) + w * wj
        # The margin absorbs rounding: a candidate too many is checked, none is lost.
        floor = self.threshold - 1e-9
        mine = self.left_out[i]
        return sorted(
            j for j, dot in shared.items() if dot + self.top * max(mine, self.left_out[j]) >= floor
        )


def select(
    passages: list[Passage], settings: ConsensusSettings, titles: Sequence[str] = ()
) -> list[Cluster]:
    """The lede (the opening sentence closest to the outlets' ``titles``), then passages
    ranked by cross-outlet support, picked with MMR; story order is kept after the lede."""
    if not passages:
        return []
    tfidf = TfIdf([p.text for p in passages])
    vectors = {p.id: tfidf.vector(p.text) for p in passages}
    # Only restatements at or above the match threshold count (a cosine of 0 never does).
    neighbours = Neighbours([vectors[p.id] for p in passages], settings.match_threshold)
    article_size: dict[str, int] = {}
    for p in passages:
        article_size[p.article] = max(article_size.get(p.article, 0), p.paragraph)

    candidates: list[Cluster] = []
    for i, p in enumerate(passages):
        if not _standalone(p, settings) or len(content_words(p.text)) < 4:
            continue
        best: dict[str, tuple[float, Passage]] = {}
        for j in neighbours.of(i):
            q = passages[j]
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
    budget = settings.budget(len(article_size))
    lede = (
        _headline_lede(candidates, titles, tfidf, vectors, len(article_size), settings)
        if settings.lede_first
        else None
    )
    chosen: list[Cluster] = []
    top = candidates[0].score if candidates else 1.0
    if lede is not None:
        candidates.remove(lede)
    # Each candidate's largest similarity to the selection so far, updated with the newest
    # pick only (the selection grows by one a round).
    overlaps = [0.0] * len(candidates)
    picked: Cluster | None = lede
    while True:
        if picked is not None:
            chosen.append(picked)
            new = vectors[picked.lead.id]
            overlaps = [
                max(o, cosine(vectors[c.lead.id], new))
                for o, c in zip(overlaps, candidates, strict=True)
            ]
        if not candidates or len(chosen) >= budget:
            break
        best_i, best_val = -1, float("-inf")
        for i, c in enumerate(candidates):
            overlap = overlaps[i]
            if overlap >= settings.redundancy_threshold:
                continue
            val = settings.mmr_lambda * c.score / top - (1 - settings.mmr_lambda) * overlap
            if val > best_val:
                best_i, best_val = i, val
        if best_i < 0:
            break
        picked = candidates.pop(best_i)
        del overlaps[best_i]

    # Lede first; then story order, by where each fact appears relative to its article's
    # length.
    story = sorted(
        chosen, key=lambda c: (c.lead.paragraph / max(article_size[c.lead.article], 1), c.lead.id)
    )
    if not settings.lede_first or not story:
        return story
    if lede is None:
        # No headline to go by: the fact the most outlets carry, earliest in their articles.
        lede = max(story, key=lambda c: (c.outlets, -c.lead.paragraph, c.score))
    return [lede, *(c for c in story if c is not lede)]


def _headline_lede(
    candidates: list[Cluster],
    titles: Sequence[str],
    tfidf: TfIdf,
    vectors: dict[str, dict[str, float]],
    articles: int,
    settings: ConsensusSettings,
) -> Cluster | None:
    """The main news: among the opening paragraphs' sentences, the one closest to what the
    outlets' headlines say together (the centroid of their vectors), weighted by the share
    of outlets that carry it. None when no opening sentence is close enough to the
    headlines (none given, or headlines that are dates and site names)."""
    vecs = [tfidf.vector(t) for t in titles if t.strip()]
    centroid: dict[str, float] = {}
    for vec in vecs:
        for term, weight in vec.items():
            centroid[term] = centroid.get(term, 0.0) + weight
    norm = math.sqrt(sum(w * w for w in centroid.values()))
    if not norm:
        return None
    centroid = {t: w / norm for t, w in centroid.items()}
    best: tuple[float, Cluster] | None = None
    for c in candidates:
        if c.lead.paragraph > settings.lede_paragraphs:
            continue
        closeness = cosine(vectors[c.lead.id], centroid)
        if closeness < settings.lede_min_headline:
            continue
        value = closeness * (1 + c.outlets / max(articles, 1))
        if best is None or value > best[0]:
            best = (value, c)
    return best[1] if best else None
