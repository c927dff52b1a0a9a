"""Summary-level metrics: the shared result types, the evaluated case, and the metrics that
need only the document and a judge (faithfulness, citation precision, similarity to a
reference summary). Boilerplate leakage lives in ``leakage.py``.

Every metric is a small object with a ``name`` and ``compute(case) -> list[MetricResult]``.
An empty list means "not applicable to this case" (no gold, no reference, no shuffled run);
a result with ``value=None`` means "applicable but undefined" (e.g. faithfulness of an empty
summary), which aggregation skips and the baseline check reports as missing.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol

from pydantic import Field, JsonValue

from summarize.contract import ArticleRecord, PassageRecord, Strict, SummaryDocument
from summarize.eval.gold import Gold
from summarize.text.holders import same_holder, text_names_holder
from summarize.text.outlets import readable_outlets
from summarize.text.words import fold
from summarize.verify.contested import attributions
from summarize.verify.judges.verdict import Judge, Verdict

Better = Literal["higher", "lower"]
# How per-event values combine over events: "mean" (macro), "sum", or "pooled" (micro: every
# scored item of every event counts once, e.g. precision over all reported disagreements).
Reduce = Literal["mean", "sum", "pooled"]


class MetricItem(Strict):
    """One scored unit (a sentence, a citation, a key fact, an outlet...) and why."""

    key: str
    value: float | None = None
    explanation: str = ""
    data: dict[str, JsonValue] = Field(default_factory=dict)


class MetricResult(Strict):
    name: str
    value: float | None
    n: int  # scored items (per event) or events with a defined value (aggregated)
    stderr: float | None = None
    better: Better = "higher"
    reduce: Reduce = "mean"  # how per-event values combine over events
    ci95: list[float] | None = None  # pooled metrics: bootstrap interval over events
    items: list[MetricItem] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


class EvalCase(Strict):
    """Everything one event's metrics may look at."""

    document: SummaryDocument
    gold: Gold | None = None
    reference_summary: str | None = None
    shuffled: SummaryDocument | None = None  # same event, articles in shuffled order
    # article id -> full cleaned text; "supported by any source" falls back to kept passages
    sources: dict[str, str] = Field(default_factory=dict)


class Metric(Protocol):
    name: str

    def compute(self, case: EvalCase) -> list[MetricResult]: ...


def mean_stderr(values: Sequence[float]) -> tuple[float | None, float | None]:
    """Mean and standard error of the mean (sample std / sqrt(n)); None where undefined."""
    n = len(values)
    if n == 0:
        return None, None
    mean = sum(values) / n
    if n < 2:
        return mean, None
    var = sum((v - mean) ** 2 for v in values) / (n - 1)
    return mean, math.sqrt(var / n)


def result_from_items(
    name: str,
    items: list[MetricItem],
    *,
    better: Better = "higher",
    reduce: Reduce = "mean",
    notes: list[str] | None = None,
) -> MetricResult:
    values = [i.value for i in items if i.value is not None]
    if reduce == "sum":
        value: float | None = float(sum(values))
        stderr: float | None = None
    else:
        value, stderr = mean_stderr(values)
    return MetricResult(
        name=name,
        value=value,
        n=len(values),
        stderr=stderr,
        better=better,
        reduce=reduce,
        items=items,
        notes=notes or [],
    )


def aggregate(name: str, per_event: Sequence[tuple[str, MetricResult]]) -> MetricResult:
    """Combine one metric over events: macro mean (+ stderr over events), a sum, or pooled
    over every item (+ a 95% bootstrap interval over events)."""
    if not per_event:
        return MetricResult(name=name, value=None, n=0)
    first = per_event[0][1]
    items = [MetricItem(key=event, value=r.value, explanation=f"n={r.n}") for event, r in per_event]
    if first.reduce != "pooled":
        return result_from_items(name, items, better=first.better, reduce=first.reduce)
    counts = [(r.value * r.n, r.n) for _, r in per_event if r.value is not None and r.n]
    value = pooled(counts)
    return MetricResult(
        name=name,
        value=value,
        n=sum(n for _, n in counts),
        better=first.better,
        reduce="pooled",
        ci95=bootstrap_pooled(counts),
        items=items,
    )


