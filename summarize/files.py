"""Files on disk: the one atomic write every stage uses, and the packaged resource folders.

Every file this project writes (outputs, cache entries, eval results, the assembled model)
appears whole or not at all: written to a temporary file in the same folder, fsynced, then
renamed over the target. A crash, a kill or a parallel writer never leaves half a file.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

_PACKAGE = Path(__file__).resolve().parent


@contextmanager
def atomic_stream(path: Path, mode: int = 0o644) -> Iterator[BinaryIO]:
    """A binary file handle whose content replaces ``path`` only if the block ends without
    an exception (raise inside the block to discard what was written)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # The temporary name is chosen before the file is made, so the cleanup below knows it
    # even when Ctrl-C lands inside the creating call itself. Same folder as the target, so
    # os.replace is an atomic rename.
    tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
    try:
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # not ours: leave it, take another random name
            tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}.x.tmp"
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    # Make the rename itself durable: a marker written next must not outlive the file.
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` (text is UTF-8 encoded) to ``path`` atomically."""
    with atomic_stream(path) as handle:
        handle.write(data.encode("utf-8") if isinstance(data, str) else data)


def resource_dir(name: str) -> Path:
    """A folder shipped with the package: the wheel carries ``<name>/`` of the repository as
    ``summarize/_<name>`` (pyproject force-include); a source checkout reads ``<name>/``."""
    packaged = _PACKAGE / f"_{name}"
    if packaged.is_dir():
        return packaged
    return _PACKAGE.parent / name


def user_cache_dir() -> Path:
    """``$SUMMARIZE_CACHE_DIR``, else ``$XDG_CACHE_HOME/summarize``, else ``~/.cache/summarize``:
    the assembled model, server logs and the response cache live here."""
    explicit = os.environ.get("SUMMARIZE_CACHE_DIR")
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "summarize"
