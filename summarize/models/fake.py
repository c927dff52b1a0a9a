"""``FakeClient``: a scripted ``ChatClient`` for tests and offline demos (``fake:<script>``).

A script is JSON, either packaged as ``summarize/fake_scripts/<name>.json`` (``fake:<name>``)
or any file (``fake:/path/to/script.json``; a spec containing ``/`` or ending ``.json`` is a
path)::

    {
      "responses": {
        "fact_sentence":  ["first answer", "second answer"],
        "conflict_judge": [{"verdict": "conflict"}]
      },
      "default": ["answer for any other prompt"]
    }

- Requests are matched on ``ChatRequest.prompt_name``. Each prompt's responses are served in
  order; the last one then repeats. ``default`` serves every prompt not listed in
  ``responses`` (same order-then-repeat rule). A prompt with neither raises a permanent
  ``AdapterError`` naming the prompt, so a missing script entry is obvious in a test.
- A response is a string (sent verbatim) or any other JSON value (sent serialised).
- The string ``"$ECHO"`` answers with the last user message (for plumbing tests).
- The string ``"$CITE_FIRST"`` answers a sentence request validly with the text of the first
  passage it shows (plain text, as the stepwise writer asks; JSON citing that passage's id
  when the request carries a schema: a whole-event summary, a merge) (``fake:cite-first``).
- ``"latency_s": 0.2`` makes every answer take that long (``fake:latency-200ms``).
- Usage counts whitespace-separated words as tokens (prompt: all messages). Cost is 0.
- When ``top_logprobs > 0`` each word of the answer is a token with logprob 0 (certain), so
  a judge reading p("Yes") sees 1.0 for "Yes" and 0.0 otherwise.

To add a script, drop a ``.json`` file into ``summarize/fake_scripts/``: nothing to register.
Every request is recorded in ``.requests`` for assertions.
"""

from __future__ import annotations

import json
import re
import threading
import time
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError

from summarize.contract import Strict, Usage
from summarize.errors import AdapterError, ConfigError
from summarize.models.chat import ChatClient, ChatRequest, ChatResponse, TokenLogprobs
from summarize.models.provider import Availability, ModelOptions

ECHO = "$ECHO"
CITE_FIRST = "$CITE_FIRST"
_MARKUP = re.compile(r"<[^>]*>|^[\s\]\)>:]+|^\([^)]*\)\s*")
_SHOWN_ID = re.compile(r"^\[([^\]\s]+)\]", re.MULTILINE)
_PACKAGE = "summarize.models"
_SCRIPTS = "fake_scripts"


class FakeScript(Strict):
    responses: dict[str, list[Any]] = Field(default_factory=dict)
    default: list[Any] = Field(default_factory=list)
    # Seconds each answer takes, as a model server's would: to measure the pipeline's own
    # overhead and concurrency against a known model latency.
    latency_s: float = Field(default=0.0, ge=0.0)


def available_scripts() -> list[str]:
    """Names of the packaged scripts (usable as ``fake:<name>``)."""
    folder = resources.files(_PACKAGE).joinpath(_SCRIPTS)
    return sorted(
        entry.name.removesuffix(".json")
        for entry in folder.iterdir()
        if entry.name.endswith(".json")
    )


def load_script(spec: str) -> FakeScript:
    """Load ``spec``: a packaged script name or a path to a JSON script file."""
    spec = spec.removeprefix("fake:")
    if not spec:
        raise ConfigError(f"fake: needs a script name; packaged: {', '.join(available_scripts())}")
    is_path = "/" in spec or "\\" in spec or spec.endswith(".json")
    try:
        if is_path:
            text = Path(spec).read_text(encoding="utf-8")
        else:
            entry = resources.files(_PACKAGE).joinpath(_SCRIPTS, f"{spec}.json")
            if not entry.is_file():
                known = ", ".join(available_scripts())
                raise ConfigError(f"unknown fake script {spec!r}; packaged: {known}")
            text = entry.read_text(encoding="utf-8")
    except OSError as e:
        raise ConfigError(f"fake script {spec!r} cannot be read: {e}") from e
    try:
        return FakeScript.model_validate_json(text)
    except ValidationError as e:
        first = e.errors(include_url=False)[0]
        raise ConfigError(f"fake script {spec!r} is invalid: {first['msg']}") from e


