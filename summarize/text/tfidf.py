"""TF-IDF vectors over a fixed collection, cosine similarity and Jaccard overlap."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence

from summarize.text.words import content_words


class TfIdf:
    """TF-IDF vectors over a fixed collection; cosine similarity between any two texts."""

    def __init__(self, documents: Sequence[str]) -> None:
        self._df: Counter[str] = Counter()
        for doc in documents:
            self._df.update(set(content_words(doc)))
        self._n = max(len(documents), 1)

    def idf(self, term: str) -> float:
        return math.log((1 + self._n) / (1 + self._df.get(term, 0))) + 1.0

    def vector(self, text: str) -> dict[str, float]:
        counts = Counter(content_words(text))
        vec = {t: (1 + math.log(c)) * self.idf(t) for t, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {t: v / norm for t, v in vec.items()}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def jaccard(a: Iterable[str], b: Iterable[str]) -> float:
    sa, sb = set(a), set(b)
    if not sa and not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)
