"""``FallbackClient``: a second model for when the first one's endpoint fails.

Each call goes to the primary (with the usual retries); when that fails (after retries, or
at once for a permanent error), the same request goes to the fallback model, and after
``switch_after`` consecutive failures every later call goes straight to the fallback. A
crashed embedded runtime (``RuntimeCrashError``) switches at once: the same build on the same
CPU crashes the same way, so asking it again only costs time. Each switch is logged, so the
change of model is never silent. An invalid answer is not an
endpoint failure: the structured-output layer above re-asks the same client.
"""

from __future__ import annotations

import logging

from summarize.errors import AdapterError, RuntimeCrashError
from summarize.models.chat import ChatClient, ChatRequest, ChatResponse
from summarize.models.retry import complete_text

log = logging.getLogger(__name__)


class FallbackClient:
    def __init__(
        self,
        primary: ChatClient,
        fallback: ChatClient,
        *,
        max_attempts: int = 3,
        switch_after: int = 2,
    ) -> None:
        self.primary, self.fallback = primary, fallback
        self.name = f"{primary.name} (fallback {fallback.name})"
        self.max_attempts = max_attempts
        self.switch_after = switch_after
        self.failures = 0
        self.fallback_calls = 0

    def complete(self, request: ChatRequest) -> ChatResponse:
        if self.failures < self.switch_after:
            try:
                response = complete_text(self.primary, request, max_attempts=self.max_attempts)
            except (AdapterError, RuntimeCrashError) as e:
                crashed = isinstance(e, RuntimeCrashError)
                self.failures = self.switch_after if crashed else self.failures + 1
                if self.failures == self.switch_after:
                    log.warning(
                        "%s keeps failing; using %s from now on",
                        self.primary.name,
                        self.fallback.name,
                    )
                reason = e.reason if isinstance(e, AdapterError) else str(e)
                log.warning(
                    "%s failed (%s); asking %s", self.primary.name, reason, self.fallback.name
                )
            else:
                self.failures = 0
                return response
        self.fallback_calls += 1
        try:
            return complete_text(self.fallback, request, max_attempts=self.max_attempts)
        except AdapterError as e:
            # Already retried here: the layer above must not retry it again.
            e.transient = False
            raise