def pooled(counts: Sequence[tuple[float, int]]) -> float | None:
    """Σ hits / Σ items over (hits, items) pairs; None with no item."""
    total = sum(n for _, n in counts)
    return sum(h for h, _ in counts) / total if total else None


def bootstrap_pooled(
    counts: Sequence[tuple[float, int]], resamples: int = 2000, seed: int = 0
) -> list[float] | None:
    """Percentile 95% interval of the pooled ratio, resampling events with replacement."""
    if len(counts) < 2:
        return None
    rng = random.Random(seed)
    stats = sorted(
        v
        for v in (pooled(rng.choices(counts, k=len(counts))) for _ in range(resamples))
        if v is not None
    )
    if not stats:
        return None
    return [stats[int(0.025 * (len(stats) - 1))], stats[int(0.975 * (len(stats) - 1))]]


# --- document helpers ---------------------------------------------------------------------

_SPACE = re.compile(r"\s+")


def norm(text: str) -> str:
    """Case-, diacritic-, quote- and whitespace-insensitive form for containment tests."""
    return _SPACE.sub(" ", fold(text)).strip()


def article_keys(a: ArticleRecord) -> set[str]:
    """The names gold ``docs`` give an article: its id, its file name's stem (a JSONL
    record's own id ends its path) or that stem's prefix before "_" ("007" for
    "007_3fa9c2.txt")."""
    stem = Path(a.path).stem if a.path else ""
    return {k for k in (a.id, stem, stem.split("_")[0]) if k}


def shown_outlets(doc: SummaryDocument) -> dict[str, str]:
    """Article id -> its outlet as the run names it in sentences
    (``text.outlets.readable_outlets``); articles without an outlet are left out."""
    return readable_outlets({a.id: a.outlet for a in doc.articles if a.outlet})


def passages_by_id(doc: SummaryDocument) -> dict[str, PassageRecord]:
    return {p.id: p for p in doc.passages}


def summary_text(doc: SummaryDocument) -> str:
    return " ".join(s.text for s in doc.summary)


def source_texts(case: EvalCase) -> list[str]:
    """One text per source article: the given full texts, else its kept passages joined."""
    if case.sources:
        return list(case.sources.values())
    by_article: dict[str, list[str]] = {}
    for p in case.document.passages:
        by_article.setdefault(p.article, []).append(p.text)
    return [" ".join(texts) for texts in by_article.values()]


class Provenance:
    """Who each passage's article is (its outlet as given and as the run names it), to
    check the attributions the run added to sentences ("According to The Hill, ...").

    Such a prefix is supported by where the cited passages come from, not by their words, so
    a judge reading the whole sentence against the passages would find the outlet's name
    missing and reject a faithful sentence. The prefix is checked here (every name it lists
    is a cited article's outlet or is named in the evidence) and the judge reads the rest."""

    def __init__(self, doc: SummaryDocument) -> None:
        shown = shown_outlets(doc)
        self.outlets: dict[str, list[str]] = {
            a.id: [n for n in (a.outlet, shown.get(a.id)) if n] for a in doc.articles
        }

    def claim(
        self, text: str, articles: Sequence[str], evidence: Sequence[str]
    ) -> tuple[str, str | None]:
        """What the judge should read of ``text``, and why the sentence fails without asking
        it (an attribution to someone its evidence does not come from or name), or None."""
        readings = attributions(text)
        if not readings:
            return text, None
        outlets = [o for a in articles for o in self.outlets.get(a, [])]

        def named(name: str) -> bool:
            return any(same_holder(name, o) for o in outlets) or any(
                text_names_holder(e, name) for e in evidence
            )

        for names, rest in reversed(readings):  # the longest holder list that checks out
            if all(named(n) for n in names):
                return rest, None
        names, rest = readings[0]
        missing = ", ".join(n for n in names if not named(n))
        return rest, f"attributed to {missing}, which its evidence neither comes from nor names"


