"""The committed baseline (``evals/baseline.json``) and the CI gate that compares a suite's
results with it. Each metric carries its own tolerance and direction in the file, so that
loosening a gate is a reviewed diff, not a code change.

The check reads the committed file wherever ``evals/`` is (the checkout's, or the copy an
installed wheel carries); rewriting it targets the checkout's file or a path given, never the
copy inside an installed package."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Literal

from pydantic import Field

from summarize.contract import Strict
from summarize.errors import ConfigError
from summarize.eval.metrics.base import Better
from summarize.eval.suite import SuiteResult, checkout_root, evals_dir
from summarize.files import write_atomic


def committed_baseline() -> Path:
    """``evals/baseline.json``: the checkout's, or the copy packaged in an installed wheel."""
    return evals_dir() / "baseline.json"


BASELINE = committed_baseline()
REGENERATE = "summarize eval --suite {suite} --cache-dir evals/cache --write-baseline"

# How far a metric may move the wrong way before CI fails. The CI rows are deterministic
# (extractive, or the local model replayed from the cache), so these only absorb judge or
# tokenizer noise; boilerplate leakage must simply not rise.
DEFAULT_TOLERANCE = 0.05
TOLERANCES: dict[str, float] = {
    "boilerplate_leakage": 0.0,
    "loaded_language": 0.01,
    "rouge1_f": 0.02,
    "rouge2_f": 0.02,
    "rougeL_f": 0.02,
    "lead3_rouge1_f": 0.02,
    "lead3_rouge2_f": 0.02,
    "lead3_rougeL_f": 0.02,
    "order_sensitivity": 0.10,
}

Status = Literal["pass", "improved", "regressed", "missing", "skipped", "new"]


class BaselineEntry(Strict):
    value: float
    tolerance: float = Field(ge=0.0)
    better: Better
    n: int = 0


class Baseline(Strict):
    suite: str
    created: str
    regenerate: str  # the command that rewrites this file
    judge: dict[str, object] = Field(default_factory=dict)
    metrics: dict[str, BaselineEntry]  # "source/backend/metric" -> entry


class Comparison(Strict):
    key: str
    status: Status
    baseline: float | None = None
    current: float | None = None
    tolerance: float = 0.0
    better: Better = "higher"
    message: str = ""


class Regression(Comparison):
    pass


def make_baseline(results: SuiteResult, tolerances: dict[str, float] | None = None) -> Baseline:
    tol = {**TOLERANCES, **(tolerances or {})}
    metrics = {
        key: BaselineEntry(
            value=m.value,
            tolerance=tol.get(m.name, DEFAULT_TOLERANCE),
            better=m.better,
            n=m.n,
        )
        for key, m in sorted(results.values().items())
        if m.value is not None
    }
    return Baseline(
        suite=results.suite,
        created=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        regenerate=REGENERATE.format(suite=results.suite),
        judge=results.judge,
        metrics=metrics,
    )


def diff(results: SuiteResult, baseline: Baseline, *, partial: bool = False) -> list[Comparison]:
    """Every baseline and result metric with its status. Rows skipped because an optional
    source is absent are ``skipped``; with ``partial``, rows the run did not include at
    all (e.g. one backend only) are ``skipped`` too instead of ``missing``."""
    current = results.values()
    skipped = {f"{r.source}/{r.backend}" for r in results.runs if r.skipped}
    ran = {f"{r.source}/{r.backend}" for r in results.runs}
    out: list[Comparison] = []
    for key, entry in sorted(baseline.metrics.items()):
        row = key.rsplit("/", 1)[0]
        m = current.get(key)
        base = Comparison(
            key=key,
            status="pass",
            baseline=entry.value,
            tolerance=entry.tolerance,
            better=entry.better,
        )
        if m is None or m.value is None:
            if row in skipped or (partial and row not in ran):
                out.append(base.model_copy(update={"status": "skipped"}))
            else:
                why = "no value (undefined)" if m is not None else "not in the results"
                out.append(base.model_copy(update={"status": "missing", "message": why}))
            continue
        delta = m.value - entry.value if entry.better == "higher" else entry.value - m.value
        # delta > 0 is better; a tiny epsilon keeps float noise from failing a zero tolerance
        if delta < -entry.tolerance - 1e-9:
            status: Status = "regressed"
        elif delta > entry.tolerance + 1e-9:
            status = "improved"
        else:
            status = "pass"
        message = f"{entry.value:.4g} -> {m.value:.4g} ({entry.better} is better)"
        out.append(
            base.model_copy(update={"status": status, "current": m.value, "message": message})
        )
    for key, m in sorted(current.items()):
        if key not in baseline.metrics and m.value is not None:
            out.append(Comparison(key=key, status="new", current=m.value, better=m.better))
    return out


def compare(results: SuiteResult, baseline: Baseline, *, partial: bool = False) -> list[Regression]:
    """The failures: metrics that moved the wrong way beyond their tolerance, baseline
    metrics the results lack, and a judge other than the one the baseline was scored by
    (its figures are not comparable: the gate would pass or fail by chance)."""
    out = [
        Regression.model_validate(c.model_dump())
        for c in diff(results, baseline, partial=partial)
        if c.status in ("regressed", "missing")
    ]
    judged, scored = baseline.judge.get("judge"), results.judge.get("judge")
    if judged is not None and judged != scored:
        message = (
            f"the baseline was scored by the judge {judged}, this run by {scored}: run with "
            f"that judge, or regenerate the baseline ({baseline.regenerate})"
        )
        out.append(Regression(key="judge", status="missing", message=message))
    return out


def load_baseline(path: Path | None = None) -> Baseline:
    path = committed_baseline() if path is None else path
    if not path.is_file():
        raise ConfigError(f"no baseline at {path}")
    return Baseline.model_validate(json.loads(path.read_text(encoding="utf-8")))


def baseline_target(path: Path | None = None) -> Path:
    """Where a rewritten baseline goes: ``path``, else the checkout's ``evals/baseline.json``.
    Raises when that would be the copy inside an installed package (there is no checkout to
    write to: give a path)."""
    path = committed_baseline() if path is None else path
    if checkout_root() is None and path.resolve().is_relative_to(evals_dir().resolve()):
        raise ConfigError(
            f"{path} is the baseline shipped inside the installed package, not a checkout's; "
            "give the file to write (--baseline PATH), or run from a checkout"
        )
    return path


def write_baseline(baseline: Baseline, path: Path | None = None) -> Path:
    """Write ``baseline`` (to ``baseline_target(path)``) atomically; return where."""
    target = baseline_target(path)
    write_atomic(target, baseline.model_dump_json(indent=2) + "\n")
    return target
