"""One event through every stage: clean -> segment -> analyse -> draft (backend) -> verify ->
contract.

Library entry points: ``run_event`` for one loaded event, ``run_path`` for a folder or a
JSONL batch (each event independent: one failing event does not stop the others).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Protocol

from pydantic import Field

from summarize import __version__
from summarize.analysis.analyzer import AnalysisSettings, analyse
from summarize.contract import (
    ArticleRecord,
    EventInfo,
    PassageRecord,
    RunInfo,
    StageReport,
    Strict,
    SummaryDocument,
)
from summarize.errors import NoUsableAnswerError, SummarizeError
from summarize.generate.draft import Backend
from summarize.generate.registry import resolve
from summarize.ingest.cleaner import clean
from summarize.ingest.document import Event, Passage
from summarize.ingest.loader import load
from summarize.ingest.segmenter import segment
from summarize.models.chat import ChatClient, ChatRequest, ChatResponse
from summarize.models.provider import ModelOptions
from summarize.verify.support import lexical_support
from summarize.verify.verifier import VerifySettings, verify


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


def _watch(backend: Backend, sink: ProgressSink) -> None:
    """Route a model-backed backend's chat client through the sink: the client its
    ``ModelCaller`` asks (``backend.caller.client``, every strategy's way to the model) and a
    ``backend.client`` if it keeps one. A backend without one (extractive) makes no calls."""
    for holder in (backend, getattr(backend, "caller", None)):
        client = getattr(holder, "client", None)
        if isinstance(client, ChatClient) and not isinstance(client, _WatchedClient):
            holder.client = _WatchedClient(client, sink)  # type: ignore[union-attr]


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
    settings: PipelineSettings | None = None,
    accept_fallback: bool = False,
) -> SummaryDocument:
    """One event through every stage. A model-backed backend that gave no usable answer at
    all raises ``NoUsableAnswerError`` unless ``accept_fallback``: the output would be the
    deterministic fallback under the model's name."""
    settings = settings or PipelineSettings()
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    cleaned, passages = prepare(event)
    timings["clean_segment"] = time.perf_counter() - t0

    t1 = time.perf_counter()
    analysis = analyse(cleaned, passages, settings.analysis)
    timings["analyse"] = time.perf_counter() - t1

    t2 = time.perf_counter()
    backend = backend or resolve(model, options)
    draft = backend.draft(analysis)
    timings["draft"] = time.perf_counter() - t2
    for stage, seconds in draft.timings_s.items():
        timings[f"draft.{stage}"] = seconds
    asked = sum(r.asked for r in draft.stages.values())
    if asked and not any(r.answered for r in draft.stages.values()) and not accept_fallback:
        raise NoUsableAnswerError(
            f"{backend.name} gave no usable answer to any of {asked} requests "
            f"({_reasons(draft.stages)}); fix the model or its server, or pass "
            "--accept-fallback to keep the deterministic output"
        )

    t3 = time.perf_counter()
    verified = verify(draft, passages, lexical_support, settings.verify)
    timings["verify"] = time.perf_counter() - t3
    timings["total"] = time.perf_counter() - t0

    return SummaryDocument(
        event=EventInfo(id=cleaned.id, title=cleaned.title),
        articles=[
            ArticleRecord.model_validate(
                {**a.model_dump(include=_ARTICLE_FIELDS), "leaning": leaning_of(a.extra)}
            )
            for a in cleaned.articles
        ],
        passages=[PassageRecord(id=p.id, article=p.article, text=p.text) for p in passages],
        summary=verified.summary,
        disagreements=verified.disagreements,
        run=RunInfo(
            model=backend.name,
            prompts=draft.prompts,
            usage=draft.usage,
            cost_usd=draft.cost_usd,
            timings_s={k: round(v, 4) for k, v in timings.items()},
            version=__version__,
            verification=verified.drops,
            warnings=[*cleaned.warnings, *degraded(draft.stages), *verified.warnings],
            stages=draft.stages,
            settings={**settings.model_dump(), "backend": draft.settings},
        ),
    )


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


def iter_run(
    path: Path,
    model: str = "extractive",
    options: ModelOptions | None = None,
    *,
    on_warning: Callable[[str], None] | None = None,
    skip: Callable[[str], bool] | None = None,
    accept_fallback: bool = False,
    progress: ProgressSink | None = None,
) -> Iterator[SummaryDocument | EventFailure]:
    """Load ``path`` and yield each event's document (or its failure) as soon as it is done,
    so a caller can write results incrementally and a crash loses nothing already written.
    ``skip(event_id)`` lets a resumed batch pass over events already done; ``progress`` is
    told the batch's size, each event's start and each model call."""
    batch = load(path)
    for w in batch.warnings:
        if on_warning:
            on_warning(w)
    todo = [e for e in batch.events if not (skip and skip(e.id))]
    if progress is not None:
        progress.batch_started(len(todo), len(batch.events) - len(todo))
    if not todo:
        return
    backend = resolve(model, options)  # one backend (one model server) for the whole batch
    if progress is not None:
        _watch(backend, progress)
    for event in todo:
        if progress is not None:
            progress.event_started(event.id)
        try:
            yield run_event(event, model, options, backend=backend, accept_fallback=accept_fallback)
        except SummarizeError as e:
            yield EventFailure(event_id=event.id, error=str(e), exit_code=e.exit_code)


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