@dataclass
class MemoJudge:
    """Remembers verdicts within one evaluation: several metrics ask the same question (a
    one-citation sentence is both a faithfulness and a citation-precision query)."""

    inner: Judge
    name: str = ""
    _memo: dict[tuple[str, tuple[str, ...]], Verdict] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.name = self.inner.name

    def judge(self, claim: str, sources: list[str]) -> Verdict:
        key = (claim, tuple(sources))
        if key not in self._memo:
            self._memo[key] = self.inner.judge(claim, sources)
        return self._memo[key]

    def describe(self) -> dict[str, object]:
        return self.inner.describe()


def _verdict_item(key: str, verdict: Verdict, data: dict[str, JsonValue]) -> MetricItem:
    data = {**data, "score": verdict.score, "evidence": list(verdict.evidence[:3])}
    why = f"{verdict.verdict}" + (f": {verdict.explanation}" if verdict.explanation else "")
    return MetricItem(key=key, value=float(verdict.label == 1), explanation=why, data=data)


# --- faithfulness -------------------------------------------------------------------------


@dataclass
class Faithfulness:
    """Share of summary sentences the judge finds supported by their cited passages
    (``faithfulness_cited``) and by any source article (``faithfulness_any``). The gap
    between the two measures mis-citation rather than invention."""

    judge: Judge
    name: str = "faithfulness"

    def compute(self, case: EvalCase) -> list[MetricResult]:
        doc = case.document
        by_id = passages_by_id(doc)
        sources = source_texts(case)
        provenance = Provenance(doc)
        every_article = [a.id for a in doc.articles]
        cited: list[MetricItem] = []
        anywhere: list[MetricItem] = []
        for i, sent in enumerate(doc.summary, 1):
            key = f"s{i}"
            passages = [by_id[c] for c in sent.citations if c in by_id]
            texts = [p.text for p in passages]
            data: dict[str, JsonValue] = {"text": sent.text, "citations": list(sent.citations)}
            if texts:
                cited.append(
                    self._item(
                        key,
                        data,
                        provenance.claim(sent.text, [p.article for p in passages], texts),
                        texts,
                    )
                )
            else:
                cited.append(MetricItem(key=key, value=0.0, explanation="cites no known passage"))
            claim = provenance.claim(sent.text, every_article, sources)
            anywhere.append(self._item(key, data, claim, sources))
        notes = [] if doc.summary else ["empty summary: faithfulness undefined"]
        return [
            result_from_items("faithfulness_cited", cited, notes=notes),
            result_from_items("faithfulness_any", anywhere, notes=notes),
        ]

    def _item(
        self,
        key: str,
        data: dict[str, JsonValue],
        claim: tuple[str, str | None],
        evidence: list[str],
    ) -> MetricItem:
        text, failure = claim
        if failure is not None:
            return MetricItem(key=key, value=0.0, explanation=failure, data=data)
        return _verdict_item(key, self.judge.judge(text, evidence), data)


# --- citation precision -------------------------------------------------------------------

PairSupport = Callable[[str, str], tuple[bool, str]]  # (claim, passage) -> (supported, why)


def judge_support(judge: Judge) -> PairSupport:
    def check(claim: str, passage: str) -> tuple[bool, str]:
        v = judge.judge(claim, [passage])
        return v.label == 1, v.verdict

    return check


def lexical_pair_support(threshold: float = 0.5) -> PairSupport:
    """The cheap variant: ``summarize.verify.support.lexical_support`` at a fixed threshold."""
    from summarize.verify.support import lexical_support

    def check(claim: str, passage: str) -> tuple[bool, str]:
        score = float(lexical_support(claim, [passage]))
        return score >= threshold, f"lexical support {score:.2f} (threshold {threshold})"

    return check


