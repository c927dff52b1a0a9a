"""The eval suite's HTML page (``report.html`` beside ``results.json``): one self-contained
file with a bar chart of each metric by source and backend, the cross-source figures, and
every failing item linked to its explanation (the judge's or metric's reason, and the data
it looked at). Rendered from ``summarize/output/templates/eval.html.j2`` (autoescaped).

An item "fails" when its value is on the wrong side of 0.5 for its metric's direction; a few
metrics' items are not pass/fail (similarity to a reference, an outlet's deviation) and a
few score items in the opposite direction to the metric (``ITEM_BETTER``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from summarize.eval.metrics.base import MetricResult
from summarize.eval.suite import SuiteResult
from summarize.output.html import environment
from summarize.output.text import shown

# Metrics whose items are not pass/fail: similarities and per-outlet deviations.
NOT_PASS_FAIL = frozenset(
    {f"{p}{v}_f" for p in ("", "lead3_") for v in ("rouge1", "rouge2", "rougeL")} | {"outlet_tvd"}
)
# Items scored in the other direction than their metric: order_sensitivity is lower-better
# (the share of citations that change with the articles' order) but each item is 1 when a
# citation stays in both orders.
ITEM_BETTER = {"order_sensitivity": "higher"}
PALETTE = ("#1f5fbf", "#b5561f", "#1f8a6a", "#7b3fb5", "#a3214f", "#5b6575")


@dataclass
class Bar:
    row: str  # "source / backend"
    backend: str
    value: float | None
    width: float  # 0..1 of the chart
    text: str  # "0.931 ±0.045"
    n: int
    failing: int
    fail_anchor: str
    color: str


@dataclass
class MetricChart:
    name: str
    better: str
    reduce: str
    anchor: str
    bars: list[Bar] = field(default_factory=list)


@dataclass
class FailingItem:
    number: int
    metric: str
    row: str
    event: str
    key: str
    value: str
    explanation: str
    data: str  # pretty JSON of what the metric looked at


@dataclass
class FailGroup:
    anchor: str
    metric: str
    row: str
    chart_anchor: str
    items: list[FailingItem] = field(default_factory=list)


def failing(metric: MetricResult, value: float | None) -> bool:
    if value is None or metric.name in NOT_PASS_FAIL:
        return False
    better = ITEM_BETTER.get(metric.name, metric.better)
    return value < 0.5 if better == "higher" else value > 0.5


def _fmt(value: float | None, stderr: float | None, reduce: str) -> str:
    if value is None:
        return "–"
    text = f"{value:.0f}" if reduce == "sum" else f"{value:.3f}"
    return text + (f" ±{stderr:.3f}" if stderr is not None else "")


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")


def eval_html(result: SuiteResult) -> str:
    runs = [r for r in result.runs if r.skipped is None]
    backends = list(dict.fromkeys(r.backend for r in runs))
    color = {b: PALETTE[i % len(PALETTE)] for i, b in enumerate(backends)}
    names = list(dict.fromkeys(m.name for r in runs for m in r.aggregate))
    groups: dict[str, FailGroup] = {}
    counter = 0
    for r in runs:
        row = f"{r.source} / {r.backend}"
        for ev in r.events:
            for m in ev.metrics:
                for item in m.items:
                    if not failing(m, item.value):
                        continue
                    anchor = f"fail-{_slug(m.name)}-{_slug(row)}"
                    group = groups.setdefault(
                        anchor, FailGroup(anchor, m.name, row, f"m-{_slug(m.name)}")
                    )
                    counter += 1
                    group.items.append(
                        FailingItem(
                            number=counter,
                            metric=m.name,
                            row=row,
                            event=ev.event,
                            key=shown(item.key),
                            value=_fmt(item.value, None, m.reduce),
                            explanation=shown(item.explanation) or "(no explanation recorded)",
                            data=json.dumps(item.data, indent=1, ensure_ascii=False)
                            if item.data
                            else "",
                        )
                    )
    charts = []
    for name in names:
        found = [(r, next((m for m in r.aggregate if m.name == name), None)) for r in runs]
        present = [(r, m) for r, m in found if m is not None]
        if not present:
            continue
        first = present[0][1]
        values = [m.value for _, m in present if m.value is not None]
        scale = 1.0 if all(0.0 <= v <= 1.0 for v in values) else max(values or [1.0]) or 1.0
        chart = MetricChart(name, first.better, first.reduce, f"m-{_slug(name)}")
        for r, m in present:
            row = f"{r.source} / {r.backend}"
            anchor = f"fail-{_slug(name)}-{_slug(row)}"
            chart.bars.append(
                Bar(
                    row=row,
                    backend=r.backend,
                    value=m.value,
                    width=0.0 if m.value is None else max(0.0, m.value) / scale,
                    text=_fmt(m.value, m.stderr, m.reduce)
                    + (f" [{m.ci95[0]:.3f}, {m.ci95[1]:.3f}]" if m.ci95 else ""),
                    n=m.n,
                    failing=len(groups[anchor].items) if anchor in groups else 0,
                    fail_anchor=anchor,
                    color=color[r.backend],
                )
            )
        charts.append(chart)
    failed_events = [
        (f"{r.source} / {r.backend}", e.event, shown(e.error))
        for r in runs
        for e in r.events
        if e.error
    ]
    return (
        environment()
        .get_template("eval.html.j2")
        .render(
            result=result,
            charts=charts,
            legend=[(b, color[b]) for b in backends],
            groups=list(groups.values()),
            failing_total=counter,
            skipped=[(r.source, r.backend, shown(r.skipped)) for r in result.runs if r.skipped],
            failed_events=failed_events,
            overall=[
                (backend, [(m.name, _fmt(m.value, m.stderr, m.reduce), m.ci95, m.n) for m in ms])
                for backend, ms in result.overall.items()
            ],
            judge=str(result.judge.get("judge", "?")),
            versions=sorted(result.versions.items()),
        )
    )
