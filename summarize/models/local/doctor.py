"""``summarize doctor``: start the embedded runtime, generate a few tokens, report what ran.

The report says which llama-cpp-python and which build (the CPU features llama.cpp was built
with, as the server itself prints them, and whether CPU variants are chosen at run time), what
the CPU offers, the threads and OpenMP wait policy the server got, load time, prompt and
generation tokens/s (llama.cpp's own timings from the server log), or the exact failure: a
crashed runtime gives the same one line as ``summarize run`` (docs/LOCAL-MODEL.md#crashes).

The server logs to its own file (``<cache>/logs/doctor.log``, rewritten on each check) so the
timings are not mixed with another run's, and so the file can go with a bug report.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import importlib.util
import re
import time
from pathlib import Path

from pydantic import Field

from summarize.contract import Strict
from summarize.errors import SummarizeError
from summarize.models.chat import ChatRequest, Message
from summarize.models.local.provider import LocalClient, runtime_installed
from summarize.models.local.provision import cache_dir, resolve_gguf
from summarize.models.local.server import OMP_WAIT_VARS, LlamaServer

# CPU flags (as /proc/cpuinfo names them) that decide which ggml kernels can run.
CPU_FLAGS = (
    "sse4_2", "avx", "avx2", "fma", "f16c", "bmi2", "avx_vnni", "avx512f", "avx512bw",
    "avx512vl", "avx512_vnni", "avx512_bf16", "amx_tile", "amx_int8", "amx_bf16",
)  # fmt: skip
PROMPT = (
    "List the planets of the solar system in order from the Sun, one per line, "
    "with one short fact about each."
)
MAX_TOKENS = 32

_SYSTEM_INFO = re.compile(r"^CPU : (.*)$", re.MULTILINE)
_LOAD = re.compile(r"load time =\s*([\d.]+) ms")
_PROMPT = re.compile(r"prompt eval time =\s*([\d.]+) ms /\s*(\d+) tokens")
_EVAL = re.compile(r"\s eval time =\s*([\d.]+) ms /\s*(\d+) runs")


class DoctorReport(Strict):
    ok: bool
    model: str | None = None
    llama_cpp_python: str | None = None
    # llama.cpp's "CPU : SSE3 = 1 | AVX2 = 1 | ..." line, as the server printed it.
    system_info: str | None = None
    cpu_features_used: list[str] = Field(default_factory=list)
    # libggml-cpu-<variant>.so files: present when the build picks a CPU variant at run time.
    cpu_variants: list[str] = Field(default_factory=list)
    cpu_flags: list[str] = Field(default_factory=list)
    threads: int | None = None
    env: dict[str, str] = Field(default_factory=dict)
    load_s: float | None = None  # process start until the server answers
    # llama.cpp's own "load time" counter (it runs into the first request, so it can exceed
    # load_s); reported as printed.
    llama_load_time_ms: float | None = None
    prompt_tokens: int | None = None
    prompt_tok_s: float | None = None
    generated_tokens: int | None = None
    gen_tok_s: float | None = None
    request_s: float | None = None
    text: str | None = None
    log: str | None = None
    error: str | None = None
    exit_code: int = 0

    def lines(self) -> list[str]:
        rows = [
            ("status", "ok" if self.ok else "FAILED"),
            ("model", self.model),
            ("llama-cpp-python", self.llama_cpp_python),
            ("build (CPU features)", " ".join(self.cpu_features_used) or None),
            ("CPU variants", " ".join(self.cpu_variants) or "none (one CPU backend)"),
            ("CPU flags", " ".join(self.cpu_flags) or None),
            ("threads", self.threads),
            ("environment", " ".join(f"{k}={v}" for k, v in self.env.items()) or None),
            ("load", _load(self.load_s)),
            ("prompt", _rate(self.prompt_tokens, self.prompt_tok_s)),
            ("generation", _rate(self.generated_tokens, self.gen_tok_s)),
            ("answer", repr(self.text[:60]) if self.text is not None else None),
            ("log", self.log),
            ("error", self.error),
        ]
        return [f"{k + ':':<22}{v}" for k, v in rows if v is not None]


def _load(load_s: float | None) -> str | None:
    return None if load_s is None else f"{load_s:.2f} s (start until the server answers)"


def _rate(tokens: int | None, per_s: float | None) -> str | None:
    if tokens is None:
        return None
    return f"{tokens} tokens" + (f", {per_s:.1f} tokens/s" if per_s is not None else "")


def cpu_flags() -> list[str]:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return []
    m = re.search(r"^flags\s*:\s*(.*)$", text, re.MULTILINE)
    have = set(m.group(1).split()) if m else set()
    return [f for f in CPU_FLAGS if f in have]


def cpu_variants() -> list[str]:
    spec = importlib.util.find_spec("llama_cpp")
    if spec is None or not spec.submodule_search_locations:
        return []
    found: set[str] = set()
    for folder in spec.submodule_search_locations:
        for lib in (Path(folder) / "lib").glob("libggml-cpu-*.so*"):
            found.add(lib.name.removeprefix("libggml-cpu-").split(".so")[0])
    return sorted(found)


def parse_log(text: str, report: DoctorReport) -> None:
    """Fill build and speed fields from the server's log of this check."""
    if m := _SYSTEM_INFO.search(text):
        report.system_info = m.group(1).strip()
        report.cpu_features_used = [
            name.strip()
            for name, _, value in (p.partition("=") for p in report.system_info.split("|"))
            if name.strip() and value.strip() == "1"
        ]
    if m := _LOAD.search(text):
        report.llama_load_time_ms = float(m.group(1))
    if m := _PROMPT.search(text):
        ms, n = float(m.group(1)), int(m.group(2))
        report.prompt_tokens, report.prompt_tok_s = n, (n / ms * 1000 if ms else None)
    if m := _EVAL.search(text):
        ms, n = float(m.group(1)), int(m.group(2))
        report.gen_tok_s = n / ms * 1000 if ms else None


