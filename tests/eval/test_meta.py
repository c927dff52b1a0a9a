"""Metrics with known answers, the deterministic split, and meta_evaluate end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summarize.eval.items import FaithItem, read_items
from summarize.eval.meta import (
    SPLITS,
    DatasetSpec,
    MetaReport,
    balanced_accuracy,
    best_threshold,
    bootstrap_ci,
    default_datasets,
    fit_logistic,
    meta_evaluate,
    precise_signals,
    split_ids,
)
from summarize.verify.judges.offline import OfflineJudge


def test_balanced_accuracy_known_values() -> None:
    assert balanced_accuracy([1, 1, 0, 0], [1, 1, 0, 0]) == 1.0
    assert balanced_accuracy([1, 1, 0, 0], [0, 0, 1, 1]) == 0.0
    assert balanced_accuracy([1, 0, 0, 0], [1, 1, 1, 1]) == 0.5  # all-positive guess
    assert balanced_accuracy([1, 1, 1, 0], [1, 0, 1, 0]) == pytest.approx((2 / 3 + 1) / 2)
    assert balanced_accuracy([1, 1, 1], [1, 0, 1]) == pytest.approx(2 / 3)  # one class only
    with pytest.raises(ValueError):
        balanced_accuracy([], [])
    with pytest.raises(ValueError):
        balanced_accuracy([1], [1, 0])


def test_bootstrap_ci_deterministic_and_ordered() -> None:
    labels, preds = [1, 0] * 20, [1, 0] * 15 + [0, 1] * 5
    lo, hi = bootstrap_ci(labels, preds, n=300, seed=1)
    assert (lo, hi) == bootstrap_ci(labels, preds, n=300, seed=1)
    assert 0.0 <= lo <= balanced_accuracy(labels, preds) <= hi <= 1.0
    assert bootstrap_ci([1, 0], [1, 0], n=50) == (1.0, 1.0)
    with pytest.raises(ValueError):
        bootstrap_ci([], [])


def test_best_threshold() -> None:
    assert best_threshold([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1]) == 0.5
    t = best_threshold([0.6, 0.7, 0.8, 0.9], [0, 0, 1, 1])
    assert 0.7 < t <= 0.8


def test_precise_signals() -> None:
    fired = {"entities": (6, 0), "numbers": (10, 3), "quotes": (1, 0), "negation": (9, 1)}
    assert precise_signals(fired) == ["entities", "negation"]  # quotes: too rare to trust
    assert precise_signals(fired, min_precision=0.75) == ["entities", "numbers", "negation"]
    assert precise_signals({}) == []
    assert precise_signals({"never": (0, 0)}, min_fired=0) == []  # no firing, no precision


def test_fit_logistic_separates_and_rejects_one_class() -> None:
    weights, bias = fit_logistic([[0.0], [0.1], [0.9], [1.0]], [0, 0, 1, 1], l2=0.1)
    assert weights[0] > 0 and bias < 0
    with pytest.raises(ValueError):
        fit_logistic([[0.0], [1.0]], [1, 1])


def item(i: int, group: str) -> FaithItem:
    return FaithItem(id=f"i{i}", sources=["s"], summary="x", label=i % 2, meta={"g": group})


def test_split_by_group_is_deterministic_and_disjoint() -> None:
    items = [item(i, f"g{i % 4}") for i in range(20)]
    split = split_ids(items, "g", seed=7)
    assert split == split_ids(items, "g", seed=7)
    assert not set(split["dev"]) & set(split["test"])
    assert sorted(split["dev"] + split["test"]) == sorted(it.id for it in items)
    groups = {p: {it.meta["g"] for it in items if it.id in split[p]} for p in ("dev", "test")}
    assert not groups["dev"] & groups["test"]  # no article on both sides
    assert split_ids([], None) == {"dev": [], "test": []}


def test_recorded_splits_match_the_rule() -> None:
    recorded = json.loads(SPLITS.read_text(encoding="utf-8"))["datasets"]
    for spec in default_datasets():
        if spec.name in recorded:
            items, _ = read_items(Path(spec.path))
            computed = split_ids(items, spec.group_key)
            assert recorded[spec.name]["test"] == computed["test"]


def test_meta_evaluate_signals_mode(tmp_path: Path) -> None:
    rows = [
        {
            "id": "p",
            "sources": ["Putin met Hollande in Moscow."],
            "summary": "Putin met Hollande.",
            "label": 1,
        },
        {
            "id": "n",
            "sources": ["Putin met Hollande in Moscow."],
            "claim": "Merkel met Obama in Berlin.",
            "label": 0,
        },
    ]
    path = tmp_path / "toy.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    spec = DatasetSpec(name="toy", path=str(path), group_key=None)
    report = meta_evaluate(OfflineJudge(), [spec], split="all", n_boot=50, work_dir=tmp_path / "w")
    MetaReport.model_validate_json(report.model_dump_json())  # JSON round trip
    (toy,) = report.datasets
    assert toy.n == 2 and toy.balanced_accuracy == 1.0 and toy.seconds_per_item >= 0
    assert report.anchors["AlignScore"] == 0.705
    assert (tmp_path / "w" / "toy.all.preds.jsonl").is_file()


def test_meta_evaluate_vendored_test_split() -> None:
    """Signals-only mode on the vendored test splits: fast, and a floor against regressions."""
    report = meta_evaluate(OfflineJudge(), n_boot=200)
    by_name = {d.dataset: d for d in report.datasets}
    assert by_name["summedits_news"].n > 40 and by_name["summedits_news"].balanced_accuracy > 0.5
    assert all(d.ci95[0] <= d.balanced_accuracy <= d.ci95[1] for d in report.datasets)
