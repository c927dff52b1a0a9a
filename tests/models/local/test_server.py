"""LlamaServer: helpers without a model; one short lifecycle test against the real model."""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import urllib.request
from pathlib import Path

import pytest

from summarize.errors import AdapterError, ModelProvisionError, RuntimeCrashError
from summarize.models.local import server as llama_server
from summarize.models.local.server import LlamaServer, free_port, physical_cores


def test_physical_cores_within_affinity() -> None:
    assert 1 <= physical_cores() <= len(os.sched_getaffinity(0))


def test_free_port_is_loopback_port() -> None:
    assert 1024 <= free_port() <= 65535


def test_command_uses_same_interpreter(tmp_path: Path) -> None:
    s = LlamaServer(tmp_path / "m.gguf", n_threads=3, log_path=tmp_path / "log")
    cmd = s.command(12345)
    assert cmd[:3] == [sys.executable, "-m", "llama_cpp.server"]
    assert cmd[cmd.index("--host") + 1] == "127.0.0.1"
    assert cmd[cmd.index("--n_threads") + 1] == "3"
    assert cmd[cmd.index("--n_ctx") + 1] == "8192"


def test_missing_model_and_not_running(tmp_path: Path) -> None:
    s = LlamaServer(tmp_path / "absent.gguf", log_path=tmp_path / "log")
    with pytest.raises(ModelProvisionError):
        s.start()
    with pytest.raises(AdapterError):
        _ = s.api_base
    s.stop()  # stopping a server that never started is a no-op


def test_early_exit_reports_log_tail(tmp_path: Path) -> None:
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(b"GGUF" + b"\0" * 64)  # right magic, unloadable
    if importlib.util.find_spec("llama_cpp") is None:
        pytest.skip("llama_cpp not installed")
    s = LlamaServer(bad, log_path=tmp_path / "server.log", startup_timeout_s=60)
    with pytest.raises(RuntimeCrashError, match="exited with code 1 during start-up") as e:
        s.start()
    assert e.value.log_path == str(tmp_path / "server.log")
    assert (tmp_path / "server.log").read_text().strip()
    assert not s.running


@pytest.mark.slow
def test_real_model_lifecycle(tmp_path: Path) -> None:
    if importlib.util.find_spec("llama_cpp") is None:
        pytest.skip("llama_cpp not installed")
    from summarize.models.local.provision import ensure_model, model_status

    if not (model_status().chunks_installed or model_status().verified):
        pytest.skip("embedded model not installed")
    server = LlamaServer(ensure_model(), n_ctx=1024, log_path=tmp_path / "server.log")
    with server:
        pid = server.pid
        assert pid is not None
        body = {
            "messages": [{"role": "user", "content": "Say OK."}],
            "max_tokens": 4,
            "temperature": 0,
        }
        req = urllib.request.Request(
            server.api_base + "/chat/completions",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=120) as resp:
            answer = json.load(resp)
        assert answer["choices"][0]["message"]["content"]
        assert answer["usage"]["completion_tokens"] >= 1
    assert not server.running
    assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text()
    assert server not in llama_server._LIVE


def test_the_local_client_sends_one_request_at_a_time() -> None:
    """The server answers one request at a time: concurrent callers (``--concurrency``) wait
    in the client, not inside an HTTP call whose timeout would count the wait."""
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    from summarize.models.chat import ChatRequest, ChatResponse, Message
    from summarize.models.local.provider import LocalClient

    class Server:
        requests = 0

        def failure(self, wait_s: float = 0.0) -> None:
            return None

    class Inner:
        name = "stub"

        def __init__(self) -> None:
            self.in_flight = self.most = 0
            self.lock = threading.Lock()

        def complete(self, request: ChatRequest) -> ChatResponse:
            with self.lock:
                self.in_flight += 1
                self.most = max(self.most, self.in_flight)
            time.sleep(0.02)
            with self.lock:
                self.in_flight -= 1
            return ChatResponse(text="{}")

    inner, server = Inner(), Server()
    client = LocalClient(inner, server)  # type: ignore[arg-type]
    request = ChatRequest(messages=[Message(role="user", content="hi")], max_tokens=4)
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: client.complete(request), range(16)))
    assert [a.text for a in answers] == ["{}"] * 16
    assert inner.most == 1
    assert server.requests == 16
