"""Faithfulness judges: the offline judge (exact signals + optional embedded-model p(Yes),
combined by a logistic model fitted on development data) and an LLM claim-checking judge.

The offline judge works claim sentence by claim sentence and keeps the weakest one: a summary
is only as faithful as its least supported sentence. Evidence is retrieved first (BM25 over
the source sentences), so long sources fit a small model's context.
"""

from __future__ import annotations

import math
import time
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from summarize.chat import ChatClient, ChatRequest
from summarize.contract import Usage
from summarize.errors import ConfigError
from summarize.eval.items import JudgeRun, judge_items
from summarize.eval.verdict import Verdict, VerdictLabel
from summarize.prompt import load_prompt
from summarize.structured import complete_structured, complete_text
from summarize.support import retrieve, signals, split_sentences

__all__ = ["JudgeRun", "LLMJudge", "OfflineJudge", "features", "judge_items", "p_yes"]

CALIBRATION = Path(__file__).with_name("calibration.json")
SIGNAL_FEATURES = (
    "coverage",
    "window_coverage",
    "numbers_missing",
    "entities_missing",
    "quotes_missing",
    "negation_flip",
    "novel_words",
)
MODEL_FEATURES = (*SIGNAL_FEATURES, "model_logit")
Mode = Literal["signals", "model"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


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
    fitted_on: dict[str, Any]
    modes: dict[str, ModeParams]


@cache
def load_calibration(path: Path = CALIBRATION) -> Calibration:
    return Calibration.model_validate_json(path.read_text(encoding="utf-8"))


def p_yes(
    client: ChatClient, claim: str, evidence: list[str], seed: int = 0
) -> tuple[float, Usage]:
    """p(Yes) / (p(Yes) + p(No)) from the first answer token's top log-probabilities. A client
    that returns no log-probabilities gets 1.0 / 0.0 from the answer text."""
    prompt = load_prompt("entailment")
    request = ChatRequest(
        messages=prompt.render(evidence="\n".join(evidence), claim=claim),
        prompt_name="entailment",
        temperature=0.0,
        seed=seed,
        max_tokens=1,
        top_logprobs=10,
    )
    response = complete_text(client, request)
    yes = no = 0.0
    if response.logprobs:
        first = response.logprobs[0]
        top = first.top or {first.token: first.logprob}
        for token, logprob in top.items():
            word = token.strip().lower()
            if word in ("yes", "y"):
                yes += math.exp(logprob)
            elif word in ("no", "n"):
                no += math.exp(logprob)
    if yes + no == 0.0:
        word = response.text.strip().lower()
        return (1.0 if word.startswith("yes") else 0.0), response.usage
    return yes / (yes + no), response.usage


def claim_sentences(claim: str) -> list[str]:
    return split_sentences(claim) or ([claim.strip()] if claim.strip() else [])


def features(
    claim: str, sources: list[str], client: ChatClient | None = None, k: int = 5, seed: int = 0
) -> tuple[dict[str, float], list[str], list[str], Usage]:
    """Item features (worst claim sentence wins), evidence used, notes, model usage."""
    source_sentences = split_sentences("\n".join(sources))
    feats = dict.fromkeys(SIGNAL_FEATURES, 0.0) | {"coverage": 1.0, "window_coverage": 1.0}
    notes: list[str] = []
    evidence: list[str] = []
    usage = Usage()
    worst_p = 1.0
    for sentence in claim_sentences(claim):
        s = signals(sentence, sources)
        feats["coverage"] = min(feats["coverage"], s.coverage)
        feats["window_coverage"] = min(feats["window_coverage"], s.window_coverage)
        feats["novel_words"] = min(3.0, feats["novel_words"] + len(s.novel_words))
        # Counts are capped: one absent name is already strong evidence; ten are not 10x.
        for name, missing in (
            ("numbers_missing", s.numbers_missing),
            ("entities_missing", s.entities_missing),
            ("quotes_missing", s.quotes_missing),
        ):
            feats[name] = min(2.0, feats[name] + len(missing))
            if missing:
                notes.append(f"{name.replace('_', ' ')}: {', '.join(missing)}")
        if s.negation_flip:
            feats["negation_flip"] = 1.0
            notes.append(f"negation: {s.negation_detail}")
        top = sorted(i for i, _ in retrieve(sentence, source_sentences, k=k))
        window = [source_sentences[i] for i in top]
        evidence.extend(w for w in window if w not in evidence)
        if client is not None:
            p, used = p_yes(client, sentence, window, seed) if window else (0.0, Usage())
            usage = usage.add(used)
            worst_p = min(worst_p, p)
    if client is not None:
        p = min(max(worst_p, 1e-4), 1 - 1e-4)
        feats["model_logit"] = math.log(p / (1 - p))
        notes.append(f"model p(Yes)={worst_p:.2f}")
    return feats, evidence, notes, usage


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
            claim, sources, self.client, self.calibration.k, self.seed
        )
        score = self.score(feats)
        label = int(score >= self.params.threshold)
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
            "calibration": self.calibration.fitted_on,
            "seed": self.seed,
        }


