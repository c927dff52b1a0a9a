"""The LLM backend, shaped for small models (and cheap for big ones).

Instead of one free-form "summarise these articles" prompt, the deterministic stages choose
*what* to say and the model only says it: one short schema-constrained call per consensus
fact ("write one neutral sentence from these passages, cite them") and one per candidate
conflict ("do these attributed statements conflict? name the question"). Citations are
constrained to the ids actually shown, holders and quotes come from the source text, so the
model cannot invent either; the verifier still checks everything afterwards.
"""

from __future__ import annotations

import time
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from summarize.analysis.analyzer import Analysis
from summarize.analysis.consensus import Cluster
from summarize.analysis.disagreements.candidate import ConflictCandidate
from summarize.contract import Strict, Usage
from summarize.errors import StructuredOutputError
from summarize.generate.draft import (
    Draft,
    DraftDisagreement,
    DraftPosition,
    DraftQuote,
    DraftSentence,
    disagreement_from,
)
from summarize.models.chat import ChatClient, ChatRequest
from summarize.models.prompt import load_prompt
from summarize.models.structured import complete_structured
from summarize.text.holders import same_holder


class ConflictAnswer(Strict):
    conflict: bool
    topic: str = Field(default="", max_length=120)
    claims: list[str] = Field(default_factory=list)


class WriterSettings(Strict):
    max_candidates: int = 8
    max_passages_per_fact: int = 4
    max_tokens_sentence: int = 160
    max_tokens_conflict: int = 200
    seed: int = 0
    max_attempts: int = 3  # per call, transient errors only (structured.complete_text)


def _passages(d: DraftDisagreement) -> set[str]:
    return {c.passage for p in d.positions for c in p.citations}


def _covers(a: DraftDisagreement, b: DraftDisagreement) -> bool:
    return all(any(same_holder(p.holder, q.holder) for q in b.positions) for p in a.positions)


def _same(a: DraftDisagreement, b: DraftDisagreement) -> bool:
    """The same holders (either way round) citing at least one common passage."""
    return _covers(a, b) and _covers(b, a) and bool(_passages(a) & _passages(b))


def _merge(
    rules: list[DraftDisagreement], confirmed: list[DraftDisagreement]
) -> list[DraftDisagreement]:
    merged = []
    for rule in rules:
        match = next((d for d in confirmed if _same(rule, d)), None)
        merged.append(rule.model_copy(update={"topic": match.topic}) if match else rule)
    merged += [d for d in confirmed if not any(_same(d, r) for r in rules)]
    return merged


def _sentence_schema(ids: list[str]) -> type[BaseModel]:
    # Citations typed as a Literal of the shown ids: schema-constrained decoding cannot cite
    # anything else, and a provider without constrained decoding fails validation -> re-ask.
    cite = Literal[tuple(ids)]  # type: ignore[valid-type]
    fields: dict[str, Any] = {
        "sentence": (str, Field(min_length=1, max_length=600)),
        "citations": (list[cite], Field(min_length=1)),  # type: ignore[valid-type]
    }
    return create_model("FactSentence", __config__=ConfigDict(extra="forbid"), **fields)


