"""Coverage: how much of the summary each outlet supports against its share of the input,
and the same by leaning (AllSides' ratings in the input, or a user's outlets file)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from summarize.contract import SummaryDocument
from summarize.output.text import outlet_label, shown

# Leanings in the order a chart shows them (AllSides' five ratings first); others follow
# alphabetically, then "unknown".
LEANING_ORDER = ("left", "lean left", "center", "lean right", "right", "mixed")


@dataclass(frozen=True)
class Bar:
    label: str
    summary_share: float  # share of the summary's support (each sentence split over outlets)
    input_share: float  # share of the input's kept passages
    sentences: int  # summary sentences citing it
    passages: int
    articles: int

    @property
    def summary_pct(self) -> str:
        return f"{100 * self.summary_share:.0f}%"

    @property
    def input_pct(self) -> str:
        return f"{100 * self.input_share:.0f}%"


@dataclass(frozen=True)
class Coverage:
    outlets: list[Bar]
    leanings: list[Bar]
    sentences: int
    passages: int
    leaning_source: str  # "the input", "an outlets file", "the input and an outlets file"


def leanings_for(
    doc: SummaryDocument, outlets_file: dict[str, str] | None = None
) -> dict[str, str]:
    """article id -> leaning: the outlets file's entry for the article's outlet, else the
    leaning the input carried (``ArticleRecord.leaning``)."""
    table = outlets_file or {}
    out = {}
    for a in doc.articles:
        key = shown(a.outlet).casefold()
        value = table.get(key) if key else None
        value = value or shown(a.leaning)
        if value:
            out[a.id] = value
    return out


def coverage(doc: SummaryDocument, leanings: dict[str, str]) -> Coverage:
    """Each outlet's share of the summary's support against its share of the input (kept
    passages); the same by leaning when any article has one. A summary sentence's support
    is split equally over the outlets it cites, so the shares add up to 100% like the
    input's."""
    label_of = {a.id: outlet_label(a) for a in doc.articles}
    passages_of = {p.id: p.article for p in doc.passages}

    def bars(group: dict[str, str], order: list[str]) -> list[Bar]:
        support: dict[str, float] = defaultdict(float)
        sentences: dict[str, int] = defaultdict(int)
        for s in doc.summary:
            groups = {group[passages_of[c]] for c in s.citations if c in passages_of}
            for g in groups:
                support[g] += 1 / len(groups)
                sentences[g] += 1
        counts: dict[str, int] = defaultdict(int)
        for p in doc.passages:
            counts[group.get(p.article, "")] += 1
        articles: dict[str, int] = defaultdict(int)
        for a in doc.articles:
            articles[group[a.id]] += 1
        n_sent, n_pass = len(doc.summary) or 1, len(doc.passages) or 1
        return [
            Bar(
                label=g,
                summary_share=support[g] / n_sent,
                input_share=counts[g] / n_pass,
                sentences=sentences[g],
                passages=counts[g],
                articles=articles[g],
            )
            for g in order
        ]

    outlets = bars(label_of, list(dict.fromkeys(label_of.values())))
    lean_bars: list[Bar] = []
    if leanings:
        by_lean = {a.id: leanings.get(a.id, "unknown") for a in doc.articles}
        lean_bars = bars(by_lean, _leaning_order(by_lean.values()))
    from_input = any(a.leaning for a in doc.articles)
    from_file = any(leanings.get(a.id) and leanings[a.id] != shown(a.leaning) for a in doc.articles)
    source = " and ".join(
        s for s, used in (("the input", from_input), ("an outlets file", from_file)) if used
    )
    return Coverage(
        outlets=outlets,
        leanings=lean_bars,
        sentences=len(doc.summary),
        passages=len(doc.passages),
        leaning_source=source or "the input",
    )


def _leaning_order(values: Iterable[str]) -> list[str]:
    present = set(values)
    known = {v.casefold(): v for v in present}
    ordered = [known[k] for k in LEANING_ORDER if k in known]
    rest = sorted(v for v in present if v.casefold() not in LEANING_ORDER and v != "unknown")
    return ordered + rest + (["unknown"] if "unknown" in present else [])
