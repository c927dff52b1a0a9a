"""The standard set of summary metrics, built from one settings object so that every
threshold a score depends on is written into the results file."""

from __future__ import annotations

from typing import Literal

from summarize.contract import Strict
from summarize.eval.metrics.base import (
    CitationPrecision,
    EvalCase,
    Faithfulness,
    MemoJudge,
    Metric,
    MetricResult,
    ReferenceRouge,
    judge_support,
    lexical_pair_support,
)
from summarize.eval.metrics.coverage import (
    DisagreementPrecision,
    DisagreementRecall,
    KeyFactCoverage,
    LedeHit,
)
from summarize.eval.metrics.grounding import (
    DisagreementGrounding,
    heuristic_conflict,
    judge_conflict,
)
from summarize.eval.metrics.leakage import BoilerplateLeakage
from summarize.eval.metrics.neutrality import (
    Attribution,
    LoadedLanguage,
    OrderSensitivity,
    OutletBalance,
)
from summarize.verify.judges.verdict import Judge


class MetricSettings(Strict):
    citation_support: Literal["judge", "lexical"] = "judge"
    lexical_threshold: float = 0.5  # lexical_support score that counts as support
    conflict: Literal["heuristic", "judge"] = "heuristic"
    attribution_overlap: float = 0.6  # share of a side's claim words that make it "contained"
    loaded_valence: float = 2.0  # |VADER valence| at or above which a word is loaded
    leakage_min_chars: int = 20  # dropped paragraphs shorter than this are not checked


def build_metrics(judge: Judge, settings: MetricSettings | None = None) -> list[Metric]:
    s = settings or MetricSettings()
    memo = MemoJudge(judge)
    support = (
        judge_support(memo)
        if s.citation_support == "judge"
        else lexical_pair_support(s.lexical_threshold)
    )
    conflict = judge_conflict(memo) if s.conflict == "judge" else heuristic_conflict
    return [
        Faithfulness(memo),
        CitationPrecision(support),
        DisagreementGrounding(memo, conflict),
        KeyFactCoverage(memo),
        LedeHit(memo),
        DisagreementRecall(),
        DisagreementPrecision(),
        OutletBalance(),
        Attribution(threshold=s.attribution_overlap),
        LoadedLanguage(threshold=s.loaded_valence),
        OrderSensitivity(),
        BoilerplateLeakage(min_chars=s.leakage_min_chars),
        ReferenceRouge(),
    ]


def judged_metrics(settings: MetricSettings | None = None) -> list[str]:
    """The metrics whose values are the judge's verdicts (shown with its accuracy)."""
    s = settings or MetricSettings()
    names = ["faithfulness_cited", "faithfulness_any"]
    if s.citation_support == "judge":
        names.append("citation_precision")
    names += ["position_support", "disagreement_grounding", "key_fact_coverage", "lede_hit"]
    if s.conflict == "judge":
        names.append("sides_conflict")
    return names


def score_case(case: EvalCase, metrics: list[Metric]) -> list[MetricResult]:
    return [r for m in metrics for r in m.compute(case)]
