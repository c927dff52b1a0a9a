"""Shared fixtures. Tests never reach the network; the local-model tests are marked slow."""

from __future__ import annotations

import atexit
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest

from summarize.files import user_cache_dir
from tests.helpers.builders import SEED_EVENT, SEED_GOLD, SHARED_DATA

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")


_USER_MODELS = user_cache_dir() / "models"


def _cache_dir_in(folder: Path) -> Path:
    """A cache dir whose ``models/`` is the user's: the assembled model is shared, responses
    and logs are not."""
    _USER_MODELS.mkdir(parents=True, exist_ok=True)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "models").symlink_to(_USER_MODELS, target_is_directory=True)
    return folder


_SESSION_CACHE = _cache_dir_in(Path(tempfile.mkdtemp(prefix="summarize-tests-")))
os.environ["SUMMARIZE_CACHE_DIR"] = str(_SESSION_CACHE)
atexit.register(shutil.rmtree, _SESSION_CACHE, ignore_errors=True)


@pytest.fixture(autouse=True)
def isolated_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Each test (and every command it runs) gets its own response cache, so a cached answer
    from another test never replaces the request a test is about."""
    folder = _cache_dir_in(tmp_path_factory.mktemp("cache"))
    monkeypatch.setenv("SUMMARIZE_CACHE_DIR", str(folder))
    return folder


@pytest.fixture(scope="session")
def seed_event_dir() -> Path:
    return SEED_EVENT


@pytest.fixture(scope="session")
def seed_gold() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SEED_GOLD.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The development data beside the checkout (CI has it); skip where it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data not present")
    return SHARED_DATA
