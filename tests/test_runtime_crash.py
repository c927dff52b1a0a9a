"""The CLI against a runtime that dies with SIGSEGV on its first request (issue #9, item 1).

The stand-in (tests/models/local/standin_server.py) answers ``GET /v1/models`` like
``llama_cpp.server`` and kills itself with SIGSEGV on the first POST, as a native AMX build did
on a VM that does not grant AMX tile state. ``SUMMARIZE_LLAMA_SERVER_CMD`` makes the embedded
runtime start it instead of llama.cpp; the model is any file with the GGUF magic, so the test
needs neither the runtime nor the model installed. Expected: exit code 3, one error line that
names the signal and the log file, and no retry.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from summarize.models.local.server import CRASH_DOC, SERVER_CMD_ENV

REPO = Path(__file__).resolve().parent.parent
STANDIN = REPO / "tests" / "models" / "local" / "standin_server.py"


def test_segfaulting_runtime_is_one_line_exit_3_and_not_retried(tmp_path: Path) -> None:
    gguf = tmp_path / "crashing.gguf"
    gguf.write_bytes(b"GGUF" + b"\0" * 64)
    env = {
        **os.environ,
        SERVER_CMD_ENV: f"{sys.executable} {STANDIN} --mode segv-on-post",
        "SUMMARIZE_CACHE_DIR": str(tmp_path / "cache"),
        "LITELLM_LOCAL_MODEL_COST_MAP": "True",
    }
    proc = subprocess.run(
        [sys.executable, str(REPO / "cli.py"), "run", str(REPO / "examples" / "hollande-putin-2015"),
         "--model", f"local:{gguf}"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )  # fmt: skip
    log = tmp_path / "cache" / "logs" / "llama-server.log"
    assert proc.returncode == 3, proc.stderr
    errors = [line for line in proc.stderr.splitlines() if "error" in line.lower()]
    assert len(errors) == 1, proc.stderr
    assert "embedded model runtime crashed (SIGSEGV) on its first request" in errors[0]
    assert f"log: {log}" in errors[0] and CRASH_DOC in errors[0]
    assert "retrying" not in proc.stderr and "attempt" not in proc.stderr
    assert "Connection error" not in proc.stderr and "Traceback" not in proc.stderr
    # Exactly one request reached the runtime: the crash was not retried.
    assert log.read_text().count("SIGSEGV now") == 1
    assert proc.stdout == ""


def test_doctor_reports_the_same_line(tmp_path: Path) -> None:
    if importlib.util.find_spec("llama_cpp") is None:
        pytest.skip("llama_cpp not installed: doctor stops before starting anything")
    gguf = tmp_path / "crashing.gguf"
    gguf.write_bytes(b"GGUF" + b"\0" * 64)
    env = {
        **os.environ,
        SERVER_CMD_ENV: f"{sys.executable} {STANDIN} --mode segv-on-post",
        "SUMMARIZE_CACHE_DIR": str(tmp_path / "cache"),
    }
    proc = subprocess.run(
        [sys.executable, str(REPO / "cli.py"), "doctor", "--model", f"local:{gguf}"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 3, proc.stderr
    log = tmp_path / "cache" / "logs" / "doctor.log"
    (line,) = [x for x in proc.stdout.splitlines() if x.startswith("error:")]
    assert "crashed (SIGSEGV) on its first request" in line and f"log: {log}" in line
