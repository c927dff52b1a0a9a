"""Sides of an outlet-level disagreement: the outlets giving one account form one side, named
together ("A; B": either holds it), each quoting its own words."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from summarize.analysis.disagreements.candidate import CandidateSide, QuoteRef
from summarize.ingest.document import Passage

MAX_MORE = 3  # further quotes kept per side


@dataclass(frozen=True)
class Report:
    """One outlet's words for one account: the passage and the exact quote."""

    outlet: str
    passage: Passage
    quote: str
    then: tuple[Passage, ...] = ()  # the rest of a sentence the splitter cut off


def outlet_side(reports: Sequence[Report], claim: str) -> CandidateSide:
    """One side: every outlet of ``reports`` as its holder (in order, once each), the first
    report's quote as its evidence and one more quote per further outlet."""
    first = reports[0]
    names = list(dict.fromkeys(r.outlet for r in reports))
    seen = {first.outlet}
    more = [QuoteRef(passage=q.id, quote=q.text) for q in first.then]
    for r in reports[1:]:
        if r.outlet not in seen and len(more) < MAX_MORE + len(first.then):
            seen.add(r.outlet)
            more.append(QuoteRef(passage=r.passage.id, quote=r.quote))
    return CandidateSide(
        holder="; ".join(names),
        claim=claim,
        passage=first.passage.id,
        quote=first.quote,
        article=first.passage.article,
        outlet=first.outlet,
        more=more,
    )
