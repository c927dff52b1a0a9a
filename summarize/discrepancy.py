"""Outlet-level disagreements: the same quantity reported with different numbers, and the same
entity given different labels. Holders are outlets (the article's outlet, else its id)."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from summarize.conflict import CandidateSide, ConflictCandidate
from summarize.document import Event, Passage
from summarize.geo import wordlist
from summarize.text import STOPWORDS, content_words, fold, jaccard

NUMBER_THRESHOLD = 1.0
FRAMING_THRESHOLD = 1.0
_WORD_NUMS = {
    w: i
    for i, w in enumerate(
        wordlist(
            """
    zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen
    fifteen sixteen seventeen eighteen nineteen twenty
    """
        )
    )
}
_NUM = re.compile(
    r"(?<![\w.,$€£])(?P<n>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|" + "|".join(_WORD_NUMS) + r")(?![\w%])",
    re.IGNORECASE,
)
_DATEISH = re.compile(
    r"january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|a\.m|p\.m|am|pm|gmt|utc",
    re.IGNORECASE,
)
_TOKEN = re.compile(r"\S+")
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
_ACRONYM_DEF = re.compile(r"(?P<long>(?:[A-Z][\w'’\-]+\s+){1,5}?)\((?P<acr>[A-Z]{2,6})\)")
_KNOWN_AS = re.compile(
    r"(?P<long>(?:[A-Z][\w'’\-]+\s*){1,5}),?\s+(?:known\s+(?:by\s+the\s+(?:\w+\s+)?acronym|as)|"
    r"also\s+called)\s+(?P<a>[A-Z][\w'’\-]+)(?:\s+or\s+(?:the\s+)?(?:\w+\s+)?(?:acronym\s+)?"
    r"(?P<b>[A-Z][\w'’\-]+))?"
)


def _value(token: str) -> float | None:
    low = token.lower()
    if low in _WORD_NUMS:
        return float(_WORD_NUMS[low])
    try:
        return float(token.replace(",", ""))
    except ValueError:
        return None


def _mentions(p: Passage) -> list[tuple[float, str, set[str], int, int, set[str]]]:
    """(value, head noun, context words, quote start, quote end, names) per number."""
    out = []
    toks = list(_TOKEN.finditer(p.text))
    for k, tok in enumerate(toks):
        m = _NUM.fullmatch(tok.group().strip(',.;:()"“”'))
        if m is None:
            continue
        value = _value(m.group("n"))
        window = " ".join(t.group() for t in toks[max(0, k - 2) : k + 3])
        if value is None or _DATEISH.search(window):
            continue
        if 1900 <= value <= 2100 and "," not in m.group("n"):
            continue  # a year: a different fact, not a different count
        nxt = toks[k + 1].group().lower() if k + 1 < len(toks) else ""
        prv = toks[k - 1].group().lower() if k > 0 else ""
        if nxt in ("-", "–", "of", "to", "and", "or") or prv in _SKIP_BEFORE:
            continue  # "29 of 34", "a 7 - yard", "over 350": not a precise count
        names = {
            fold(t.group())
            for t in toks[max(0, k - 6) : k + 7]
            if t.group()[0].isupper() and fold(t.group()) not in STOPWORDS
        }
        before = content_words(" ".join(t.group() for t in toks[max(0, k - 3) : k]))
        verb = before[-1] if before else ""
        after = [
            w
            for w in content_words(" ".join(t.group() for t in toks[k + 1 : k + 4]))
            if not w[0].isdigit()
        ]
        if not after:
            continue
        head = after[0]
        lo, hi = max(0, k - 6), min(len(toks), k + 7)
        context = set(content_words(" ".join(t.group() for t in toks[lo:hi]))) - {head}
        context = {w for w in context if not w[0].isdigit() and w not in _WORD_NUMS}
        q0, q1 = toks[max(0, k - 4)].start(), toks[min(len(toks), k + 4) - 1].end()
        out.append((value, head, context, q0, q1, names | {"@" + verb}))
    return out


def number_candidates(event: Event, kept: list[Passage]) -> list[ConflictCandidate]:
    outlet = {a.id: a.outlet or a.id for a in event.articles}
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
                )
            )
    return out


def _alias_groups(kept: list[Passage]) -> list[set[str]]:
    links: list[set[str]] = []
    for p in kept:
        for m in _ACRONYM_DEF.finditer(p.text):
            long = m.group("long").strip()
            initials = "".join(w[0] for w in long.split() if w[0].isupper())
            if m.group("acr").startswith(initials) or initials.startswith(m.group("acr")):
                links.append({long, m.group("acr")})
        for m in _KNOWN_AS.finditer(p.text):
            group = {m.group("long").strip().rstrip(","), m.group("a")}
            if m.group("b"):
                group.add(m.group("b"))
            links.append(group)
    # Union overlapping links (case-folded), deterministically.
    groups: list[set[str]] = []
    for link in links:
        folded = {fold(x) for x in link}
        hits = [g for g in groups if {fold(x) for x in g} & folded]
        merged = set(link).union(*hits)
        groups = [g for g in groups if g not in hits] + [merged]
    # An acronym that extends another member's acronym (IS -> ISIS) names the same group.
    return groups


def framing_candidates(event: Event, kept: list[Passage]) -> list[ConflictCandidate]:
    outlet = {a.id: a.outlet or a.id for a in event.articles}
    out: list[ConflictCandidate] = []
    for group in _alias_groups(kept):
        labels = sorted(group, key=len, reverse=True)
        pattern = re.compile(
            r"\b(" + "|".join(re.escape(x) for x in labels) + r")\b", re.IGNORECASE
        )
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        first: dict[tuple[str, str], Passage] = {}
        for p in kept:
            for m in pattern.finditer(_unquoted(p.text)):
                label = next(x for x in labels if fold(x) == fold(m.group(1)))
                counts[outlet[p.article]][label] += 1
                first.setdefault((outlet[p.article], label), p)
        dominant = {o: sorted(c, key=lambda x: (-c[x], x))[0] for o, c in sorted(counts.items())}
        if len(set(dominant.values())) < 2:
            continue
        sides = []
        for o, label in dominant.items():
            p = first[(o, label)]
            start = fold(p.text).find(fold(label))
            quote = p.text[start : start + len(label)] if start >= 0 else ""
            sides.append(
                CandidateSide(
                    holder=o,
                    claim=f"Refers to it as {quote!r}",
                    passage=p.id,
                    quote=quote,
                    article=p.article,
                    outlet=o,
                )
            )
        distinct = len(set(dominant.values()))
        out.append(
            ConflictCandidate(
                kind="framing",
                topic="name used for " + max(group, key=len),
                sides=sides,
                score=round(0.5 + 0.3 * distinct, 3),
                evidence=["labels linked in the text: " + ", ".join(sorted(group))],
            )
        )
    return out


def _unquoted(text: str) -> str:
    # Labels inside quotations are the speaker's, not the outlet's: blank them, keep offsets.
    return re.sub(r"[\"“][^\"”]*[\"”]", lambda m: " " * len(m.group()), text)
