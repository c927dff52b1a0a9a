"""Coverage against a gold annotation: key facts the summary supports, and gold
disagreements the output found (reported per gold id, e.g. which of D1..D5)."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import permutations

from pydantic import JsonValue

from summarize.contract import Disagreement, DisagreementKind, SummaryDocument
from summarize.eval.gold import GoldDisagreement, GoldPosition
from summarize.eval.metrics.base import (
    EvalCase,
    MetricItem,
    MetricResult,
    article_keys,
    result_from_items,
)
from summarize.text.holders import holders_match
from summarize.text.words import content_words
from summarize.verify.judges.verdict import Judge

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


@dataclass
class LedeHit:
    """Whether the summary's first sentence supports the event's main news: the gold's first
    key fact (the annotation guide lists the main news first)."""

    judge: Judge
    name: str = "lede_hit"

    def compute(self, case: EvalCase) -> list[MetricResult]:
        if case.gold is None or not case.gold.key_facts:
            return []
        fact = case.gold.key_facts[0]
        if not case.document.summary:
            item = MetricItem(key=fact.id, value=0.0, explanation="empty summary")
            return [result_from_items(self.name, [item])]
        first = case.document.summary[0].text
        v = self.judge.judge(fact.fact, [first])
        item = MetricItem(
            key=fact.id,
            value=float(v.label == 1),
            explanation=v.verdict + (f": {v.explanation}" if v.explanation else ""),
            data={"fact": fact.fact, "first_sentence": first, "score": v.score},
        )
        return [result_from_items(self.name, [item])]


Unnamed = dict[str, set[str]]  # holder named after its file -> that article's document keys


def unnamed_outlets(doc: SummaryDocument) -> Unnamed:
    """Outlets the input never names (``outlet_source`` "filename"): the holder shown is the
    file's name, so a gold side is matched through the article instead (its id, file name
    or file-name prefix, as gold ``docs`` list them)."""
    return {
        a.outlet: article_keys(a)
        for a in doc.articles
        if a.outlet and a.outlet_source == "filename"
    }


def _side_matches(gold: GoldPosition, holder: str, unnamed: Unnamed) -> bool:
    if holders_match(gold.holder, holder):
        return True
    keys = unnamed.get(holder)
    return bool(keys and keys & set(gold.docs))


def positions_match(
    gold: GoldDisagreement, found: Disagreement, unnamed: Unnamed | None = None
) -> bool:
    """Every gold position's holder matches a distinct found position's holder (an outlet
    the input never names: through its article, see ``unnamed_outlets``)."""
    holders = [p.holder for p in found.positions]
    if len(holders) < len(gold.positions):
        return False
    for perm in permutations(range(len(holders)), len(gold.positions)):
        if all(
            _side_matches(g, holders[j], unnamed or {})
            for g, j in zip(gold.positions, perm, strict=True)
        ):
            return True
    return False


def _words(gold: GoldDisagreement) -> set[str]:
    parts = [
        gold.topic,
        *(p.claim for p in gold.positions),
        *(p.quote or "" for p in gold.positions),
    ]
    return set(content_words(" ".join(parts)))


def _found_words(found: Disagreement) -> set[str]:
    parts = [found.topic, *(p.claim for p in found.positions)]
    parts += [c.quote for p in found.positions for c in p.citations]
    return set(content_words(" ".join(parts)))


def _overlap(gold: GoldDisagreement, found: Disagreement) -> float:
    """Content-word Jaccard of topic, claims and quotes: how far the two are about the same
    question."""
    a, b = _words(gold), _found_words(found)
    return len(a & b) / len(a | b) if a | b else 0.0


# The one matching rule (docs/EVALUATION.md): a reported disagreement matches a gold one when
# (1) the kinds are compatible, (2) every gold side's holder matches a distinct reported
# side's holder (text.holders), and (3) they are about the same question: topic, claims and
# quotes share at least this much vocabulary. One-to-one, best overlap first.
MIN_QUESTION_OVERLAP = 0.08


@dataclass(frozen=True)
class Matching:
    matched: dict[int, tuple[int, float]]  # gold index -> (found index, overlap)
    near: dict[int, str]  # found index -> why it matched no gold (for the items)


def match_disagreements(
    golds: list[GoldDisagreement], found: list[Disagreement], unnamed: Unnamed | None = None
) -> Matching:
    candidates = []
    near: dict[int, str] = {}
    for fi, f in enumerate(found):
        for gi, g in enumerate(golds):
            holders = positions_match(g, f, unnamed)
            overlap = _overlap(g, f)
            kind_ok = f.kind in COMPATIBLE_KINDS[g.kind]
            if kind_ok and holders and overlap >= MIN_QUESTION_OVERLAP:
                candidates.append((overlap, gi, fi))
            elif holders and not kind_ok:
                near.setdefault(fi, f"same holders as gold {g.id}, but {g.kind} vs {f.kind}")
            elif holders:
                near.setdefault(
                    fi, f"same holders as gold {g.id}, another question ({overlap:.2f})"
                )
    matched: dict[int, tuple[int, float]] = {}
    used: set[int] = set()
    for score, gi, fi in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
        if gi not in matched and fi not in used:
            matched[gi] = (fi, score)
            used.add(fi)
    return Matching(matched=matched, near=near)


@dataclass
class DisagreementRecall:
    """Share of gold disagreements found (see ``match_disagreements``), overall and per kind;
    pooled over events."""

    name: str = "disagreement_recall"

    def compute(self, case: EvalCase) -> list[MetricResult]:
        if case.gold is None or not case.gold.disagreements:
            return []
        golds, found = case.gold.disagreements, case.document.disagreements
        matching = match_disagreements(golds, found, unnamed_outlets(case.document))
        items: list[MetricItem] = []
        for gi, g in enumerate(golds):
            holders = " vs ".join(p.holder for p in g.positions)
            if gi in matching.matched:
                fi, score = matching.matched[gi]
                f = found[fi]
                why = f"matched {f.id} ({f.kind}: {f.topic!r}; question overlap {score:.2f})"
                data: dict[str, JsonValue] = {"found": f.id, "kind": g.kind}
                items.append(MetricItem(key=g.id, value=1.0, explanation=why, data=data))
            else:
                why = f"not found ({g.kind}: {holders})"
                items.append(
                    MetricItem(key=g.id, value=0.0, explanation=why, data={"kind": g.kind})
                )
        notes = [f"found {len(found)} disagreements"] if found else ["no disagreements found"]
        results = [result_from_items(self.name, items, reduce="pooled", notes=notes)]
        for kind in COMPATIBLE_KINDS:
            of_kind = [i for i in items if i.data.get("kind") == kind]
            if of_kind:
                results.append(result_from_items(f"{self.name}_{kind}", of_kind, reduce="pooled"))
        return results


@dataclass
class DisagreementPrecision:
    """Share of reported disagreements that match a gold one, on events whose gold lists
    every disagreement (so an unmatched report is a false one); pooled over events."""

    name: str = "disagreement_precision"

    def compute(self, case: EvalCase) -> list[MetricResult]:
        if case.gold is None or not case.document.disagreements:
            return []
        golds, found = case.gold.disagreements, case.document.disagreements
        matching = match_disagreements(golds, found, unnamed_outlets(case.document))
        by_found = {fi: (gi, score) for gi, (fi, score) in matching.matched.items()}
        items: list[MetricItem] = []
        for fi, f in enumerate(found):
            holders = " vs ".join(p.holder for p in f.positions)
            if fi in by_found:
                gi, score = by_found[fi]
                why = f"matches gold {golds[gi].id} (question overlap {score:.2f})"
                items.append(
                    MetricItem(key=f.id, value=1.0, explanation=why, data={"gold": golds[gi].id})
                )
            else:
                why = matching.near.get(fi, f"no gold disagreement between {holders}")
                items.append(
                    MetricItem(key=f.id, value=0.0, explanation=why, data={"topic": f.topic})
                )
        return [result_from_items(self.name, items, reduce="pooled")]
