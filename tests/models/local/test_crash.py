"""A dying runtime is reported at once, in one line, and never retried (stand-in servers)."""

from __future__ import annotations

import logging
import signal
import sys
from pathlib import Path

import pytest

from summarize.errors import AdapterError, ModelProvisionError, RuntimeCrashError
from summarize.models.chat import ChatRequest, Message
from summarize.models.local.provider import LocalClient
from summarize.models.local.server import (
    CRASH_DOC,
    OMP_WAIT_VARS,
    RUNTIME_ENV,
    SERVER_CMD_ENV,
    LlamaServer,
    exit_cause,
)
from summarize.models.retry import NO_WAIT, complete_text

STANDIN = Path(__file__).with_name("standin_server.py")
REQUEST = ChatRequest(messages=[Message(role="user", content="hi")], max_tokens=4)


def standin(tmp_path: Path, mode: str) -> LlamaServer:
    gguf = tmp_path / "m.gguf"
    gguf.write_bytes(b"GGUF" + b"\0" * 64)
    return LlamaServer(
        gguf,
        log_path=tmp_path / "server.log",
        server_cmd=[sys.executable, str(STANDIN), "--mode", mode],
        startup_timeout_s=30,
    )


def client(server: LlamaServer) -> LocalClient:
    from summarize.models.litellm_client import LiteLLMClient

    inner = LiteLLMClient(
        "openai/local", api_base=server.api_base, api_key="none", json_mode="json_object"
    )
    return LocalClient(inner, server)


def test_exit_cause_names_signal_or_code() -> None:
    assert exit_cause(-signal.SIGSEGV) == "crashed (SIGSEGV)"
    assert exit_cause(-signal.SIGILL) == "crashed (SIGILL)"
    assert exit_cause(1) == "exited with code 1"


def test_crash_error_is_a_provision_error_not_an_adapter_error() -> None:
    e = RuntimeCrashError("x", returncode=-11, log_path="/l")
    assert isinstance(e, ModelProvisionError) and not isinstance(e, AdapterError)
    assert e.exit_code == 3


def test_segv_during_startup(tmp_path: Path) -> None:
    server = standin(tmp_path, "segv-at-start")
    with pytest.raises(RuntimeCrashError) as e:
        server.start()
    msg = str(e.value)
    assert "embedded model runtime crashed (SIGSEGV) during start-up" in msg
    assert f"log: {tmp_path / 'server.log'}" in msg and CRASH_DOC in msg
    assert "\n" not in msg
    assert e.value.returncode == -signal.SIGSEGV
    assert not server.running


def test_exit_code_during_startup_quotes_last_log_line(tmp_path: Path) -> None:
    server = standin(tmp_path, "exit1-at-start")
    with pytest.raises(RuntimeCrashError, match="exited with code 1 during start-up") as e:
        server.start()
    assert "(ValueError: Failed to load model from file: standin)" in str(e.value)


def test_segv_on_first_request_is_raised_once_without_retry(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with standin(tmp_path, "segv-on-post") as server:
        c = client(server)
        with caplog.at_level(logging.WARNING), pytest.raises(RuntimeCrashError) as e:
            complete_text(c, REQUEST, max_attempts=3, backoff=NO_WAIT)
        assert "crashed (SIGSEGV) on its first request" in str(e.value)
        assert "retrying" not in caplog.text
        assert isinstance(e.value.__cause__, AdapterError)
        # The next request does not even reach the network.
        with pytest.raises(RuntimeCrashError, match="on its first request"):
            c.complete(REQUEST)
    assert "SIGSEGV now" in (tmp_path / "server.log").read_text()


def test_crash_after_answers_counts_them(tmp_path: Path) -> None:
    with standin(tmp_path, "segv-after-1") as server:
        c = client(server)
        assert c.complete(REQUEST).text == "{}"
        assert server.requests == 1 and server.failure() is None
        with pytest.raises(
            RuntimeCrashError, match=r"crashed \(SIGSEGV\) after answering 1 request;"
        ):
            c.complete(REQUEST)


def test_stopped_server_is_not_a_failure(tmp_path: Path) -> None:
    server = standin(tmp_path, "ok").start()
    assert server.failure() is None
    server.stop()
    assert server.failure() is None


def test_environment_defaults_overrides_and_unsets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for var in OMP_WAIT_VARS:
        monkeypatch.delenv(var, raising=False)
    s = LlamaServer(tmp_path / "m.gguf", log_path=tmp_path / "log")
    assert s.environment()["GOMP_SPINCOUNT"] == RUNTIME_ENV["GOMP_SPINCOUNT"] == "1000"
    monkeypatch.setenv("OMP_WAIT_POLICY", "ACTIVE")  # the user's choice wins, whole
    env = s.environment()
    assert env["OMP_WAIT_POLICY"] == "ACTIVE" and "GOMP_SPINCOUNT" not in env
    s = LlamaServer(tmp_path / "m.gguf", log_path=tmp_path / "log", env={"OMP_WAIT_POLICY": None})
    assert "OMP_WAIT_POLICY" not in s.environment()


def test_server_command_hook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SERVER_CMD_ENV, f"{sys.executable} {STANDIN} --mode ok")
    cmd = LlamaServer(tmp_path / "m.gguf", log_path=tmp_path / "log").command(1234)
    assert cmd[:4] == [sys.executable, str(STANDIN), "--mode", "ok"]
    assert cmd[cmd.index("--port") + 1] == "1234"


_STARTS_ON_A_WORKER_THREAD = """
import sys, threading, time
from pathlib import Path
from summarize.models.local.server import LlamaServer, install_stop_hooks

install_stop_hooks()  # what LocalProvider.client does, on the main thread
tmp = Path(sys.argv[1])
server = LlamaServer(
    tmp / "m.gguf",
    log_path=tmp / "server.log",
    server_cmd=[sys.executable, sys.argv[2], "--mode", "ok"],
    startup_timeout_s=30,
)
worker = threading.Thread(target=server.start)  # a batch's first request starts it
worker.start()
worker.join()
print(server._proc.pid, flush=True)
time.sleep(60)
"""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"  # a zombie has exited; only its parent's reaping is left


def test_sigterm_stops_a_server_started_on_a_worker_thread(tmp_path: Path) -> None:
    import signal
    import subprocess
    import time

    (tmp_path / "m.gguf").write_bytes(b"GGUF" + b"\0" * 64)
    proc = subprocess.Popen(
        [sys.executable, "-c", _STARTS_ON_A_WORKER_THREAD, str(tmp_path), str(STANDIN)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        server_pid = int(proc.stdout.readline())
        assert _alive(server_pid)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == -signal.SIGTERM
        deadline = time.monotonic() + 10
        while _alive(server_pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(server_pid)
    finally:
        proc.kill()
        proc.wait()
