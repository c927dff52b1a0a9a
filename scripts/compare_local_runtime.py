"""Measure the embedded model's two runtimes through litellm (docs/LOCAL-MODEL.md).

A = llama-cpp-python's OpenAI-compatible server (``summarize.models.local.server.LlamaServer``),
    reached with ``litellm.completion(model="openai/local", api_base=...)``.
B = a litellm ``CustomLLM`` provider calling ``llama_cpp.Llama`` in this process.

Per runtime: start-up time, one ~1.5k-token schema-constrained JSON call, a second call that
shares the long prefix (KV-cache reuse), generation tok/s, peak RSS, a top_logprobs check
(p(Yes) of the first token) and whether the JSON validated against the schema. Run each
runtime in its own process so peak RSS is not mixed:

    python scripts/compare_local_runtime.py --runtime server
    python scripts/compare_local_runtime.py --runtime inproc

This script (not the package) may import litellm and llama_cpp directly.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from summarize.models.local.provision import resolve_gguf  # noqa: E402
from summarize.models.local.server import LlamaServer, physical_cores  # noqa: E402

SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "summary": {"type": "string"},
        "disagreements": {
            "type": "array",
            "maxItems": 3,
            "items": {
                "type": "object",
                "properties": {
                    "topic": {"type": "string"},
                    "kind": {
                        "type": "string",
                        "enum": ["fact", "number", "attribution", "framing"],
                    },
                },
                "required": ["topic", "kind"],
            },
        },
    },
    "required": ["summary", "disagreements"],
}


def articles(chars: int) -> str:
    texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "examples").glob("*/*.txt"))]
    body = "\n\n".join(f"[Article {i + 1}]\n{t.strip()}" for i, t in enumerate(texts))
    return body[:chars]


def messages(question: str, chars: int) -> list[dict[str, str]]:
    return [
        {"role": "system", "content": "You summarise news neutrally. Reply with JSON only."},
        {"role": "user", "content": f"{articles(chars)}\n\nTask: {question}"},
    ]


def vm(pid: int | str, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) * 1024
    return 0


def perf_from_log(log: Path, since: int) -> list[dict[str, float]]:
    """llama.cpp's own per-call timings from the server log (verbose output)."""
    text = log.read_text(errors="replace")[since:]
    out = []
    pat = (
        r"prompt eval time =\s*([\d.]+) ms /\s*(\d+) tokens.*?\n"
        r".*?eval time =\s*([\d.]+) ms /\s*(\d+) runs"
    )
    for m in re.finditer(pat, text):
        pms, ptok, ems, etok = float(m[1]), int(m[2]), float(m[3]), int(m[4])
        out.append(
            {
                "prompt_tokens_evaluated": ptok,
                "prompt_tok_s": round(ptok / pms * 1000, 1) if pms else 0.0,
                "gen_tokens": etok,
                "gen_tok_s": round(etok / ems * 1000, 1) if ems else 0.0,
            }
        )
    return out


def install_inproc(litellm: Any, llm: Any) -> None:
    from litellm import CustomLLM, ModelResponse

    class InProc(CustomLLM):  # type: ignore[misc]
        def completion(self, *args: Any, **kwargs: Any) -> Any:
            p = dict(kwargs.get("optional_params") or {})
            keep = ("temperature", "max_tokens", "seed", "response_format", "logprobs")
            call = {k: p[k] for k in keep if k in p}
            if "top_logprobs" in p:
                call["top_logprobs"] = p["top_logprobs"]
            resp = llm.create_chat_completion(messages=kwargs["messages"], **call)
            return ModelResponse(**resp)

    litellm.custom_provider_map = [{"provider": "inproc", "custom_handler": InProc()}]