@dataclass
class CitationPrecision:
    """Share of (sentence, cited passage) pairs where that passage alone supports the
    sentence. A sentence that combines two passages will score 0.5 here by design: each
    citation is asked to carry its own weight."""

    support: PairSupport
    name: str = "citation_precision"

    def compute(self, case: EvalCase) -> list[MetricResult]:
        by_id = passages_by_id(case.document)
        provenance = Provenance(case.document)
        items: list[MetricItem] = []
        for i, sent in enumerate(case.document.summary, 1):
            # An attribution names the outlets of all the sentence's citations together;
            # each passage is asked to carry the rest on its own.
            articles = [by_id[c].article for c in sent.citations if c in by_id]
            for pid in sent.citations:
                key = f"s{i}->{pid}"
                if pid not in by_id:
                    items.append(MetricItem(key=key, value=0.0, explanation="no such passage"))
                    continue
                passage = by_id[pid]
                text, failure = provenance.claim(sent.text, articles, [passage.text])
                if failure is not None:
                    items.append(MetricItem(key=key, value=0.0, explanation=failure))
                    continue
                ok, why = self.support(text, passage.text)
                items.append(MetricItem(key=key, value=float(ok), explanation=why))
        notes = [] if items else ["zero citations: citation precision undefined"]
        return [result_from_items(self.name, items, notes=notes)]


# --- similarity to a reference summary ----------------------------------------------------


ROUGE_VARIANTS = ("rouge1", "rouge2", "rougeL")
# The baseline an editor's roundup is compared against: the first sentences of the outlet
# rated centre (AllSides' rating, carried as the article's leaning), as issue #11 sets it.
LEAD_SENTENCES = 3
CENTRE = "center"


def lead_text(doc: SummaryDocument, n: int = LEAD_SENTENCES) -> str | None:
    """The first ``n`` sentences of the centre outlet's article (its kept body passages in
    order; not its title), or None when no article is rated centre."""
    from summarize.ingest.segmenter import title_id
    from summarize.text.sentences import split_text

    centre = next((a.id for a in doc.articles if (a.leaning or "").strip().lower() == CENTRE), None)
    if centre is None:
        return None
    body = "\n".join(
        p.text for p in doc.passages if p.article == centre and p.id != title_id(centre)
    )
    return " ".join(split_text(body)[:n])


@dataclass
class ReferenceRouge:
    """ROUGE-1, ROUGE-2 and ROUGE-L F1 (Porter-stemmed, ``rouge-score``) against an
    editor-written reference summary, where the event has one; beside them the same scores
    of the lead-3-of-the-centre-outlet baseline (``lead3_rouge*_f``), where an outlet is
    rated centre, so every summary figure has its baseline on the same events."""

    name: str = "reference_rouge"

    def compute(self, case: EvalCase) -> list[MetricResult]:
        if not case.reference_summary:
            return []
        from rouge_score import rouge_scorer

        scorer = rouge_scorer.RougeScorer(list(ROUGE_VARIANTS), use_stemmer=True)
        candidates = {"": summary_text(case.document)}
        lead = lead_text(case.document)
        if lead:
            candidates["lead3_"] = lead
        out = []
        for prefix, text in candidates.items():
            scores = scorer.score(case.reference_summary, text)
            for variant in ROUGE_VARIANTS:
                s = scores[variant]
                p, r, f = float(s.precision), float(s.recall), float(s.fmeasure)
                item = MetricItem(
                    key="reference",
                    value=f,
                    explanation=f"P={p:.3f} R={r:.3f} F={f:.3f}",
                    data={"precision": p, "recall": r},
                )
                notes = [] if text else ["empty summary scores 0"]
                out.append(result_from_items(f"{prefix}{variant}_f", [item], notes=notes))
        return out