class ClaimCheck(Strict):
    claim: str
    verdict: VerdictLabel
    sentence: int = -1  # the evidence sentence number relied on; -1 for none


class ClaimCheckAnswer(Strict):
    claims: list[ClaimCheck] = Field(default_factory=list)


class LLMJudge:
    """FineSurE/MiniCheck style: atomic claims, each supported / contradicted / not_mentioned
    against numbered evidence sentences retrieved for each summary sentence. Score = share of
    supported claims; label 1 only when every claim is supported."""

    def __init__(self, client: ChatClient, *, k: int = 8, max_evidence: int = 40, seed: int = 0):
        self.client = client
        self.k, self.max_evidence, self.seed = k, max_evidence, seed
        self.name = f"llm-claim-check:{client.name}"

    def judge(self, claim: str, sources: list[str]) -> Verdict:
        start = time.perf_counter()
        if not claim.strip() or not any(s.strip() for s in sources):
            why = "empty claim" if not claim.strip() else "no source text"
            return Verdict(score=0.0, label=0, explanation=why)
        sentences = split_sentences("\n".join(sources))
        chosen = sorted(
            {i for c in claim_sentences(claim) for i, _ in retrieve(c, sentences, self.k)}
        )[: self.max_evidence]
        evidence = [sentences[i] for i in chosen]
        numbered = "\n".join(f"[{n}] {s}" for n, s in enumerate(evidence))
        request = ChatRequest(
            messages=load_prompt("claim_check").render(evidence=numbered, summary=claim),
            prompt_name="claim_check",
            temperature=0.0,
            seed=self.seed,
            max_tokens=1024,
        )
        answer = complete_structured(self.client, request, ClaimCheckAnswer)
        checks = answer.value.claims
        supported = sum(c.verdict == "supported" for c in checks)
        score = supported / len(checks) if checks else 0.0
        worst: VerdictLabel = "supported"
        for c in checks:
            if c.verdict == "contradicted" or (
                c.verdict == "not_mentioned" and worst != "contradicted"
            ):
                worst = c.verdict
        cited = [evidence[c.sentence] for c in checks if 0 <= c.sentence < len(evidence)]
        return Verdict(
            score=score,
            label=int(bool(checks) and supported == len(checks)),
            verdict=worst if checks else "not_mentioned",
            explanation="; ".join(f"{c.verdict}: {c.claim}" for c in checks) or "no claims",
            evidence=list(dict.fromkeys(cited)),
            usage=answer.usage,
            seconds=time.perf_counter() - start,
        )

    def describe(self) -> dict[str, object]:
        return {
            "judge": "llm-claim-check",
            "model": self.client.name,
            "prompts": {"claim_check": load_prompt("claim_check").sha256},
            "threshold": "label 1 iff every atomic claim is supported",
            "k": self.k,
            "max_evidence": self.max_evidence,
            "seed": self.seed,
        }
