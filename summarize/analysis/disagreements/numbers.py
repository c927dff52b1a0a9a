"""Outlet number discrepancies: the same counted thing (same head noun, verb and named
subject, overlapping context) reported with different values by different outlets. Holders
are outlets (the article's outlet, else its id). Numbers come from ``text.numbers``."""

from __future__ import annotations

import re
from collections import defaultdict

from summarize.analysis.disagreements.candidate import CandidateSide, ConflictCandidate
from summarize.ingest.document import Passage
from summarize.text.lexicon import STOPWORDS
from summarize.text.numbers import NUMBER_WORDS, numbers
from summarize.text.tfidf import jaccard
from summarize.text.words import content_words, fold

_DATEISH = re.compile(
    r"january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|a\.m|p\.m|am|pm|gmt|utc",
    re.IGNORECASE,
)
_TOKEN = re.compile(r"\S+")
_EDGE = ',.;:()"“”'
_SKIP_BEFORE = frozenset(
    [
        "of",
        "over",
        "about",
        "nearly",
        "almost",
        "around",
        "some",
        "least",
        "roughly",
        "approximately",
        "than",
        "up",
        "under",
    ]
)


def _mentions(p: Passage) -> list[tuple[float, str, set[str], int, int, set[str]]]:
    """(value, head noun, context words, quote start, quote end, names) per number."""
    out = []
    toks = list(_TOKEN.finditer(p.text))
    token_at = {pos: i for i, tok in enumerate(toks) for pos in range(tok.start(), tok.end())}
    for number in numbers(p.text):
        first, last = token_at.get(number.start), token_at.get(number.end - 1)
        if first is None or last is None:
            continue
        k, k_end = first, last
        # The number must stand alone in its tokens: "$5", "5%", "5-year" are not counts.
        if p.text[toks[k].start() : toks[k_end].end()].strip(_EDGE) != number.surface:
            continue
        value = number.value
        window = " ".join(t.group() for t in toks[max(0, k - 2) : k_end + 3])
        if _DATEISH.search(window):
            continue
        if not number.spelled and 1900 <= value <= 2100 and "," not in number.surface:
            continue  # a year: a different fact, not a different count
        nxt = toks[k_end + 1].group().lower() if k_end + 1 < len(toks) else ""
        prv = toks[k - 1].group().lower() if k > 0 else ""
        if nxt in ("-", "–", "of", "to", "and", "or") or prv in _SKIP_BEFORE:
            continue  # "29 of 34", "a 7 - yard", "over 350": not a precise count
        names = {
            fold(t.group())
            for t in toks[max(0, k - 6) : k_end + 7]
            if t.group()[0].isupper() and fold(t.group()) not in STOPWORDS
        }
        before = content_words(" ".join(t.group() for t in toks[max(0, k - 3) : k]))
        verb = before[-1] if before else ""
        after = [
            w
            for w in content_words(" ".join(t.group() for t in toks[k_end + 1 : k_end + 4]))
            if not w[0].isdigit()
        ]
        if not after:
            continue
        head = after[0]
        lo, hi = max(0, k - 6), min(len(toks), k_end + 7)
        context = set(content_words(" ".join(t.group() for t in toks[lo:hi]))) - {head}
        context = {w for w in context if not w[0].isdigit() and w not in NUMBER_WORDS}
        q0, q1 = toks[max(0, k - 4)].start(), toks[min(len(toks), k_end + 4) - 1].end()
        out.append((value, head, context, q0, q1, names | {"@" + verb}))
    return out


def number_candidates(kept: list[Passage], outlet: dict[str, str]) -> list[ConflictCandidate]:
    """Pairs of outlets giving different values for the same counted thing."""
    found = [(p, *m) for p in kept for m in _mentions(p)]
    # Values each outlet reports per head noun: an outlet that also reports the other value
    # is telling a different fact, not contradicting.
    reported: dict[tuple[str, str], set[float]] = defaultdict(set)
    for p, value, head, *_rest in found:
        reported[(outlet[p.article], head)].add(value)
    out: list[ConflictCandidate] = []
    seen: set[tuple[str, float, float]] = set()
    for i, (pa, va, ha, ca, a0, a1, na) in enumerate(found):
        for pb, vb, hb, cb, b0, b1, nb in found[i + 1 :]:
            oa, ob = outlet[pa.article], outlet[pb.article]
            if ha != hb or va == vb or oa == ob:
                continue
            if vb in reported[(oa, ha)] or va in reported[(ob, hb)]:
                continue
            verb_a = next(x for x in na if x.startswith("@"))
            verb_b = next(x for x in nb if x.startswith("@"))
            names_a, names_b = na - {verb_a}, nb - {verb_b}
            if verb_a != verb_b or (names_a and names_b and not (names_a & names_b)):
                continue  # a different verb or named subject: a different fact
            overlap = jaccard(ca, cb)
            shared = ca & cb
            if overlap < 0.2 or len(shared) < 2:
                continue
            key = (ha, min(va, vb), max(va, vb))
            if key in seen:
                continue
            seen.add(key)
            closeness = min(va, vb) / max(va, vb) if max(va, vb) else 0.0
            score = round(2.0 * overlap + 0.5 * closeness, 3)
            topic = f"number of {ha}" + (f" ({', '.join(sorted(shared)[:3])})" if shared else "")
            sides = [
                CandidateSide(
                    holder=o,
                    claim=f"Reports {p.text[q0:q1]!r}",
                    passage=p.id,
                    quote=p.text[q0:q1],
                    article=p.article,
                    outlet=o,
                )
                for o, p, q0, q1 in ((oa, pa, a0, a1), (ob, pb, b0, b1))
            ]
            out.append(
                ConflictCandidate(
                    kind="source_discrepancy",
                    topic=topic,
                    sides=sides,
                    score=score,
                    evidence=[f"{ha}: {va:g} vs {vb:g}", f"context overlap {overlap:.2f}"],
                    rule="numbers",
                )
            )
    return out
