"""Outlet time discrepancies: outlets placing the same happening on different days.

A sentence's days are the weekdays and calendar dates it names, except the day something
was said ("a prosecutor said Friday"), which dates the statement, not the happening. Two
sentences from different outlets tell the same happening when they share a named thing (a
capitalised name that is not a time word) and at least ``min_shared`` other content words
(the action), with a word overlap of at least ``min_overlap``. They conflict when their days
do not meet and neither outlet names the other's day for that happening anywhere. Holders are
outlets; the outlets giving one day form one side."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from summarize.analysis.disagreements.candidate import ConflictCandidate
from summarize.analysis.disagreements.sides import Report, outlet_side
from summarize.contract import Strict
from summarize.ingest.document import Passage
from summarize.text.lexicon import MONTHS, STOPWORDS, TIME_WORDS, WEEKDAYS
from summarize.text.names import name_spans
from summarize.text.tfidf import jaccard
from summarize.text.words import content_words

# Month and weekday names are capitalised (or written in capitals), as English writes them:
# "20 may have died" names no day, nor does "sun".
_MONTH_TITLE = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_MONTH = rf"(?:{_MONTH_TITLE}|{_MONTH_TITLE.upper()})\.?"
_WEEKDAY_TITLE = r"(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)"
_DAY = re.compile(
    # "The Sun" (a newspaper's name) is no Sunday.
    r"\b(?!(?<=\b[Tt]he\s)(?:Sun|SUN)\.?(?:[\s,;:)]|$))"
    rf"(?P<weekday>{_WEEKDAY_TITLE}|{_WEEKDAY_TITLE.upper()})"
    r"(?i:day|nesday|sday|urday|\.)?(?=[\s,.;:)]|$)|"
    rf"\b(?P<m1>{_MONTH})\s+(?P<d1>\d{{1,2}})(?i:st|nd|rd|th)?\b|"
    rf"\b(?P<d2>\d{{1,2}})(?i:st|nd|rd|th)?\s+(?P<m2>{_MONTH})\b"
)
# The day a statement was made: "said Friday", "told reporters on Monday".
_SAID = re.compile(
    r"\b(?:said|says|told|announced|reported|confirmed|added|stated|tweeted|wrote|noted)"
    r"(?:\s+\w+){0,2}?\s+(?:on\s+|late\s+|early\s+)?$",
    re.IGNORECASE,
)
_TIME_NAMES = frozenset([*MONTHS, *WEEKDAYS])
_WEEKDAY = {d[:3]: d for d in WEEKDAYS}
_TIME_QUALIFIERS = frozenset(
    ["early", "late", "morning", "morn", "night", "evening", "afternoon", "around"]
)
_FRAGMENT_WORDS = 8


class TimeSettings(Strict):
    min_shared: int = 1  # shared content words besides the named thing
    min_overlap: float = 0.25  # Jaccard of the two sentences' content words


@dataclass(frozen=True)
class Dated:
    passage: Passage
    outlet: str
    days: frozenset[str]
    words: frozenset[str]
    names: frozenset[str]
    then: tuple[Passage, ...]  # the rest of a sentence the splitter cut off
    spans: tuple[str, ...]  # the names as written


def _day(m: re.Match[str]) -> str:
    """ "thursday" for a weekday, "may 2" for a date: only days of one kind are compared."""
    if m.group("weekday"):
        return _WEEKDAY[m.group("weekday").lower()[:3]]
    month = (m.group("m1") or m.group("m2")).lower().rstrip(".")[:3]
    return f"{month} {int(m.group('d1') or m.group('d2'))}"


def days_named(text: str) -> frozenset[str]:
    """Every weekday and calendar date ``text`` names ("thursday", "aug 16")."""
    return frozenset(_day(m) for m in _DAY.finditer(text))


def dated(p: Passage, outlet: str, then: Sequence[Passage] = ()) -> Dated | None:
    """The passage's days, and what it tells: its words and names, with those of ``then``
    (the next sentences of its paragraph, for a passage the sentence splitter cut off:
    "Early Friday, around 1:30 a." / "m." / ", the actress checked into ...")."""
    days = {_day(m) for m in _DAY.finditer(p.text) if not _SAID.search(p.text[: m.start()][-40:])}
    own = [w for w in content_words(_DAY.sub(" ", p.text)) if w not in TIME_WORDS and w.isalpha()]
    if not days or len(own) < 2:
        return None  # a dateline dates the article, not a happening
    text = p.text
    joined: list[Passage] = []
    for q in then:
        if len(text.split()) >= _FRAGMENT_WORDS and q.text[:1].isupper():
            break
        text = f"{text} {q.text}"
        joined.append(q)
    spans = [(surface, keys) for surface, keys in name_spans(text)]
    names = frozenset(
        k
        for _surface, keys in spans
        for k in keys
        if k not in _TIME_NAMES and k not in STOPWORDS and k not in _TIME_QUALIFIERS
    )
    words = frozenset(
        w
        for w in content_words(text)
        if w not in TIME_WORDS
        and w not in _TIME_NAMES
        and w not in _TIME_QUALIFIERS
        and not w[0].isdigit()
    )
    return Dated(
        p, outlet, frozenset(days), words, names, tuple(joined), tuple(x for x, _k in spans)
    )


def _same_happening(a: Dated, b: Dated, s: TimeSettings) -> bool:
    if not a.names & b.names:
        return False
    name_words = {w for n in a.names & b.names for w in content_words(n)}
    shared = (a.words & b.words) - name_words - _TIME_QUALIFIERS
    return len(shared) >= s.min_shared and jaccard(a.words, b.words) >= s.min_overlap


def _rest_of_paragraph(kept: list[Passage], i: int, limit: int = 3) -> list[Passage]:
    p = kept[i]
    return [
        q
        for q in kept[i + 1 : i + 1 + limit]
        if (q.article, q.paragraph) == (p.article, p.paragraph)
    ]


def _kind(day: str) -> str:
    return "date" if " " in day else "weekday"


def days_conflict(a: frozenset[str], b: frozenset[str]) -> bool:
    """Days of the same kind on both sides, and none in common."""
    kinds = {_kind(d) for d in a} & {_kind(d) for d in b}
    return bool(kinds) and not (a & b)


def _joins(d: Dated, own: Dated, other: Dated, s: TimeSettings) -> bool:
    return (
        bool(d.days & own.days)
        and not d.days & other.days
        and _same_happening(d, other, s)
        and _same_happening(d, own, s)
    )


def time_candidates(
    kept: list[Passage], outlet: dict[str, str], settings: TimeSettings | None = None
) -> list[ConflictCandidate]:
    """Outlets placing the same happening on days that do not meet, one candidate per
    happening, each side the outlets giving the same day."""
    s = settings or TimeSettings()
    found = [
        d
        for i, p in enumerate(kept)
        if (d := dated(p, outlet[p.article], _rest_of_paragraph(kept, i))) is not None
    ]
    pairs = [
        (jaccard(a.words, b.words), i, j)
        for i, a in enumerate(found)
        for j, b in enumerate(found[i + 1 :], i + 1)
        if a.outlet != b.outlet and days_conflict(a.days, b.days) and _same_happening(a, b, s)
    ]
    out: list[ConflictCandidate] = []
    used: set[str] = set()
    for overlap, i, j in sorted(pairs, key=lambda t: (-t[0], t[1], t[2])):
        a, b = found[i], found[j]
        if a.passage.id in used or b.passage.id in used:
            continue
        # A side's other members tell the happening the opposing sentence tells.
        side_a = [a, *(d for d in found if d is not a and _joins(d, a, b, s))]
        side_b = [b, *(d for d in found if d is not b and _joins(d, b, a, s))]
        group = [*side_a, *side_b]
        if {d.outlet for d in side_a} & {d.outlet for d in side_b}:
            continue  # an outlet gives both days: two happenings, not a conflict
        used.update(d.passage.id for d in group)
        shared = a.names & b.names
        thing = max(
            a.spans, key=lambda x: (len(set(content_words(x)) & shared), -len(x)), default=""
        )
        day_a, day_b = ", ".join(sorted(a.days)), ", ".join(sorted(b.days))
        sides = [
            outlet_side(
                [Report(d.outlet, d.passage, d.passage.text, d.then) for d in side],
                " ".join(x.text.strip() for x in (side[0].passage, *side[0].then)),
            )
            for side in (side_a, side_b)
        ]
        out.append(
            ConflictCandidate(
                kind="source_discrepancy",
                topic=f"On which day it happened ({thing})",
                sides=sides,
                score=round(1.0 + overlap, 3),
                evidence=[
                    f"{day_a.title()} vs {day_b.title()} for the same happening",
                    "both name " + ", ".join(sorted(a.names & b.names)),
                ],
                rule="times",
            )
        )
    return out
