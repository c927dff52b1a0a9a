"""Eval suites (``evals/suites/*.toml``) and their runner.

A suite names sources (an event folder or a ``.jsonl`` of clusters, optionally a gold file)
and runs (a backend, with how many events per source it may take: the embedded model is
slow on CI's two cores, so its rows run on a small subset). ``run_suite`` runs every
(run, source) pair through the pipeline, scores each event, aggregates over events and
returns a ``SuiteResult``; ``summarize.eval.report`` writes and prints it.
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

from pydantic import BaseModel, ConfigDict, Field

from summarize import __version__
from summarize.backend import BackendOptions
from summarize.contract import SummaryDocument, Usage
from summarize.document import Event
from summarize.errors import ConfigError, SummarizeError
from summarize.eval.gold import Gold, load_gold
from summarize.eval.metrics import EvalCase, Metric, MetricResult, aggregate
from summarize.eval.scorecard import MetricSettings, build_metrics, score_case
from summarize.eval.verdict import Judge

RunEvent = Callable[[Event, str, BackendOptions | None], SummaryDocument]
LoadEvents = Callable[[Path], list[Event]]

SUITES_DIR = Path("evals") / "suites"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SourceSpec(Strict):
    name: str
    path: str  # relative to the repository root (the runner's ``root``)
    gold: str | None = None
    optional: bool = False  # skip with a note when the path is absent (e.g. ../shared)
    note: str = ""


class RunSpec(Strict):
    backend: str  # a model string: "extractive", "local", "fake:<script>", ...
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


def load_suite(name_or_path: str | Path, root: Path = Path(".")) -> Suite:
    """A suite by name (``evals/suites/<name>.toml`` under ``root``) or by file path."""
    path = Path(name_or_path)
    if path.suffix != ".toml":
        path = root / SUITES_DIR / f"{name_or_path}.toml"
    if not path.is_file():
        known = sorted(p.stem for p in (root / SUITES_DIR).glob("*.toml"))
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
    runs: list[RunResult] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)

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
    from summarize.loader import load

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


def backend_options(seed: int, cache_dir: Path | None, notes: list[str]) -> BackendOptions:
    """Options with the model cache wired in where the pipeline supports one."""
    if cache_dir is not None:
        if "cache_dir" in BackendOptions.model_fields:
            return BackendOptions.model_validate({"seed": seed, "cache_dir": str(cache_dir)})
        notes.append("cache_dir ignored: BackendOptions has no cache_dir field yet")
    return BackendOptions(seed=seed)


def run_suite(
    suite: Suite,
    judge: Judge,
    *,
    root: Path = Path("."),
    cache_dir: Path | None = None,
    backends: Sequence[str] | None = None,
    run_event: RunEvent | None = None,
    load_events: LoadEvents | None = None,
    progress: Callable[[str], None] | None = None,
) -> SuiteResult:
    """Run every (run, source) row of ``suite``; ``backends`` keeps only those model
    strings. ``run_event``/``load_events`` default to the real pipeline and loader."""
    if run_event is None:
        from summarize.pipeline import run_event as pipeline_run_event

        run_event = pipeline_run_event
    load_events = load_events or _load_events
    say = progress or (lambda _msg: None)
    notes: list[str] = []
    options = backend_options(suite.seed, cache_dir, notes)
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
        notes=notes,
    )
    for run in suite.runs:
        if backends is not None and run.backend not in backends:
            continue
        for source in suite.sources:
            if run.sources and source.name not in run.sources:
                continue
            row = RunResult(source=source.name, backend=run.backend)
            result.runs.append(row)
            path = root / source.path
            if not path.exists():
                if not source.optional:
                    raise ConfigError(f"suite {suite.name}: source {source.name}: no {path}")
                row.skipped = f"{path} is absent" + (f" ({source.note})" if source.note else "")
                say(f"skip {source.name}/{run.backend}: {row.skipped}")
                continue
            gold = load_gold(root / source.gold) if source.gold else None
            events = load_events(path)
            if run.limit:
                events = events[: run.limit]
            for event in events:
                say(f"{source.name}/{run.backend}: {event.id}")
                row.events.append(
                    _run_one(event, run, gold, options, suite.seed, run_event, metrics, result)
                )
            names = list(dict.fromkeys(m.name for e in row.events for m in e.metrics))
            row.aggregate = [
                aggregate(
                    name, [(e.event, m) for e in row.events for m in e.metrics if m.name == name]
                )
                for name in names
            ]
    return result


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
    options: BackendOptions,
    seed: int,
    run_event: RunEvent,
    metrics: list[Metric],
    result: SuiteResult,
) -> EventResult:
    start = time.perf_counter()
    try:
        doc = run_event(event, run.backend, options)
        shuffled = (
            run_event(shuffle_event(event, seed), run.backend, options)
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
