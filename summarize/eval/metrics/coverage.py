"""Coverage against a gold annotation: key facts the summary supports, and gold
disagreements the output found (reported per gold id, e.g. which of D1..D5)."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import permutations

from summarize.contract import Disagreement, DisagreementKind
from summarize.eval.gold import GoldDisagreement
from summarize.eval.judges.verdict import Judge
from summarize.eval.metrics.base import EvalCase, MetricItem, MetricResult, result_from_items
from summarize.text.holders import holders_match
from summarize.text.words import content_words

# Outlets' differing accounts and differing framings are both "the sources disagree";
# a model may reasonably file one as the other. An actor's stated position is distinct.
COMPATIBLE_KINDS: dict[DisagreementKind, frozenset[DisagreementKind]] = {
    "actor_position": frozenset({"actor_position"}),
    "source_discrepancy": frozenset({"source_discrepancy", "framing"}),
    "framing": frozenset({"framing", "source_discrepancy"}),
}


@dataclass
class KeyFactCoverage:
    """Share of gold key facts the judge finds supported by the summary text."""

    judge: Judge
    name: str = "key_fact_coverage"

    def compute(self, case: EvalCase) -> list[MetricResult]:
        if case.gold is None or not case.gold.key_facts:
            return []
        text = " ".join(s.text for s in case.document.summary)
        items: list[MetricItem] = []
        for fact in case.gold.key_facts:
            if not text:
                items.append(MetricItem(key=fact.id, value=0.0, explanation="empty summary"))
                continue
            v = self.judge.judge(fact.fact, [text])
            items.append(
                MetricItem(
                    key=fact.id,
                    value=float(v.label == 1),
                    explanation=v.verdict + (f": {v.explanation}" if v.explanation else ""),
                    data={"fact": fact.fact, "score": v.score, "evidence": list(v.evidence[:3])},
                )
            )
        return [result_from_items(self.name, items)]


def positions_match(gold: GoldDisagreement, found: Disagreement) -> bool:
    """Every gold position's holder matches a distinct found position's holder."""
    holders = [p.holder for p in found.positions]
    if len(holders) < len(gold.positions):
        return False
    for perm in permutations(range(len(holders)), len(gold.positions)):
        if all(
            holders_match(g.holder, holders[j]) for g, j in zip(gold.positions, perm, strict=True)
        ):
            return True
    return False


def _overlap(gold: GoldDisagreement, found: Disagreement) -> float:
    """Content-word Jaccard of topic + claims: only used to pick between candidates whose
    holders both match (e.g. two disputes between the same two governments)."""
    a = set(content_words(" ".join([gold.topic, *(p.claim for p in gold.positions)])))
    b = set(content_words(" ".join([found.topic, *(p.claim for p in found.positions)])))
    return len(a & b) / len(a | b) if a | b else 0.0


@dataclass
class DisagreementRecall:
    """Share of gold disagreements recalled: some found disagreement of a compatible kind
    has positions whose holders match the gold holders. Matching is one-to-one, best topic
    overlap first, so one found dispute cannot count for two gold ones."""

    name: str = "disagreement_recall"

    def compute(self, case: EvalCase) -> list[MetricResult]:
        if case.gold is None or not case.gold.disagreements:
            return []
        found = case.document.disagreements
        candidates = sorted(
            (
                (_overlap(g, f), gi, fi)
                for gi, g in enumerate(case.gold.disagreements)
                for fi, f in enumerate(found)
                if f.kind in COMPATIBLE_KINDS[g.kind] and positions_match(g, f)
            ),
            key=lambda c: (-c[0], c[1], c[2]),
        )
        matched: dict[int, tuple[int, float]] = {}
        used: set[int] = set()
        for score, gi, fi in candidates:
            if gi not in matched and fi not in used:
                matched[gi] = (fi, score)
                used.add(fi)
        items: list[MetricItem] = []
        for gi, g in enumerate(case.gold.disagreements):
            holders = " vs ".join(p.holder for p in g.positions)
            if gi in matched:
                fi, score = matched[gi]
                f = found[fi]
                why = f"matched {f.id} ({f.kind}: {f.topic!r}; topic overlap {score:.2f})"
                items.append(MetricItem(key=g.id, value=1.0, explanation=why, data={"found": f.id}))
            else:
                why = f"not found ({g.kind}: {holders})"
                items.append(MetricItem(key=g.id, value=0.0, explanation=why))
        notes = [f"found {len(found)} disagreements"] if found else ["no disagreements found"]
        return [result_from_items(self.name, items, notes=notes)]
