"""Progress and feedback for ``summarize run`` on stderr (stdout carries only the result).

``RunProgress`` is the ``pipeline.ProgressSink`` the CLI hands to ``iter_run``. On a terminal
it draws a rich progress display: one bar for the batch (events done / failed / cached, ETA)
and, for any model call that has run longer than a second, a line naming the call and its
elapsed time. Anywhere else (a pipe, a CI log) it draws nothing live: no control codes, no
repainted lines; ``-v`` adds one plain line per event and per slow call. Either way it ends
with one closing line (events done, failed, cached, time, tokens, cost) unless ``-q``.

Every other stderr line the CLI writes goes through ``RunProgress.say`` so it lands above the
live display instead of through it, and keeps its exact text (``summarize: warning: ...``).
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from rich.console import Console, RenderableType
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from summarize.contract import Usage

SLOW_CALL_S = 1.0  # a model call is shown once it has run this long

QUIET, NORMAL, VERBOSE, DEBUG = -1, 0, 1, 2


class _EtaColumn(ProgressColumn):
    """Time remaining for the batch bar only (a model call has no known length)."""

    def __init__(self) -> None:
        super().__init__()
        self._inner = TimeRemainingColumn()

    def render(self, task: Task) -> RenderableType:
        if task.fields.get("kind") != "events":
            return Text("")
        return Text.assemble("ETA ", self._inner.render(task))


class _Display(Progress):
    """Rich progress that hides a model call's line until the call has run a second."""

    def get_renderables(self) -> Iterator[RenderableType]:
        shown = [
            t
            for t in self.tasks
            if t.fields.get("kind") != "call" or (t.elapsed or 0.0) >= SLOW_CALL_S
        ]
        yield self.make_tasks_table(shown)


