"""``RateGate``: what one worker learns about a provider's rate limit, every worker of the
batch obeys. A 429 answered with Retry-After closes the gate for that long (capped); every
model call first waits for the gate to open. ``models/retry.py`` still retries the call that
was refused; the gate only keeps the other workers from spending requests (and their own
429s) while the provider has asked everyone to wait.

``stop`` opens the gate for good with an error: a batch being interrupted ends its running
events' remaining calls at once instead of waiting for them."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from summarize.errors import AdapterError
from summarize.models.chat import ChatClient, ChatRequest, ChatResponse
from summarize.models.retry import DEFAULT_BACKOFF

log = logging.getLogger(__name__)


class RateGate:
    """Shared by the workers of one process. ``clock`` is for tests."""

    def __init__(
        self,
        *,
        max_hold_s: float = DEFAULT_BACKOFF.max_retry_after_s,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_hold_s = max_hold_s
        self.clock = clock
        self.holds = 0  # how often a Retry-After closed the gate
        self._open_at = 0.0
        self._stopped = False
        self._cond = threading.Condition()

    def remaining(self) -> float:
        """Seconds until the gate opens (0 when open)."""
        with self._cond:
            return max(0.0, self._open_at - self.clock())

    def hold(self, seconds: float) -> None:
        """Close the gate for ``seconds`` from now (capped at ``max_hold_s``); a later
        opening already set is kept."""
        seconds = min(max(0.0, seconds), self.max_hold_s)
        with self._cond:
            until = self.clock() + seconds
            if until > self._open_at:
                self._open_at = until
                self.holds += 1
                log.info("rate limited: every worker waits %.1f s (Retry-After)", seconds)

    def wait(self) -> None:
        """Block until the gate is open; raise once it is stopped."""
        with self._cond:
            while not self._stopped:
                remaining = self._open_at - self.clock()
                if remaining <= 0:
                    return
                self._cond.wait(remaining)
            raise AdapterError("the batch was interrupted", adapter="batch", transient=False)

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify_all()


class GatedClient:
    """A chat client whose calls pass ``gate`` first and whose Retry-After closes it."""

    def __init__(self, inner: ChatClient, gate: RateGate) -> None:
        self.inner = inner
        self.gate = gate
        self.name = inner.name

    def complete(self, request: ChatRequest) -> ChatResponse:
        self.gate.wait()
        try:
            return self.inner.complete(request)
        except AdapterError as e:
            if e.retry_after_s is not None:
                self.gate.hold(e.retry_after_s)
            raise
