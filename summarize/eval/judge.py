"""Faithfulness judges: the offline judge (exact signals + optional embedded-model p(Yes),
combined by a logistic model fitted on development data) and an LLM claim-checking judge.

The offline judge works claim sentence by claim sentence and keeps the weakest one: a summary
is only as faithful as its least supported sentence. Evidence is retrieved first (BM25 over
the source sentences), so long sources fit a small model's context.
"""

from __future__ import annotations

import importlib.util
import logging
import math
import re
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

__all__ = [
    "JudgeRun",
    "LLMJudge",
    "OfflineJudge",
    "ask_yes_no",
    "features",
    "judge_items",
    "offline_judge",
    "p_yes",
]

log = logging.getLogger(__name__)

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
    # Also ask the model about each clause of a long claim sentence (same evidence) and keep
    # the lowest p(Yes): a small model overlooks one swapped word in a long sentence.
    clauses: bool = False
    # Exact signals that make a claim unsupported whatever the rest says (both modes): chosen
    # by their precision on the pooled dev splits (``fitted_on["veto_dev"]``), because 48
    # SummEdits dev items from 5 articles are too few to weigh a signal that fires rarely.
    veto: list[str] = Field(default_factory=list)
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
    return ask_yes_no(client, request)


def ask_yes_no(client: ChatClient, request: ChatRequest) -> tuple[float, Usage]:
    """Send a one-token yes/no ``request`` (``max_tokens=1``, ``top_logprobs`` set); return
    p(Yes) / (p(Yes) + p(No)) over the first token's variants ("Yes", " yes", "Y", ...)."""
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


# Clause boundaries: any comma or semicolon, and a subordinating connective ("while",
# "after", ...) even without a comma ("as", "who", "which" are too often not one).
_CLAUSE = re.compile(
    r"\s*[;,]\s+|\s+(?=(?:while|after|before|because|since|although|following|amid|"
    r"despite|whereas)\s)",
    re.IGNORECASE,
)
MIN_CLAUSE_WORDS = 5


def clauses(sentence: str) -> list[str]:
    """The clauses of a sentence (split at commas, semicolons and connectives such as "while",
    "after"); pieces under MIN_CLAUSE_WORDS words join a neighbour. One piece: no split."""
    out: list[str] = []
    for piece in (p.strip() for p in _CLAUSE.split(sentence)):
        short = len(piece.split()) < MIN_CLAUSE_WORDS
        if out and (short or len(out[-1].split()) < MIN_CLAUSE_WORDS):
            out[-1] = f"{out[-1]}, {piece}"
        elif piece:
            out.append(piece)
    return out if len(out) > 1 else []


def features(
    claim: str,
    sources: list[str],
    client: ChatClient | None = None,
    k: int = 5,
    seed: int = 0,
    split_clauses: bool = False,
) -> tuple[dict[str, float], list[str], list[str], Usage]:
    """Item features (worst claim sentence wins), evidence used, notes, model usage. With
    ``split_clauses`` each clause of a sentence is asked too, on the sentence's evidence (the
    evidence comes first in the prompt, so the server re-evaluates only the claim tokens)."""
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
            questions = [sentence, *(clauses(sentence) if split_clauses else [])]
            for question in questions:
                p, used = p_yes(client, question, window, seed) if window else (0.0, Usage())
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
            claim,
            sources,
            self.client,
            self.calibration.k,
            self.seed,
            self.calibration.clauses,
        )
        score = self.score(feats)
        vetoed = [name for name in self.calibration.veto if feats.get(name, 0.0) > 0]
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
            "clauses": self.calibration.clauses,
            "veto": self.calibration.veto,
            "calibration": self.calibration.fitted_on,
            "seed": self.seed,
        }


def offline_judge(
    use_model: bool = True,
    cache_dir: Path | None = None,
    *,
    calibration: Calibration | None = None,
    seed: int = 0,
) -> OfflineJudge:
    """The default offline judge: model mode (the embedded model on its own ``logits_all``
    server, answers cached under ``cache_dir`` when given) when ``use_model``, the llama.cpp
    runtime and the packaged model are available and the calibration has a model mode fitted
    with the current entailment prompt; otherwise the signals-only judge (with a warning
    saying why, unless ``use_model`` is False)."""
    cal = calibration or load_calibration()
    client = _model_client(cal, cache_dir) if use_model else None
    return OfflineJudge(client, calibration=cal, seed=seed)


def _model_client(cal: Calibration, cache_dir: Path | None) -> ChatClient | None:
    if "model" not in cal.modes:
        log.warning("judge calibration has no model mode: using the signals-only judge")
        return None
    fitted = cal.fitted_on.get("entailment_prompt_sha256")
    if fitted is not None and fitted != load_prompt("entailment").sha256:
        log.warning(
            "prompts/entailment.prompt changed since the model mode was calibrated "
            "(run scripts/calibrate_judge.py): using the signals-only judge"
        )
        return None
    if importlib.util.find_spec("llama_cpp") is None:
        log.warning("llama-cpp-python is not installed: using the signals-only judge")
        return None
    from summarize.errors import AdapterError, ModelProvisionError
    from summarize.llama_server import shared_server
    from summarize.llm import LiteLLMClient
    from summarize.provision import ensure_model

    try:
        # logprobs need logits_all; judge prompts are short, so a small context is enough.
        server = shared_server(ensure_model(), logits_all=True, n_ctx=4096)
    except (ModelProvisionError, AdapterError, OSError) as e:
        log.warning("embedded model unavailable (%s): using the signals-only judge", e)
        return None
    client: ChatClient = LiteLLMClient(
        "openai/local", api_base=server.api_base, api_key="none", json_mode="json_object"
    )
    if cache_dir is not None:
        from summarize.cache import CachingClient

        client = CachingClient(client, cache_dir)
    return client


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
