"""The embedded model's runtime: llama-cpp-python's OpenAI-compatible server as a subprocess.

Why a server (Option A) and not an in-process litellm CustomLLM (Option B): see
docs/LOCAL-MODEL.md for the measurements. In short, the server path goes through litellm's
ordinary ``openai/`` provider (same code path as any hosted model: response_format, logprobs,
usage), keeps the KV cache of a repeated prompt prefix between calls, and keeps llama.cpp's
threads, memory and C-level crashes out of the pipeline's process.

``LlamaServer`` starts ``python -m llama_cpp.server`` with the same interpreter on a free
loopback port, waits until ``GET /v1/models`` answers, and stops it (SIGTERM, then SIGKILL) on
``stop()``, at interpreter exit, and on SIGTERM. Server logs go to a file in the cache dir so
they never reach the user's terminal. ``shared_server`` keeps one server per (model, settings)
per process: the pipeline stages and the judge share it and its prefix cache.

A server that dies (a signal such as SIGSEGV/SIGILL, or an exit code) is reported by
``failure()`` as one ``RuntimeCrashError`` line naming the cause and the log file; the
``local`` provider's client turns any request error into that error as soon as the process is
gone, so a crash is never retried as a connection error (docs/LOCAL-MODEL.md#crashes).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import deque
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any

from summarize.errors import AdapterError, ModelProvisionError, RuntimeCrashError
from summarize.models.local.provision import cache_dir

ADAPTER = "local"
# Measured on the 2-core reference machine (docs/LOCAL-MODEL.md): flash attention shortens
# prompt processing; the default n_batch 512 is as fast as larger values and uses less memory.
DEFAULT_N_BATCH = 512
DEFAULT_FLASH_ATTN = True
# How llama.cpp's OpenMP threads wait at its barriers (libgomp, the OpenMP of a gcc build).
# The default spins 300,000 times before sleeping: beside another busy process on 2 cores,
# generation fell from 13 to 0.7 tok/s. PASSIVE (sleep at once) kept 7.2 tok/s under load but
# cost a quarter of the idle speed (10 vs 13 tok/s); a short spin of 1,000 keeps both
# (docs/LOCAL-MODEL.md#threads-and-openmp-on-a-loaded-machine). Set only when the user's
# environment sets none of OMP_WAIT_VARS.
OMP_WAIT_VARS = ("OMP_WAIT_POLICY", "GOMP_SPINCOUNT")
RUNTIME_ENV: Mapping[str, str] = {"GOMP_SPINCOUNT": "1000"}
# Test and diagnostic hook: a command line that replaces ``python -m llama_cpp.server`` (the
# server arguments are appended). tests/test_runtime_crash.py points it to a stand-in server.
SERVER_CMD_ENV = "SUMMARIZE_LLAMA_SERVER_CMD"
CRASH_DOC = "docs/LOCAL-MODEL.md#crashes"


def physical_cores() -> int:
    """CPUs this process may run on, counted once per physical core.

    llama.cpp is memory-bandwidth bound: a second hyper-thread per core slows it down, so
    SMT siblings (same ``core_id`` and package) count once."""
    cpus = sorted(os.sched_getaffinity(0))
    cores: set[tuple[str, str]] = set()
    for cpu in cpus:
        topo = Path(f"/sys/devices/system/cpu/cpu{cpu}/topology")
        try:
            pkg = (topo / "physical_package_id").read_text().strip()
            core = (topo / "core_id").read_text().strip()
        except OSError:
            return max(1, len(cpus))  # no topology info: assume no SMT
        cores.add((pkg, core))
    return max(1, len(cores))


def free_port() -> int:
    # Bind to port 0 and let the kernel choose. There is a small race until the server binds
    # it; a collision surfaces as an early exit with "address already in use" in the log.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _tail(path: Path, n: int = 15) -> str:
    try:
        with path.open("r", encoding="utf-8", errors="replace") as f:
            return "".join(deque(f, maxlen=n)).strip()
    except OSError:
        return ""


def exit_cause(returncode: int) -> str:
    """``crashed (SIGSEGV)`` for a death by signal, ``exited with code N`` otherwise."""
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = f"signal {-returncode}"
        return f"crashed ({name})"
    return f"exited with code {returncode}"


def crash_error(returncode: int, when: str, log_path: Path) -> RuntimeCrashError:
    """The one line that reports a dead runtime: cause, when, log file, where to read more.
    A plain exit (not a signal) usually printed its reason last: that line is quoted."""
    reason = ""
    if returncode >= 0:
        last = _tail(log_path, 1)
        if last:
            reason = f" ({last if len(last) <= 200 else last[:199] + '…'})"
    return RuntimeCrashError(
        f"embedded model runtime {exit_cause(returncode)} {when}{reason}; "
        f"log: {log_path}; see {CRASH_DOC}",
        returncode=returncode,
        log_path=log_path,
    )


class LlamaServer:
    """One ``llama_cpp.server`` subprocess serving ``model_path`` on 127.0.0.1."""

    def __init__(
        self,
        model_path: Path,
        *,
        n_ctx: int = 8192,
        n_threads: int | None = None,
        seed: int = 0,
        startup_timeout_s: float = 120,
        logits_all: bool = False,
        n_batch: int = DEFAULT_N_BATCH,
        flash_attn: bool = DEFAULT_FLASH_ATTN,
        log_path: Path | None = None,
        server_cmd: Sequence[str] | None = None,
        env: Mapping[str, str | None] | None = None,
    ) -> None:
        self.model_path = Path(model_path)
        self.n_ctx = n_ctx
        self.n_threads = n_threads or physical_cores()
        self.seed = seed
        self.startup_timeout_s = startup_timeout_s
        # Required by llama-cpp-python for any logprobs (the judge's p(Yes)), but it copies
        # vocab-sized logits for every prompt token: ~10 s extra on a 1.2k-token prompt and
        # ~0.6 MB per context token. Off by default; the judge asks for its own server.
        self.logits_all = logits_all
        self.n_batch = n_batch
        self.flash_attn = flash_attn
        self.log_path = log_path or cache_dir() / "logs" / "llama-server.log"
        # What runs instead of ``python -m llama_cpp.server`` (tests, diagnostics).
        hook = shlex.split(os.environ.get(SERVER_CMD_ENV, ""))
        self.server_cmd = list(server_cmd or hook or [sys.executable, "-m", "llama_cpp.server"])
        # Changes over the inherited environment and RUNTIME_ENV; None unsets.
        self.env = dict(env or {})
        self.port: int | None = None
        self.startup_s: float | None = None
        self.ready = False
        # Requests answered since start; the client counts them, crash reports name them.
        self.requests = 0
        self._proc: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()

    # --- public ---------------------------------------------------------------------------
    @property
    def api_base(self) -> str:
        if self.port is None or not self.running:
            raise AdapterError("llama server is not running", adapter=ADAPTER)
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def command(self, port: int) -> list[str]:
        return [
            *self.server_cmd,
            "--model", str(self.model_path),
            "--host", "127.0.0.1",
            "--port", str(port),
            "--n_ctx", str(self.n_ctx),
            "--n_threads", str(self.n_threads),
            "--n_threads_batch", str(self.n_threads),
            "--n_batch", str(self.n_batch),
            "--seed", str(self.seed),
            "--logits_all", str(self.logits_all),
            "--flash_attn", str(self.flash_attn),
            "--model_alias", "local",
        ]  # fmt: skip

    def environment(self) -> dict[str, str]:
        """The server's environment: ours, plus RUNTIME_ENV unless we chose an OpenMP wait
        setting ourselves, then the constructor's ``env`` changes."""
        env = dict(os.environ)
        if not any(key in env for key in OMP_WAIT_VARS):
            env.update(RUNTIME_ENV)
        for key, change in self.env.items():
            if change is None:
                env.pop(key, None)
            else:
                env[key] = change
        return env

    def failure(self, wait_s: float = 0.0) -> RuntimeCrashError | None:
        """The crash report if the server process has died (waiting up to ``wait_s`` for it
        to finish dying: a connection reset can arrive just before the exit status), else
        None. A server stopped on purpose is not a failure."""
        proc = self._proc
        if proc is None:
            return None
        try:
            code = proc.wait(timeout=wait_s) if wait_s > 0 else proc.poll()
        except subprocess.TimeoutExpired:
            return None
        if code is None:
            return None
        if not self.ready:
            when = "during start-up"
        elif self.requests == 0:
            when = "on its first request"
        else:
            n = self.requests
            when = f"after answering {n} request{'s' if n > 1 else ''}"
        return crash_error(code, when, self.log_path)

    def start(self) -> LlamaServer:
        with self._lock:
            if self.running:
                return self
            if not self.model_path.is_file():
                raise ModelProvisionError(f"{self.model_path}: GGUF model file not found")
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            port = free_port()
            env = self.environment()
            shown = " ".join(f"{k}={env[k]}" for k in OMP_WAIT_VARS if k in env)
            self.ready, self.requests = False, 0
            t0 = time.monotonic()
            with self.log_path.open("ab") as log:
                header = f"\n=== {time.ctime()} {shown} {' '.join(self.command(port))}\n"
                log.write(header.encode())
                log.flush()
                self._proc = subprocess.Popen(
                    self.command(port),
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    env=env,
                    # Own process group: a Ctrl-C in the terminal reaches us, and we stop
                    # the server in order, instead of both racing on the signal.
                    start_new_session=True,
                )
            self.port = port
            _register(self)
            try:
                self._wait_ready(t0 + self.startup_timeout_s)
            except BaseException:
                self._stop_locked()
                raise
            self.startup_s = time.monotonic() - t0
            self.ready = True
            return self

    def stop(self, timeout_s: float = 10.0) -> None:
        with self._lock:
            self._stop_locked(timeout_s)

    def __enter__(self) -> LlamaServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # --- internals ------------------------------------------------------------------------
    def _wait_ready(self, deadline: float) -> None:
        assert self._proc is not None
        url = f"http://127.0.0.1:{self.port}/v1/models"
        while True:
            crashed = self.failure()
            if crashed is not None:
                raise crashed
            try:
                with urllib.request.urlopen(url, timeout=2) as resp:
                    if resp.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass  # not listening yet
            if time.monotonic() > deadline:
                raise AdapterError(
                    f"llama server did not answer within {self.startup_timeout_s:.0f}s "
                    f"(log: {self.log_path})",
                    adapter=ADAPTER,
                    transient=True,
                    last_output=_tail(self.log_path),
                )
            time.sleep(0.1)

    def _stop_locked(self, timeout_s: float = 10.0) -> None:
        proc, self._proc = self._proc, None
        _unregister(self)
        if proc is None or proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            proc.terminate()
        try:
            proc.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            proc.wait(timeout=5)


