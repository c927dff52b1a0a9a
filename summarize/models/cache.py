"""``CachingClient``: a disk cache in front of any ``ChatClient``, so a re-run (or a run
resumed after a kill) over the same inputs costs no model calls already paid for.

Key: sha256 of the inner client's name and the full request JSON (messages, prompt name,
schema, temperature, seed, max_tokens, top_logprobs) plus a format version. Entries are one
JSON file each (``<dir>/<key[:2]>/<key>.json``), written atomically (temp file in the same
folder, then ``os.replace``) so a crash or a parallel writer never leaves half a file; an
unreadable or corrupt entry is treated as a miss and overwritten.

Usage accounting: a hit reports ``Usage(cache_hits=1)`` (calls=0, tokens=0) and
``cost_usd=0.0``, because ``usage`` records what THIS run spent, and a hit spends nothing.
The original usage stays in the cache file; ``hits`` / ``misses`` count what the cache did.
Errors are never cached.

``AnswerPack`` is a second place to look: one file of answers, for a set small enough to
commit and replay elsewhere (the eval's judge answers in CI).
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from pathlib import Path

from pydantic import ValidationError

from summarize.contract import Usage
from summarize.files import write_atomic
from summarize.models.chat import ChatClient, ChatRequest, ChatResponse

# Bump when the key material or the stored format changes, to orphan old entries.
CACHE_FORMAT = 1

log = logging.getLogger(__name__)


class AnswerPack:
    """Answers by request key in one JSON Lines file (``{"key", "response"}`` a line), read
    whole and looked up in memory: a set of answers small enough to commit, so that a run on
    another machine replays them (the eval's judge answers for the CI gate). Every key asked
    is remembered; ``save`` writes back exactly the answers this run asked for, so the file
    holds no answer nothing asks any more."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.entries: dict[str, ChatResponse] = {}
        self.used: set[str] = set()
        self._lock = threading.Lock()
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            lines = []
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
                self.entries[str(entry["key"])] = ChatResponse.model_validate(entry["response"])
            except (ValueError, KeyError, TypeError, ValidationError) as e:
                log.warning("%s:%d: unreadable answer, asked again: %s", self.path, number, e)

    def get(self, key: str) -> ChatResponse | None:
        with self._lock:
            self.used.add(key)
            return self.entries.get(key)

    def put(self, key: str, response: ChatResponse) -> None:
        with self._lock:
            self.used.add(key)
            self.entries[key] = response

    def save(self, prune: bool = True) -> int:
        """Write the answers this run asked for (``prune``) or every answer known (sorted by
        key: a stable diff); return how many."""
        with self._lock:
            keys = sorted(k for k in self.entries if not prune or k in self.used)
            lines = [
                json.dumps(
                    {"key": k, "response": self.entries[k].model_dump(mode="json")},
                    ensure_ascii=False,
                    sort_keys=True,
                )
                for k in keys
            ]
        write_atomic(self.path, "".join(line + "\n" for line in lines))
        return len(lines)


class CachingClient:
    """Wraps ``inner``; ``name`` is the inner name so outputs name the real model. Answers
    are looked up in ``pack`` first (when given), then in ``directory`` (when given), and a
    model's answer is stored in both."""

    def __init__(
        self, inner: ChatClient, directory: Path | None = None, pack: AnswerPack | None = None
    ) -> None:
        self.inner = inner
        self.name = inner.name
        self.directory = Path(directory) if directory is not None else None
        self.pack = pack
        self.hits = 0
        self.misses = 0
        self._lock = threading.Lock()

    def key(self, request: ChatRequest) -> str:
        material = {
            "format": CACHE_FORMAT,
            "client": self.inner.name,
            "request": request.model_dump(mode="json"),
        }
        blob = json.dumps(material, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def path_for(self, request: ChatRequest) -> Path | None:
        return self._path(self.key(request))

    def _path(self, key: str) -> Path | None:
        return self.directory / key[:2] / f"{key}.json" if self.directory is not None else None

    def complete(self, request: ChatRequest) -> ChatResponse:
        key = self.key(request)
        path = self._path(key)
        cached = self.pack.get(key) if self.pack is not None else None
        if cached is None and path is not None:
            cached = _read(path)
            if cached is not None and self.pack is not None:
                self.pack.put(key, cached)
        if cached is not None:
            with self._lock:
                self.hits += 1
            return cached.model_copy(update={"usage": Usage(cache_hits=1), "cost_usd": 0.0})
        response = self.inner.complete(request)
        with self._lock:
            self.misses += 1
        if self.pack is not None:
            self.pack.put(key, response)
        if path is not None:
            try:
                write_atomic(path, response.model_dump_json())
            except OSError as e:  # a full or read-only disk must not lose a paid-for answer
                log.warning("cache write failed for %s: %s", path, e)
        return response


def _read(path: Path) -> ChatResponse | None:
    try:
        return ChatResponse.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, ValueError, ValidationError):
        # Corrupt or truncated (e.g. written by an older version): recompute and overwrite.
        return None
