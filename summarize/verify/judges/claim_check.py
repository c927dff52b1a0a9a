"""The LLM judge (FineSurE/MiniCheck style) for any model-backed model string: the summary
is decomposed into atomic claims, each checked against numbered evidence sentences."""

from __future__ import annotations

import time

from pydantic import Field

from summarize.contract import Strict
from summarize.models.chat import ChatClient, ChatRequest
from summarize.models.prompt import load_prompt
from summarize.models.structured import complete_structured
from summarize.text.bm25 import retrieve
from summarize.text.sentences import split_sentences
from summarize.verify.judges.features import claim_sentences
from summarize.verify.judges.verdict import Verdict, VerdictLabel


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
