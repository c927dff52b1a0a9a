"""One event through every stage: clean -> segment -> analyse -> draft (backend) -> verify ->
contract.

Library entry points: ``run_event`` for one loaded event, ``iter_run`` / ``run_path`` for a
folder or a JSONL batch (each event independent: one failing event does not stop the others;
``concurrency`` events at once, in this process or on Ray: ``summarize.engine``).
"""

from __future__ import annotations

import functools
import json
import os
import threading
import time
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Protocol, TypeVar

from pydantic import Field

from summarize import __version__
from summarize.analysis.analyzer import AnalysisSettings, Disputes, Rules, analyse
from summarize.contract import (
    ArticleRecord,
    EventInfo,
    PassageRecord,
    RunInfo,
    StageReport,
    Strict,
    SummaryDocument,
)
from summarize.engine.gate import GatedClient, RateGate
from summarize.engine.local import imap_unordered
from summarize.errors import ConfigError, NoUsableAnswerError, SummarizeError
from summarize.generate.draft import Backend, Repairer
from summarize.generate.registry import entries, resolve
from summarize.generate.repair import PROMPT as REPAIR_PROMPT
from summarize.ingest.cleaner import clean
from summarize.ingest.document import Event, Passage
from summarize.ingest.loader import load
from summarize.ingest.segmenter import segment, title_passages
from summarize.models.chat import ChatClient, ChatRequest, ChatResponse
from summarize.models.prompt import load_prompt
from summarize.models.provider import ModelOptions
from summarize.verify.judges.choice import verification_judge
from summarize.verify.judges.verdict import Judge
from summarize.verify.support import lexical_support
from summarize.verify.verifier import JUDGE_STAGE, REPAIR_STAGE, VerifySettings, verify


class EventFailure(Strict):
    event_id: str
    error: str
    exit_code: int = 1  # the error class's exit code, for the CLI


class BatchResult(Strict):
    documents: list[SummaryDocument] = Field(default_factory=list)
    failures: list[EventFailure] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)


# What the contract publishes of each article (the in-memory Article holds more).
_ARTICLE_FIELDS = set(ArticleRecord.model_fields)
# Input fields that carry an outlet's leaning (``Article.extra``), first found wins: NeuS /
# AllSides clusters' ``allsides_bias_rating``, or a ``leaning:`` key in front matter or JSONL.
LEANING_KEYS = ("leaning", "allsides_bias_rating")


class ProgressSink(Protocol):
    """What a caller may watch while a batch runs (the CLI draws progress from it): the
    batch's size, each event as it starts, and each model call (the writer's calls, cached
    answers included) from start to end. ``call_started`` returns a handle for
    ``call_finished``."""

    def batch_started(self, total: int, skipped: int) -> None: ...

    def event_started(self, event_id: str) -> None: ...

    def call_started(self, label: str) -> int: ...

    def call_finished(self, handle: int) -> None: ...


class _WatchedClient:
    """A chat client that tells a ``ProgressSink`` when each call starts and ends."""

    def __init__(self, inner: ChatClient, sink: ProgressSink) -> None:
        self.inner = inner
        self.sink = sink
        self.name = inner.name

    def complete(self, request: ChatRequest) -> ChatResponse:
        handle = self.sink.call_started(request.prompt_name or "model call")
        try:
            return self.inner.complete(request)
        finally:
            self.sink.call_finished(handle)


class _LockedSink:
    """A ``ProgressSink`` told from several worker threads, one call at a time."""

    def __init__(self, inner: ProgressSink) -> None:
        self.inner = inner
        self._lock = threading.Lock()

    def batch_started(self, total: int, skipped: int) -> None:
        with self._lock:
            self.inner.batch_started(total, skipped)

    def event_started(self, event_id: str) -> None:
        with self._lock:
            self.inner.event_started(event_id)

    def call_started(self, label: str) -> int:
        with self._lock:
            return self.inner.call_started(label)

    def call_finished(self, handle: int) -> None:
        with self._lock:
            self.inner.call_finished(handle)


def _wrap_clients(backend: Backend, wrap: Callable[[ChatClient], ChatClient]) -> None:
    """Wrap a model-backed backend's chat client: the client its ``ModelCaller`` asks
    (``backend.caller.client``, every strategy's way to the model) and a ``backend.client``
    if it keeps one. A backend without one (extractive) makes no calls."""
    for holder in (backend, getattr(backend, "caller", None)):
        client = getattr(holder, "client", None)
        if isinstance(client, ChatClient):
            holder.client = wrap(client)  # type: ignore[union-attr]


