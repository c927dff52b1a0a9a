"""The local engine: items worked on by at most ``concurrency`` threads of this process.

Threads, not asyncio: every layer under an event (the strategies, the retry policy, litellm's
``completion``, the llama.cpp server's HTTP client) is synchronous, and a model call spends
its time waiting on a socket, which releases the GIL. An event loop would only move the same
blocking calls to ``asyncio.to_thread``'s pool. Each event's calls are sequential, so
``concurrency`` workers have at most ``concurrency`` model calls in flight."""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def imap_unordered(
    work: Callable[[T], R],
    items: Sequence[T],
    *,
    concurrency: int = 1,
    on_stop: Callable[[], None] | None = None,
) -> Generator[tuple[int, R], None, None]:
    """``(index, work(item))`` for every item, in the order the items complete. An exception
    ``work`` raises is raised here. When the caller stops early (an exception, Ctrl-C, the
    generator closed), items not started are dropped and ``on_stop`` is called so the running
    ones can end quickly; this returns once they have."""
    if concurrency <= 1:
        for index, item in enumerate(items):
            yield index, work(item)
        return
    pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="summarize-event")
    pending: dict[Future[R], int] = {}
    finished = False
    try:
        pending = {pool.submit(work, item): index for index, item in enumerate(items)}
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                yield pending.pop(future), future.result()
        finished = True
    finally:
        if not finished:
            for future in pending:
                future.cancel()
            if on_stop is not None:
                on_stop()
        pool.shutdown(wait=True)
