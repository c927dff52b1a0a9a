"""The hand-made gold annotation of an event (``*.gold.json``) and holder-name matching.

Gold files are development data: metrics read them at run time; nothing from them is ever
written into library code. Holders are matched with ``summarize.text.holders``, the same
matcher the pipeline uses.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import Field

from summarize.contract import DisagreementKind, Strict


class GoldDocument(Strict):
    outlet: str | None = None
    has_boilerplate: bool = False
    near_duplicate_of: str | None = None


class KeyFact(Strict):
    id: str
    fact: str
    docs: list[str] = Field(default_factory=list)


class GoldPosition(Strict):
    holder: str  # alternatives separated by "/", e.g. "Hollande / France"
    claim: str
    docs: list[str] = Field(default_factory=list)


class GoldDisagreement(Strict):
    id: str
    kind: DisagreementKind
    topic: str
    positions: list[GoldPosition] = Field(min_length=2)


class Gold(Strict):
    event: str
    date: str | None = None
    note: str | None = None
    documents: dict[str, GoldDocument] = Field(default_factory=dict)
    boilerplate_must_not_appear: list[str] = Field(default_factory=list)
    key_facts: list[KeyFact] = Field(default_factory=list)
    disagreements: list[GoldDisagreement] = Field(default_factory=list)
    framing_notes: list[str] = Field(default_factory=list)


def load_gold(path: Path) -> Gold:
    return Gold.model_validate(json.loads(path.read_text(encoding="utf-8")))
