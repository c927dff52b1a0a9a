"""The eval room's commands, ``summarize judge`` and ``summarize eval``: parse -> call ->
print, like every command; ``summarize/app.py`` registers them (with the one error mapping)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer


def _say(message: str) -> None:
    typer.echo(f"summarize: {message}", err=True)


def _judge(
    spec: str,
    use_model: bool,
    cache_dir: Path | None,
    api_base: str | None,
    answers: Any = None,
) -> Any:
    """``offline`` = the default offline judge (embedded model when installed, else exact
    signals only); any other model string = an LLM judge through the same adapters."""
    from summarize.verify.judges.choice import judge_for

    return judge_for(
        spec, use_model=use_model, cache_dir=cache_dir, api_base=api_base, answers=answers
    )


def judge_cmd(
    items: Annotated[
        Path, typer.Argument(help="Faithfulness items (.jsonl: sources + summary|claim).")
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Predictions .jsonl to write.")],
    judge: Annotated[
        str, typer.Option(help="offline | litellm:<model> | local | fake:<script>")
    ] = "offline",
    no_model: Annotated[
        bool, typer.Option("--no-model", help="Offline judge without the embedded model.")
    ] = False,
    cache_dir: Annotated[Path | None, typer.Option(help="Disk cache for model calls.")] = None,
    api_base: Annotated[str | None, typer.Option(help="OpenAI-compatible server.")] = None,
) -> None:
    """Label each item supported (1) or not (0) with a score and an explanation."""
    from summarize.eval.items import judge_items

    result = judge_items(items, out, _judge(judge, not no_model, cache_dir, api_base))
    for e in result.errors:
        _say(f"warning: {e}")
    failed = f", {len(result.errors)} skipped" if result.errors else ""
    _say(f"judged {result.judged} items{failed} in {result.seconds_per_item:.2f} s/item -> {out}")


def eval_cmd(
    suite: Annotated[
        str, typer.Option(help="Suite name (evals/suites/<name>.toml) or path.")
    ] = "ci",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Results folder.")] = None,
    cache_dir: Annotated[Path | None, typer.Option(help="Disk cache for model calls.")] = None,
    backend: Annotated[list[str] | None, typer.Option(help="Only these backends.")] = None,
    check_baseline: Annotated[
        bool, typer.Option(help="Fail when a metric drops beyond its tolerance.")
    ] = False,
    write_baseline: Annotated[
        bool, typer.Option(help="Rewrite the checkout's evals/baseline.json (or --baseline).")
    ] = False,
    baseline: Annotated[Path | None, typer.Option(help="Baseline file.")] = None,
    partial: Annotated[bool, typer.Option(help="Rows not run are not regressions.")] = False,
    meta: Annotated[
        bool, typer.Option("--meta", help="Measure the judge against human labels instead.")
    ] = False,
    judge: Annotated[str, typer.Option(help="offline | <model string>")] = "offline",
    data_root: Annotated[
        Path | None,
        typer.Option(
            help="Folder the suites' paths (examples/, ../shared) are relative to; "
            "default: the checkout the package runs from, if any."
        ),
    ] = None,
    no_model: Annotated[
        bool, typer.Option("--no-model", help="Offline judge without the embedded model.")
    ] = False,
    judge_answers: Annotated[
        Path | None,
        typer.Option(
            help="Recorded judge answers, replayed before asking the model (default: "
            "judge-answers.jsonl beside the baseline; --write-baseline rewrites it)."
        ),
    ] = None,
    record: Annotated[
        bool,
        typer.Option(
            "--record",
            help="With --meta: record the judge's accuracy in the checkout's "
            "evals/judge-accuracy.json (shown beside every figure it scores).",
        ),
    ] = False,
) -> None:
    """Run an eval suite (summary metrics) or, with --meta, the judge's meta-evaluation.
    Figures are scored by the offline judge with the embedded model (its answers replayed
    from evals/judge-answers.jsonl where recorded); --no-model scores by exact signals only."""
    from summarize.errors import ConfigError
    from summarize.eval.baseline import BASELINE, baseline_target
    from summarize.eval.runner import judge_answers as judge_answers_pack
    from summarize.eval.runner import run_eval

    if meta:
        from summarize.eval.meta import meta_evaluate
        from summarize.files import write_atomic

        report = meta_evaluate(
            _judge(judge, not no_model, cache_dir, None), work_dir=out, data_root=data_root
        )
        for d in report.datasets:
            typer.echo(
                f"{d.dataset:<16} {d.split} n={d.n:<3} BAcc {d.balanced_accuracy:.3f} "
                f"[{d.ci95[0]:.3f}, {d.ci95[1]:.3f}]  {d.seconds_per_item:.2f} s/item"
            )
        anchors = ", ".join(f"{k} {v}" for k, v in report.anchors.items())
        typer.echo(f"anchors (LLM-AggreFact BAcc): {anchors}")
        if out is not None:
            write_atomic(out / "meta.json", report.model_dump_json(indent=1) + "\n")
        if record:
            from summarize.eval.accuracy import ACCURACY_FILE, DatasetAccuracy, record_accuracy
            from summarize.eval.suite import checkout_root

            root = data_root or checkout_root()
            if root is None:
                raise ConfigError("--record writes the checkout's evals/: give --data-root")
            command = "summarize eval --meta" + (" --no-model" if no_model else "")
            measured = [
                DatasetAccuracy.model_validate(d.model_dump(exclude={"errors"}))
                for d in report.datasets
            ]
            name = str(report.judge.get("judge", "?"))
            record_accuracy(root / ACCURACY_FILE, name, measured, command)
            _say(f"recorded in {root / ACCURACY_FILE}")
        return
    # Recorded answers are a model judge's: the signals alone ask nothing.
    answers = (
        None
        if no_model and judge == "offline"
        else judge_answers_pack(baseline or BASELINE, judge_answers)
    )
    outcome = run_eval(
        suite,
        root=data_root,
        out_dir=out,
        cache_dir=cache_dir,
        backends=backend,
        judge=_judge(judge, not no_model, cache_dir, None, answers),
        check_baseline=(baseline or BASELINE) if check_baseline else None,
        write_baseline_to=baseline_target(baseline) if write_baseline else None,
        partial=partial,
        answers=answers,
    )
    if outcome.exit_code:
        raise typer.Exit(outcome.exit_code)