def _watch(backend: Backend, sink: ProgressSink) -> None:
    """Route the backend's model calls through the sink (once)."""
    _wrap_clients(
        backend, lambda c: c if isinstance(c, _WatchedClient) else _WatchedClient(c, sink)
    )


def _gated(backend: Backend) -> RateGate:
    """Make the backend's calls share one ``RateGate`` (a Retry-After holds every worker)."""
    gate = RateGate()
    _wrap_clients(backend, lambda c: GatedClient(c, gate))
    return gate


def leaning_of(extra: dict[str, str]) -> str | None:
    """The outlet's leaning carried by the input, if any (see ``LEANING_KEYS``)."""
    for key in LEANING_KEYS:
        value = extra.get(key, "").strip()
        if value:
            return value
    return None


class PipelineSettings(Strict):
    """Every threshold and weight of the deterministic stages; recorded in ``run.settings``."""

    analysis: AnalysisSettings = Field(default_factory=AnalysisSettings)
    verify: VerifySettings = Field(default_factory=VerifySettings)


# The deterministic stages run one event at a time per process: they are CPU work under the
# GIL, so threads could not run them side by side anyway, and one at a time each event's
# stage timings are its own. Only the draft stage (model calls, waiting on sockets) runs
# concurrently.
_DETERMINISTIC = threading.Lock()
# An event's disagreement rules run here, under the same lock, while its draft waits on its
# first model calls: a writer reads the rules' results only after the consensus facts are
# written, so their CPU time fills that wait instead of adding to the event's wall time.
_RULES = ThreadPoolExecutor(max_workers=1, thread_name_prefix="summarize-rules")


def _beside_draft(job: Callable[[], Rules]) -> Disputes:
    def locked() -> Rules:
        with _DETERMINISTIC:
            return job()

    return _RULES.submit(locked)


def prepare(event: Event) -> tuple[Event, list[Passage]]:
    """Clean (boilerplate, duplicates) and segment."""
    cleaned = clean(event)
    return cleaned, segment(cleaned)


def run_event(
    event: Event,
    model: str = "extractive",
    options: ModelOptions | None = None,
    *,
    backend: Backend | None = None,
    judge: Judge | None = None,
    settings: PipelineSettings | None = None,
    accept_fallback: bool = False,
) -> SummaryDocument:
    """One event through every stage. A model-backed backend that gave no usable answer at
    all raises ``NoUsableAnswerError`` unless ``accept_fallback``: the output would be the
    deterministic fallback under the model's name.

    Without ``backend``, the backend and the verifier's judge are resolved from ``model`` and
    ``options`` (``options.judge``); with one, ``judge`` is used as given (None: lexical
    support)."""
    settings = settings or PipelineSettings()
    options = options or ModelOptions()
    if backend is None:
        backend = resolve(model, options)
        judge = verification_judge(model, options)
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    with _DETERMINISTIC:
        tc = time.perf_counter()  # a stage's time, not the wait for its turn
        cleaned, passages = prepare(event)
        timings["clean_segment"] = time.perf_counter() - tc
        t1 = time.perf_counter()
        analysis = analyse(cleaned, passages, settings.analysis, start=_beside_draft)
        timings["analyse"] = time.perf_counter() - t1

    t2 = time.perf_counter()
    draft = backend.draft(analysis)
    timings["draft"] = time.perf_counter() - t2
    # The rules' own time, whether or not the draft waited for it.
    timings["analyse.rules"] = analysis.disputes.result().seconds
    for stage, seconds in draft.timings_s.items():
        timings[f"draft.{stage}"] = seconds
    asked = sum(r.asked for r in draft.stages.values())
    if asked and not any(r.answered for r in draft.stages.values()) and not accept_fallback:
        raise NoUsableAnswerError(
            f"{backend.name} gave no usable answer to any of {asked} requests "
            f"({_reasons(draft.stages)}); fix the model or its server, or pass "
            "--accept-fallback to keep the deterministic output"
        )

    repair = backend if isinstance(backend, Repairer) else None
    # Verification that asks a model (the judge, a repair) waits on sockets like the draft
    # stage, so it runs outside the one-at-a-time lock of the deterministic stages.
    lock: AbstractContextManager[object] = (
        _DETERMINISTIC if judge is None and repair is None else nullcontext()
    )
    with lock:
        t3 = time.perf_counter()
        # Headlines are citable (framing quotes them) but are not sentences of the story: the
        # analysis reads the body, the verifier and the output see the titles too.
        citable = [*passages, *title_passages(cleaned.articles)]
        holders = analysis.holders
        verified = verify(
            draft,
            citable,
            lexical_support,
            settings.verify,
            judge=judge,
            repair=repair,
            outlets={p.id: holders[p.article] for p in citable if p.article in holders},
        )
        timings["verify"] = time.perf_counter() - t3
    timings["total"] = time.perf_counter() - t0
    stages = {**draft.stages, **verified.stages}

    return SummaryDocument(
        event=EventInfo(id=cleaned.id, title=cleaned.title),
        articles=[
            ArticleRecord.model_validate(
                {**a.model_dump(include=_ARTICLE_FIELDS), "leaning": leaning_of(a.extra)}
            )
            for a in cleaned.articles
        ],
        passages=[PassageRecord(id=p.id, article=p.article, text=p.text) for p in citable],
        summary=verified.summary,
        disagreements=verified.disagreements,
        run=RunInfo(
            model=backend.name,
            prompts={**draft.prompts, **_verify_prompts(judge, verified.stages)},
            usage=draft.usage.add(verified.usage),
            cost_usd=_total_cost(draft.cost_usd, verified.cost_usd),
            timings_s={k: round(v, 4) for k, v in timings.items()},
            version=__version__,
            verification=verified.drops,
            warnings=[*cleaned.warnings, *degraded(stages), *verified.warnings],
            stages=stages,
            settings={
                **settings.model_dump(),
                "backend": draft.settings,
                "judge": judge.name if judge is not None else "lexical",
            },
        ),
    )


