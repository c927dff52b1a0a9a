"""What the offline judge measures about a claim: exact signals (``verify.support``) per
claim sentence, the evidence sentences BM25 retrieves for it, and optionally the embedded
model's p(Yes) that the evidence supports it. The weakest claim sentence sets the features: a
summary is only as faithful as its least supported sentence."""

from __future__ import annotations

import math

from summarize.contract import Usage
from summarize.models.chat import ChatClient, ChatRequest
from summarize.models.prompt import load_prompt
from summarize.models.retry import complete_text
from summarize.text.bm25 import retrieve
from summarize.text.sentences import split_sentences
from summarize.verify.support import signals

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


def fired(feats: dict[str, float], veto: list[str]) -> list[str]:
    """The vetoing signals (``Calibration.veto``) that fired in ``feats``."""
    return [name for name in veto if feats.get(name, 0.0) > 0]


def claim_sentences(claim: str) -> list[str]:
    return split_sentences(claim) or ([claim.strip()] if claim.strip() else [])


def features(
    claim: str,
    sources: list[str],
    client: ChatClient | None = None,
    k: int = 5,
    seed: int = 0,
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
