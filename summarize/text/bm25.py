"""BM25 over stemmed content words, and evidence retrieval with it."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from summarize.text.words import content_words


class BM25:
    def __init__(self, docs: Sequence[Sequence[str]], k1: float = 1.2, b: float = 0.75) -> None:
        self.docs = [Counter(d) for d in docs]
        self.lengths = [len(d) for d in docs]
        self.avg = (sum(self.lengths) / len(docs)) if docs else 0.0
        df: Counter[str] = Counter()
        for d in self.docs:
            df.update(d.keys())
        n = len(docs)
        self.idf = {t: math.log(1 + (n - c + 0.5) / (c + 0.5)) for t, c in df.items()}
        self.k1, self.b = k1, b

    def score(self, query: Sequence[str], i: int) -> float:
        doc, norm = self.docs[i], 1 - self.b + self.b * self.lengths[i] / (self.avg or 1.0)
        return sum(
            self.idf[t] * doc[t] * (self.k1 + 1) / (doc[t] + self.k1 * norm)
            for t in set(query)
            if t in doc
        )


def retrieve(claim: str, sentences: Sequence[str], k: int = 5) -> list[tuple[int, float]]:
    """The ``k`` best-matching sentences for ``claim`` by BM25 over stemmed content words:
    (index, score), best first; ties keep source order; zero-score sentences are left out."""
    query = content_words(claim)
    if not query or not sentences or k <= 0:
        return []
    index = BM25([content_words(s) for s in sentences])
    scored = [(i, index.score(query, i)) for i in range(len(sentences))]
    scored = [p for p in scored if p[1] > 0]
    scored.sort(key=lambda p: (-p[1], p[0]))
    return scored[:k]
