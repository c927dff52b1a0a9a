"""The ``local`` / ``local:<file.gguf>`` provider: the embedded model (or any GGUF) served by
llama.cpp's OpenAI-compatible server on loopback, reached through the litellm client.

``LocalClient`` wraps that client: when a request fails and the server process is gone, the
error becomes the server's ``RuntimeCrashError`` (signal or exit code, log file), raised at
once. It is not an ``AdapterError``, so the retry layer never retries it and the writer never
papers over it with deterministic output.

The provider's client starts the server on its first request (``StartOnFirstCall``), not
when it is built: a re-run answered entirely from the response cache starts no server and
imports neither litellm nor llama.cpp."""

from __future__ import annotations

import contextlib
import importlib.util
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from summarize.errors import AdapterError
from summarize.models.chat import ChatClient, ChatRequest, ChatResponse
from summarize.models.local.provision import model_status
from summarize.models.provider import Availability, ModelOptions

if TYPE_CHECKING:
    from summarize.models.local.server import LlamaServer

# A small model on 2 cores needs minutes for a long prompt; a hosted default would time out.
MIN_TIMEOUT_S = 300.0
# After a failed request, how long to wait for the server's exit status: the connection reset
# of a crashing server can arrive a moment before the process has finished dying.
CRASH_GRACE_S = 1.0


def runtime_installed() -> bool:
    return importlib.util.find_spec("llama_cpp") is not None


def local_available() -> bool:
    """The embedded model can run: runtime importable and the model (or its chunks) present.
    Checked without importing llama_cpp or starting anything."""
    if not runtime_installed():
        return False
    status = model_status()
    return bool(status.assembled or status.chunks_installed)


class LocalClient:
    """``ChatClient`` for a ``LlamaServer``: requests go through ``inner`` (litellm); a dead
    server turns any request error into its one-line ``RuntimeCrashError``."""

    def __init__(self, inner: ChatClient, server: LlamaServer) -> None:
        self.inner = inner
        self.server = server
        self.name = inner.name
        # The server answers one request at a time. Sent together (``--concurrency``), the
        # others would wait inside the HTTP call, and that wait would count against their
        # timeout: a slow answer would read as a failing endpoint. They wait here instead.
        self._one_at_a_time = threading.Lock()

    def complete(self, request: ChatRequest) -> ChatResponse:
        with self._one_at_a_time:
            return self._complete(request)

    def _complete(self, request: ChatRequest) -> ChatResponse:
        crashed = self.server.failure()  # died between requests: no need to ask
        if crashed is not None:
            raise crashed
        try:
            response = self.inner.complete(request)
        except AdapterError as e:
            # A crash shows as a connection error (transient); anything else: just look.
            crashed = self.server.failure(wait_s=CRASH_GRACE_S if e.transient else 0.0)
            if crashed is not None:
                raise crashed from e
            raise
        self.server.requests += 1
        return response


class StartOnFirstCall:
    """A ``ChatClient`` built by ``start`` on its first request, so that what ``start`` does
    (start a model server, import its client library) is paid only by a run that asks the
    model. ``name`` is known before: the response cache keys on it. A failed start is kept
    and raised again on every later request, so a batch does not try to start a broken
    runtime once per call."""

    def __init__(self, name: str, start: Callable[[], ChatClient]) -> None:
        self.name = name
        self._start = start
        self._client: ChatClient | None = None
        self._failed: Exception | None = None
        self._lock = threading.Lock()

    @property
    def started(self) -> bool:
        return self._client is not None

    @property
    def client(self) -> ChatClient | None:
        """The started client, None before the first request."""
        return self._client

    def complete(self, request: ChatRequest) -> ChatResponse:
        with self._lock:
            if self._failed is not None:
                raise self._failed
            if self._client is None:
                try:
                    self._client = self._start()
                except Exception as e:
                    self._failed = e
                    raise
            client = self._client
        return client.complete(request)


class LocalProvider:
    def client(self, rest: str, options: ModelOptions) -> ChatClient:
        from summarize.models.local.provision import resolve_gguf
        from summarize.models.local.server import install_stop_hooks

        path = resolve_gguf(f"local:{rest}" if rest else "local")
        settings: dict[str, object] = {}
        if options.logprobs:
            settings["logits_all"] = True
        if options.context_tokens is not None:
            settings["n_ctx"] = options.context_tokens
        name = f"local:{path.name}"
        timeout_s = max(options.timeout_s, MIN_TIMEOUT_S)
        install_stop_hooks()  # here, on the main thread: the server may start on a worker
        return StartOnFirstCall(name, lambda: _start(path, name, timeout_s, settings))

    def availability(self) -> list[Availability]:
        if not runtime_installed():
            return [
                Availability(
                    name="local",
                    kind="local",
                    ready=False,
                    detail="llama.cpp runtime not installed: pip install 'summarize[local]'",
                )
            ]
        st = model_status()
        if st.verified:
            detail, ready = f"model ready: {st.path}", True
        elif st.chunks_installed:
            detail, ready = f"model will be assembled on first use into {st.path}", True
        elif st.assembled:
            # Chunks gone but a full-size file exists: it is verified (hashed) on first use.
            detail, ready = f"model present, verified on first use: {st.path}", True
        else:
            missing = ", ".join(st.missing_chunks[:3]) + ("…" if len(st.missing_chunks) > 3 else "")
            detail = f"model chunks missing ({missing}): pip install 'summarize[local]'"
            ready = False
        return [
            Availability(name="local", kind="local", ready=ready, detail=detail),
            Availability(
                name="local:<path.gguf>",
                kind="local",
                ready=True,
                detail="any GGUF file on disk, served by the embedded llama.cpp runtime",
            ),
        ]


def _start(path: Path, name: str, timeout_s: float, settings: dict[str, object]) -> ChatClient:
    from summarize.models.litellm_client import LiteLLMClient, import_litellm
    from summarize.models.local.server import shared_server

    # The server loads the model in its own process while this one imports litellm (each
    # takes a second or two); the import is done when the server answers.
    importing = threading.Thread(target=_quietly, args=(import_litellm,), daemon=True)
    importing.start()
    try:
        server = shared_server(path, **settings)
    finally:
        importing.join()
    inner = LiteLLMClient(
        "openai/local",
        api_base=server.api_base,
        api_key="none",
        timeout_s=timeout_s,
        json_mode="json_object",
        name=name,
    )
    return LocalClient(inner, server)


def _quietly(step: Callable[[], object]) -> None:
    # A failure here is raised again, with its message, where the client first needs it.
    with contextlib.suppress(Exception):
        step()


PROVIDER = LocalProvider()
