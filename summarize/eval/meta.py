"""Meta-evaluation: how well a faithfulness judge agrees with human labels.

Balanced accuracy (the LLM-AggreFact metric) with a percentile bootstrap interval, on the TEST
part of each labelled set. Splits are by article where items share one (SummEdits
``meta.doc_group``, FaithBench ``meta.source_group``) so the judge is never tested on an article
it was calibrated on; deterministic for a fixed seed.

The vendored sets and ``splits.json`` are read from ``evals/data`` (packaged in the wheel as
``summarize/_evals/data``); FaithBench, not vendored, from ``../shared`` beside the data root
(a checkout), and skipped with a warning when it is not there.
"""

from __future__ import annotations

import itertools
import json
import logging
import math
import random
import statistics
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import Field

from summarize.contract import Strict
from summarize.eval.accuracy import DatasetAccuracy
from summarize.eval.items import FaithItem, judge_items, read_items, read_predictions
from summarize.eval.suite import checkout_root, evals_dir
from summarize.files import write_atomic
from summarize.verify.judges.verdict import Judge

log = logging.getLogger(__name__)

DATA = evals_dir() / "data"
SPLITS = DATA / "splits.json"
# Relative to the data root (a checkout): CC BY-NC-SA, so read from beside it, never vendored.
FAITHBENCH = Path("..") / "shared" / "data" / "faithfulness" / "faithbench.jsonl"
SPLIT_SEED = 20240611
TEST_FRACTION = 0.5
# LLM-AggreFact balanced accuracy (Tang et al., 2024), for context only: a different, larger
# benchmark than these small development sets.
ANCHORS = {
    "SummaC-ZS": 0.677,
    "AlignScore": 0.705,
    "MiniCheck-FT5": 0.750,
    "best (~GPT-4 class)": 0.77,
}


class DatasetSpec(Strict):
    name: str
    path: str
    group_key: str | None  # a meta key grouping items by article; None splits by item


def find_datasets(data_root: Path | None = None) -> tuple[list[DatasetSpec], list[str]]:
    """Vendored SummEdits news and WiCE; FaithBench (CC BY-NC-SA, not vendored) when it is
    beside the data root (default: the checkout, if any). Also returns why a set was skipped
    (each logged as a warning)."""
    specs = [
        DatasetSpec(
            name="summedits_news", path=str(DATA / "summedits_news.jsonl"), group_key="doc_group"
        ),
        DatasetSpec(name="wice", path=str(DATA / "wice_claims.jsonl"), group_key=None),
    ]
    root = checkout_root() if data_root is None else data_root
    skipped: list[str] = []
    if root is not None and (root / FAITHBENCH).is_file():
        specs.append(
            DatasetSpec(name="faithbench", path=str(root / FAITHBENCH), group_key="source_group")
        )
    else:
        where = f"no {root / FAITHBENCH}" if root is not None else "no checkout to read it from"
        skipped.append(
            f"faithbench skipped: {where} (not vendored: CC BY-NC-SA; it is read from "
            f"{FAITHBENCH.as_posix()} beside a checkout)"
        )
    for note in skipped:
        log.warning("%s", note)
    return specs, skipped


def default_datasets(data_root: Path | None = None) -> list[DatasetSpec]:
    """The labelled sets ``find_datasets`` finds, without the notes."""
    return find_datasets(data_root)[0]


def balanced_accuracy(labels: Sequence[int], preds: Sequence[int]) -> float:
    """Mean recall over the classes present in ``labels`` (with one class present this is that
    class's recall, as scikit-learn does). Raises on empty or mismatched input."""
    if len(labels) != len(preds):
        raise ValueError("labels and predictions differ in length")
    if not labels:
        raise ValueError("balanced accuracy of no items is undefined")
    recalls = []
    for cls in sorted(set(labels)):
        idx = [i for i, y in enumerate(labels) if y == cls]
        recalls.append(sum(preds[i] == cls for i in idx) / len(idx))
    return sum(recalls) / len(recalls)


