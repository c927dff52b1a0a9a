"""A real OpenAI-compatible HTTP server for tests (stdlib only, 127.0.0.1, free port).

Tests drive the actual litellm/openai HTTP stack against it instead of mocking inside the
process, so they check what goes over the wire (``response_format``, ``seed``, messages...).

Scripting: ``server.reply("text")`` / ``server.reply_json({...})`` queue a completion,
``server.fail(503)`` queues an HTTP error (optionally with headers such as Retry-After),
``server.reset()`` queues a connection closed without an answer, ``server.hang(s)`` an answer
that comes after ``s`` seconds; queued items are served in order, and when the queue is empty
``default_content`` (or ``responder(body)``) is returned. ``latency_s`` delays every answer;
``die_after`` stops the whole server after that many requests (a server that dies mid-run).
Every POST body is recorded in ``server.requests`` (parsed JSON) in arrival order.
``in_flight`` / ``peak_in_flight`` count the requests being answered now and at most at once.
``server.rate_limit(s, after=n)`` acts like a provider's rate limiter: the first ``n``
requests wait for each other, the first of them is answered 429 with ``Retry-After: s`` at
once (the others after ``answer_after_s``), and every request arriving in the next ``s``
seconds is answered 429 too (Retry-After: what remains); ``limited`` records each 429's
arrival time.
"""

from __future__ import annotations

import json
import math
import re
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from summarize.models.chat import ChatRequest, Message
from summarize.models.fake import cite_first


@dataclass
class Scripted:
    content: str = ""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    reset: bool = False  # close the connection without answering
    delay_s: float = 0.0
    # token -> probability at each position; used when the request asks for logprobs.
    logprobs: list[dict[str, float]] | None = None
    prompt_tokens: int = 11
    completion_tokens: int = 7


@dataclass
class OpenAIServer:
    default_content: str = "ok"
    # Answers from the request itself when nothing is queued (for multi-call pipelines).
    responder: Callable[[dict[str, Any]], str | Scripted] | None = None
    latency_s: float = 0.0
    die_after: int | None = None
    requests: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    arrivals: list[float] = field(default_factory=list)  # time.monotonic() of each request
    in_flight: int = 0
    peak_in_flight: int = 0
    limited: list[float] = field(default_factory=list)  # arrivals answered 429 by rate_limit
    _limit_barrier: threading.Barrier | None = None
    _limit_s: float = 0.0
    _limit_answer_after_s: float = 0.0
    _limit_until: float | None = None
    _queue: deque[Scripted] = field(default_factory=deque)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _httpd: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None

    # --- scripting -------------------------------------------------------------------------
    def reply(
        self,
        content: str,
        *,
        logprobs: list[dict[str, float]] | None = None,
        prompt_tokens: int = 11,
        completion_tokens: int = 7,
    ) -> None:
        with self._lock:
            self._queue.append(
                Scripted(
                    content,
                    200,
                    logprobs=logprobs,
                    prompt_tokens=prompt_tokens,
                    completion_tokens=completion_tokens,
                )
            )

    def reply_json(self, value: Any) -> None:
        self.reply(json.dumps(value))

    def fail(
        self, status: int, message: str = "scripted failure", headers: dict[str, str] | None = None
    ) -> None:
        with self._lock:
            self._queue.append(Scripted(message, status, headers=dict(headers or {})))

    def reset(self) -> None:
        with self._lock:
            self._queue.append(Scripted(reset=True))

    def hang(self, seconds: float, content: str = "{}") -> None:
        with self._lock:
            self._queue.append(Scripted(content, delay_s=seconds))

    def rate_limit(
        self, retry_after_s: float, *, after: int = 1, answer_after_s: float = 0.0
    ) -> None:
        """See the module docstring."""
        with self._lock:
            self._limit_barrier = threading.Barrier(after)
            self._limit_s = retry_after_s
            self._limit_answer_after_s = answer_after_s
            self._limit_until = None

    def _rate_limited(self) -> Scripted | None:
        """A 429 for this arrival when the rate limiter says so (None: answer it as usual)."""
        with self._lock:
            barrier, until = self._limit_barrier, self._limit_until
        now = time.monotonic()
        if until is not None and now < until:
            with self._lock:
                self.limited.append(now)
            wait = str(max(1, math.ceil(until - now)))
            return Scripted("rate limited", 429, headers={"Retry-After": wait})
        if barrier is None:
            return None
        try:
            index = barrier.wait(timeout=30)
        except threading.BrokenBarrierError:
            return None
        with self._lock:
            self._limit_barrier = None
            if index == 0:
                self._limit_until = time.monotonic() + self._limit_s
                self.limited.append(now)
        if index == 0:
            wait = str(max(1, math.ceil(self._limit_s)))
            return Scripted("rate limited", 429, headers={"Retry-After": wait})
        return Scripted(delay_s=self._limit_answer_after_s)  # a 200, held a while

    # --- lifecycle -------------------------------------------------------------------------
    @property
    def port(self) -> int:
        assert self._httpd is not None
        return int(self._httpd.server_address[1])

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> OpenAIServer:
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _record(self, body: dict[str, Any], headers: dict[str, str]) -> None:
        with self._lock:
            self._record_locked(body, headers)

    def _record_locked(self, body: dict[str, Any], headers: dict[str, str]) -> None:
        self.requests.append(body)
        self.headers.append(headers)
        self.arrivals.append(time.monotonic())

    def _next(self, body: dict[str, Any], headers: dict[str, str]) -> Scripted:
        with self._lock:
            self._record_locked(body, headers)
            if self.die_after is not None and len(self.requests) > self.die_after:
                threading.Thread(target=self.stop, daemon=True).start()
                return Scripted(reset=True)
            if self._queue:
                return self._queue.popleft()
            if self.responder is not None:
                answer = self.responder(body)
                return answer if isinstance(answer, Scripted) else Scripted(answer)
            return Scripted(self.default_content)


