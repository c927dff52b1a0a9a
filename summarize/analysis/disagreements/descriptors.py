"""Outlet descriptor discrepancies: outlets describing the same happening with descriptors
that exclude each other (``text.descriptors``: an undersea cable cut vs a terrestrial one;
all services lost vs services partly blocked).

Two sentences from different outlets tell the same happening when they share a named thing
(a capitalised name that is not a time word) and at least ``min_shared`` other content words
besides the descriptors, and their articles are about the same days (articles naming only
other days than each other report other happenings: a cable cut in August is not the one
of October). They conflict when their values differ and neither outlet also gives
the other's value for the other's happening (an outlet joining a side that does is left
out). Holders are outlets; the outlets giving one value
form one side."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from summarize.analysis.disagreements.candidate import ConflictCandidate
from summarize.analysis.disagreements.sides import Report, outlet_side
from summarize.analysis.disagreements.times import days_conflict, days_named
from summarize.contract import Strict
from summarize.ingest.document import Passage
from summarize.text.descriptors import DESCRIPTOR_GROUPS, DescriptorGroup, descriptors
from summarize.text.lexicon import MONTHS, STOPWORDS, TIME_WORDS, WEEKDAYS
from summarize.text.names import name_spans
from summarize.text.tfidf import jaccard
from summarize.text.words import content_words, fold

_ACRONYM = re.compile(r"[\"“‘'(]*([A-Z][A-Z0-9&]+)(?:['’]s)?\b")
_TIME_NAMES = frozenset([*MONTHS, *WEEKDAYS, *TIME_WORDS])


class DescriptorSettings(Strict):
    min_shared: int = 1  # shared content words besides names and descriptors
    score: float = 1.1


@dataclass(frozen=True)
class Described:
    passage: Passage
    outlet: str
    value: str
    surface: str
    words: frozenset[str]
    names: frozenset[str]
    days: frozenset[str]  # every day its article names


def described(
    group: DescriptorGroup, p: Passage, outlet: str, days: frozenset[str] = frozenset()
) -> Described | None:
    """The passage's one value for ``group`` (None for none, or for two values at once)."""
    found = descriptors(group, p.text)
    values = {v for v, _s in found}
    if len(values) != 1:
        return None
    used = {w for _v, s in found for w in content_words(s)}
    keys = [k for _s, ks in name_spans(p.text) for k in ks]
    # An acronym opening a sentence is a name too ("SEACOM's partner network ..."), though
    # a lone capitalised first word is usually just a sentence start.
    first = _ACRONYM.match(p.text)
    if first:
        keys.append(fold(first.group(1)))
    names = frozenset(k for k in keys if k not in _TIME_NAMES | STOPWORDS)
    words = frozenset(
        w
        for w in content_words(p.text)
        if w not in used and w not in _TIME_NAMES and w.isalpha() and w not in names
    )
    return Described(p, outlet, found[0][0], found[0][1], words, names, days)


def _same_happening(a: Described, b: Described, s: DescriptorSettings) -> bool:
    return (
        bool(a.names & b.names)
        and len(a.words & b.words) >= s.min_shared
        and not days_conflict(a.days, b.days)
    )


def descriptor_candidates(
    kept: list[Passage], outlet: dict[str, str], settings: DescriptorSettings | None = None
) -> list[ConflictCandidate]:
    """Outlets describing one happening with descriptors that exclude each other, one
    candidate per group and happening, each side the outlets giving one value."""
    s = settings or DescriptorSettings()
    out: list[ConflictCandidate] = []
    days: dict[str, frozenset[str]] = defaultdict(frozenset)
    for p in kept:
        days[p.article] |= days_named(p.text)
    for group in DESCRIPTOR_GROUPS:
        found = [
            d
            for p in kept
            if (d := described(group, p, outlet[p.article], days[p.article])) is not None
        ]
        pairs = [
            (jaccard(a.words, b.words), i, j)
            for i, a in enumerate(found)
            for j, b in enumerate(found[i + 1 :], i + 1)
            if a.outlet != b.outlet and a.value != b.value and _same_happening(a, b, s)
        ]
        used: set[str] = set()
        conflicts: list[_Conflict] = []
        for overlap, i, j in sorted(pairs, key=lambda t: (-t[0], t[1], t[2])):
            a, b = found[i], found[j]
            if a.passage.id in used or b.passage.id in used:
                continue
            side_a = [a, *(d for d in found if _joins(d, a, b, s))]
            side_b = [b, *(d for d in found if _joins(d, b, a, s))]
            both = _both(found, side_a, b, s) | _both(found, side_b, a, s)
            if a.outlet in both or b.outlet in both:
                continue
            side_a = [d for d in side_a if d.outlet not in both]
            side_b = [d for d in side_b if d.outlet not in both]
            used.update(d.passage.id for d in (*side_a, *side_b))
            _merge(conflicts, _Conflict(overlap, [side_a, side_b]))
        out += [_candidate(group, c, s) for c in conflicts]
    return out


@dataclass
class _Conflict:
    overlap: float
    sides: list[list[Described]]  # one list per value, the leads first

    def values(self) -> dict[str, str]:
        return {d.outlet: d.value for side in self.sides for d in side}


def _merge(conflicts: list[_Conflict], new: _Conflict) -> None:
    """One disagreement per question: a conflict that shares an outlet with an earlier one of
    the same group, each outlet on the same side in both, joins it (a value the earlier one
    has no side for, in a group of three or more, adds a side)."""
    values = new.values()
    for old in conflicts:
        seen = old.values()
        shared = seen.keys() & values.keys()
        if shared and all(seen[o] == values[o] for o in shared):
            for side in new.sides:
                mine = next((x for x in old.sides if x[0].value == side[0].value), None)
                if mine is None:  # a third value of the group: a side of its own
                    old.sides.append(list(side))
                else:
                    mine += [d for d in side if d not in mine]
            return
    conflicts.append(new)


def _candidate(group: DescriptorGroup, c: _Conflict, s: DescriptorSettings) -> ConflictCandidate:
    a, b = c.sides[0][0], c.sides[1][0]
    sides = [
        outlet_side(
            [Report(d.outlet, d.passage, d.passage.text) for d in side],
            side[0].passage.text.strip(),
        )
        for side in c.sides
    ]
    return ConflictCandidate(
        kind="source_discrepancy",
        topic=f"{group.question.capitalize()}? ({a.surface} vs {b.surface})",
        sides=sides,
        score=round(s.score + c.overlap, 3),
        evidence=[
            f"{a.value} vs {b.value} for the same happening",
            "both name " + ", ".join(sorted(a.names & b.names)),
        ],
        rule="descriptors",
    )


def _joins(d: Described, own: Described, other: Described, s: DescriptorSettings) -> bool:
    return (
        d is not own
        and d.value == own.value
        and d.outlet != other.outlet
        and _same_happening(d, own, s)
    )


def _both(
    found: list[Described], side: list[Described], other: Described, s: DescriptorSettings
) -> set[str]:
    """The outlets of ``side`` that also give ``other``'s value for ``other``'s happening."""
    outlets = {d.outlet for d in side}
    return {
        d.outlet
        for d in found
        if d.outlet in outlets and d.value == other.value and _same_happening(d, other, s)
    }
