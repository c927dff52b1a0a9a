"""Outlet number discrepancies: outlets giving incompatible figures for the same quantity.

A figure stands for an interval, read from how precisely it is written: "178,000" is a
count rounded to the thousand ([177,500, 178,500]), "more than 178,000" lies above it, "nearly
190,000" below, "$1 trillion" is a round figure that "$1.2 trillion" does not contradict. Two
figures conflict when their intervals (widened by ``slack``) do not meet. They are the same
quantity when they have the same kind (a count, money, a percentage), are of a size (ratio at
least ``min_ratio``; figures far apart count different things) and are tied to the same time
(a shared month or weekday in both sentences) or share their counted noun and context. An
outlet that also gives a figure compatible with the other side is telling another fact, not
contradicting it. Holders are outlets; the outlets agreeing on a figure form one side, and an
outlet giving a side's figure in other words (precise figures that meet) joins it. A figure's
time is the months and weekdays between it and its neighbouring figures, not all its
sentence names."""

from __future__ import annotations

import re
from dataclasses import dataclass

from summarize.analysis.disagreements.candidate import ConflictCandidate
from summarize.analysis.disagreements.sides import Report, outlet_side
from summarize.contract import Strict
from summarize.ingest.document import Passage
from summarize.text.lexicon import MONTHS, WEEKDAYS
from summarize.text.numbers import NUMBER_WORDS, numbers
from summarize.text.tfidf import jaccard
from summarize.text.words import content_words, fold

_TOKEN = re.compile(r"\S+")
_EDGE = ",.;:()\"“”'’‘"
_ABOVE = ("more than", "over", "at least", "upwards of", "in excess of", "topping", "top")
_BELOW = ("nearly", "almost", "under", "less than", "fewer than", "up to", "just under")
_ABOUT = ("about", "around", "roughly", "approximately", "some", "an estimated", "estimated")
_MONTH_ABBR = re.compile(r"^(?:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?$")
_CLOCK = re.compile(r"^[ap]\.?m\.?$|^(?:gmt|utc)$")
_ANCHORS = frozenset([*MONTHS, *WEEKDAYS])
_ROUND_FROM = 1000  # plain figures below this are read as exact
_PRECISE = 0.01  # a figure written to within 1 % of its value


class NumberSettings(Strict):
    min_ratio: float = 0.75  # smaller / larger: below it, two figures count different things
    slack: float = 0.005  # relative widening of every interval (reporting noise)
    min_value: float = 100.0  # smaller figures need the same counted noun and context
    min_context: float = 0.2  # Jaccard of the sentences' words for figures tied by context


@dataclass(frozen=True)
class Figure:
    passage: Passage
    outlet: str
    value: float
    low: float
    high: float
    kind: str  # count | money | percent
    head: str  # the counted noun (first content word after the figure)
    anchors: frozenset[str]  # months and weekdays the sentence names
    words: frozenset[str]  # the sentence's content words, figures and time words left out
    surface: str  # the figure as written, with its qualifier

    def meets(self, other: Figure, slack: float) -> bool:
        # Reporting noise widens large figures only: "killed 130" and "killed 129" differ.
        pad_a = slack * abs(self.value) if abs(self.value) >= _ROUND_FROM else 0.0
        pad_b = slack * abs(other.value) if abs(other.value) >= _ROUND_FROM else 0.0
        return self.low - pad_a <= other.high + pad_b and other.low - pad_b <= self.high + pad_a


