"""The local engine: at most ``concurrency`` items at once, every result once, an error
raised where the caller reads, and a caller that stops early stops the rest."""

from __future__ import annotations

import threading
import time

import pytest

from summarize.engine.local import imap_unordered


class Meter:
    """Counts how many calls of ``work`` run at once."""

    def __init__(self) -> None:
        self.now = 0
        self.peak = 0
        self.lock = threading.Lock()

    def work(self, item: int) -> int:
        with self.lock:
            self.now += 1
            self.peak = max(self.peak, self.now)
        time.sleep(0.02)  # long enough for the others to start
        with self.lock:
            self.now -= 1
        return item * 10


@pytest.mark.parametrize("concurrency", [1, 3, 8])
def test_every_item_once_at_most_concurrency_at_once(concurrency: int) -> None:
    meter = Meter()
    results = list(imap_unordered(meter.work, list(range(12)), concurrency=concurrency))
    assert sorted(results) == [(i, i * 10) for i in range(12)]
    assert meter.peak <= concurrency
    if concurrency > 1:
        assert meter.peak > 1  # they did run side by side


def test_results_come_as_items_complete() -> None:
    release = threading.Event()

    def work(item: str) -> str:
        if item == "slow":
            release.wait(5)
        return item

    results = imap_unordered(work, ["slow", "fast"], concurrency=2)
    assert next(results) == (1, "fast")  # not held back by the slow first item
    release.set()
    assert next(results) == (0, "slow")


def test_an_error_is_raised_to_the_caller_and_the_rest_is_dropped() -> None:
    started: list[int] = []
    stopped = threading.Event()

    def work(item: int) -> int:
        started.append(item)
        if item == 0:
            raise RuntimeError("a bug")
        stopped.wait(5)
        return item

    with pytest.raises(RuntimeError, match="a bug"):
        list(imap_unordered(work, list(range(50)), concurrency=2, on_stop=stopped.set))
    assert stopped.is_set()
    assert len(started) < 50  # items not started were never run


def test_closing_early_calls_on_stop_and_waits_for_running_items() -> None:
    stopped = threading.Event()
    finished: list[int] = []

    def work(item: int) -> int:
        if item > 0:
            stopped.wait(5)
        finished.append(item)
        return item

    results = imap_unordered(work, list(range(20)), concurrency=3, on_stop=stopped.set)
    assert next(results) == (0, 0)
    results.close()
    assert stopped.is_set()
    assert 3 <= len(finished) <= 4  # the running ones finished, nothing new started
