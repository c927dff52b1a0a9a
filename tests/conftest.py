"""Shared fixtures. Tests never reach the network; the local-model tests are marked slow."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

from tests.helpers.builders import SEED_EVENT, SEED_GOLD, SHARED_DATA


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
