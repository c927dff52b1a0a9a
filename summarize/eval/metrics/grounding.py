"""Disagreement grounding: are the quoted sides really in their sources, do the sources
support each side's claim, and do the sides actually conflict?"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import combinations

from summarize.analysis.disagreements.framing import worded
from summarize.contract import Disagreement, PassageRecord
from summarize.eval.metrics.base import (
    EvalCase,
    MetricItem,
    MetricResult,
    passages_by_id,
    result_from_items,
)
from summarize.ingest.segmenter import title_id
from summarize.text.holders import distinct_holders, same_holder
from summarize.text.negation import has_negation
from summarize.text.words import content_words
from summarize.verify.judges.verdict import Judge
from summarize.verify.quotes import is_verbatim

ConflictCheck = Callable[[Disagreement], tuple[bool, str]]  # -> (conflicts, why)


def _related(a: set[str], b: set[str]) -> bool:
    # Five-letter prefixes catch the name/adjective pairs stemming misses (Syria/Syrian).
    return bool({w[:5] for w in a} & {w[:5] for w in b})


def heuristic_conflict(dis: Disagreement, same_claim: float = 0.8) -> tuple[bool, str]:
    """Cheap necessary conditions for a real disagreement: at least two distinct holders
    whose claims differ (content-word Jaccard below ``same_claim``) yet are about the same
    thing (they share a content word with each other or with the topic)."""
    if distinct_holders([p.holder for p in dis.positions]) < 2:
        return False, "all positions have the same holder"
    topic = set(content_words(dis.topic))
    for a, b in combinations(dis.positions, 2):
        if same_holder(a.holder, b.holder):
            continue
        wa, wb = set(content_words(a.claim)), set(content_words(b.claim))
        jac = len(wa & wb) / len(wa | wb) if wa | wb else 1.0
        if jac >= same_claim:
            continue
        if not (_related(wa, wb) or (_related(wa, topic) and _related(wb, topic))):
            continue
        neg_a, neg_b = has_negation(a.claim), has_negation(b.claim)
        signal = "; negation on one side" if neg_a != neg_b else ""
        return True, f"{a.holder!r} vs {b.holder!r}: claims differ (jaccard {jac:.2f}){signal}"
    return False, "no pair of distinct holders with different claims on a shared subject"


def judge_conflict(judge: Judge, gate: ConflictCheck = heuristic_conflict) -> ConflictCheck:
    """The optional model check on top of the heuristic: sides that the judge finds
    supporting each other (either direction) are not a disagreement."""

    def check(dis: Disagreement) -> tuple[bool, str]:
        ok, why = gate(dis)
        if not ok:
            return ok, why
        for a, b in combinations(dis.positions, 2):
            for x, y in ((a, b), (b, a)):
                v = judge.judge(x.claim, [y.claim])
                if v.label == 1:
                    return False, f"judge: {x.holder!r}'s claim is supported by {y.holder!r}'s"
        return True, why + "; judge finds neither side supports the other"

    return check


def _uses_words(framed: tuple[str, str], cited: list[PassageRecord]) -> tuple[bool, str]:
    """A claim about an outlet's wording ('The headline says "Safety Net".') against its
    cited passages: a judge would look for the words' meaning stated there and find none, so
    the words themselves are checked, in a headline for a headline's claim."""
    where, words = framed
    for p in cited:
        if (p.id == title_id(p.article)) == (where == "headline") and is_verbatim(words, p.text):
            return True, f"the cited {where} uses these words"
    return False, f"no cited {where} uses these words"


@dataclass
class DisagreementGrounding:
    """Four results: ``quote_verbatim`` (per quote citation), ``position_support`` (per
    side: the judge finds its claim supported by its cited passages), ``sides_conflict``
    (per disagreement) and ``disagreement_grounding`` (per disagreement: all of these)."""

    judge: Judge
    conflict: ConflictCheck = field(default=heuristic_conflict)
    name: str = "disagreement_grounding"

    def compute(self, case: EvalCase) -> list[MetricResult]:
        by_id = passages_by_id(case.document)
        quotes: list[MetricItem] = []
        support: list[MetricItem] = []
        conflict: list[MetricItem] = []
        overall: list[MetricItem] = []
        for d in case.document.disagreements:
            ok_all = True
            for pi, pos in enumerate(d.positions, 1):
                pkey = f"{d.id}.{pi}"
                cited = []
                for cit in pos.citations:
                    passage = by_id.get(cit.passage)
                    ok = passage is not None and is_verbatim(cit.quote, passage.text)
                    why = (
                        "no such passage"
                        if passage is None
                        else ("verbatim" if ok else "quote not found in passage")
                    )
                    quotes.append(
                        MetricItem(
                            key=f"{pkey}->{cit.passage}",
                            value=float(ok),
                            explanation=why,
                            data={"quote": cit.quote},
                        )
                    )
                    ok_all &= ok
                    if passage is not None:
                        cited.append(passage)
                framed = worded(pos.claim)
                if framed is not None and cited:
                    sup, why = _uses_words(framed, cited)
                elif cited:
                    v = self.judge.judge(pos.claim, [p.text for p in cited])
                    sup, why = v.label == 1, v.verdict
                else:
                    sup, why = False, "cites no known passage"
                support.append(
                    MetricItem(
                        key=pkey,
                        value=float(sup),
                        explanation=f"{pos.holder}: {why}",
                        data={"claim": pos.claim},
                    )
                )
                ok_all &= sup
            clash, why = self.conflict(d)
            conflict.append(MetricItem(key=d.id, value=float(clash), explanation=why))
            ok_all &= clash
            overall.append(
                MetricItem(
                    key=d.id,
                    value=float(ok_all),
                    explanation="grounded" if ok_all else "see quote/support/conflict items",
                    data={"kind": d.kind, "topic": d.topic},
                )
            )
        notes = [] if case.document.disagreements else ["no disagreements: grounding undefined"]
        return [
            result_from_items("quote_verbatim", quotes, notes=notes),
            result_from_items("position_support", support, notes=notes),
            result_from_items("sides_conflict", conflict, notes=notes),
            result_from_items("disagreement_grounding", overall, notes=notes),
        ]