def run_doctor(spec: str = "local", *, log_path: Path | None = None) -> DoctorReport:
    """Start the runtime for ``spec`` (``local`` or ``local:<file.gguf>``), ask for a few
    tokens and report; never raises for a failure of the runtime, the report carries it."""
    report = DoctorReport(ok=False, cpu_flags=cpu_flags())
    with contextlib.suppress(importlib.metadata.PackageNotFoundError):
        report.llama_cpp_python = importlib.metadata.version("llama_cpp_python")
    if not runtime_installed():
        report.error = "llama-cpp-python is not installed: pip install 'summarize[local]'"
        report.exit_code = 3
        return report
    report.cpu_variants = cpu_variants()
    log = log_path or cache_dir() / "logs" / "doctor.log"
    report.log = str(log)
    server: LlamaServer | None = None
    try:
        path = resolve_gguf(spec)
        report.model = str(path)
        log.parent.mkdir(parents=True, exist_ok=True)
        log.unlink(missing_ok=True)
        server = LlamaServer(path, n_ctx=2048, log_path=log)
        report.threads = server.n_threads
        env = server.environment()
        report.env = {k: env[k] for k in OMP_WAIT_VARS if k in env}
        server.start()
        report.load_s = server.startup_s
        from summarize.models.litellm_client import LiteLLMClient

        client = LocalClient(
            LiteLLMClient("openai/local", api_base=server.api_base, api_key="none"), server
        )
        request = ChatRequest(
            messages=[Message(role="user", content=PROMPT)], max_tokens=MAX_TOKENS
        )
        t0 = time.monotonic()
        response = client.complete(request)
        report.request_s = time.monotonic() - t0
        report.text = response.text
        report.generated_tokens = response.usage.completion_tokens
        report.ok = True
    except SummarizeError as e:
        report.error = str(e)
        report.exit_code = e.exit_code
    finally:
        if server is not None:
            server.stop()
    with contextlib.suppress(OSError):
        parse_log(log.read_text(encoding="utf-8", errors="replace"), report)
    return report
