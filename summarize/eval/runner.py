"""The library side of ``summarize eval`` (the command in ``summarize.app`` parses the
options and calls ``run_eval``): run a suite, write its results, print the table, and
optionally check against (or rewrite) the committed baseline.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pydantic import Field
from rich.console import Console

from summarize.contract import Strict
from summarize.eval.baseline import (
    Regression,
    baseline_target,
    committed_baseline,
    compare,
    diff,
    load_baseline,
    make_baseline,
    write_baseline,
)
from summarize.eval.report import print_results, report_path, write_results
from summarize.eval.suite import SuiteResult, checkout_root, load_suite, run_suite
from summarize.models.cache import AnswerPack
from summarize.verify.judges.verdict import Judge


class EvalOutcome(Strict):
    result: SuiteResult
    results_path: Path
    items_path: Path
    regressions: list[Regression] = Field(default_factory=list)
    # Rows where every event failed: the row measured nothing, which is an error, not a zero.
    failed_runs: list[str] = Field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 1 if self.regressions or self.failed_runs else 0


# The judge's recorded answers, which the CI gate replays: beside the baseline they scored
# (``--write-baseline`` rewrites both, the answers with exactly those that run asked for).
ANSWERS_NAME = "judge-answers.jsonl"


def default_judge() -> Judge:
    """The signals-only offline judge: deterministic, no model calls."""
    from summarize.verify.judges.offline import OfflineJudge

    return OfflineJudge()


def judge_answers(baseline: Path | None = None, path: Path | None = None) -> AnswerPack:
    """The pack of recorded judge answers: ``path``, else the one beside ``baseline`` (by
    default the committed ``evals/baseline.json``: the checkout's, or the packaged copy)."""
    return AnswerPack(path or (baseline or committed_baseline()).with_name(ANSWERS_NAME))


def run_eval(
    suite: str,
    *,
    root: Path | None = None,
    out_dir: Path | None = None,
    cache_dir: Path | None = None,
    backends: Sequence[str] | None = None,
    judge: Judge | None = None,
    check_baseline: Path | None = None,
    write_baseline_to: Path | None = None,
    partial: bool = False,
    console: Console | None = None,
    answers: AnswerPack | None = None,
) -> EvalOutcome:
    """Run ``suite`` with its paths read from the data ``root`` (default: the checkout, if
    any; ``evals/...`` falls back to the packaged copy). Results go to ``out_dir`` (default
    ``evals/results/<suite>`` under the data root, else under the working directory).
    ``answers``: the judge's recorded answers (``judge_answers``), written back with the
    baseline."""
    console = console or Console(stderr=True)
    root = checkout_root() if root is None else root
    # Fail on a bad baseline option before the (possibly long) run, not after it.
    baseline = load_baseline(check_baseline) if check_baseline is not None else None
    write_to = baseline_target(write_baseline_to) if write_baseline_to is not None else None
    spec = load_suite(suite, root)
    result = run_suite(
        spec,
        judge or default_judge(),
        root=root,
        cache_dir=cache_dir,
        backends=backends,
        progress=lambda msg: console.print(f"[dim]{msg}[/]"),
    )
    out = out_dir or (root or Path(".")) / "evals" / "results" / spec.name
    results_path, items_path = write_results(result, out)
    print_results(result, console)
    console.print(f"results: {results_path}\nitems:   {items_path}\nreport:  {report_path(out)}")
    regressions: list[Regression] = []
    if baseline is not None:
        for c in diff(result, baseline, partial=partial):
            if c.status in ("improved", "new"):
                console.print(f"[green]{c.status}[/] {c.key}: {c.message or c.current}")
        regressions = compare(result, baseline, partial=partial)
        for r in regressions:
            console.print(f"[red]{r.status}[/] {r.key}: {r.message}")
        if not regressions:
            console.print(f"[green]baseline check passed[/] ({check_baseline})")
    failed = failed_runs(result)
    for row, error in failed.items():
        console.print(f"[red]failed[/] {row}: every event failed ({error})")
    if write_to is not None and not failed:
        console.print(f"baseline written: {write_baseline(make_baseline(result), write_to)}")
        if answers is not None:
            # A whole run keeps only what it asked; a partial one (--backend) adds its answers.
            whole = backends is None and not partial
            kept = answers.save(prune=whole)
            console.print(f"judge answers written: {kept} in {answers.path}")
    return EvalOutcome(
        result=result,
        results_path=results_path,
        items_path=items_path,
        regressions=regressions,
        failed_runs=list(failed),
    )


def failed_runs(result: SuiteResult) -> dict[str, str]:
    """Rows ("source/backend") where every event failed, with the first error: such a row
    measured nothing."""
    out = {}
    for run in result.runs:
        errors = [e.error for e in run.events if e.error]
        if run.events and len(errors) == len(run.events):
            out[f"{run.source}/{run.backend}"] = errors[0]
    return out
