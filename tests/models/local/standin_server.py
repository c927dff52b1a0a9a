"""A stand-in for ``python -m llama_cpp.server`` that dies the way a broken build does.

Run as ``python standin_server.py --mode MODE`` followed by the real server's arguments (only
``--port`` is used). Modes:

- ``segv-on-post``: answers ``GET /v1/models``, then kills itself with SIGSEGV on the first
  POST (what an AMX/AVX-512 build does on a CPU or VM that cannot run it);
- ``segv-after-1``: answers one chat completion, then SIGSEGV on the next POST;
- ``segv-at-start``: SIGSEGV before listening;
- ``exit1-at-start``: prints an error line and exits with code 1 before listening;
- ``ok``: answers every chat completion with ``{}``.

stdlib only: it must start in a fraction of a second and need no model.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any


def segfault() -> None:
    # No core file in the test's working directory.
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGSEGV)


def completion() -> dict[str, Any]:
    return {
        "id": "chatcmpl-standin",
        "object": "chat.completion",
        "created": 0,
        "model": "local",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": "{}"},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4},
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", default="segv-on-post")
    ap.add_argument("--port", type=int, required=True)
    args, _ = ap.parse_known_args()
    print(f"standin server: mode {args.mode}, port {args.port}", flush=True)
    if args.mode == "segv-at-start":
        segfault()
    if args.mode == "exit1-at-start":
        print("ValueError: Failed to load model from file: standin", flush=True)
        sys.exit(1)
    answered = 0

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *a: Any) -> None:
            print(format % a, flush=True)

        def _json(self, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            self._json({"object": "list", "data": [{"id": "local", "object": "model"}]})

        def do_POST(self) -> None:
            nonlocal answered
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if args.mode == "segv-on-post" or (args.mode == "segv-after-1" and answered >= 1):
                print("standin server: SIGSEGV now", flush=True)
                segfault()
            answered += 1
            self._json(completion())

    HTTPServer(("127.0.0.1", args.port), Handler).serve_forever()


if __name__ == "__main__":
    main()
