"""Writing and showing a suite's results: ``results.json`` (everything, including the
judge's description and thresholds), ``items.jsonl`` (one line per scored item, for
error analysis), ``report.html`` (``eval.html``: a chart of each metric by source and
backend, failing items linked to their explanations) and a rich table of the aggregated
metrics. ``eval_figures`` reads results back for an event's HTML report."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError
from rich.console import Console
from rich.measure import Measurement
from rich.table import Table

from summarize.contract import SummaryDocument
from summarize.errors import InputError
from summarize.eval.meta import MetaReport
from summarize.eval.suite import SuiteResult
from summarize.files import write_atomic
from summarize.output.html import EvalFigure, EvalFigures, JudgeAccuracy

# The metrics an event's HTML report shows as its faithfulness figures.
FAITHFULNESS = ("faithfulness_cited", "faithfulness_any", "citation_precision", "quote_verbatim")


def write_results(result: SuiteResult, out_dir: Path) -> tuple[Path, Path]:
    """Write ``results.json``, ``items.jsonl`` and ``report.html`` (``report_path``) into
    ``out_dir`` (each atomically); return the first two paths."""
    from summarize.eval.html import eval_html

    lines: list[str] = []
    for run in result.runs:
        for ev in run.events:
            if ev.error:
                line = {"source": run.source, "backend": run.backend, "event": ev.event}
                lines.append(json.dumps({**line, "error": ev.error}, ensure_ascii=False))
            for metric in ev.metrics:
                for item in metric.items:
                    record = {
                        "suite": result.suite,
                        "source": run.source,
                        "backend": run.backend,
                        "event": ev.event,
                        "metric": metric.name,
                        **item.model_dump(mode="json"),
                    }
                    lines.append(json.dumps(record, ensure_ascii=False))
    results = out_dir / "results.json"
    items = out_dir / "items.jsonl"
    write_atomic(results, result.model_dump_json(indent=2) + "\n")
    write_atomic(items, "".join(line + "\n" for line in lines))
    write_atomic(report_path(out_dir), eval_html(result))
    return results, items


def report_path(out_dir: Path) -> Path:
    """The suite's HTML page: a chart per metric, failing items linked to explanations."""
    return out_dir / "report.html"


def _fmt(value: float | None, stderr: float | None, reduce: str) -> str:
    if value is None:
        return "–"
    text = f"{value:.0f}" if reduce == "sum" else f"{value:.3f}"
    return text + (f" ±{stderr:.3f}" if stderr is not None else "")


def results_table(result: SuiteResult) -> Table:
    """Rows: metrics; columns: one per source/backend row of the suite. Each cell is one
    line: the value, ± its standard error over events, and n (dim)."""
    runs = [r for r in result.runs if r.skipped is None]
    table = Table(
        title=f"eval suite {result.suite} (judge: {result.judge.get('judge', '?')})",
        caption="↑/↓ higher/lower is better · ± standard error over events · n: events with "
        "a value (pooled metrics: items) · –: no value",
        caption_justify="left",
    )
    table.add_column("metric", style="bold", no_wrap=True)
    table.add_column("", no_wrap=True)
    # Beside each metric the judge scored: the judge's balanced accuracy on human-labelled
    # news summaries (the full record is printed under the table).
    primary = result.judge_accuracy.primary() if result.judge_accuracy else None
    table.add_column("judge BAcc", no_wrap=True, style="dim")
    for r in runs:
        errors = sum(1 for e in r.events if e.error)
        label = f"{r.source}\n{r.backend}\n{len(r.events)} event{'s' if len(r.events) != 1 else ''}"
        table.add_column(
            label + (f", {errors} failed" if errors else ""), justify="right", no_wrap=True
        )
    names = list(dict.fromkeys(m.name for r in runs for m in r.aggregate))
    for name in names:
        cells = []
        better = ""
        for r in runs:
            m = next((m for m in r.aggregate if m.name == name), None)
            if m is not None:
                better = "↑" if m.better == "higher" else "↓"
            cells.append(f"{_fmt(m.value, m.stderr, m.reduce)} [dim]n={m.n}[/]" if m else "")
        judged = ""
        if name in result.judged_metrics:
            judged = f"{primary.balanced_accuracy:.2f}" if primary else "?"
        table.add_row(name, better, judged, *cells)
    return table


