"""``summarize doctor``'s library function against stand-in servers and a sample log."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from summarize.models.local import doctor
from summarize.models.local.doctor import DoctorReport, parse_log, run_doctor
from summarize.models.local.server import SERVER_CMD_ENV

STANDIN = Path(__file__).with_name("standin_server.py")

LOG = """\
=== Wed Nov 25 01:31:15 2026 OMP_WAIT_POLICY=PASSIVE python -m llama_cpp.server --model m.gguf
CPU : SSE3 = 1 | SSSE3 = 1 | AVX = 1 | AVX2 = 1 | F16C = 1 | FMA = 1 | BMI2 = 1 | AVX512 = 0 | OPENMP = 1 |
llama_perf_context_print:        load time =    3103.39 ms
llama_perf_context_print: prompt eval time =     938.01 ms /    62 tokens (   15.13 ms per token,    66.10 tokens per second)
llama_perf_context_print:        eval time =    2960.41 ms /    45 runs   (   65.79 ms per token,    15.20 tokens per second)
"""


def test_parse_log_reads_features_and_timings() -> None:
    report = DoctorReport(ok=True)
    parse_log(LOG, report)
    assert report.cpu_features_used == [
        "SSE3", "SSSE3", "AVX", "AVX2", "F16C", "FMA", "BMI2", "OPENMP",
    ]  # fmt: skip
    assert report.llama_load_time_ms == pytest.approx(3103.39)
    assert report.prompt_tokens == 62
    assert report.prompt_tok_s == pytest.approx(66.1, abs=0.1)
    assert report.gen_tok_s == pytest.approx(15.2, abs=0.1)


@pytest.fixture
def standin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(doctor, "runtime_installed", lambda: True)
    gguf = tmp_path / "m.gguf"
    gguf.write_bytes(b"GGUF" + b"\0" * 64)
    return gguf


def test_doctor_reports_the_crash_line(
    standin: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SERVER_CMD_ENV, f"{sys.executable} {STANDIN} --mode segv-on-post")
    report = run_doctor(f"local:{standin}", log_path=tmp_path / "doctor.log")
    assert not report.ok and report.exit_code == 3
    assert report.error is not None
    assert "crashed (SIGSEGV) on its first request" in report.error
    assert str(tmp_path / "doctor.log") in report.error
    assert report.load_s is not None  # it did start
    assert any(line.startswith("error:") for line in report.lines())


def test_doctor_ok_on_a_working_server(
    standin: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SERVER_CMD_ENV, f"{sys.executable} {STANDIN} --mode ok")
    report = run_doctor(f"local:{standin}", log_path=tmp_path / "doctor.log")
    assert report.ok and report.exit_code == 0 and report.error is None
    assert report.text == "{}" and report.generated_tokens == 1
    assert report.env
    assert report.threads is not None and report.threads >= 1


def test_doctor_without_runtime(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(doctor, "runtime_installed", lambda: False)
    report = run_doctor()
    assert not report.ok and report.exit_code == 3
    assert report.error and "not installed" in report.error
