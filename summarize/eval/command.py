"""The library side of ``summarize eval``: run a suite, write its results, print the table,
and optionally check against (or rewrite) the committed baseline.

``python -m summarize.eval`` exposes the same flags until the CLI wires them in.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field
from rich.console import Console

from summarize.eval.baseline import (
    BASELINE,
    Regression,
    compare,
    diff,
    load_baseline,
    make_baseline,
    write_baseline,
)
from summarize.eval.report import print_results, write_results
from summarize.eval.suite import SuiteResult, load_suite, run_suite
from summarize.eval.verdict import Judge


class EvalOutcome(BaseModel):
    model_config = ConfigDict(extra="forbid")

    result: SuiteResult
    results_path: Path
    items_path: Path
    regressions: list[Regression] = Field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 1 if self.regressions else 0


def default_judge() -> Judge:
    """The signals-only offline judge: deterministic, no model calls."""
    from summarize.eval.judge import OfflineJudge

    return OfflineJudge()


def run_eval(
    suite: str,
    *,
    root: Path = Path("."),
    out_dir: Path | None = None,
    cache_dir: Path | None = None,
    backends: Sequence[str] | None = None,
    judge: Judge | None = None,
    check_baseline: Path | None = None,
    write_baseline_to: Path | None = None,
    partial: bool = False,
    console: Console | None = None,
) -> EvalOutcome:
    console = console or Console(stderr=True)
    spec = load_suite(suite, root)
    result = run_suite(
        spec,
        judge or default_judge(),
        root=root,
        cache_dir=cache_dir,
        backends=backends,
        progress=lambda msg: console.print(f"[dim]{msg}[/]"),
    )
    out = out_dir or root / "evals" / "results" / spec.name
    results_path, items_path = write_results(result, out)
    print_results(result, console)
    console.print(f"results: {results_path}\nitems:   {items_path}")
    regressions: list[Regression] = []
    if check_baseline is not None:
        baseline = load_baseline(check_baseline)
        for c in diff(result, baseline, partial=partial):
            if c.status in ("improved", "new"):
                console.print(f"[green]{c.status}[/] {c.key}: {c.message or c.current}")
        regressions = compare(result, baseline, partial=partial)
        for r in regressions:
            console.print(f"[red]{r.status}[/] {r.key}: {r.message}")
        if not regressions:
            console.print(f"[green]baseline check passed[/] ({check_baseline})")
    if write_baseline_to is not None:
        write_baseline(make_baseline(result), write_baseline_to)
        console.print(f"baseline written: {write_baseline_to}")
    return EvalOutcome(
        result=result, results_path=results_path, items_path=items_path, regressions=regressions
    )


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m summarize.eval", description=__doc__)
    p.add_argument("--suite", default="ci", help="suite name (evals/suites/<name>.toml) or path")
    p.add_argument("--out", type=Path, default=None, help="results folder")
    p.add_argument("--cache-dir", type=Path, default=None, help="model response cache")
    p.add_argument("--backend", action="append", default=None, help="only these backends")
    p.add_argument("--check-baseline", nargs="?", const=BASELINE, type=Path, default=None)
    p.add_argument("--write-baseline", nargs="?", const=BASELINE, type=Path, default=None)
    p.add_argument("--partial", action="store_true", help="unrun rows are not regressions")
    args = p.parse_args(argv)
    outcome = run_eval(
        args.suite,
        out_dir=args.out,
        cache_dir=args.cache_dir,
        backends=args.backend,
        check_baseline=args.check_baseline,
        write_baseline_to=args.write_baseline,
        partial=args.partial,
    )
    return outcome.exit_code