def bootstrap_ci(
    labels: Sequence[int], preds: Sequence[int], n: int = 1000, seed: int = 0, level: float = 0.95
) -> tuple[float, float]:
    """Percentile interval of balanced accuracy over ``n`` item resamples (fixed seed)."""
    if not labels:
        raise ValueError("no items to resample")
    rng = random.Random(seed)
    size = len(labels)
    values = []
    for _ in range(n):
        idx = [rng.randrange(size) for _ in range(size)]
        values.append(balanced_accuracy([labels[i] for i in idx], [preds[i] for i in idx]))
    values.sort()
    lo = values[math.floor((1 - level) / 2 * (n - 1))]
    hi = values[math.ceil((1 + level) / 2 * (n - 1))]
    return lo, hi


def best_threshold(scores: Sequence[float], labels: Sequence[int]) -> float:
    """The cut (midpoint between neighbouring scores) maximising balanced accuracy; ties go
    to the cut nearest 0.5 so an uninformative fit keeps the natural threshold."""
    cuts = sorted(set(scores))
    candidates = [0.5] + [(a + b) / 2 for a, b in itertools.pairwise(cuts)]

    def bacc(t: float) -> float:
        return balanced_accuracy(labels, [int(s >= t) for s in scores])

    return max(candidates, key=lambda t: (round(bacc(t), 9), -abs(t - 0.5)))


def precise_signals(
    fired: Mapping[str, Sequence[int]], min_precision: float = 0.9, min_fired: int = 5
) -> list[str]:
    """The signals fit to veto a claim: ``fired[name]`` = (times it fired on unfaithful items,
    times on faithful ones); kept when it fired at least ``min_fired`` times with precision
    (share unfaithful) at least ``min_precision``. Order follows ``fired``."""
    return [
        name
        for name, (bad, good) in fired.items()
        if bad + good >= max(min_fired, 1) and bad / (bad + good) >= min_precision
    ]


def fit_logistic(
    rows: Sequence[Sequence[float]], labels: Sequence[int], l2: float = 1.0, iters: int = 50
) -> tuple[list[float], float]:
    """Class-balanced, L2-regularised logistic regression by Newton steps (few features, few
    items: pure Python is enough and keeps numpy out of the runtime)."""
    if not rows or len(set(labels)) < 2:
        raise ValueError("need items of both classes to fit")
    d = len(rows[0])
    n_pos = sum(labels)
    weight = {1: len(labels) / (2 * n_pos), 0: len(labels) / (2 * (len(labels) - n_pos))}
    beta = [0.0] * (d + 1)  # bias last; not penalised
    xs = [[*r, 1.0] for r in rows]
    for _ in range(iters):
        grad = [l2 * b for b in beta[:d]] + [0.0]
        hess = [[(l2 if i == j and i < d else 0.0) for j in range(d + 1)] for i in range(d + 1)]
        for x, y in zip(xs, labels, strict=True):
            z = sum(b * v for b, v in zip(beta, x, strict=True))
            p = 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))
            w = weight[y]
            for i in range(d + 1):
                grad[i] += w * (p - y) * x[i]
                for j in range(d + 1):
                    hess[i][j] += w * p * (1 - p) * x[i] * x[j]
        step = _solve(hess, grad)
        beta = [b - s for b, s in zip(beta, step, strict=True)]
        if max(abs(s) for s in step) < 1e-8:
            break
    return beta[:d], beta[d]


