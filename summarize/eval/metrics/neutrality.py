"""Neutrality: whose articles the output cites, whether contested claims are attributed,
loaded words the sources did not use, and how much coverage depends on article order."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from pydantic import JsonValue

from summarize.contract import SummaryDocument
from summarize.eval.metrics.base import (
    EvalCase,
    MetricItem,
    MetricResult,
    article_keys,
    norm,
    passages_by_id,
    result_from_items,
    shown_outlets,
)
from summarize.text.holders import text_names_holder
from summarize.text.words import stem, words
from summarize.verify.contested import CONTAINS, position_texts, side_overlap

# (what each side of a dispute said, which side, sentence) -> how much of its claim it states
Contains = Callable[[Sequence[Sequence[str]], int, str], float]


def _canonical_article(doc: SummaryDocument) -> dict[str, str]:
    dup = {a.id: a.duplicate_of for a in doc.articles}
    out = {}
    for a in doc.articles:
        cur, seen = a.id, set()
        while dup.get(cur) and cur not in seen:
            seen.add(cur)
            cur = dup[cur] or cur
        out[a.id] = cur
    return out


@dataclass
class OutletBalance:
    """Total-variation distance between each outlet's share of citations and its share of
    the (de-duplicated) input articles; 0 = cited in proportion. Citations to a duplicate
    count for the article it duplicates. Articles without an outlet count as their own."""

    name: str = "outlet_tvd"

    def compute(self, case: EvalCase) -> list[MetricResult]:
        doc = case.document
        canon = _canonical_article(doc)
        outlet = {a.id: a.outlet or f"(unknown outlet: {a.id})" for a in doc.articles}
        inputs = Counter(outlet[a.id] for a in doc.articles if canon[a.id] == a.id)
        by_id = passages_by_id(doc)
        pairs = {(f"s{i}", c) for i, s in enumerate(doc.summary, 1) for c in s.citations}
        pairs |= {
            (f"{d.id}.{pi}", c.passage)
            for d in doc.disagreements
            for pi, p in enumerate(d.positions, 1)
            for c in p.citations
        }
        cited: Counter[str] = Counter()
        for _, pid in pairs:
            art = by_id[pid].article if pid in by_id else None
            if art in canon:
                cited[outlet[canon[art]]] += 1
        n_in, n_cited = sum(inputs.values()), sum(cited.values())
        items = []
        gap = 0.0
        for name in sorted(set(inputs) | set(cited)):
            share_in = inputs[name] / n_in if n_in else 0.0
            share_cited = cited[name] / n_cited if n_cited else 0.0
            gap += abs(share_cited - share_in)
            items.append(
                MetricItem(
                    key=name,
                    value=share_cited,
                    explanation=f"cited {share_cited:.0%} vs input {share_in:.0%}",
                    data={
                        "citations": cited[name],
                        "articles": inputs[name],
                        "input_share": share_in,
                    },
                )
            )
        notes = []
        if len(inputs) == 1:
            notes.append("single outlet: balance is trivially 0")
        if not n_cited:
            notes.append("zero citations: balance undefined")
        value = 0.5 * gap if n_cited else None
        return [
            MetricResult(
                name=self.name, value=value, n=n_cited, better="lower", items=items, notes=notes
            )
        ]


@dataclass
class Attribution:
    """Share of contested claims in the summary that name their holder. The contested claims
    are every side of the disagreements the run reported and, on an event with gold, of the
    gold disagreements (a claim the annotators found disputed is contested whether or not the
    run found the dispute). A sentence "contains" a side's claim when it repeats at least
    ``threshold`` of the content words of the claim (or of its verbatim quote) that the
    dispute's other sides do not use (``verify.contested.side_overlap``, the run's rule);
    it must then name that side's holder (any alternative, surname enough)."""

    contains: Contains = side_overlap
    threshold: float = CONTAINS
    name: str = "attribution"

    def compute(self, case: EvalCase) -> list[MetricResult]:
        doc = case.document
        # (key, holder, what each side of its dispute said [claim, quote...], which side)
        sides: list[tuple[str, str, list[list[str]], int]] = []
        for d in doc.disagreements:
            said = [position_texts(p) for p in d.positions]
            for pi, pos in enumerate(d.positions):
                sides.append((f"{d.id}.{pi + 1}", pos.holder, said, pi))
        # A gold side's holder is prose ("CBS News and Inquirer (citing TMZ), New York
        # Post"); its articles say which outlets hold it, by the names the run shows.
        also: dict[str, list[str]] = {}
        if case.gold is not None:
            shown = _shown_by_key(doc)
            for g in case.gold.disagreements:
                said = [[p.claim, *([p.quote] if p.quote else [])] for p in g.positions]
                for pi, gpos in enumerate(g.positions):
                    key = f"gold:{g.id}.{pi + 1}"
                    sides.append((key, gpos.holder, said, pi))
                    also[key] = [
                        *_prose_names(gpos.holder),
                        *(shown[d] for d in gpos.docs if d in shown),
                    ]
        items: list[MetricItem] = []
        for i, sent in enumerate(doc.summary, 1):
            for key, holder, said, side in sides:
                overlap = self.contains(said, side, sent.text)
                if overlap < self.threshold:
                    continue
                named = any(text_names_holder(sent.text, h) for h in [holder, *also.get(key, [])])
                why = f"names {holder!r}" if named else f"states {holder!r}'s claim unattributed"
                items.append(
                    MetricItem(
                        key=f"s{i}~{key}",
                        value=float(named),
                        explanation=why,
                        data={"sentence": sent.text, "claim": said[side][0], "overlap": overlap},
                    )
                )
        notes = [] if items else ["no contested claim appears in the summary"]
        return [result_from_items(self.name, items, notes=notes)]