class FakeClient:
    """Serves scripted answers; see the module docstring for the script format."""

    def __init__(self, spec: str, *, script: FakeScript | None = None) -> None:
        spec = spec.removeprefix("fake:")
        self.name = "fake:" + spec
        self.script = script if script is not None else load_script(spec)
        self.requests: list[ChatRequest] = []
        self._served: dict[str, int] = {}
        # Pipelines may fan calls out to threads; the order counters must stay consistent.
        self._lock = threading.Lock()

    @classmethod
    def from_script(cls, script: FakeScript | dict[str, Any], name: str = "inline") -> FakeClient:
        """Build from an in-memory script (tests)."""
        parsed = script if isinstance(script, FakeScript) else FakeScript.model_validate(script)
        return cls(name, script=parsed)

    def complete(self, request: ChatRequest) -> ChatResponse:
        if self.script.latency_s:
            time.sleep(self.script.latency_s)
        with self._lock:
            self.requests.append(request)
            key = request.prompt_name
            listed = key in self.script.responses
            queue = self.script.responses[key] if listed else self.script.default
            counter = key if listed else "\0default"
            if not queue:
                raise AdapterError(
                    f"script has no response for prompt {key!r} and no default",
                    adapter=self.name,
                )
            index = self._served.get(counter, 0)
            self._served[counter] = index + 1
            answer = queue[min(index, len(queue) - 1)]
        text = _render(answer, request)
        return ChatResponse(
            text=text,
            usage=Usage(
                calls=1,
                prompt_tokens=sum(_words(m.content) for m in request.messages),
                completion_tokens=_words(text),
            ),
            cost_usd=0.0,
            model=self.name,
            logprobs=_certain_logprobs(text) if request.top_logprobs > 0 else None,
        )


def _render(answer: Any, request: ChatRequest) -> str:
    if answer == ECHO:
        users = [m.content for m in request.messages if m.role == "user"]
        return users[-1] if users else ""
    if answer == CITE_FIRST:
        first = cite_first(request)
        if request.json_schema is None:  # a plain-text sentence request
            return str(first.get("sentence", ""))
        return json.dumps(first, ensure_ascii=False)
    if isinstance(answer, str):
        return answer
    return json.dumps(answer, ensure_ascii=False)


def cite_first(request: ChatRequest) -> dict[str, Any]:
    """A valid answer built from the prompt itself: for a sentence request, the first passage
    id the schema allows (without a schema: the first shown, ``[id] (outlet) text``) and what
    that passage says; for a whole-event summary (or a merge), one such sentence for each of
    the first three ids, and no disagreement. Valid for the schema and supported by its
    citations."""
    schema = request.json_schema or {}
    users = [m.content for m in request.messages if m.role == "user"]
    ids = _citable(schema) or [i for u in users for i in _SHOWN_ID.findall(u)]
    lines = [ln for u in users for ln in u.splitlines()]

    def sentence(pid: str) -> dict[str, Any]:
        line = next((ln for ln in lines if pid in ln), "")
        after = line.partition(pid)[2]
        # "[id] (outlet) text" puts the text after the id; "text [id, ...]" before it.
        text = after if _MARKUP.sub("", after.strip()).strip() else line.split("[", 1)[0]
        previous = None
        while text != previous:  # peel brackets, tags and an "(outlet)" off both ends
            previous, text = text, _MARKUP.sub("", text.strip()).strip()
        return {"sentence": text, "citations": [pid]}

    if "summary" not in schema.get("properties", {}):
        return sentence(ids[0]) if ids else {"sentence": "", "citations": []}
    answer: dict[str, Any] = {"summary": [sentence(pid) for pid in ids[:3]]}
    if "disagreements" in schema["properties"]:
        answer["disagreements"] = []
    return answer


def _citable(schema: Any) -> list[str]:
    """The passage ids a schema's ``citations`` field allows (wherever it is defined)."""
    if isinstance(schema, dict):
        cites = schema.get("properties", {}).get("citations") if "properties" in schema else None
        if isinstance(cites, dict):
            items = cites.get("items", {})
            if isinstance(items.get("enum"), list):
                return [str(v) for v in items["enum"]]
            if "const" in items:
                return [str(items["const"])]
        for value in schema.values():
            if found := _citable(value):
                return found
    if isinstance(schema, list):
        for value in schema:
            if found := _citable(value):
                return found
    return []


def _words(text: str) -> int:
    return len(text.split())


def _certain_logprobs(text: str) -> list[TokenLogprobs]:
    return [TokenLogprobs(token=w, logprob=0.0, top={w: 0.0}) for w in text.split()]


class FakeProvider:
    def client(self, rest: str, options: ModelOptions) -> ChatClient:
        return FakeClient(rest)

    def availability(self) -> list[Availability]:
        scripts = ", ".join(available_scripts())
        return [
            Availability(
                name="fake:<script>", kind="fake", ready=True, detail=f"for tests: {scripts}"
            )
        ]


PROVIDER = FakeProvider()