class WriterBackend:
    def __init__(self, name: str, client: ChatClient, settings: WriterSettings | None = None):
        self.name = name
        self.client = client
        self.settings = settings or WriterSettings()

    def draft(self, analysis: Analysis) -> Draft:
        outlets = analysis.outlets
        names = analysis.names
        usage, cost, notes = Usage(), 0.0, []
        timings: dict[str, float] = {}

        t0 = time.perf_counter()
        summary: list[DraftSentence] = []
        for cluster in analysis.clusters:
            sentence, u, c, note = self._write_fact(cluster, outlets, names)
            usage, cost = usage.add(u), cost + (c or 0.0)
            summary.append(sentence)
            if note:
                notes.append(note)
        t1 = time.perf_counter()
        timings["write_facts"] = round(t1 - t0, 4)

        disagreements: list[DraftDisagreement] = []
        for cand in analysis.candidates[: self.settings.max_candidates]:
            found, u, c, note = self._judge_conflict(cand)
            usage, cost = usage.add(u), cost + (c or 0.0)
            if found is not None:
                disagreements.append(found)
            if note:
                notes.append(note)
        # The rules' high-precision findings stay even where a (small) model missed them: the
        # model adds conflicts and names them, it does not veto what the sources state. Where
        # both found the same conflict, the rule's source-worded positions are kept and the
        # model's topic names it.
        rules = [disagreement_from(c) for c in analysis.findings]
        disagreements = _merge(rules, disagreements)
        timings["judge_conflicts"] = round(time.perf_counter() - t1, 4)

        return Draft(
            summary=summary,
            disagreements=disagreements,
            usage=usage,
            cost_usd=cost if cost else None,
            prompts={
                p.name: p.sha256
                for p in (load_prompt("fact_sentence"), load_prompt("conflict_judge"))
            },
            timings_s=timings,
            notes=notes,
            settings=self.settings.model_dump(),
        )

    def _write_fact(
        self, cluster: Cluster, outlets: dict[str, str], names: list[str]
    ) -> tuple[DraftSentence, Usage, float | None, str | None]:
        shown = cluster.passages[: self.settings.max_passages_per_fact]
        messages = load_prompt("fact_sentence").render(
            passages=[
                {"id": p.id, "outlet": outlets.get(p.article, p.article), "text": p.text}
                for p in shown
            ],
            names=", ".join(names),
        )
        request = ChatRequest(
            messages=messages,
            prompt_name="fact_sentence",
            max_tokens=self.settings.max_tokens_sentence,
            seed=self.settings.seed,
        )
        schema = _sentence_schema([p.id for p in shown])
        try:
            result = complete_structured(
                self.client, request, schema, max_attempts=self.settings.max_attempts
            )
        except StructuredOutputError as e:
            # Fall back to the lead source sentence itself: faithful by construction, and
            # the run records that the model's answer was unusable.
            fallback = DraftSentence(text=cluster.lead.text, citations=[cluster.lead.id])
            return fallback, e.usage or Usage(), None, f"fact_sentence fell back: {e}"
        value = result.value
        sentence = DraftSentence(
            text=str(value.sentence).strip(),  # type: ignore[attr-defined]
            citations=[str(c) for c in value.citations],  # type: ignore[attr-defined]
        )
        return sentence, result.usage, result.cost_usd, None

    def _judge_conflict(
        self, cand: ConflictCandidate
    ) -> tuple[DraftDisagreement | None, Usage, float | None, str | None]:
        messages = load_prompt("conflict_judge").render(
            sides=[{"holder": s.holder, "text": s.quote} for s in cand.sides]
        )
        request = ChatRequest(
            messages=messages,
            prompt_name="conflict_judge",
            max_tokens=self.settings.max_tokens_conflict,
            seed=self.settings.seed,
        )
        try:
            result = complete_structured(
                self.client, request, ConflictAnswer, max_attempts=self.settings.max_attempts
            )
        except StructuredOutputError as e:
            return None, e.usage or Usage(), None, f"conflict_judge failed: {e}"
        answer = result.value
        if not answer.conflict:
            return None, result.usage, result.cost_usd, None
        claims = answer.claims if len(answer.claims) == len(cand.sides) else []
        positions = [
            DraftPosition(
                holder=side.holder,
                # A claim the model did not give per side falls back to the side's own words.
                claim=(claims[i].strip() if claims and claims[i].strip() else side.claim),
                citations=[DraftQuote(passage=side.passage, quote=side.quote)],
            )
            for i, side in enumerate(cand.sides)
        ]
        topic = answer.topic.strip() or cand.topic
        return (
            DraftDisagreement(kind=cand.kind, topic=topic, positions=positions),
            result.usage,
            result.cost_usd,
            None,
        )
