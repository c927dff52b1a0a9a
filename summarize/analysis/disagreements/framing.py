"""Framing: outlets presenting the same event with different slants. Holders are outlets; a
label inside a quotation is the speaker's, not the outlet's, and does not count.

Three signals: (1) outlets calling the same entity by different names the text itself links
(an acronym, "known as", "also called"); (2) outlets choosing different labels from one group
of loaded and neutral labels for the same referent (``text.labels``: "illegal" /
"undocumented" immigrants, "vaccine passports" / "proof of vaccination"), a headline's choice
standing for its outlet's; (3) headlines whose tone (VADER compound) points in opposite
directions by at least ``FramingSettings.min_tone_gap``."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import cache

from summarize.analysis.disagreements.candidate import CandidateSide, ConflictCandidate
from summarize.analysis.disagreements.sides import Report, outlet_side
from summarize.contract import Strict
from summarize.ingest.document import Passage
from summarize.ingest.segmenter import is_title
from summarize.text.labels import LABEL_GROUPS, LabelGroup
from summarize.text.words import fold


class FramingSettings(Strict):
    label_score: float = 1.2  # outlets choosing different labels for one referent
    min_tone_gap: float = 1.1  # headline tones (VADER compound, -1..1) this far apart ...
    min_tone: float = 0.4  # ... each at least this strong, in opposite directions
    tone_score: float = 1.0


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


def label_candidates(
    passages: list[Passage], outlet: dict[str, str], settings: FramingSettings | None = None
) -> list[ConflictCandidate]:
    """Outlets choosing different labels of one group (``text.labels``) for its referent: an
    outlet's choice is its headline's label, else the one label its text uses (an outlet
    using two labels of a group in its text has made no choice)."""
    s = settings or FramingSettings()
    out: list[ConflictCandidate] = []
    for group in LABEL_GROUPS:
        title_uses: dict[str, dict[str, Report]] = defaultdict(dict)
        body_uses: dict[str, dict[str, Report]] = defaultdict(dict)
        for p in passages:
            for variant, _surface in _labels(group, p.text):
                uses = title_uses if is_title(p) else body_uses
                uses[outlet[p.article]].setdefault(variant, Report(outlet[p.article], p, p.text))
        choice: dict[str, tuple[str, Report]] = {}
        for o in sorted({*title_uses, *body_uses}):
            chosen = title_uses.get(o) or body_uses.get(o, {})
            if len(chosen) == 1:
                choice[o] = next(iter(chosen.items()))
        variants = sorted({v for v, _r in choice.values()})
        if len(variants) < 2:
            continue
        sides = []
        for variant in variants:
            reports = [r for v, r in choice.values() if v == variant]
            surface = _labels(group, reports[0].passage.text)[0][1]
            where = "headline" if is_title(reports[0].passage) else "story"
            sides.append(outlet_side(reports, f'The {where} says "{surface}".'))
        out.append(
            ConflictCandidate(
                kind="framing",
                topic=f"What to call {group.referent}",
                sides=sides,
                score=round(s.label_score + 0.1 * (len(variants) - 2), 3),
                evidence=[f"labels for {group.referent}: " + " / ".join(variants)],
                rule="framing:labels",
            )
        )
    return out


def _labels(group: LabelGroup, text: str) -> list[tuple[str, str]]:
    """(variant, surface) of each label of ``group`` outside quotations, in text order."""
    plain = _unquoted(text)
    found = [
        (m.start(), variant, text[m.start() : m.end()])
        for variant, patterns in group.variants.items()
        for pattern in patterns
        for m in pattern.finditer(plain)
    ]
    return [(v, surface) for _start, v, surface in sorted(found)]


def tone_candidates(
    titles: list[Passage], outlet: dict[str, str], settings: FramingSettings | None = None
) -> list[ConflictCandidate]:
    """The two headlines whose tones point most strongly in opposite directions, when the
    gap reaches ``min_tone_gap``."""
    s = settings or FramingSettings()
    scored = sorted(((_tone(_unquoted(t.text)), t) for t in titles), key=lambda x: (x[0], x[1].id))
    if len(scored) < 2:
        return []
    (low, neg), (high, pos) = scored[0], scored[-1]
    if outlet[neg.article] == outlet[pos.article] or high - low < s.min_tone_gap:
        return []
    if low > -s.min_tone or high < s.min_tone:
        return []
    sides = [
        outlet_side([Report(outlet[t.article], t, t.text)], f'The headline reads "{t.text}".')
        for t in (pos, neg)
    ]
    return [
        ConflictCandidate(
            kind="framing",
            topic="How the headlines present the story",
            sides=sides,
            score=s.tone_score,
            evidence=[f"headline tone {high:+.2f} vs {low:+.2f} (VADER compound)"],
            rule="framing:tone",
        )
    ]


@cache
def _analyzer() -> object:
    from vader import SentimentIntensityAnalyzer  # deferred: only headlines need it

    return SentimentIntensityAnalyzer()


def _tone(text: str) -> float:
    scores = _analyzer().polarity_scores(text)  # type: ignore[attr-defined]
    return float(scores["compound"])
