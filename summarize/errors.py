"""The one error root and its few subclasses.

Every error a user can cause or meet derives from ``SummarizeError``; the CLI maps it to one
line on stderr and a non-zero exit. Subclasses carry the context needed to act on them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from summarize.contract import Usage


class SummarizeError(Exception):
    """Root of every error this package raises on purpose."""

    exit_code: int = 1


class InputError(SummarizeError):
    """Bad input: missing path, empty folder, unreadable or undecodable file."""

    exit_code = 2

    def __init__(self, message: str, path: Path | str | None = None) -> None:
        self.path = str(path) if path is not None else None
        super().__init__(f"{self.path}: {message}" if self.path else message)


class ConfigError(SummarizeError):
    """Unknown model string, missing API key, bad option combination."""

    exit_code = 2


class PromptError(SummarizeError):
    """A prompt file is missing, malformed, or rendered with the wrong variables."""


class AdapterError(SummarizeError):
    """A model backend failed. ``transient`` says whether retrying may help; ``retry_after_s``
    is how long the provider asked us to wait (a 429's Retry-After), when it said."""

    def __init__(
        self,
        message: str,
        *,
        adapter: str,
        transient: bool = False,
        attempts: int = 1,
        last_output: str | None = None,
        usage: Usage | None = None,
        retry_after_s: float | None = None,
    ) -> None:
        self.adapter = adapter
        # What the failed calls still cost, so callers can account for them.
        self.usage = usage
        self.transient = transient
        self.attempts = attempts
        self.last_output = last_output
        self.retry_after_s = retry_after_s
        self.reason = message
        super().__init__(f"[{adapter}] {message}")


class StructuredOutputError(AdapterError):
    """The model's answer did not validate against the schema, even after the re-ask."""


class ContextLengthError(AdapterError):
    """The request does not fit the model's context window: a smaller request may."""


class NoUsableAnswerError(SummarizeError):
    """The model was asked and gave no usable answer at all: the output would be the
    deterministic fallback labelled as the model's (``--accept-fallback`` allows it)."""

    exit_code = 4


class ModelProvisionError(SummarizeError):
    """The embedded model could not be assembled or verified (missing chunk, bad checksum)."""

    exit_code = 3


class RuntimeCrashError(ModelProvisionError):
    """The embedded model's runtime process died (a signal or an exit code). Never transient:
    the same build on the same CPU fails the same way, so it is not retried."""

    def __init__(self, message: str, *, returncode: int, log_path: Path | str) -> None:
        self.returncode = returncode  # negative: killed by that signal
        self.log_path = str(log_path)
        super().__init__(message)