def print_results(result: SuiteResult, console: Console | None = None) -> None:
    console = console or Console()
    table = results_table(result)
    if console.is_terminal:
        console.print(table)
    else:  # a log or a pipe: the table at its natural width, never wrapped into a jumble
        natural = Measurement.get(console, console.options.update(width=400), table).maximum
        width = console.width
        console.width = max(width, natural)
        try:
            console.print(table)
        finally:
            console.width = width
    if result.judge_accuracy is not None:
        console.print(f"[bold]judge[/] {result.judge_accuracy.line()}")
    for backend, metrics in result.overall.items():
        parts = []
        for m in metrics:
            ci = f" [{m.ci95[0]:.3f}, {m.ci95[1]:.3f}]" if m.ci95 else ""
            parts.append(f"{m.name} {_fmt(m.value, None, m.reduce)}{ci} (n={m.n})")
        console.print(f"[bold]all sources, {backend}[/]: " + "; ".join(parts))
    for r in result.runs:
        if r.skipped:
            console.print(f"[yellow]skipped[/] {r.source}/{r.backend}: {r.skipped}")
        for e in r.events:
            if e.error:
                console.print(f"[red]failed[/] {r.source}/{r.backend}/{e.event}: {e.error}")
    for note in result.notes:
        console.print(f"[yellow]note[/] {note}")


def _read_eval_file(path: Path) -> SuiteResult | MetaReport:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise InputError(f"cannot read eval results ({e})", path) from e
    try:
        if isinstance(data, dict) and "runs" in data:
            return SuiteResult.model_validate(data)
        if isinstance(data, dict) and "datasets" in data:
            return MetaReport.model_validate(data)
    except ValidationError as e:
        raise InputError(f"not a results.json / meta.json of this version ({e})", path) from e
    raise InputError("neither a `summarize eval` results.json nor a meta.json", path)


def eval_figures(doc: SummaryDocument, paths: Sequence[Path]) -> EvalFigures:
    """The event's faithfulness figures from ``summarize eval`` results (``results.json``) and
    the judge's measured accuracy from ``summarize eval --meta`` (``meta.json``); a folder
    stands for the files of either kind in it."""
    suites: list[tuple[Path, SuiteResult]] = []
    metas: list[tuple[Path, MetaReport]] = []
    for given in paths:
        files = [given / "results.json", given / "meta.json"] if given.is_dir() else [given]
        existing = [f for f in files if f.is_file()]
        if not existing:
            raise InputError("no results.json or meta.json here", given)
        for f in existing:
            read = _read_eval_file(f)
            if isinstance(read, SuiteResult):
                suites.append((f, read))
            else:
                metas.append((f, read))
    figures: list[EvalFigure] = []
    notes: list[str] = []
    judges: list[str] = []
    for path, result in suites:
        judges.append(str(result.judge.get("judge", "?")))
        before = len(figures)
        for run in result.runs:
            mine = " (this report's model)" if run.backend == doc.run.model else ""
            for ev in run.events:
                if ev.event != doc.event.id or ev.error:
                    continue
                for m in ev.metrics:
                    if m.name in FAITHFULNESS:
                        figures.append(
                            EvalFigure(
                                label=f"{m.name.replace('_', ' ')}: {run.backend}{mine}, "
                                f"suite {result.suite}/{run.source}",
                                value=m.value,
                                n=m.n,
                                stderr=m.stderr,
                            )
                        )
        if len(figures) == before:
            notes.append(f"Event {doc.event.id} is not among the events of {path}.")
    accuracy = [
        JudgeAccuracy(
            dataset=d.dataset,
            split=d.split,
            n=d.n,
            balanced_accuracy=d.balanced_accuracy,
            ci95=(d.ci95[0], d.ci95[1]),
        )
        for _, meta in metas
        for d in meta.datasets
    ]
    if not accuracy:  # results.json carries its judge's recorded accuracy
        accuracy = [
            JudgeAccuracy(
                dataset=d.dataset,
                split=d.split,
                n=d.n,
                balanced_accuracy=d.balanced_accuracy,
                ci95=(d.ci95[0], d.ci95[1]),
            )
            for _, result in suites
            if result.judge_accuracy is not None
            for d in result.judge_accuracy.datasets
        ]
    meta_judges = [str(meta.judge.get("judge", "?")) for _, meta in metas]
    if judges and meta_judges and set(judges) != set(meta_judges):
        notes.append(
            f"The figures were scored by {', '.join(sorted(set(judges)))}, the accuracy "
            f"measured for {', '.join(sorted(set(meta_judges)))}."
        )
    return EvalFigures(
        judge=", ".join(sorted(set(judges or meta_judges))) or "?",
        faithfulness=figures,
        accuracy=accuracy,
        source=", ".join(str(p) for p, _ in [*suites, *metas]),
        notes=notes,
    )
