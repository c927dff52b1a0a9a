"""Eval suites (``evals/suites/*.toml``) and their runner.

A suite names sources (an event folder or a ``.jsonl`` of clusters, optionally a gold file)
and runs (a backend, with how many events per source it may take: the embedded model is
slow on CI's two cores, so its rows run on a small subset). ``run_suite`` runs every
(run, source) pair through the pipeline, scores each event, aggregates over events and
returns a ``SuiteResult``; ``summarize.eval.report`` writes and prints it.

Where the files are: ``evals/`` (suites, vendored data, the committed baseline) ships in the
wheel as ``summarize/_evals`` (``evals_dir``). Suite paths are written relative to the
repository root; they are read from a *data root* (a checkout, by default the one around the
package, if any) and, for ``evals/...`` paths, from the packaged copy when the data root lacks
them. Sources outside the package (``examples/``, ``../shared``) need a data root: without
one they are skipped with a warning, never a crash.
"""

from __future__ import annotations

import datetime as dt
import platform
import random
import sys
import time
import tomllib
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path

from pydantic import Field

from summarize import __version__
from summarize.contract import Strict, SummaryDocument, Usage
from summarize.errors import ConfigError, SummarizeError
from summarize.eval.accuracy import ACCURACY_FILE, JudgeAccuracy, load_accuracy
from summarize.eval.gold import Gold, load_gold_file
from summarize.eval.metrics.base import EvalCase, Metric, MetricResult, aggregate
from summarize.eval.metrics.scorecard import (
    MetricSettings,
    build_metrics,
    judged_metrics,
    score_case,
)
from summarize.files import resource_dir
from summarize.ingest.document import Event
from summarize.models.provider import ModelOptions
from summarize.verify.judges.verdict import Judge

RunEvent = Callable[[Event, str, ModelOptions | None], SummaryDocument]
LoadEvents = Callable[[Path], list[Event]]

EVALS = "evals"  # the repository folder (and resource name) the suites' own files live in


def evals_dir() -> Path:
    """``evals/`` as shipped: ``summarize/_evals`` in an installed wheel, ``<repo>/evals`` in a
    source checkout (editable install or ``python cli.py``)."""
    return resource_dir(EVALS)


def checkout_root() -> Path | None:
    """The source checkout the package runs from, or None for an installed wheel (whose
    ``evals`` is packaged inside ``summarize/``, with no repository around it)."""
    repo = evals_dir().parent
    return repo if (repo / "pyproject.toml").is_file() else None


class SourceSpec(Strict):
    name: str
    path: str  # relative to the repository root (the data root; ``evals/...`` also packaged)
    gold: str | None = None  # one event's .json, or a .jsonl of annotations keyed by event id
    only_gold: bool = False  # with a .jsonl gold: run only the events it annotates
    optional: bool = False  # skip with a note when the path is absent (e.g. ../shared)
    note: str = ""


class RunSpec(Strict):
    # A model string ("extractive", "local", "fake:<script>", ...), optionally with the
    # strategy after "@" ("local@single"): the row is named by the whole string.
    backend: str
    limit: int = Field(default=0, ge=0)  # events per source; 0 = all
    sources: list[str] = Field(default_factory=list)  # restrict to these; empty = all
    order_test: bool = True  # also run with the articles shuffled (a second pipeline run)


class Suite(Strict):
    name: str
    description: str = ""
    seed: int = 0  # the order test's shuffle seed, and the backends' seed
    metrics: MetricSettings = Field(default_factory=MetricSettings)
    sources: list[SourceSpec]
    runs: list[RunSpec]


def resolve(path: str, root: Path | None) -> Path | None:
    """A suite path (relative to the repository root) as a file to read: under the data
    ``root`` when it is there, else, for ``evals/...``, the packaged copy; None when neither."""
    if root is not None and (root / path).exists():
        return root / path
    parts = Path(path).parts
    if parts and parts[0] == EVALS:
        packaged = evals_dir().joinpath(*parts[1:])
        if packaged.exists():
            return packaged
    return None


def load_suite(name_or_path: str | Path, root: Path | None = None) -> Suite:
    """A suite by name (``evals/suites/<name>.toml``: under the data ``root`` when given and
    there, else the packaged ones) or by file path."""
    path = Path(name_or_path)
    dirs = [d / "suites" for d in ([] if root is None else [root / EVALS]) + [evals_dir()]]
    if path.suffix != ".toml":
        candidates = [d / f"{name_or_path}.toml" for d in dirs]
        path = next((c for c in candidates if c.is_file()), candidates[-1])
    if not path.is_file():
        known = sorted({p.stem for d in dirs for p in d.glob("*.toml")})
        raise ConfigError(f"no suite {str(name_or_path)!r}; known: {', '.join(known)}")
    try:
        return Suite.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
    except (tomllib.TOMLDecodeError, ValueError) as exc:
        raise ConfigError(f"{path}: {exc}") from exc