def _verify_prompts(judge: Judge | None, stages: dict[str, StageReport]) -> dict[str, str]:
    """The prompts the verification's model calls used: the judge's, and the repair's."""
    used: dict[str, str] = {}
    if judge is not None and stages.get(JUDGE_STAGE, StageReport()).asked:
        prompts = judge.describe().get("prompts")
        if isinstance(prompts, dict):
            used.update({str(k): str(v) for k, v in prompts.items()})
    if stages.get(REPAIR_STAGE, StageReport()).asked:
        used[REPAIR_PROMPT] = load_prompt(REPAIR_PROMPT).sha256
    return used


def _total_cost(*costs: float | None) -> float | None:
    known = [c for c in costs if c is not None]
    return sum(known) if known else None


def degraded(stages: dict[str, StageReport]) -> list[str]:
    """One line per model-backed stage whose answers fell back to deterministic output."""
    return [
        f"{stage}: {r.fell_back} of {r.asked} model answers fell back to deterministic "
        f"output ({_reasons({stage: r})})"
        for stage, r in stages.items()
        if r.fell_back
    ]


def _reasons(stages: dict[str, StageReport]) -> str:
    counts: dict[str, int] = {}
    for r in stages.values():
        for why, n in r.reasons.items():
            counts[why] = counts.get(why, 0) + n
    return "; ".join(f"{n}x {why}" for why, n in sorted(counts.items(), key=lambda kv: -kv[1]))


ENGINES = ("local", "ray")
X = TypeVar("X")


def iter_run(
    path: Path,
    model: str = "extractive",
    options: ModelOptions | None = None,
    *,
    on_warning: Callable[[str], None] | None = None,
    skip: Callable[[str], bool] | None = None,
    accept_fallback: bool = False,
    progress: ProgressSink | None = None,
    concurrency: int = 1,
    engine: str = "local",
    ray_address: str | None = None,
    ordered: bool = False,
) -> Iterator[SummaryDocument | EventFailure]:
    """Load ``path`` and yield each event's document (or its failure) as soon as it is done,
    so a caller can write results incrementally and a crash loses nothing already written.
    ``skip(event_id)`` lets a resumed batch pass over events already done; ``progress`` is
    told the batch's size, each event's start and each model call (model calls only on the
    local engine).

    ``concurrency`` events run at once (threads sharing one backend on the ``local`` engine;
    on ``ray``, that many per worker, each worker with its own backend); results come in the
    order events complete, or in input order with ``ordered`` (later results wait for
    earlier ones)."""
    if engine not in ENGINES:
        raise ConfigError(f"--engine must be one of {', '.join(ENGINES)} (got {engine!r})")
    if concurrency < 1:
        raise ConfigError(f"--concurrency must be at least 1 (got {concurrency})")
    if engine == "ray":
        from summarize.engine import ray as ray_engine

        ray_engine.require()  # before any work: a missing extra is a bad option
    options = options or ModelOptions()
    batch = load(path)
    for w in batch.warnings:
        if on_warning:
            on_warning(w)
    todo = [e for e in batch.events if not (skip and skip(e.id))]
    if progress is not None:
        progress.batch_started(len(todo), len(batch.events) - len(todo))
    if not todo:
        return
    if engine == "ray":
        results = _on_ray(todo, model, options, accept_fallback, concurrency, ray_address, progress)
    else:
        results = _on_threads(todo, model, options, accept_fallback, concurrency, progress)
    try:
        if ordered:
            yield from _in_order(results)
        else:
            for _, item in results:
                yield item
    finally:
        results.close()


