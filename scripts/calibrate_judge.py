"""Fit the offline judge's combination on the DEV split of SummEdits news; write
``summarize/verify/judges/calibration.json`` (with the data, split and seed it was fitted on) and
``evals/data/splits.json`` (the dev/test split of every labelled set).

    python scripts/calibrate_judge.py                       # signals-only mode (seconds)
    python scripts/calibrate_judge.py --api-base http://127.0.0.1:PORT/v1   # + model mode

Without ``--api-base`` the model mode already in calibration.json is kept unchanged.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from summarize.eval.items import read_items  # noqa: E402
from summarize.eval.meta import (  # noqa: E402
    SPLIT_SEED,
    SPLITS,
    TEST_FRACTION,
    balanced_accuracy,
    best_threshold,
    default_datasets,
    fit_logistic,
    precise_signals,
    split_ids,
)
from summarize.models.cache import CachingClient  # noqa: E402
from summarize.models.prompt import load_prompt  # noqa: E402
from summarize.verify.judges.features import SIGNAL_FEATURES, features  # noqa: E402
from summarize.verify.judges.offline import CALIBRATION, Calibration, ModeParams  # noqa: E402

FIT_ON = "summedits_news"


def write_splits() -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for spec in default_datasets():
        items, _ = read_items(Path(spec.path))
        out[spec.name] = split_ids(items, spec.group_key) | {"by": spec.group_key or "item"}
    record = {"seed": SPLIT_SEED, "test_fraction": TEST_FRACTION, "datasets": out}
    SPLITS.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    return out


# Monotone prior: more support never lowers the score, a detected conflict never raises it.
# A feature whose fitted weight has the wrong sign is dropped and the rest refitted, so a
# quirk of the small dev set (e.g. paraphrased consistent items) cannot invert a signal.
POSITIVE = {"coverage", "window_coverage", "model_logit"}


def fit(
    rows: list[dict[str, float]], labels: list[int], names: tuple[str, ...], l2: float
) -> ModeParams:
    active = list(names)
    while True:
        x_active = [[r[f] for f in active] for r in rows]
        w_active, bias = fit_logistic(x_active, labels, l2=l2)
        wrong = [
            (abs(w), f)
            for f, w in zip(active, w_active, strict=True)
            if (w < 0) == (f in POSITIVE) and w != 0
        ]
        if not wrong or len(active) == 1:
            break
        active.remove(max(wrong)[1])
    fitted = dict(zip(active, w_active, strict=True))
    weights = [fitted.get(f, 0.0) for f in names]
    x = [[r[f] for f in names] for r in rows]
    scores = [
        1 / (1 + 2.718281828459045 ** -(bias + sum(w * v for w, v in zip(weights, r, strict=True))))
        for r in x
    ]
    threshold = best_threshold(scores, labels)
    bacc = balanced_accuracy(labels, [int(s >= threshold) for s in scores])
    return ModeParams(
        features=list(names),
        weights=[round(w, 5) for w in weights],
        bias=round(bias, 5),
        threshold=round(threshold, 5),
        dev_bacc=round(bacc, 4),
    )


EXACT = ("numbers_missing", "entities_missing", "quotes_missing", "negation_flip")
CANDIDATES: dict[str, tuple[str, ...]] = {
    "exact": EXACT,
    "exact+coverage": (*EXACT, "coverage", "window_coverage"),
    "exact+novel": (*EXACT, "novel_words"),
    "all": SIGNAL_FEATURES,
}


def grouped_cv(
    rows: list[dict[str, float]],
    labels: list[int],
    groups: list[str],
    names: tuple[str, ...],
    l2: float,
) -> float:
    """Leave-one-article-out BAcc on the dev items: picks features and L2 without the test set."""
    preds = [0] * len(rows)
    for g in sorted(set(groups)):
        train = [i for i, h in enumerate(groups) if h != g]
        if len({labels[i] for i in train}) < 2:
            return 0.0
        params = fit([rows[i] for i in train], [labels[i] for i in train], names, l2)
        for i, h in enumerate(groups):
            if h == g:
                z = params.bias + sum(
                    w * rows[i][f] for f, w in zip(names, params.weights, strict=True)
                )
                preds[i] = int(1 / (1 + 2.718281828459045**-z) >= params.threshold)
    return balanced_accuracy(labels, preds)


def select(
    rows: list[dict[str, float]], labels: list[int], groups: list[str], extra: tuple[str, ...]
) -> tuple[ModeParams, dict[str, float]]:
    results: dict[str, float] = {}
    for name, names in CANDIDATES.items():
        for l2 in (0.3, 1.0, 3.0):
            results[f"{name}{'+model' if extra else ''} l2={l2}"] = grouped_cv(
                rows, labels, groups, (*names, *extra), l2
            )
    if extra:
        for l2 in (0.3, 1.0, 3.0):
            results[f"model-only l2={l2}"] = grouped_cv(rows, labels, groups, extra, l2)
    best = max(results, key=lambda k: results[k])
    label, best_l2 = best.split(" l2=")
    names = extra if label == "model-only" else (*CANDIDATES[label.removesuffix("+model")], *extra)
    params = fit(rows, labels, names, float(best_l2))
    return params, {k: round(v, 4) for k, v in results.items()}


# A veto must be right almost always and seen often enough to believe it.
VETO_MIN_PRECISION = 0.9
VETO_MIN_FIRED = 5


def choose_veto(splits: dict[str, dict[str, Any]]) -> tuple[list[str], dict[str, Any]]:
    """Exact signals whose firing means "unsupported" with precision >= VETO_MIN_PRECISION on
    the DEV items of every labelled set pooled (signals only: seconds, no model)."""
    counts = {name: [0, 0] for name in EXACT}  # [fired on label 0, fired on label 1]
    for spec in default_datasets():
        items, _ = read_items(Path(spec.path))
        dev = set(splits[spec.name]["dev"])
        for it in items:
            if it.id in dev and it.label is not None:
                feats, _, _, _ = features(it.text, it.sources)
                for name in EXACT:
                    if feats[name] > 0:
                        counts[name][int(it.label)] += 1
    veto = precise_signals(counts, VETO_MIN_PRECISION, VETO_MIN_FIRED)
    record = {
        "rule": f"precision >= {VETO_MIN_PRECISION} over >= {VETO_MIN_FIRED} firings",
        "datasets": [spec.name for spec in default_datasets()],
        "fired_label0_label1": counts,
    }
    return veto, record


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--api-base", help="OpenAI-compatible server of the embedded model")
    ap.add_argument("--model", default="openai/local")
    ap.add_argument(
        "--cache", type=Path, default=Path.home() / ".cache" / "summarize" / "judge-calibration"
    )
    ap.add_argument("--k", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, default=CALIBRATION, help="where to write the fit")
    ap.add_argument("--features-out", type=Path, help="write dev features as JSONL (analysis)")
    args = ap.parse_args()

    splits = write_splits()
    spec = next(s for s in default_datasets() if s.name == FIT_ON)
    items, _ = read_items(Path(spec.path))
    dev = [it for it in items if it.id in set(splits[FIT_ON]["dev"])]
    client: CachingClient | None = None
    if args.api_base:
        from summarize.models.litellm_client import LiteLLMClient

        inner = LiteLLMClient(args.model, api_base=args.api_base, json_mode="json_object")
        client = CachingClient(inner, args.cache)

    rows, labels, seconds = [], [], []
    for n, it in enumerate(dev, 1):
        start = time.perf_counter()
        feats, _, _, _ = features(it.text, it.sources, client, args.k, args.seed)
        seconds.append(time.perf_counter() - start)
        rows.append(feats)
        labels.append(int(it.label or 0))
        print(f"{n}/{len(dev)} {it.id} {seconds[-1]:.1f}s", file=sys.stderr)
    if args.features_out:
        args.features_out.write_text(
            "".join(
                json.dumps({"id": it.id, "label": y, **f}) + "\n"
                for it, y, f in zip(dev, labels, rows, strict=True)
            ),
            encoding="utf-8",
        )

    previous = (
        Calibration.model_validate_json(CALIBRATION.read_text()) if CALIBRATION.is_file() else None
    )
    modes = dict(previous.modes) if previous else {}
    groups = [str(it.meta.get(spec.group_key or "", it.id)) for it in dev]
    veto, veto_record = choose_veto(splits)
    # The logistic decides only what the veto lets through, so it is fitted on those items.
    kept = [i for i, r in enumerate(rows) if not any(r[v] > 0 for v in veto)]
    rows = [rows[i] for i in kept]
    labels = [labels[i] for i in kept]
    groups = [groups[i] for i in kept]
    modes["signals"], cv_signals = select(rows, labels, groups, ())
    data = Path(spec.path)
    fitted_on = {
        "dataset": FIT_ON,
        "path": str(data.relative_to(REPO)),
        "sha256": hashlib.sha256(data.read_bytes()).hexdigest(),
        "split": "dev",
        "split_file": str(SPLITS.relative_to(REPO)),
        "split_seed": SPLIT_SEED,
        "items": len(dev),
        "items_after_veto": len(rows),
        "positives": sum(labels),  # of the items after the veto
        "selection": "leave-one-article-out CV on dev over feature sets and L2",
        "cv_signals": cv_signals,
        "script": "scripts/calibrate_judge.py",
        "dev_seconds_per_item": round(sum(seconds) / len(seconds), 3),
        "veto_dev": veto_record,
    }
    if client is not None:
        # Cached answers cost ~0 s: dev_seconds_per_item is only a timing when misses dominate.
        fitted_on["model_calls"] = {"cache_hits": client.hits, "cache_misses": client.misses}
        modes["model"], cv_model = select(rows, labels, groups, ("model_logit",))
        fitted_on["cv_model"] = cv_model
        fitted_on |= {
            "model": args.model,
            "entailment_prompt_sha256": load_prompt("entailment").sha256,
        }
    elif previous is not None:
        fitted_on |= {
            k: v
            for k, v in previous.fitted_on.items()
            if k in ("model", "entailment_prompt_sha256")
        }
    calibration = Calibration(
        seed=args.seed,
        k=args.k,
        veto=veto,
        fitted_on=fitted_on,
        modes=modes,
    )
    args.out.write_text(calibration.model_dump_json(indent=1) + "\n", encoding="utf-8")
    for mode, params in modes.items():
        print(f"{mode}: dev BAcc {params.dev_bacc} threshold {params.threshold}", file=sys.stderr)


if __name__ == "__main__":
    main()
