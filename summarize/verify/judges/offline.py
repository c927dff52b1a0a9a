"""The offline faithfulness judge: exact signals (+ the embedded model's p(Yes) when a client
is given), combined by a logistic model fitted on development data (``calibration.json``,
written by ``scripts/calibrate_judge.py``), after a veto by exact signals that were almost
always right on the pooled dev splits."""

from __future__ import annotations

import math
import time
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from summarize.contract import Strict
from summarize.errors import ConfigError
from summarize.models.chat import ChatClient
from summarize.models.prompt import load_prompt
from summarize.verify.judges.features import features, fired
from summarize.verify.judges.verdict import Verdict, VerdictLabel

CALIBRATION = Path(__file__).with_name("calibration.json")
Mode = Literal["signals", "model"]


class ModeParams(Strict):
    features: list[str]
    weights: list[float]
    bias: float
    threshold: float = 0.5
    dev_bacc: float | None = None


class Calibration(Strict):
    """What ``scripts/calibrate_judge.py`` fitted, with the data it was fitted on."""

    version: int = 1
    seed: int
    k: int  # evidence sentences per claim sentence shown to the model
    # Exact signals that make a claim unsupported whatever the rest says (both modes): chosen
    # by their precision on the pooled dev splits (``fitted_on["veto_dev"]``), because 48
    # SummEdits dev items from 5 articles are too few to weigh a signal that fires rarely.
    veto: list[str] = Field(default_factory=list)
    fitted_on: dict[str, Any]
    modes: dict[str, ModeParams]


@cache
def load_calibration(path: Path = CALIBRATION) -> Calibration:
    return Calibration.model_validate_json(path.read_text(encoding="utf-8"))


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


class OfflineJudge:
    """Exact signals (+ the embedded model's p(Yes) when ``client`` is given), combined by the
    logistic model stored in ``calibration.json`` for that mode."""

    def __init__(
        self,
        client: ChatClient | None = None,
        *,
        calibration: Calibration | None = None,
        seed: int = 0,
    ) -> None:
        self.client = client
        self.calibration = calibration or load_calibration()
        self.mode: Mode = "model" if client is not None else "signals"
        if self.mode not in self.calibration.modes:
            raise ConfigError(
                f"the judge calibration has no {self.mode!r} mode; "
                "run scripts/calibrate_judge.py (with --api-base for the model mode)"
            )
        self.params = self.calibration.modes[self.mode]
        self.seed = seed
        self.name = f"offline-{self.mode}"

    def score(self, feats: dict[str, float]) -> float:
        z = self.params.bias + sum(
            w * feats[f] for f, w in zip(self.params.features, self.params.weights, strict=True)
        )
        return _sigmoid(z)

    def judge(self, claim: str, sources: list[str]) -> Verdict:
        start = time.perf_counter()
        if not claim.strip() or not any(s.strip() for s in sources):
            why = "empty claim" if not claim.strip() else "no source text"
            return Verdict(score=0.0, label=0, explanation=why, seconds=0.0)
        feats, evidence, notes, usage = features(
            claim,
            sources,
            self.client,
            self.calibration.k,
            self.seed,
        )
        score = self.score(feats)
        vetoed = fired(feats, self.calibration.veto)
        if vetoed:
            # Keep the score's order below the cut: a vetoed item never outranks a kept one.
            score = min(score, self.params.threshold) * 0.5
            notes.append(f"veto: {', '.join(v.replace('_', ' ') for v in vetoed)}")
        label = int(score >= self.params.threshold and not vetoed)
        verdict: VerdictLabel = "supported" if label else "not_mentioned"
        if not label and (feats["negation_flip"] or feats["numbers_missing"]):
            verdict = "contradicted"
        notes.insert(0, f"coverage {feats['coverage']:.2f}, window {feats['window_coverage']:.2f}")
        return Verdict(
            score=score,
            label=label,
            verdict=verdict,
            explanation="; ".join(notes),
            evidence=evidence,
            usage=usage,
            seconds=time.perf_counter() - start,
        )

    def describe(self) -> dict[str, object]:
        return {
            "judge": self.name,
            "model": self.client.name if self.client is not None else None,
            "prompts": {"entailment": load_prompt("entailment").sha256} if self.client else {},
            "features": self.params.features,
            "weights": self.params.weights,
            "bias": self.params.bias,
            "threshold": self.params.threshold,
            "k": self.calibration.k,
            "veto": self.calibration.veto,
            "calibration": self.calibration.fitted_on,
            "seed": self.seed,
        }
