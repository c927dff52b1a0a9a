"""Labelled faithfulness items (JSONL) and running a judge over them into a predictions file.

Item lines: ``{"id", "sources": [...], "summary" | "claim", "label"?, ...}``. Prediction lines:
``{"id", "score", "label", "explanation", "seconds"}``. The predictions file is written to a
temporary name and renamed, so an interrupted run never leaves a half file behind.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, model_validator

from summarize.contract import Strict
from summarize.errors import InputError, SummarizeError
from summarize.files import write_atomic
from summarize.verify.judges.verdict import Judge


class FaithItem(Strict):
    id: str
    sources: list[str]
    summary: str | None = None
    claim: str | None = None
    label: int | None = None
    source_dataset: str = ""
    notes: str = ""
    license: str = ""
    meta: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _one_text(self) -> FaithItem:
        if (self.summary is None) == (self.claim is None):
            raise ValueError("an item needs exactly one of 'summary' or 'claim'")
        return self

    @property
    def text(self) -> str:
        return self.summary if self.summary is not None else (self.claim or "")


class Prediction(Strict):
    id: str
    score: float
    label: int
    explanation: str = ""
    seconds: float = 0.0


class JudgeRun(Strict):
    items_path: str
    out_path: str
    judged: int
    errors: list[str] = Field(default_factory=list)  # "line N: why" for each skipped line
    seconds_total: float
    seconds_per_item: float
    judge: dict[str, Any]


def read_items(path: Path) -> tuple[list[FaithItem], list[str]]:
    """Valid items and one error string per bad line (bad lines are skipped, not fatal)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"cannot read items: {e}", path) from e
    items: list[FaithItem] = []
    errors: list[str] = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            items.append(FaithItem.model_validate_json(line))
        except ValidationError as e:
            first = e.errors(include_url=False)[0]
            where = ".".join(str(p) for p in first["loc"])
            errors.append(f"line {n}: {where + ': ' if where else ''}{first['msg']}")
    return items, errors


def read_predictions(path: Path) -> dict[str, Prediction]:
    out: dict[str, Prediction] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            p = Prediction.model_validate_json(line)
            out[p.id] = p
    return out


def judge_items(items_path: Path, out_path: Path, judge: Judge) -> JudgeRun:
    """Judge every item of ``items_path`` into ``out_path``; per-item time is recorded. A bad
    line, or an item the judge fails on (e.g. a model error), is reported and skipped."""
    items, errors = read_items(items_path)
    rows: list[str] = []
    total = 0.0
    for item in items:
        start = time.perf_counter()
        try:
            verdict = judge.judge(item.text, item.sources)
        except SummarizeError as e:
            errors.append(f"{item.id}: {e}")
            continue
        seconds = time.perf_counter() - start
        total += seconds
        pred = Prediction(
            id=item.id,
            score=verdict.score,
            label=verdict.label,
            explanation=verdict.explanation,
            seconds=round(seconds, 4),
        )
        rows.append(json.dumps(pred.model_dump(), ensure_ascii=False))
    if not rows:
        # A judge that judged nothing is an error, never an empty predictions file.
        if not items:
            raise InputError(
                "no valid item to judge" + (f" ({errors[0]})" if errors else ""), items_path
            )
        raise SummarizeError(
            f"{judge.name} judged none of {len(items)} items; first error: {errors[-1]}"
        )
    write_atomic(out_path, "".join(row + "\n" for row in rows))
    return JudgeRun(
        items_path=str(items_path),
        out_path=str(out_path),
        judged=len(rows),
        errors=errors,
        seconds_total=round(total, 3),
        seconds_per_item=round(total / len(rows), 4) if rows else 0.0,
        judge=judge.describe(),
    )
