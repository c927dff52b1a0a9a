"""The LLM backend, shaped for small models (and cheap for big ones).

Instead of one free-form "summarise these articles" prompt, the deterministic stages choose
*what* to say and the model only says it: one short schema-constrained call per consensus
fact ("write one neutral sentence from these passages, cite them") and one per candidate
conflict ("do these attributed statements conflict? name the question"). Citations are
constrained to the ids actually shown, holders and quotes come from the source text, so the
model cannot invent either; the verifier still checks everything afterwards.

Article text is data. Every string taken from the sources (passages, outlets, names, holders,
quotes) reaches a prompt only through ``as_data``, inside the prompt's data block
(``<passages>``, ``<names>``, ``<statements>``), never in the system message. ``as_data``
cannot change what a citation or quote rests on: the verifier checks the model's answer
against the passages' exact text.
"""

from __future__ import annotations

import time
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from summarize.analysis.analyzer import Analysis
from summarize.analysis.consensus import Cluster
from summarize.analysis.disagreements.candidate import ConflictCandidate
from summarize.contract import Strict
from summarize.errors import ContextLengthError
from summarize.generate.caller import (
    SHORT,
    ModelCaller,
    Spent,
    cause,
    shown_names,
    shown_passages,
)
from summarize.generate.draft import (
    Draft,
    DraftDisagreement,
    DraftPosition,
    DraftQuote,
    DraftSentence,
    disagreement_from,
    merge_disagreements,
)
from summarize.generate.ledger import Ledger
from summarize.models.chat import ChatClient, ChatRequest
from summarize.models.prompt import as_data, load_prompt


class ConflictAnswer(Strict):
    conflict: bool
    topic: str = Field(default="", max_length=120)
    claims: list[str] = Field(default_factory=list)


class WriterSettings(Strict):
    strategy: Literal["stepwise"] = "stepwise"
    max_candidates: int = 8
    max_passages_per_fact: int = 4
    max_tokens_sentence: int = 160
    max_tokens_conflict: int = 200
    seed: int = 0
    max_attempts: int = 3  # per call, transient errors only (structured.complete_text)


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
        self.caller = ModelCaller(client, max_attempts=self.settings.max_attempts)

    def draft(self, analysis: Analysis) -> Draft:
        outlets = analysis.outlets
        names = analysis.names
        spent, ledger = Spent(), Ledger()
        timings: dict[str, float] = {}

        t0 = time.perf_counter()
        summary = [self._write_fact(c, outlets, names, spent, ledger) for c in analysis.clusters]
        t1 = time.perf_counter()
        timings["write_facts"] = round(t1 - t0, 4)

        disagreements: list[DraftDisagreement] = []
        for cand in analysis.candidates[: self.settings.max_candidates]:
            found = self._judge_conflict(cand, spent, ledger)
            if found is not None:
                disagreements.append(found)
        # The rules' high-precision findings stay even where a (small) model missed them: the
        # model adds conflicts and names them, it does not veto what the sources state. Where
        # both found the same conflict, the rule's source-worded positions are kept and the
        # model's topic names it.
        rules = [disagreement_from(c) for c in analysis.findings]
        disagreements = merge_disagreements(rules, disagreements)
        timings["judge_conflicts"] = round(time.perf_counter() - t1, 4)

        return Draft(
            summary=summary,
            disagreements=disagreements,
            usage=spent.usage,
            cost_usd=spent.cost if spent.cost else None,
            prompts={
                p.name: p.sha256
                for p in (load_prompt("fact_sentence"), load_prompt("conflict_judge"))
            },
            timings_s=timings,
            stages=ledger.report(),
            settings=self.settings.model_dump(),
        )

    def _write_fact(
        self,
        cluster: Cluster,
        outlets: dict[str, str],
        names: list[str],
        spent: Spent,
        ledger: Ledger,
    ) -> DraftSentence:
        ledger.asked("fact_sentence")
        shown = cluster.passages[: self.settings.max_passages_per_fact]
        while True:
            request = ChatRequest(
                messages=load_prompt("fact_sentence").render(
                    passages=shown_passages(shown, outlets),
                    names=shown_names(names),
                ),
                prompt_name="fact_sentence",
                max_tokens=self.settings.max_tokens_sentence,
                seed=self.settings.seed,
            )
            try:
                value = self.caller.ask(
                    "fact_sentence", request, _sentence_schema([p.id for p in shown]), spent, ledger
                )
                break
            except ContextLengthError as e:
                if len(shown) == 1:
                    ledger.fell_back("fact_sentence", cause(e))
                    value = None
                    break
                # A smaller plan: the same fact from fewer of its passages.
                shown = shown[: len(shown) // 2]
        if value is None:
            # The lead source sentence itself: faithful by construction; the ledger says why.
            return DraftSentence(text=cluster.lead.text, citations=[cluster.lead.id])
        return DraftSentence(
            text=str(value.sentence).strip(),  # type: ignore[attr-defined]
            citations=[str(c) for c in value.citations],  # type: ignore[attr-defined]
        )

    def _judge_conflict(
        self, cand: ConflictCandidate, spent: Spent, ledger: Ledger
    ) -> DraftDisagreement | None:
        ledger.asked("conflict_judge")
        request = ChatRequest(
            messages=load_prompt("conflict_judge").render(
                sides=[
                    {"holder": as_data(s.holder, SHORT), "text": as_data(s.quote)}
                    for s in cand.sides
                ]
            ),
            prompt_name="conflict_judge",
            max_tokens=self.settings.max_tokens_conflict,
            seed=self.settings.seed,
        )
        try:
            answer = self.caller.ask("conflict_judge", request, ConflictAnswer, spent, ledger)
        except ContextLengthError as e:  # two quotes: nothing smaller to ask
            ledger.fell_back("conflict_judge", cause(e))
            return None
        if answer is None or not answer.conflict:
            return None
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
        return DraftDisagreement(kind=cand.kind, topic=topic, positions=positions)
