"""The judge's measured accuracy against human labels, recorded per judge in
``evals/judge-accuracy.json`` (``summarize eval --meta --record``), so that every figure a
judge scores is shown with what that judge is worth: ``summarize eval`` prints it beside
each judge-scored metric and writes it into ``results.json``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from pydantic import Field, ValidationError

from summarize.contract import Strict
from summarize.errors import InputError
from summarize.files import write_atomic

ACCURACY_FILE = "evals/judge-accuracy.json"  # relative to the data root, like suite paths
# The labelled set whose figure stands beside each judged metric: news summaries, as ours are.
PRIMARY = "summedits_news"


class DatasetAccuracy(Strict):
    """A judge's balanced accuracy on one labelled data set's split (``eval.meta``)."""

    dataset: str
    split: str
    n: int
    positives: int
    balanced_accuracy: float
    ci95: tuple[float, float]
    seconds_per_item: float


class JudgeAccuracy(Strict):
    """One judge's balanced accuracy on the test part of each labelled data set."""

    judge: str
    measured: str  # ISO date
    command: str
    datasets: list[DatasetAccuracy] = Field(default_factory=list)

    def primary(self) -> DatasetAccuracy | None:
        return next((d for d in self.datasets if d.dataset == PRIMARY), None)

    def line(self) -> str:
        parts = [
            f"{d.dataset} {d.split} BAcc {d.balanced_accuracy:.3f} "
            f"[{d.ci95[0]:.3f}, {d.ci95[1]:.3f}] n={d.n}"
            for d in self.datasets
        ]
        return f"{self.judge}, measured {self.measured} ({self.command}): " + "; ".join(parts)


def load_accuracy(path: Path) -> dict[str, JudgeAccuracy]:
    """Judge name -> its recorded accuracy; an absent file records nothing."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise InputError(f"cannot read the judge's recorded accuracy ({e})", path) from e
    try:
        return {name: JudgeAccuracy.model_validate(v) for name, v in data.items()}
    except (AttributeError, ValidationError) as e:
        raise InputError(f"not a judge-accuracy file ({e})", path) from e


def record_accuracy(
    path: Path, judge: str, datasets: list[DatasetAccuracy], command: str
) -> JudgeAccuracy:
    """Write the ``judge``'s measured accuracy as its entry of ``path`` (other judges'
    entries kept)."""
    entries = load_accuracy(path)
    entry = JudgeAccuracy(
        judge=judge, measured=dt.date.today().isoformat(), command=command, datasets=datasets
    )
    entries[judge] = entry
    body = {k: v.model_dump(mode="json") for k, v in sorted(entries.items())}
    write_atomic(path, json.dumps(body, indent=1, ensure_ascii=False) + "\n")
    return entry