class EventResult(Strict):
    event: str
    metrics: list[MetricResult] = Field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0
    usage: Usage = Field(default_factory=Usage)


class RunResult(Strict):
    source: str
    backend: str
    events: list[EventResult] = Field(default_factory=list)
    aggregate: list[MetricResult] = Field(default_factory=list)
    skipped: str | None = None  # why this row did not run


class SuiteResult(Strict):
    suite: str
    description: str = ""
    created: str
    seed: int
    judge: dict[str, object]
    metric_settings: MetricSettings
    prompts: dict[str, str] = Field(default_factory=dict)  # prompt name -> sha256, all runs
    versions: dict[str, str] = Field(default_factory=dict)
    cache_dir: str | None = None
    # What the judge is worth (evals/judge-accuracy.json) and which metrics it scored.
    judge_accuracy: JudgeAccuracy | None = None
    judged_metrics: list[str] = Field(default_factory=list)
    runs: list[RunResult] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    # backend -> pooled metrics over every event of every source (precision, recall...)
    overall: dict[str, list[MetricResult]] = Field(default_factory=dict)

    def values(self) -> dict[str, MetricResult]:
        """``source/backend/metric`` -> aggregated result: the keys the baseline uses."""
        return {f"{r.source}/{r.backend}/{m.name}": m for r in self.runs for m in r.aggregate}


def shuffle_event(event: Event, seed: int) -> Event:
    """The same event with its articles in a seeded random order, renumbered A1.. as the
    loader would have numbered them. Never the identity when there are two or more."""
    order = list(range(len(event.articles)))
    random.Random(seed).shuffle(order)
    if len(order) > 1 and order == sorted(order):
        order = order[1:] + order[:1]
    new_id = {event.articles[old].id: f"A{new + 1}" for new, old in enumerate(order)}
    articles = [
        event.articles[old].model_copy(
            update={
                "id": new_id[event.articles[old].id],
                "duplicate_of": new_id.get(event.articles[old].duplicate_of or ""),
            }
        )
        for old in order
    ]
    return event.model_copy(update={"articles": articles})


def _load_events(path: Path) -> list[Event]:
    from summarize.ingest.loader import load

    return load(path).events