def figures(p: Passage, outlet: str) -> list[Figure]:
    """The figures of one passage a discrepancy can be about (not years, dates, clock times,
    ages, ranges or compounds like "5-year")."""
    found = numbers(p.text)
    toks = list(_TOKEN.finditer(p.text)) if found else []
    if not toks:  # most passages hold no number: nothing else to read
        return []
    token_at = {pos: i for i, tok in enumerate(toks) for pos in range(tok.start(), tok.end())}
    low_toks = [fold(t.group()).strip(_EDGE) for t in toks]
    # English capitalises month and weekday names: "3,000 may have died" names no month.
    dates = [
        t.group().strip(_EDGE)[:1].isupper() and (low in _ANCHORS or bool(_MONTH_ABBR.match(low)))
        for t, low in zip(toks, low_toks, strict=True)
    ]
    anchor_at = [
        (i, t) for i, (t, d) in enumerate(zip(low_toks, dates, strict=True)) if d and t in _ANCHORS
    ]
    # Every number's first and last token: a figure's own time lies between its neighbours
    # ("188,829 migrants, up from the 180,034 encountered in May": May is the second's).
    bounds = [(token_at.get(n.start, -1), token_at.get(n.end - 1, -1)) for n in found]
    words = frozenset(
        w
        for w in content_words(p.text)
        if not w[0].isdigit() and w not in NUMBER_WORDS and w not in _ANCHORS
    )
    out: list[Figure] = []
    for number in found:
        first, last = token_at.get(number.start), token_at.get(number.end - 1)
        if first is None or last is None:
            continue
        span = p.text[toks[first].start() : toks[last].end()].strip(_EDGE)
        kind = "count"
        if span.startswith("$") or span.startswith("€") or span.startswith("£"):
            kind, span = "money", span[1:]
        if span.endswith("%"):
            kind, span = "percent", span[:-1]
        if span != number.surface:
            continue  # "5-year", "21-year-old", "1:30": not a figure on its own
        nxt = low_toks[last + 1] if last + 1 < len(toks) else ""
        prv = low_toks[first - 1] if first > 0 else ""
        dated = (last + 1 < len(toks) and dates[last + 1]) or (first > 0 and dates[first - 1])
        if nxt in ("percent", "per"):
            kind = "percent"
        value = number.value
        if not number.spelled and 1900 <= value <= 2100 and "," not in number.surface:
            continue  # a year
        if dated or _CLOCK.match(nxt) or _CLOCK.match(prv):
            continue  # a date or a clock time
        if kind == "count" and nxt in ("-", "–", "to", "and", "or", "of"):
            continue  # "29 of 34", "5 to 10", "26 - year - old": a range, a share, an age
        if toks[last].group().endswith(",") and first > 0 and toks[first - 1].group().endswith(","):
            continue  # "The actress, 26, ...": an age
        if prv in ("of", "to", "-", "–") and first > 1 and low_toks[first - 2][:1].isdigit():
            continue  # the second figure of "29 of 34", "5 to 10"
        head = next(
            (w for w in content_words(" ".join(t.group() for t in toks[last + 1 : last + 4]))),
            "",
        )
        if head and (head[0].isdigit() or head in NUMBER_WORDS):
            head = ""
        before = " ".join(low_toks[max(0, first - 3) : first])
        low, high = _interval(number.surface, value, before)
        anchors = _own_anchors(anchor_at, bounds, first, last)
        qual_start = _qualifier_start(toks, low_toks, first)
        surface = p.text[toks[qual_start].start() : toks[last].end()].strip(_EDGE)
        out.append(Figure(p, outlet, value, low, high, kind, head, anchors, words, surface=surface))
    return out


def _own_anchors(
    anchor_at: list[tuple[int, str]], bounds: list[tuple[int, int]], first: int, last: int
) -> frozenset[str]:
    """The months and weekdays between the figure's neighbouring numbers: the time the
    figure is told for, not the time of another figure of its sentence."""
    before = max((b_last for b_first, b_last in bounds if b_last < first), default=-1)
    after = min((b_first for b_first, _b in bounds if b_first > last), default=10**9)
    return frozenset(t for i, t in anchor_at if before < i < after)


def _granularity(surface: str, value: float) -> float:
    digits = re.sub(r"[^\d.]", "", surface.split()[0]) if surface[:1].isdigit() else ""
    if not digits:  # spelled out: "two", "one million"
        g = 1.0
        while value and value % (g * 10) == 0:
            g *= 10
        return g
    scale = value / float(digits) if float(digits) else 1.0
    if "." in digits:
        return float(10.0 ** -len(digits.split(".")[1])) * scale
    zeros = len(digits) - len(digits.rstrip("0")) if digits.strip("0") else 0
    return float(10**zeros) * scale


def _ends_with(before: str, phrases: tuple[str, ...]) -> bool:
    """Whether the words ``before`` a figure end with one of ``phrases`` as whole words:
    "Moreover 178,000" is not "over 178,000", nor "laptop 5,000" "top 5,000"."""
    return any(before == q or before.endswith(" " + q) for q in phrases)


def _interval(surface: str, value: float, before: str) -> tuple[float, float]:
    g = _granularity(surface, value)
    qualified = _ends_with(before, (*_ABOVE, *_BELOW, *_ABOUT))
    if not qualified and value < _ROUND_FROM and " " not in surface:
        g = 1.0  # "killed 130 people": a small plain figure is exact, not rounded
    if _ends_with(before, _ABOVE):
        return value, value + g
    if _ends_with(before, _BELOW):
        return value - g, value
    if _ends_with(before, _ABOUT):
        return value - g, value + g
    half = 0.0 if g == 1.0 else g / 2  # an exact count is a point
    return value - half, value + half


