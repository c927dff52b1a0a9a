"""Boilerplate leakage: page furniture (subscription prompts, share buttons, related links)
that survived cleaning into the kept passages, the summary or the disagreements (titles are
passages too, but not cleaned text: they count only where the output uses them)."""

from __future__ import annotations

from dataclasses import dataclass

from summarize.eval.metrics.base import EvalCase, MetricItem, MetricResult, norm, result_from_items
from summarize.ingest.segmenter import title_id


@dataclass
class BoilerplateLeakage:
    """Number of boilerplate strings found anywhere in the output (0 is the only good value).

    With gold: its ``boilerplate_must_not_appear`` strings. Without: the paragraphs the
    cleaner dropped (duplicates excepted, since their text legitimately survives in the
    original article), checked both ways because a dropped paragraph is longer than any one
    sentence that may have leaked from it."""

    min_chars: int = 20
    name: str = "boilerplate_leakage"

    def compute(self, case: EvalCase) -> list[MetricResult]:
        doc = case.document
        places: list[tuple[str, str]] = [
            (f"summary s{i}", s.text) for i, s in enumerate(doc.summary, 1)
        ]
        for d in doc.disagreements:
            parts = [d.topic] + [p.claim for p in d.positions]
            parts += [c.quote for p in d.positions for c in p.citations]
            places.append((f"disagreement {d.id}", " \n ".join(parts)))
        # A headline passage (A<n>.t) is the title the input gave, not a paragraph that
        # survived cleaning; it leaks only where the summary or a disagreement uses it.
        titles = {title_id(a.id) for a in doc.articles}
        places += [(f"passage {p.id}", p.text) for p in doc.passages if p.id not in titles]
        normed = [(where, norm(text)) for where, text in places]

        if case.gold is not None:
            needles = [(s, False) for s in case.gold.boilerplate_must_not_appear]
            source = "gold boilerplate strings"
        else:
            needles = [
                (d.text, True)
                for a in doc.articles
                for d in a.dropped
                if "dup" not in d.reason.lower() and len(d.text.strip()) >= self.min_chars
            ]
            source = "dropped paragraphs"
        items: list[MetricItem] = []
        for i, (needle, both_ways) in enumerate(needles, 1):
            n = norm(needle)
            hits = [
                where
                for where, hay in normed
                if n and (n in hay or (both_ways and len(hay) >= self.min_chars and hay in n))
            ]
            why = f"found in {', '.join(hits[:5])}" if hits else "absent"
            items.append(
                MetricItem(
                    key=f"b{i}",
                    value=float(bool(hits)),
                    explanation=why,
                    data={"text": needle[:200]},
                )
            )
        return [
            result_from_items(
                self.name, items, better="lower", reduce="sum", notes=[f"checked {source}"]
            )
        ]