# --- process-wide registry: cleanup at exit / on SIGTERM, and one shared server --------------
_LIVE: set[LlamaServer] = set()
_SHARED: dict[tuple[Any, ...], LlamaServer] = {}
_SHARED_LOCK = threading.Lock()
_AT_EXIT = False
_ON_SIGTERM = False


def _stop_all() -> None:
    for server in list(_LIVE):
        with contextlib.suppress(Exception):
            server.stop(timeout_s=5)


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    _stop_all()
    # Re-deliver with the default action so the exit status still says "killed by SIGTERM".
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def install_stop_hooks() -> None:
    """Stop every server of this process at exit and on SIGTERM. The SIGTERM handler can
    only be set from the main thread, and a server may start on a worker thread (its first
    request comes from a batch's worker): the provider calls this from the main thread when
    it builds the client, and every start calls it again. A handler someone else installed
    is kept."""
    global _AT_EXIT, _ON_SIGTERM
    if not _AT_EXIT:
        _AT_EXIT = True
        atexit.register(_stop_all)
    if (
        not _ON_SIGTERM
        and threading.current_thread() is threading.main_thread()
        and signal.getsignal(signal.SIGTERM) in (signal.SIG_DFL, None)
    ):
        _ON_SIGTERM = True
        signal.signal(signal.SIGTERM, _on_sigterm)


def _register(server: LlamaServer) -> None:
    _LIVE.add(server)
    install_stop_hooks()


def _unregister(server: LlamaServer) -> None:
    _LIVE.discard(server)


def shared_server(model_path: Path, **settings: Any) -> LlamaServer:
    """The process's running server for ``model_path`` (started on first call, reused after;
    restarted if it died). ``settings`` are ``LlamaServer`` keyword arguments."""
    key = (str(Path(model_path).resolve()), tuple(sorted(settings.items())))
    with _SHARED_LOCK:
        server = _SHARED.get(key)
        if server is None:
            server = _SHARED[key] = LlamaServer(Path(model_path), **settings)
        if not server.running:
            server.start()
        return server