def _versions() -> dict[str, str]:
    out = {
        "summarize": __version__,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
    }
    for dist in ("pydantic", "rouge-score", "nltk-vader-sentiment", "llama-cpp-python"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            continue
    return out


def run_suite(
    suite: Suite,
    judge: Judge,
    *,
    root: Path | None = None,
    cache_dir: Path | None = None,
    backends: Sequence[str] | None = None,
    run_event: RunEvent | None = None,
    load_events: LoadEvents | None = None,
    progress: Callable[[str], None] | None = None,
) -> SuiteResult:
    """Run every (run, source) row of ``suite``; ``backends`` keeps only those model
    strings. ``root`` is the data root the suite's paths are relative to (default: the
    checkout, if any). ``run_event``/``load_events`` default to the real pipeline and loader."""
    if run_event is None:
        from summarize.pipeline import run_event as pipeline_run_event

        run_event = pipeline_run_event
    load_events = load_events or _load_events
    root = checkout_root() if root is None else root
    say = progress or (lambda _msg: None)
    options = ModelOptions(seed=suite.seed, cache_dir=cache_dir)
    metrics = build_metrics(judge, suite.metrics)
    result = SuiteResult(
        suite=suite.name,
        description=suite.description,
        created=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        seed=suite.seed,
        judge=judge.describe(),
        metric_settings=suite.metrics,
        versions=_versions(),
        cache_dir=str(cache_dir) if cache_dir else None,
        judged_metrics=judged_metrics(suite.metrics),
    )
    result.judge_accuracy = _accuracy(result.judge, root, result.notes)
    for run in suite.runs:
        if backends is not None and run.backend not in backends:
            continue
        for source in suite.sources:
            if run.sources and source.name not in run.sources:
                continue
            row = RunResult(source=source.name, backend=run.backend)
            result.runs.append(row)
            path = resolve(source.path, root)
            gold_path = resolve(source.gold, root) if source.gold else None
            if path is None or (source.gold is not None and gold_path is None):
                missing = source.path if path is None else str(source.gold)
                row.skipped = _absent(suite, source, missing, root)
                say(f"skip {source.name}/{run.backend}: {row.skipped}")
                continue
            gold = load_gold_file(gold_path) if gold_path is not None else None
            events = load_events(path)
            if source.only_gold and isinstance(gold, dict):
                events = [e for e in events if e.id in gold]
            if run.limit:
                events = events[: run.limit]
            for event in events:
                say(f"{source.name}/{run.backend}: {event.id}")
                event_gold = gold.get(event.id) if isinstance(gold, dict) else gold
                row.events.append(
                    _run_one(
                        event, run, event_gold, options, suite.seed, run_event, metrics, result
                    )
                )
            names = list(dict.fromkeys(m.name for e in row.events for m in e.metrics))
            row.aggregate = [
                aggregate(
                    name, [(e.event, m) for e in row.events for m in e.metrics if m.name == name]
                )
                for name in names
            ]
    result.overall = pooled_over_sources(result.runs)
    return result


def _accuracy(
    judge: dict[str, object], root: Path | None, notes: list[str]
) -> JudgeAccuracy | None:
    name = str(judge.get("judge", "?"))
    path = resolve(ACCURACY_FILE, root)
    found = load_accuracy(path).get(name) if path is not None else None
    if found is None:
        notes.append(
            f"no accuracy recorded for the judge {name} in {ACCURACY_FILE}: its figures stand "
            "without it (summarize eval --meta --record measures it)"
        )
    return found


def pooled_over_sources(runs: Sequence[RunResult]) -> dict[str, list[MetricResult]]:
    """For each backend, every pooled metric over all the events of all its sources."""
    out: dict[str, list[MetricResult]] = {}
    for backend in dict.fromkeys(r.backend for r in runs):
        per_name: dict[str, list[tuple[str, MetricResult]]] = {}
        for run in runs:
            if run.backend != backend:
                continue
            for e in run.events:
                for m in e.metrics:
                    if m.reduce == "pooled":
                        per_name.setdefault(m.name, []).append((f"{run.source}/{e.event}", m))
        if per_name:
            out[backend] = [aggregate(name, pairs) for name, pairs in per_name.items()]
    return out


def _absent(suite: Suite, source: SourceSpec, missing: str, root: Path | None) -> str:
    """Why a row cannot run (``missing`` is a suite path found neither under ``root`` nor in
    the package); raises for a required source of a data root that lacks it."""
    note = f" ({source.note})" if source.note else ""
    if root is None:
        return (
            f"{missing} is not in the installed package, and there is no checkout for this "
            f"path to be relative to (give a data root){note}"
        )
    if not source.optional:
        raise ConfigError(f"suite {suite.name}: source {source.name}: no {root / missing}")
    return f"{root / missing} is absent{note}"


def aggregate_events(events: Sequence[EventResult]) -> list[MetricResult]:
    """One aggregated result per metric name, over the events that produced it."""
    per_name: dict[str, list[tuple[str, MetricResult]]] = {}
    for e in events:
        for m in e.metrics:
            per_name.setdefault(m.name, []).append((e.event, m))
    return [aggregate(name, pairs) for name, pairs in per_name.items()]


def _run_one(
    event: Event,
    run: RunSpec,
    gold: Gold | None,
    options: ModelOptions,
    seed: int,
    run_event: RunEvent,
    metrics: list[Metric],
    result: SuiteResult,
) -> EventResult:
    start = time.perf_counter()
    model, _, strategy = run.backend.partition("@")
    if strategy:
        if strategy not in ("auto", "stepwise", "single"):
            return EventResult(event=event.id, error=f"ConfigError: unknown strategy {strategy!r}")
        options = options.model_copy(update={"strategy": strategy})
    try:
        doc = run_event(event, model, options)
        shuffled = (
            run_event(shuffle_event(event, seed), model, options)
            if run.order_test and len(event.articles) > 1
            else None
        )
    except SummarizeError as exc:
        return EventResult(event=event.id, error=f"{type(exc).__name__}: {exc}")
    result.prompts.update(doc.run.prompts)
    case = EvalCase(
        document=doc, gold=gold, reference_summary=event.reference_summary, shuffled=shuffled
    )
    usage = doc.run.usage.add(shuffled.run.usage) if shuffled else doc.run.usage
    return EventResult(
        event=event.id,
        metrics=score_case(case, metrics),
        seconds=round(time.perf_counter() - start, 3),
        usage=usage,
    )