def timed(litellm: Any, **kw: Any) -> tuple[float, Any]:
    t = time.monotonic()
    r = litellm.completion(**kw)
    return time.monotonic() - t, r


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runtime", choices=["server", "inproc"], required=True)
    ap.add_argument("--model", default="local")
    ap.add_argument("--threads", type=int, default=physical_cores())
    ap.add_argument("--n-batch", type=int, default=512)
    ap.add_argument("--n-ctx", type=int, default=8192)
    ap.add_argument("--flash-attn", type=int, default=1)
    ap.add_argument("--logits-all", type=int, default=0)
    ap.add_argument("--chars", type=int, default=6000, help="article chars (~1.5k tokens)")
    ap.add_argument("--json-out", type=Path)
    a = ap.parse_args()

    import litellm

    litellm.suppress_debug_info = True
    path = resolve_gguf(a.model)
    res: dict[str, Any] = {"runtime": a.runtime, "args": {k: str(v) for k, v in vars(a).items()}}
    base = {"temperature": 0.0, "seed": 0}
    server = None
    log_pos = 0
    if a.runtime == "server":
        server = LlamaServer(
            path,
            n_ctx=a.n_ctx,
            n_threads=a.threads,
            n_batch=a.n_batch,
            flash_attn=bool(a.flash_attn),
            logits_all=bool(a.logits_all),
        )
        server.log_path = Path(f"/tmp/compare-llama-{os.getpid()}.log")
        server.start()
        res["startup_s"] = round(server.startup_s or 0, 2)
        base |= {"model": "openai/local", "api_base": server.api_base, "api_key": "none"}
    else:
        from llama_cpp import Llama

        rss0 = vm("self", "VmRSS")
        t = time.monotonic()
        llm = Llama(
            str(path),
            n_ctx=a.n_ctx,
            n_threads=a.threads,
            n_threads_batch=a.threads,
            n_batch=a.n_batch,
            flash_attn=bool(a.flash_attn),
            logits_all=bool(a.logits_all),
            seed=0,
            verbose=False,
        )
        res["startup_s"] = round(time.monotonic() - t, 2)
        res["rss_before_load_mb"] = rss0 // 2**20
        install_inproc(litellm, llm)
        base |= {"model": "inproc/local"}

    fmt = {"type": "json_object", "schema": SCHEMA}
    q1 = "Summarise the event in two sentences and list up to 3 points where sources disagree."
    q2 = "List up to 3 disagreements between the articles; summary: one sentence."
    calls = {}
    for name, q in (("call1_cold", q1), ("call2_shared_prefix", q2)):
        dt, r = timed(
            litellm, messages=messages(q, a.chars), response_format=fmt, max_tokens=256, **base
        )
        text = r.choices[0].message.content or ""
        try:
            import jsonschema

            jsonschema.validate(json.loads(text), SCHEMA)
            valid = True
        except Exception as e:  # report, do not crash the measurement
            valid = f"invalid: {str(e)[:120]}"
        calls[name] = {
            "latency_s": round(dt, 2),
            "prompt_tokens": r.usage.prompt_tokens,
            "completion_tokens": r.usage.completion_tokens,
            "schema_valid": valid,
            "text_head": text[:160],
        }
    dt, r = timed(
        litellm,
        messages=[{"role": "user", "content": "Write a 200-word paragraph about rivers."}],
        max_tokens=128,
        **base,
    )
    calls["gen_128"] = {
        "latency_s": round(dt, 2),
        "completion_tokens": r.usage.completion_tokens,
        "gen_tok_s_incl_prompt": round(r.usage.completion_tokens / dt, 1),
    }
    res["calls"] = calls
    try:
        dt, r = timed(
            litellm,
            messages=[
                {"role": "user", "content": "Is Paris the capital of France? Answer Yes or No."}
            ],
            max_tokens=1,
            logprobs=True,
            top_logprobs=5,
            **base,
        )
        import math

        top = r.choices[0].logprobs.content[0].top_logprobs
        tops = {t.token: round(math.exp(t.logprob), 4) for t in top}
        res["logprobs"] = {"ok": True, "latency_s": round(dt, 2), "top": tops}
    except Exception as e:
        res["logprobs"] = {"ok": False, "error": str(e)[:300]}

    if server is not None:
        res["peak_rss_mb"] = vm(server.pid or 0, "VmHWM") // 2**20
        res["llama_perf"] = perf_from_log(server.log_path, log_pos)
        server.stop()
    else:
        res["peak_rss_mb"] = vm("self", "VmHWM") // 2**20
    out = json.dumps(res, indent=2)
    print(out)
    if a.json_out:
        a.json_out.write_text(out)


if __name__ == "__main__":
    main()