def _solve(a: list[list[float]], b: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (the Hessian is small and positive definite)."""
    n = len(b)
    m = [[*row, v] for row, v in zip(a, b, strict=True)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[p] = m[p], m[c]
        if abs(m[c][c]) < 1e-12:
            continue
        for r in range(n):
            if r != c:
                f = m[r][c] / m[c][c]
                m[r] = [x - f * y for x, y in zip(m[r], m[c], strict=True)]
    return [m[i][n] / m[i][i] if abs(m[i][i]) > 1e-12 else 0.0 for i in range(n)]


def split_ids(
    items: Sequence[FaithItem],
    group_key: str | None,
    seed: int = SPLIT_SEED,
    test_fraction: float = TEST_FRACTION,
) -> dict[str, list[str]]:
    """Deterministic dev/test split by group (or by item): groups are sorted, shuffled with
    ``seed`` and moved to test until it holds ``test_fraction`` of the items."""
    key: Callable[[FaithItem], str] = (
        (lambda it: str(it.meta.get(group_key, it.id))) if group_key else (lambda it: it.id)
    )
    groups = sorted({key(it) for it in items})
    random.Random(seed).shuffle(groups)
    test_groups: set[str] = set()
    count = 0
    for g in groups:
        if count >= test_fraction * len(items):
            break
        test_groups.add(g)
        count += sum(key(it) == g for it in items)
    return {
        "dev": sorted(it.id for it in items if key(it) not in test_groups),
        "test": sorted(it.id for it in items if key(it) in test_groups),
    }


def load_split(
    name: str, items: Sequence[FaithItem], group_key: str | None
) -> dict[str, list[str]]:
    """The recorded split from ``evals/data/splits.json`` when it names this set, else computed."""
    if SPLITS.is_file():
        recorded: dict[str, Any] = json.loads(SPLITS.read_text(encoding="utf-8"))["datasets"]
        if name in recorded:
            return {"dev": recorded[name]["dev"], "test": recorded[name]["test"]}
    return split_ids(items, group_key)


class DatasetReport(DatasetAccuracy):
    errors: list[str] = Field(default_factory=list)


class MetaReport(Strict):
    judge: dict[str, Any]
    bootstrap: dict[str, int]
    datasets: list[DatasetReport]
    anchors: dict[str, float] = Field(default_factory=lambda: dict(ANCHORS))
    notes: list[str] = Field(default_factory=list)  # e.g. a data set skipped as absent


def score_predictions(
    name: str, items: Sequence[FaithItem], preds_path: Path, split: str, n_boot: int, seed: int
) -> DatasetReport:
    preds = read_predictions(preds_path)
    labelled = [it for it in items if it.label is not None and it.id in preds]
    labels = [int(it.label or 0) for it in labelled]
    guesses = [preds[it.id].label for it in labelled]
    seconds = [preds[it.id].seconds for it in labelled]
    missing = [f"{it.id}: no prediction" for it in items if it.id not in preds]
    if not labelled:
        raise ValueError(f"{name}: no labelled item has a prediction")
    return DatasetReport(
        dataset=name,
        split=split,
        n=len(labelled),
        positives=sum(labels),
        balanced_accuracy=round(balanced_accuracy(labels, guesses), 4),
        ci95=tuple(round(v, 4) for v in bootstrap_ci(labels, guesses, n_boot, seed)),  # type: ignore[arg-type]
        seconds_per_item=round(statistics.fmean(seconds), 4),
        errors=missing,
    )


def meta_evaluate(
    judge: Judge,
    datasets: Sequence[DatasetSpec] | None = None,
    *,
    split: str = "test",
    n_boot: int = 1000,
    seed: int = 0,
    work_dir: Path | None = None,
    data_root: Path | None = None,
) -> MetaReport:
    """Run ``judge`` on the ``split`` part of each data set (default: ``find_datasets`` under
    ``data_root``) and score it against the labels. Predictions land in ``work_dir``
    (``<dataset>.<split>.preds.jsonl``) when given."""
    notes: list[str] = []
    if datasets is None:
        datasets, notes = find_datasets(data_root)
    reports = []
    with tempfile.TemporaryDirectory() as tmp:
        out_dir = work_dir or Path(tmp)
        for spec in datasets:
            items, bad = read_items(Path(spec.path))
            keep = (
                set(load_split(spec.name, items, spec.group_key)[split]) if split != "all" else None
            )
            chosen = [it for it in items if keep is None or it.id in keep]
            subset = out_dir / f"{spec.name}.{split}.items.jsonl"
            write_atomic(subset, "".join(it.model_dump_json() + "\n" for it in chosen))
            preds = out_dir / f"{spec.name}.{split}.preds.jsonl"
            run = judge_items(subset, preds, judge)
            report = score_predictions(spec.name, chosen, preds, split, n_boot, seed)
            report.errors = bad + run.errors + report.errors
            reports.append(report)
    return MetaReport(
        judge=judge.describe(),
        bootstrap={"resamples": n_boot, "seed": seed},
        datasets=reports,
        notes=notes,
    )
