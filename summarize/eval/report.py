"""Writing and showing a suite's results: ``results.json`` (everything, including the
judge's description and thresholds), ``items.jsonl`` (one line per scored item, for
error analysis) and a rich table of the aggregated metrics."""

from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console
from rich.table import Table

from summarize.eval.suite import SuiteResult
from summarize.files import write_atomic


def write_results(result: SuiteResult, out_dir: Path) -> tuple[Path, Path]:
    """Write ``results.json`` and ``items.jsonl`` into ``out_dir`` (each atomically); return
    both paths."""
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
    return results, items


def _fmt(value: float | None, stderr: float | None, reduce: str) -> str:
    if value is None:
        return "–"
    text = f"{value:.0f}" if reduce == "sum" else f"{value:.3f}"
    return text + (f" ±{stderr:.3f}" if stderr is not None else "")


def results_table(result: SuiteResult) -> Table:
    """Rows: metrics; columns: one per source/backend row of the suite."""
    runs = [r for r in result.runs if r.skipped is None]
    table = Table(title=f"eval suite {result.suite} (judge: {result.judge.get('judge', '?')})")
    table.add_column("metric", style="bold", no_wrap=True)
    table.add_column("better")
    for r in runs:
        errors = sum(1 for e in r.events if e.error)
        label = f"{r.source}\n{r.backend}\n{len(r.events)} events"
        table.add_column(label + (f", {errors} failed" if errors else ""), justify="right")
    names = list(dict.fromkeys(m.name for r in runs for m in r.aggregate))
    for name in names:
        cells = []
        better = ""
        for r in runs:
            m = next((m for m in r.aggregate if m.name == name), None)
            if m is not None:
                better = "↑" if m.better == "higher" else "↓"
            cells.append(_fmt(m.value, m.stderr, m.reduce) + f" (n={m.n})" if m else "")
        table.add_row(name, better, *cells)
    return table


def print_results(result: SuiteResult, console: Console | None = None) -> None:
    console = console or Console()
    console.print(results_table(result))
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
