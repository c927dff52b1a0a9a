"""The ``local`` / ``local:<file.gguf>`` provider: the embedded model (or any GGUF) served by
llama.cpp's OpenAI-compatible server on loopback, reached through the litellm client."""

from __future__ import annotations

import importlib.util

from summarize.models.chat import ChatClient
from summarize.models.local.provision import model_status
from summarize.models.provider import Availability, ModelOptions

# A small model on 2 cores needs minutes for a long prompt; a hosted default would time out.
MIN_TIMEOUT_S = 300.0


def runtime_installed() -> bool:
    return importlib.util.find_spec("llama_cpp") is not None


def local_available() -> bool:
    """The embedded model can run: runtime importable and the model (or its chunks) present.
    Checked without importing llama_cpp or starting anything."""
    if not runtime_installed():
        return False
    status = model_status()
    return bool(status.assembled or status.chunks_installed)


class LocalProvider:
    def client(self, rest: str, options: ModelOptions) -> ChatClient:
        from summarize.models.litellm_client import LiteLLMClient
        from summarize.models.local.provision import resolve_gguf
        from summarize.models.local.server import shared_server

        path = resolve_gguf(f"local:{rest}" if rest else "local")
        settings: dict[str, object] = {}
        if options.logprobs:
            settings["logits_all"] = True
        if options.context_tokens is not None:
            settings["n_ctx"] = options.context_tokens
        server = shared_server(path, **settings)
        return LiteLLMClient(
            "openai/local",
            api_base=server.api_base,
            api_key="none",
            timeout_s=max(options.timeout_s, MIN_TIMEOUT_S),
            json_mode="json_object",
            name=f"local:{path.name}",
        )

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


PROVIDER = LocalProvider()
