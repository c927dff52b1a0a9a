"""The hand-made gold annotation of an event (``*.gold.json``) and holder-name matching.

Gold files are development data: metrics read them at run time; nothing from them is ever
written into library code. Holders are matched with ``summarize.text.holders``, the same
matcher the pipeline uses.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

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
    quote: str | None = None  # verbatim from the article text (or title, for framing)


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
    # Tempting pairs that are NOT disagreements, with why (exhaustive annotations only).
    not_disagreements: list[str] = Field(default_factory=list)


def _from_cluster_row(row: dict[str, Any]) -> Gold:
    """One line of a cluster annotation file (``dev.gold.jsonl``, ``data/ANNOTATION.md``):
    articles are listed under ``articles``, where the event gold file says ``docs``."""

    def docs(item: dict[str, Any]) -> dict[str, Any]:
        out = {k: v for k, v in item.items() if k != "articles"}
        return out | {"docs": item.get("articles", [])}

    return Gold(
        event=str(row["id"]),
        note=row.get("notes") or None,
        key_facts=[KeyFact.model_validate(docs(f)) for f in row.get("key_facts", [])],
        disagreements=[
            GoldDisagreement.model_validate(
                {**d, "positions": [docs(p) for p in d.get("positions", [])]}
            )
            for d in row.get("disagreements", [])
        ],
        not_disagreements=list(row.get("not_disagreements", [])),
    )


def load_gold_file(path: Path) -> dict[str, Gold] | Gold:
    """A ``.jsonl`` of per-cluster annotations (event id -> gold), or one event's gold."""
    if path.suffix == ".jsonl":
        rows = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
        return {str(r["id"]): _from_cluster_row(r) for r in rows}
    return load_gold(path)


def load_gold(path: Path) -> Gold:
    return Gold.model_validate(json.loads(path.read_text(encoding="utf-8")))