def _completion_body(item: Scripted, request: dict[str, Any]) -> dict[str, Any]:
    choice: dict[str, Any] = {
        "index": 0,
        "message": {"role": "assistant", "content": item.content},
        "finish_reason": "stop",
        "logprobs": None,
    }
    if request.get("logprobs") and item.logprobs is not None:
        k = int(request.get("top_logprobs") or 0)
        content = []
        for position in item.logprobs:
            ranked = sorted(position.items(), key=lambda kv: kv[1], reverse=True)
            token, p = ranked[0]
            content.append(
                {
                    "token": token,
                    "logprob": math.log(p),
                    "bytes": list(token.encode()),
                    "top_logprobs": [
                        {"token": t, "logprob": math.log(q), "bytes": list(t.encode())}
                        for t, q in ranked[:k]
                    ],
                }
            )
        choice["logprobs"] = {"content": content}
    return {
        "id": f"chatcmpl-test-{len(request)}",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": request.get("model", "test-model"),
        "choices": [choice],
        "usage": {
            "prompt_tokens": item.prompt_tokens,
            "completion_tokens": item.completion_tokens,
            "total_tokens": item.prompt_tokens + item.completion_tokens,
        },
    }


def _handler_for(server: OpenAIServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # keep pytest output clean
            pass

        def _send(
            self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None
        ) -> None:
            data = json.dumps(payload).encode()
            try:
                self.send_response(status)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting (a timeout test): nothing to answer

        def do_GET(self) -> None:
            if self.path.rstrip("/").endswith("/models"):
                self._send(
                    200,
                    {"object": "list", "data": [{"id": "test-model", "object": "model"}]},
                )
            else:
                self._send(404, {"error": {"message": "not found", "type": "not_found"}})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            if not self.path.rstrip("/").endswith("/chat/completions"):
                self._send(404, {"error": {"message": "not found", "type": "not_found"}})
                return
            headers = {k.lower(): v for k, v in self.headers.items()}
            limited = server._rate_limited()
            if limited is not None and limited.status == 429:
                server._record(body, headers)
                error = {"message": limited.content, "type": "rate_limit", "code": 429}
                self._send(429, {"error": error}, limited.headers)
                return
            item = server._next(body, headers)
            if limited is not None:  # held by the rate limiter's barrier, then answered as usual
                item = replace(item, delay_s=item.delay_s + limited.delay_s)
            with server._lock:
                server.in_flight += 1
                server.peak_in_flight = max(server.peak_in_flight, server.in_flight)
            try:
                self._answer(item, body)
            finally:
                with server._lock:
                    server.in_flight -= 1

        def _answer(self, item: Scripted, body: dict[str, Any]) -> None:
            if item.reset:
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            delay = item.delay_s + server.latency_s
            if delay:
                time.sleep(delay)
            if item.status != 200:
                error = {"message": item.content, "type": "scripted", "code": item.status}
                self._send(item.status, {"error": error}, item.headers)
                return
            self._send(200, _completion_body(item, body))

    return Handler


def well_behaved(body: dict[str, Any]) -> str:
    """A model that answers every generation request validly: a fact sentence (plain text)
    or a whole summary (JSON) restating the passages it may cite, or "yes, these conflict"
    for a conflict question, or "every claim supported" for a faithfulness judge's claim
    check."""
    schema = (body.get("response_format") or {}).get("schema") or {}
    if is_judge(body):
        return judge_answer(body)
    if is_sentence_request(body) or {"citations", "summary"} & set(schema.get("properties", {})):
        request = ChatRequest(
            messages=[Message(role=m["role"], content=m["content"]) for m in body["messages"]],
            json_schema=schema or None,
        )
        answer = cite_first(request)
        return str(answer["sentence"]) if not schema else json.dumps(answer)
    return json.dumps({"conflict": True, "topic": "the disputed question", "claims": []})


def is_sentence_request(body: dict[str, Any]) -> bool:
    """A request for one plain sentence from the passages shown (a fact sentence, a repair):
    no answer schema, passages in the user message."""
    users = [m["content"] for m in body["messages"] if m["role"] == "user"]
    return not body.get("response_format") and any("<passages>" in u for u in users)


def shown_ids(body: dict[str, Any]) -> list[str]:
    """The passage ids a request shows (``[id] (outlet) text`` lines; a re-ask repeats the
    first request's messages)."""
    first = next(m["content"] for m in body["messages"] if m["role"] == "user")
    return re.findall(r"^\[([^\]\s]+)\]", first, re.MULTILINE)


JUDGE_SCHEMA = "ClaimCheckAnswer"


def is_judge(body: dict[str, Any]) -> bool:
    """A faithfulness judge's claim check (the verifier's), not a generation request."""
    schema = (body.get("response_format") or {}).get("schema") or {}
    return bool(schema.get("title") == JUDGE_SCHEMA)


def judged_claim(body: dict[str, Any]) -> str:
    """The text a claim-check request asks about (between <summary> and </summary>)."""
    user = body["messages"][-1]["content"]
    return str(user.split("<summary>", 1)[1].split("</summary>", 1)[0].strip())


def judge_answer(body: dict[str, Any], verdict: str = "supported") -> str:
    """A claim check's answer: the claim asked about, with ``verdict``."""
    return json.dumps(
        {"claims": [{"claim": judged_claim(body), "verdict": verdict, "sentence": 0}]}
    )


def generation_requests(server: OpenAIServer) -> list[dict[str, Any]]:
    """The requests that generated (the summary, facts, conflicts), without the judge's."""
    return [r for r in server.requests if not is_judge(r)]


@contextmanager
def serve(default_content: str = "ok") -> Iterator[OpenAIServer]:
    """A started server, stopped on exit."""
    server = OpenAIServer(default_content=default_content).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def openai_server() -> Iterator[OpenAIServer]:
    """Use from a test module as ``@pytest.fixture`` wrapping ``serve()``, or register this
    module as a plugin (``pytest_plugins = ["tests.helpers.openai_server"]`` in the root conftest)."""
    with serve() as server:
        yield server