def _qualifier_start(toks: list[re.Match[str]], low: list[str], first: int) -> int:
    for n in (3, 2, 1):
        if first - n >= 0 and " ".join(low[first - n : first]) in (*_ABOVE, *_BELOW, *_ABOUT):
            return first - n
    return first


def _same_quantity(a: Figure, b: Figure, s: NumberSettings) -> bool:
    if a.kind != b.kind or a.value <= 0 or b.value <= 0:
        return False
    if min(a.value, b.value) / max(a.value, b.value) < s.min_ratio:
        return False
    if a.anchors and b.anchors and not (a.anchors & b.anchors):
        return False  # tied to different times
    if a.anchors & b.anchors and min(a.value, b.value) >= s.min_value:
        return True
    return bool(a.head) and a.head == b.head and jaccard(a.words, b.words) >= s.min_context


def _restates(f: Figure, x: Figure, s: NumberSettings) -> bool:
    """Whether ``f`` gives ``x``'s figure in other words ("188,829 migrants were encountered"
    for "stopped more than 188,000 immigrants"): the same kind, both precise (to 1 %) and large
    enough that meeting by chance is unlikely, intervals that meet, no different times. Such a
    figure joins a side; on its own it starts no disagreement."""
    if f.kind != x.kind or min(f.value, x.value) < _ROUND_FROM:
        return False
    if any(g.high - g.low > _PRECISE * g.value for g in (f, x)):
        return False
    if f.anchors and x.anchors and not (f.anchors & x.anchors):
        return False
    return f.meets(x, s.slack)


def number_candidates(
    kept: list[Passage], outlet: dict[str, str], settings: NumberSettings | None = None
) -> list[ConflictCandidate]:
    """Incompatible figures for the same quantity from different outlets, one candidate per
    quantity, each side the outlets agreeing on a figure."""
    s = settings or NumberSettings()
    found = [f for p in kept for f in figures(p, outlet[p.article])]
    by_outlet: dict[str, list[Figure]] = {}
    for f in found:
        by_outlet.setdefault(f.outlet, []).append(f)

    def consistent(o: str, f: Figure) -> bool:
        # The outlet itself gives a figure compatible with ``f`` for the same quantity.
        return any(g.meets(f, s.slack) and _same_quantity(g, f, s) for g in by_outlet[o])

    pairs: list[tuple[Figure, Figure]] = []
    for i, a in enumerate(found):
        for b in found[i + 1 :]:
            if a.outlet == b.outlet or a.meets(b, s.slack) or not _same_quantity(a, b, s):
                continue
            if consistent(a.outlet, b) or consistent(b.outlet, a):
                continue
            pairs.append((a, b))
    out: list[ConflictCandidate] = []
    used: set[int] = set()
    for a, b in pairs:
        if id(a) in used or id(b) in used:
            continue
        # Every figure of the same quantity joins the side whose figure it meets.
        group = [
            f for f in found if any(_same_quantity(f, x, s) or _restates(f, x, s) for x in (a, b))
        ]
        side_a = [f for f in group if f.meets(a, s.slack) and not f.meets(b, s.slack)]
        side_b = [f for f in group if f.meets(b, s.slack) and not f.meets(a, s.slack)]
        outlets_a, outlets_b = {f.outlet for f in side_a}, {f.outlet for f in side_b}
        if outlets_a & outlets_b:
            continue
        used.update(id(f) for f in (*side_a, *side_b))
        anchor = ", ".join(sorted(a.anchors & b.anchors))
        noun = a.head if a.head == b.head else "the figure"
        topic = f"How many {noun}" + (f" ({anchor})" if anchor else "")
        if noun == "the figure":
            topic = "The reported figure" + (f" for {anchor.title()}" if anchor else "")
        sides = [
            outlet_side(
                [Report(f.outlet, f.passage, f.passage.text) for f in side], _claim(side[0])
            )
            for side in (side_a, side_b)
        ]
        closeness = min(a.value, b.value) / max(a.value, b.value)
        out.append(
            ConflictCandidate(
                kind="source_discrepancy",
                topic=topic,
                sides=sides,
                score=round(1.0 + closeness, 3),
                evidence=[
                    f"{a.surface} vs {b.surface}: intervals do not meet",
                    "tied by " + (f"the same time ({anchor})" if anchor else f"'{a.head}'"),
                ],
                rule="numbers",
            )
        )
    return out


def _claim(f: Figure) -> str:
    return f.passage.text.strip()
