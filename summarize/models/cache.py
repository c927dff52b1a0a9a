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


class CachingClient:
    """Wraps ``inner``; ``name`` is the inner name so outputs name the real model."""

    def __init__(self, inner: ChatClient, directory: Path) -> None:
        self.inner = inner
        self.name = inner.name
        self.directory = Path(directory)
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

    def path_for(self, request: ChatRequest) -> Path:
        key = self.key(request)
        return self.directory / key[:2] / f"{key}.json"

    def complete(self, request: ChatRequest) -> ChatResponse:
        path = self.path_for(request)
        cached = _read(path)
        if cached is not None:
            with self._lock:
                self.hits += 1
            return cached.model_copy(update={"usage": Usage(cache_hits=1), "cost_usd": 0.0})
        response = self.inner.complete(request)
        with self._lock:
            self.misses += 1
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
