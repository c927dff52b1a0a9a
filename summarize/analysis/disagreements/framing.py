"""Framing: outlets that call the same entity by different labels (the label is the outlet's
choice, so labels inside quotations, which are the speaker's, do not count). Holders are
outlets."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from summarize.analysis.disagreements.candidate import CandidateSide, ConflictCandidate
from summarize.ingest.document import Passage
from summarize.text.words import fold

_ACRONYM_DEF = re.compile(r"(?P<long>(?:[A-Z][\w'’\-]+\s+){1,5}?)\((?P<acr>[A-Z]{2,6})\)")
_KNOWN_AS = re.compile(
    r"(?P<long>(?:[A-Z][\w'’\-]+\s*){1,5}),?\s+(?:known\s+(?:by\s+the\s+(?:\w+\s+)?acronym|as)|"
    r"also\s+called)\s+(?P<a>[A-Z][\w'’\-]+)(?:\s+or\s+(?:the\s+)?(?:\w+\s+)?(?:acronym\s+)?"
    r"(?P<b>[A-Z][\w'’\-]+))?"
)


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
    return groups


def framing_candidates(kept: list[Passage], outlet: dict[str, str]) -> list[ConflictCandidate]:
    """Outlets whose dominant label for the same entity differs (a name defined as an alias
    of another in the text: an acronym, "known as", "also called")."""
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
                rule="framing",
            )
        )
    return out


def _unquoted(text: str) -> str:
    # Labels inside quotations are the speaker's, not the outlet's: blank them, keep offsets.
    return re.sub(r"[\"“][^\"”]*[\"”]", lambda m: " " * len(m.group()), text)
