"""Baseline comparison: pass, regression, improvement, missing, skipped and new metrics."""

from __future__ import annotations

import json
from pathlib import Path

from summarize.eval.baseline import (
    Baseline,
    BaselineEntry,
    compare,
    diff,
    load_baseline,
    make_baseline,
    write_baseline,
)
from summarize.eval.metrics.base import MetricResult
from summarize.eval.metrics.scorecard import MetricSettings
from summarize.eval.suite import RunResult, SuiteResult
from tests.helpers.builders import REPO


def results(values: dict[str, float | None], skipped: str | None = None) -> SuiteResult:
    """``metric -> value`` for one row seed/extractive (+ an empty, skipped neus row)."""
    better = {"boilerplate_leakage": "lower"}
    agg = [
        MetricResult(name=k, value=v, n=3, better=better.get(k, "higher"))  # type: ignore[arg-type]
        for k, v in values.items()
    ]
    return SuiteResult(
        suite="ci",
        created="now",
        seed=1,
        judge={"judge": "subset"},
        metric_settings=MetricSettings(),
        runs=[
            RunResult(source="seed", backend="extractive", aggregate=agg),
            RunResult(source="neus", backend="extractive", skipped=skipped),
        ],
    )


def baseline() -> Baseline:
    return Baseline(
        suite="ci",
        created="then",
        regenerate="x",
        metrics={
            "seed/extractive/faithfulness_cited": BaselineEntry(
                value=0.8, tolerance=0.05, better="higher"
            ),
            "seed/extractive/boilerplate_leakage": BaselineEntry(
                value=0.0, tolerance=0.0, better="lower"
            ),
        },
    )


def statuses(res: SuiteResult, base: Baseline, partial: bool = False) -> dict[str, str]:
    return {c.key.rsplit("/", 1)[1]: c.status for c in diff(res, base, partial=partial)}


def test_pass_within_tolerance() -> None:
    res = results({"faithfulness_cited": 0.76, "boilerplate_leakage": 0.0})
    assert compare(res, baseline()) == []
    assert statuses(res, baseline()) == {
        "faithfulness_cited": "pass",
        "boilerplate_leakage": "pass",
    }


def test_regression_beyond_tolerance_and_direction() -> None:
    res = results({"faithfulness_cited": 0.7, "boilerplate_leakage": 1.0})
    regs = compare(res, baseline())
    assert sorted(r.key for r in regs) == [
        "seed/extractive/boilerplate_leakage",
        "seed/extractive/faithfulness_cited",
    ]
    assert all(r.status == "regressed" for r in regs)
    faith = next(r for r in regs if r.key.endswith("faithfulness_cited"))
    assert (faith.baseline, faith.current, faith.tolerance) == (0.8, 0.7, 0.05)


def test_improvement_is_not_a_regression() -> None:
    res = results({"faithfulness_cited": 0.95, "boilerplate_leakage": 0.0})
    assert compare(res, baseline()) == []
    assert statuses(res, baseline())["faithfulness_cited"] == "improved"


def test_lower_is_better_improves_downwards() -> None:
    base = baseline()
    base.metrics["seed/extractive/boilerplate_leakage"].value = 2.0
    res = results({"faithfulness_cited": 0.8, "boilerplate_leakage": 0.0})
    assert statuses(res, base)["boilerplate_leakage"] == "improved"


def test_missing_and_undefined_metrics_fail() -> None:
    regs = compare(results({"faithfulness_cited": None}), baseline())
    assert {r.key.rsplit("/", 1)[1]: r.message for r in regs} == {
        "faithfulness_cited": "no value (undefined)",
        "boilerplate_leakage": "not in the results",
    }
    assert {r.status for r in regs} == {"missing"}


def test_skipped_rows_and_partial_runs_are_not_failures() -> None:
    base = baseline()
    base.metrics["neus/extractive/rouge1_f"] = BaselineEntry(
        value=0.3, tolerance=0.02, better="higher"
    )
    base.metrics["seed/local/faithfulness_cited"] = BaselineEntry(
        value=0.5, tolerance=0.05, better="higher"
    )
    res = results({"faithfulness_cited": 0.8, "boilerplate_leakage": 0.0}, skipped="absent")
    st = {c.key: c.status for c in diff(res, base)}
    assert st["neus/extractive/rouge1_f"] == "skipped"
    assert st["seed/local/faithfulness_cited"] == "missing"  # the row did not run at all
    assert [r.key for r in compare(res, base, partial=True)] == []


def test_new_metric_is_reported_not_failed() -> None:
    res = results({"faithfulness_cited": 0.8, "boilerplate_leakage": 0.0, "rouge1_f": 0.2})
    assert statuses(res, baseline())["rouge1_f"] == "new"
    assert compare(res, baseline()) == []


def test_make_write_load_roundtrip(tmp_path: Path) -> None:
    res = results({"faithfulness_cited": 0.8, "boilerplate_leakage": 0.0, "rouge1_f": None})
    base = make_baseline(res)
    assert base.metrics["seed/extractive/boilerplate_leakage"].tolerance == 0.0
    assert base.metrics["seed/extractive/faithfulness_cited"].tolerance == 0.05
    assert "seed/extractive/rouge1_f" not in base.metrics  # undefined values are not gated
    assert "--write-baseline" in base.regenerate
    path = tmp_path / "baseline.json"
    write_baseline(base, path)
    assert load_baseline(path) == base
    assert compare(res, load_baseline(path)) == []
    json.loads(path.read_text())  # plain JSON, reviewable in a diff


def test_committed_baseline_is_valid_when_present() -> None:
    path = REPO / "evals" / "baseline.json"
    if path.exists():
        base = load_baseline(path)
        assert base.metrics and all(e.tolerance >= 0 for e in base.metrics.values())


def test_a_run_scored_by_another_judge_fails_the_gate() -> None:
    res = results({"faithfulness_cited": 0.8, "boilerplate_leakage": 0.0})
    base = baseline().model_copy(update={"judge": {"judge": "offline-model"}})
    regs = compare(res, base)
    assert [r.key for r in regs] == ["judge"]
    assert "offline-model" in regs[0].message and "subset" in regs[0].message
    same = base.model_copy(update={"judge": {"judge": "subset"}})
    assert compare(res, same) == []