def _attempt(
    event: Event,
    model: str,
    options: ModelOptions,
    backend: Backend,
    judge: Judge | None,
    accept_fallback: bool,
) -> SummaryDocument | EventFailure:
    try:
        return run_event(
            event, model, options, backend=backend, judge=judge, accept_fallback=accept_fallback
        )
    except SummarizeError as e:
        return EventFailure(event_id=event.id, error=str(e), exit_code=e.exit_code)


def _on_threads(
    todo: list[Event],
    model: str,
    options: ModelOptions,
    accept_fallback: bool,
    concurrency: int,
    progress: ProgressSink | None,
) -> Generator[tuple[int, SummaryDocument | EventFailure], None, None]:
    backend = resolve(model, options)  # one backend (one model server) for the whole batch
    judge = verification_judge(model, options)
    gate = _gated(backend)
    sink = _LockedSink(progress) if progress is not None and concurrency > 1 else progress
    if sink is not None:
        _watch(backend, sink)

    def work(event: Event) -> SummaryDocument | EventFailure:
        if sink is not None:
            sink.event_started(event.id)
        return _attempt(event, model, options, backend, judge, accept_fallback)

    return imap_unordered(work, todo, concurrency=concurrency, on_stop=gate.stop)


# A Ray worker's backends, one per (model, options) for the life of its process: a local
# model server starts once per worker, not once per event.
_WORKER_BACKENDS: dict[str, tuple[Backend, Judge | None]] = {}
_WORKER_LOCK = threading.Lock()


def worker_backend(model: str, options: ModelOptions) -> tuple[Backend, Judge | None]:
    """The worker's backend and verification judge for ``model`` and ``options``."""
    key = json.dumps([model, options.model_dump(mode="json")], sort_keys=True)
    with _WORKER_LOCK:  # threads of one worker resolve once
        found = _WORKER_BACKENDS.get(key)
        if found is None:
            backend = resolve(model, options)
            _gated(backend)
            found = _WORKER_BACKENDS[key] = (backend, verification_judge(model, options))
    return found


def run_in_worker(
    model: str, options: ModelOptions, accept_fallback: bool, event: Event
) -> SummaryDocument | EventFailure:
    """One event on a Ray worker, with the worker's own backend."""
    try:
        backend, judge = worker_backend(model, options)
    except SummarizeError as e:
        return EventFailure(event_id=event.id, error=str(e), exit_code=e.exit_code)
    return _attempt(event, model, options, backend, judge, accept_fallback)


def _lost(event: Event, why: str) -> SummaryDocument | EventFailure:
    return EventFailure(event_id=event.id, error=why)


# Environment a Ray worker needs from the driver's (cache folder, litellm's offline price
# table); never a secret: the API key travels in the options.
_FORWARDED = ("SUMMARIZE_", "LITELLM_")
_SECRET = ("KEY", "TOKEN", "SECRET", "PASSWORD")


def _on_ray(
    todo: list[Event],
    model: str,
    options: ModelOptions,
    accept_fallback: bool,
    concurrency: int,
    address: str | None,
    progress: ProgressSink | None,
) -> Generator[tuple[int, SummaryDocument | EventFailure], None, None]:
    from summarize.engine import ray as ray_engine

    if model.partition(":")[0] not in entries():
        # An unknown model fails here, once, as on the local engine (resolving a known one
        # here would start its runtime in the driver for nothing).
        resolve(model, options)
    env = {
        k: v
        for k, v in os.environ.items()
        if k.startswith(_FORWARDED) and not any(s in k.upper() for s in _SECRET)
    }

    def submitted(index: int) -> None:
        if progress is not None:
            progress.event_started(todo[index].id)

    return ray_engine.imap_unordered(
        functools.partial(run_in_worker, model, options, accept_fallback),
        todo,
        lost=_lost,
        address=address,
        concurrency=concurrency,
        env=env,
        on_submit=submitted,
    )


def _in_order(results: Iterator[tuple[int, X]]) -> Iterator[X]:
    """Results tagged with their input index, in input order."""
    waiting: dict[int, X] = {}
    upcoming = 0
    for index, item in results:
        waiting[index] = item
        while upcoming in waiting:
            yield waiting.pop(upcoming)
            upcoming += 1


def run_path(
    path: Path, model: str = "extractive", options: ModelOptions | None = None
) -> BatchResult:
    result = BatchResult()
    for item in iter_run(path, model, options, on_warning=result.warnings.append):
        if isinstance(item, EventFailure):
            result.failures.append(item)
        else:
            result.documents.append(item)
    return result