def fmt_seconds(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, secs = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes}m {secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m"


class RunProgress:
    """Progress for one ``summarize run`` (see the module docstring).

    ``verbosity``: ``QUIET`` (-q: no progress, no closing line), ``NORMAL``, ``VERBOSE``
    (-v: a line per event and slow call, INFO log records), ``DEBUG`` (-vv: DEBUG records).
    ``live`` forces the live display on or off (default: when stderr is a terminal).
    """

    def __init__(
        self,
        verbosity: int = NORMAL,
        *,
        live: bool | None = None,
        stream: TextIO | None = None,
        console: Console | None = None,
        model: str = "",
    ) -> None:
        self.verbosity = verbosity
        # Local and scripted models cost nothing; a hosted model litellm cannot price does.
        self.free = model.startswith(("extractive", "local", "fake"))
        self.stream = stream
        self.console = console or Console(file=stream or sys.stderr, highlight=False)
        terminal = self.console.is_terminal and not self.console.is_dumb_terminal
        self.live = verbosity > QUIET and (terminal if live is None else live)
        self._display: _Display | None = None
        self._events_task: TaskID | None = None
        self._calls: dict[int, tuple[TaskID | None, str, float]] = {}
        self._next_handle = 0
        self.started = time.perf_counter()
        self.total = 0
        self.skipped = 0
        self.done = 0
        self.failed = 0
        self.cached = 0
        self.usage = Usage()
        self.cost = 0.0
        self.cost_unknown = False
        self._event_started: dict[str, float] = {}  # events run side by side (--concurrency)

    # --- lifetime -------------------------------------------------------------------------

    @contextmanager
    def running(self) -> Iterator[RunProgress]:
        """Show the live display (when live) for the duration of the block."""
        if self.live:
            self._display = _Display(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                BarColumn(bar_width=24),
                TextColumn("{task.fields[counts]}"),
                TimeElapsedColumn(),
                _EtaColumn(),
                console=self.console,
                transient=True,
                redirect_stdout=False,
                redirect_stderr=False,
            )
            self._display.start()
        try:
            yield self
        finally:
            if self._display is not None:
                self._display.stop()
                self._display = None

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Take the live display off the terminal while the block writes there (a result
        printed to stdout on the same terminal)."""
        display = self._display
        if display is None:
            yield
            return
        display.stop()
        try:
            yield
        finally:
            display.start()

    @contextmanager
    def logging(self) -> Iterator[None]:
        """The library's log records (retries, re-asks, fallbacks) as stderr lines through
        ``say``: warnings always, INFO with -v, DEBUG with -vv."""
        handler = _SayHandler(self)
        level = {VERBOSE: logging.INFO}.get(self.verbosity, logging.WARNING)
        if self.verbosity >= DEBUG:
            level = logging.DEBUG
        handler.setLevel(level)
        logger = logging.getLogger("summarize")
        old_level = logger.level
        logger.addHandler(handler)
        logger.setLevel(min(level, old_level) if old_level else level)
        try:
            yield
        finally:
            logger.removeHandler(handler)
            logger.setLevel(old_level)

    # --- what the CLI says -----------------------------------------------------------------

    def say(self, line: str) -> None:
        """One stderr line, exactly as given, above the live display when there is one."""
        if self._display is not None:
            self.console.print(Text(line), soft_wrap=True)
        else:
            out = self.stream or sys.stderr
            out.write(line + "\n")
            out.flush()

    def info(self, line: str) -> None:
        """A line that ``-q`` silences."""
        if self.verbosity > QUIET:
            self.say(line)

    def detail(self, line: str) -> None:
        """A line only ``-v`` shows."""
        if self.verbosity >= VERBOSE:
            self.say(line)

    # --- pipeline.ProgressSink -------------------------------------------------------------

    def batch_started(self, total: int, skipped: int) -> None:
        self.total, self.skipped = total, skipped
        if self._display is not None and total:
            self._events_task = self._display.add_task(
                "events" if total > 1 else "event",
                total=total,
                kind="events",
                counts=self._counts(),
            )

    def event_started(self, event_id: str) -> None:
        self._event_started[event_id] = time.perf_counter()
        if self._display is not None and self._events_task is not None:
            self._display.update(self._events_task, description=_short(event_id, 32))

    def call_started(self, label: str) -> int:
        handle = self._next_handle
        self._next_handle += 1
        task = None
        if self._display is not None:
            task = self._display.add_task(
                f"  model call: {label}", total=None, kind="call", counts=""
            )
        self._calls[handle] = (task, label, time.perf_counter())
        return handle

    def call_finished(self, handle: int) -> None:
        task, label, started = self._calls.pop(handle, (None, "", time.perf_counter()))
        if task is not None and self._display is not None:
            self._display.remove_task(task)
        took = time.perf_counter() - started
        if took >= SLOW_CALL_S and self._display is None:
            self.detail(f"summarize: model call {label}: {took:.1f} s")

    # --- results (the CLI reports each yielded document or failure) -------------------------

    def event_finished(
        self,
        event_id: str,
        *,
        failed: bool = False,
        usage: Usage | None = None,
        cost_usd: float | None = None,
    ) -> None:
        took = time.perf_counter() - self._event_started.pop(event_id, self.started)
        usage = usage or Usage()
        cached = not failed and usage.calls == 0 and usage.cache_hits > 0
        if failed:
            self.failed += 1
        else:
            self.done += 1
            self.cached += cached
        self.usage = self.usage.add(usage)
        if cost_usd is not None:
            self.cost += cost_usd
        elif usage.calls and not failed:
            self.cost_unknown = True
        if self._display is not None and self._events_task is not None:
            self._display.update(self._events_task, advance=1, counts=self._counts())
        status = "failed" if failed else ("done, every answer from the cache" if cached else "done")
        tokens = usage.prompt_tokens + usage.completion_tokens
        self.detail(
            f"summarize: event {event_id}: {status} in {fmt_seconds(took)} "
            f"({usage.calls} model calls, {tokens:,} tokens)"
        )

    def _counts(self) -> str:
        parts = [f"{self.done + self.failed}/{self.total}"]
        if self.failed:
            parts.append(f"{self.failed} failed")
        if self.cached:
            parts.append(f"{self.cached} cached")
        return " · ".join(parts)

    def closing_line(self) -> str:
        """``summarize: 15 events: 13 done (2 cached), 1 failed, 1 skipped · 2m 14s ·
        12,345 tokens · $0.0123``."""
        events = self.done + self.failed + self.skipped
        head = f"{events} event{'s' if events != 1 else ''}: {self.done} done"
        if self.cached:
            head += f" ({self.cached} cached)"
        head += f", {self.failed} failed"
        if self.skipped:
            head += f", {self.skipped} skipped (already written)"
        tokens = self.usage.prompt_tokens + self.usage.completion_tokens
        calls = f"{self.usage.calls} model call{'s' if self.usage.calls != 1 else ''}"
        if self.usage.cache_hits:
            calls += f" (+{self.usage.cache_hits} from the cache)"
        if not self.cost_unknown or self.free:
            cost = f"${self.cost:.4f}"
        elif self.cost:
            cost = f"${self.cost:.4f} + unpriced calls"
        else:
            cost = "cost unknown (unpriced model)"
        took = fmt_seconds(time.perf_counter() - self.started)
        return f"summarize: {head} · {took} · {calls} · {tokens:,} tokens · {cost}"

    def close(self) -> None:
        """Say the closing line (not with ``-q``)."""
        self.info(self.closing_line())


class _SayHandler(logging.Handler):
    def __init__(self, progress: RunProgress) -> None:
        super().__init__()
        self.progress = progress

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
        except Exception:  # a bad log call must not end the run
            message = str(record.msg)
        # Warnings and above read as they always did; "error:" stays the CLI's own prefix.
        prefix = "" if record.levelno >= logging.WARNING else f"{record.levelname.lower()}: "
        self.progress.say(f"summarize: {prefix}{message}")


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