# A gold holder is written as prose: a list ("ESPN, CBC and PBA-Online") with who they
# cite or describe in parentheses ("CBS News (citing TMZ)", "Republicans (as described by
# Kevin Drum, quoted by Bernstein)"). Naming any one of them attributes the claim.
_PROSE_SEPARATORS = re.compile(
    r"[(),;/]|\b(?:and|citing|quoting|quoted by|as described by|according to)\b", re.IGNORECASE
)


def _prose_names(holder: str) -> list[str]:
    """The names a gold holder's prose lists ("CBS News (citing TMZ)" -> CBS News, TMZ)."""
    return [n.strip() for n in _PROSE_SEPARATORS.split(holder) if n.strip()]


def _shown_by_key(doc: SummaryDocument) -> dict[str, str]:
    """Article key (``article_keys``: what gold ``docs`` call it) -> the outlet as the run
    names it in sentences (``shown_outlets``)."""
    shown = shown_outlets(doc)
    return {k: shown[a.id] for a in doc.articles if a.id in shown for k in article_keys(a)}


@cache
def _vader_lexicon() -> Mapping[str, float]:
    from vader import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer().lexicon


@dataclass
class LoadedLanguage:
    """Share of summary tokens with |VADER valence| >= ``threshold`` that do not occur in the
    sentence's cited passages: words the sources used themselves are reporting, not ours."""

    threshold: float = 2.0
    name: str = "loaded_language"

    def compute(self, case: EvalCase) -> list[MetricResult]:
        lexicon = _vader_lexicon()
        by_id = passages_by_id(case.document)
        items: list[MetricItem] = []
        total = loaded = 0
        for i, sent in enumerate(case.document.summary, 1):
            tokens = words(sent.text)
            cited = " ".join(by_id[c].text for c in sent.citations if c in by_id)
            allowed = {stem(w) for w in words(cited)}
            bad = [
                w
                for w in tokens
                if abs(lexicon.get(w, 0.0)) >= self.threshold and stem(w) not in allowed
            ]
            total += len(tokens)
            loaded += len(bad)
            why = f"loaded: {', '.join(bad)}" if bad else "no loaded words beyond the sources'"
            items.append(
                MetricItem(
                    key=f"s{i}",
                    value=len(bad) / len(tokens) if tokens else 0.0,
                    explanation=why,
                    data={"tokens": len(tokens), "loaded": list[JsonValue](bad)},
                )
            )
        notes = [f"valence threshold {self.threshold}"]
        if not total:
            notes.append("empty summary: rate undefined")
        return [
            MetricResult(
                name=self.name,
                value=loaded / total if total else None,
                n=total,
                better="lower",
                items=items,
                notes=notes,
            )
        ]


def cited_texts(doc: SummaryDocument) -> dict[str, str]:
    """Normalised text -> passage id of every passage the summary cites. Texts, not ids,
    because ids encode article position, which the order test changes."""
    by_id = passages_by_id(doc)
    return {norm(by_id[c].text): c for s in doc.summary for c in s.citations if c in by_id}


@dataclass
class OrderSensitivity:
    """Jaccard distance between the source sentences cited with the articles in input order
    and in a shuffled order (0 = order does not matter)."""

    name: str = "order_sensitivity"

    def compute(self, case: EvalCase) -> list[MetricResult]:
        if case.shuffled is None:
            return []
        a, b = cited_texts(case.document), cited_texts(case.shuffled)
        union = set(a) | set(b)
        items = [
            MetricItem(
                key=a.get(t) or f"shuffled:{b[t]}",
                value=float(t in a and t in b),
                explanation="cited in both orders"
                if t in a and t in b
                else ("only in input order" if t in a else "only in shuffled order"),
            )
            for t in sorted(union)
        ]
        value = 1.0 - len(set(a) & set(b)) / len(union) if union else 0.0
        notes = [] if union else ["neither run cites anything"]
        return [
            MetricResult(
                name=self.name, value=value, n=len(union), better="lower", items=items, notes=notes
            )
        ]
