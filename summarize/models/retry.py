"""The retry policy, the one place model calls are retried: a transient ``AdapterError`` (rate
limit, timeout, 5xx, connection) is retried with tenacity, bounded attempts and exponential
backoff with full jitter; a permanent error surfaces at once. Providers only classify errors
(``AdapterError.transient``); litellm's and the openai client's own retries are off."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

import tenacity

from summarize.errors import AdapterError
from summarize.models.chat import ChatClient, ChatRequest, ChatResponse

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Backoff:
    """Wait before retry n is random in [0, min(max_s, initial_s * 2**n)] (full jitter), or
    what the provider asked for (Retry-After) when that is longer, up to
    ``max_retry_after_s``."""

    initial_s: float = 1.0
    max_s: float = 20.0
    max_retry_after_s: float = 60.0
    sleep: Callable[[float], None] = time.sleep


DEFAULT_BACKOFF = Backoff()
# For tests: a scripted 503 must not cost seconds of backoff.
NO_WAIT = Backoff(0.0, 0.0, 0.0)


def complete_text(
    client: ChatClient,
    request: ChatRequest,
    *,
    max_attempts: int = 3,
    backoff: Backoff = DEFAULT_BACKOFF,
) -> ChatResponse:
    """``client.complete`` with transient errors retried (at most ``max_attempts`` calls)."""
    retrying = tenacity.Retrying(
        stop=tenacity.stop_after_attempt(max(1, max_attempts)),
        wait=_wait(backoff),
        retry=tenacity.retry_if_exception(_is_transient),
        before_sleep=_log_retry,
        sleep=backoff.sleep,
        reraise=True,
    )
    try:
        return retrying(client.complete, request)
    except AdapterError as e:
        e.attempts = int(retrying.statistics.get("attempt_number", 1))
        raise


def _wait(backoff: Backoff) -> Callable[[tenacity.RetryCallState], float]:
    jitter = tenacity.wait_random_exponential(multiplier=backoff.initial_s, max=backoff.max_s)

    def wait(state: tenacity.RetryCallState) -> float:
        seconds = float(jitter(state))
        error = state.outcome.exception() if state.outcome is not None else None
        asked = getattr(error, "retry_after_s", None)
        if asked is not None:
            seconds = max(seconds, min(float(asked), backoff.max_retry_after_s))
        return seconds

    return wait


def _is_transient(e: BaseException) -> bool:
    return isinstance(e, AdapterError) and e.transient


def _log_retry(state: tenacity.RetryCallState) -> None:
    error = state.outcome.exception() if state.outcome is not None else None
    log.warning("attempt %d failed, retrying: %s", state.attempt_number, error)
