"""The eval suite's HTML page: a chart per metric by source and backend, and every failing
item linked to its explanation; the event report's eval figures read from results files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from summarize.errors import InputError
from summarize.eval.accuracy import DatasetAccuracy, JudgeAccuracy
from summarize.eval.html import eval_html, failing
from summarize.eval.meta import DatasetReport, MetaReport
from summarize.eval.metrics.base import MetricItem, MetricResult
from summarize.eval.metrics.scorecard import MetricSettings
from summarize.eval.report import eval_figures, report_path, write_results
from summarize.eval.suite import EventResult, RunResult, SuiteResult
from tests.helpers.evalfakes import basic_doc


def metric(name: str, values: list[float], better: str = "higher") -> MetricResult:
    items = [
        MetricItem(
            key=f"s{i}", value=v, explanation=f"why <s{i}> scored {v}", data={"text": f"<b>{i}</b>"}
        )
        for i, v in enumerate(values, 1)
    ]
    return MetricResult(
        name=name,
        value=sum(values) / len(values),
        n=len(values),
        better=better,
        items=items,  # type: ignore[arg-type]
    )


def result(event: str = "e1") -> SuiteResult:
    runs = []
    for source, backend, vals in (("seed", "extractive", [1, 0, 1]), ("neus", "local", [1, 1])):
        ev = EventResult(
            event=event,
            metrics=[
                metric("faithfulness_cited", vals),
                metric("order_sensitivity", [1, 0], better="lower"),
                metric("rouge1_f", [0.2]),
            ],
        )
        runs.append(RunResult(source=source, backend=backend, events=[ev], aggregate=ev.metrics))
    runs.append(RunResult(source="other", backend="extractive", skipped="path absent"))
    return SuiteResult(
        suite="t",
        created="2026-01-01T00:00:00+00:00",
        seed=1,
        judge={"judge": "offline-signals"},
        metric_settings=MetricSettings(),
        runs=runs,
    )


def test_failing_follows_each_metrics_direction() -> None:
    up, down = metric("x", [1.0]), metric("y", [0.0], better="lower")
    assert failing(up, 0.0) and not failing(up, 1.0)
    assert failing(down, 1.0) and not failing(down, 0.0)
    assert not failing(metric("rouge1_f", [0.1]), 0.1)  # a similarity, not pass/fail
    # order_sensitivity's items are 1 when a citation is stable: 0 is the failure.
    order = metric("order_sensitivity", [1.0], better="lower")
    assert failing(order, 0.0) and not failing(order, 1.0)


def test_page_charts_each_metric_and_links_failing_items_to_explanations() -> None:
    html = eval_html(result())
    ids = set(re.findall(r'id="([^"]+)"', html))
    hrefs = re.findall(r'href="#([^"]+)"', html)
    assert hrefs and all(h in ids for h in hrefs)  # every link lands somewhere
    assert {"m-faithfulness-cited", "m-order-sensitivity", "m-rouge1-f"} <= ids
    # seed/extractive: one failing faithfulness item, one failing order item; neus/local: one.
    whys = re.findall(r'href="#(why-\d+)"', html)
    assert len(whys) == 3 and all(w in ids for w in whys)
    assert "why &lt;s2&gt; scored 0" in html and "<b>2</b>" not in html  # escaped
    assert "skipped other / extractive: path absent" in html
    assert "<script" not in html and "http" not in html.split("</head>")[0].replace(
        "http-equiv", ""
    )


def test_write_results_writes_the_page(tmp_path: Path) -> None:
    write_results(result(), tmp_path)
    assert report_path(tmp_path).read_text().startswith("<!doctype html>")


def test_eval_figures_for_an_event(tmp_path: Path) -> None:
    write_results(result(event="e1"), tmp_path)
    meta = MetaReport(
        judge={"judge": "offline-signals"},
        bootstrap={"n": 10},
        datasets=[
            DatasetReport(
                dataset="summedits_news",
                split="test",
                n=40,
                positives=20,
                balanced_accuracy=0.71,
                ci95=(0.6, 0.8),
                seconds_per_item=0.01,
            )
        ],
    )
    (tmp_path / "meta.json").write_text(meta.model_dump_json())
    doc = basic_doc().model_copy(
        update={"event": basic_doc().event.model_copy(update={"id": "e1"})}
    )
    figures = eval_figures(doc, [tmp_path])  # a folder: both files in it
    assert figures.judge == "offline-signals"
    assert [f.value for f in figures.faithfulness] == pytest.approx([2 / 3, 1.0])
    assert figures.accuracy[0].balanced_accuracy == 0.71
    other = doc.model_copy(update={"event": doc.event.model_copy(update={"id": "nope"})})
    assert "not among the events" in eval_figures(other, [tmp_path / "results.json"]).notes[0]
    bad = tmp_path / "x.json"
    bad.write_text(json.dumps({"something": 1}))
    with pytest.raises(InputError):
        eval_figures(doc, [bad])


def test_results_alone_bring_their_judges_recorded_accuracy(tmp_path: Path) -> None:
    recorded = JudgeAccuracy(
        judge="offline-signals",
        measured="2026-12-07",
        command="summarize eval --meta --no-model",
        datasets=[
            DatasetAccuracy(
                dataset="summedits_news",
                split="test",
                n=52,
                positives=17,
                balanced_accuracy=0.586,
                ci95=(0.528, 0.649),
                seconds_per_item=0.01,
            )
        ],
    )
    write_results(result(event="e1").model_copy(update={"judge_accuracy": recorded}), tmp_path)
    doc = basic_doc().model_copy(
        update={"event": basic_doc().event.model_copy(update={"id": "e1"})}
    )
    figures = eval_figures(doc, [tmp_path / "results.json"])
    assert [a.balanced_accuracy for a in figures.accuracy] == [0.586]
    assert figures.accuracy[0].n == 52
