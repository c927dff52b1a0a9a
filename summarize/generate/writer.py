"""The LLM backend, shaped for small models (and cheap for big ones).

Instead of one free-form "summarise these articles" prompt, the deterministic stages choose
*what* to say and the model only says it: one short call per consensus fact ("write one
neutral sentence from these passages") and one per candidate conflict the rules are not sure
of ("do these attributed statements conflict? name the question"). The model writes only what
needs a model, because on a small local model a generated token costs as much as about seven
prompt tokens (docs/PERFORMANCE.md):

- a fact answer is the sentence alone, in plain text: no JSON and no grammar (a constrained
  token costs a third more, and the JSON around a sentence was a third of its tokens); the
  sentence cites the passages shown, which all state the fact (the consensus stage chose
  them);
- a conflict answer is a decision, and for a "yes" the question's topic; each side's claim is
  the rules' sentence in the source's own words and its quote is verbatim. The rules' own
  findings are not asked about at all: they are reported whatever the model says, as the
  rules word them.

Holders and quotes come from the source text, so the model cannot invent either; the verifier
still checks everything afterwards.

Article text is data. Every string taken from the sources (passages, outlets, names, holders,
quotes) reaches a prompt only through ``as_data``, inside the prompt's data block
(``<passages>``, ``<names>``, ``<statements>``), never in the system message. ``as_data``
cannot change what a citation or quote rests on: the verifier checks the model's answer
against the passages' exact text.
"""

from __future__ import annotations

import time
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

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
    Repair,
    disagreement_from,
    merge_disagreements,
)
from summarize.generate.ledger import Ledger
from summarize.generate.repair import repair_sentence
from summarize.ingest.document import Passage
from summarize.models.chat import ChatClient, ChatRequest
from summarize.models.prompt import as_data, load_prompt


class ConflictAnswer(BaseModel):
    # Keys an answer adds are not read: a model without constrained decoding may still write
    # the per-side claims the prompt's text describes.
    model_config = ConfigDict(extra="ignore")

    conflict: bool
    topic: str = Field(default="", max_length=120)


# The conflict answer as the model is asked for it: a "no" ends at once, a "yes" names the
# topic. The prompt's text still describes per-side claims: with the 1.5B default model,
# taking that text out flips its decisions (all eight seed candidates judged "no",
# docs/PERFORMANCE.md). "claims" is admitted only empty, so that the topic ends where it
# always did and no claim is generated.
CONFLICT_SCHEMA: dict[str, Any] = {
    "title": "ConflictAnswer",
    "anyOf": [
        {
            "type": "object",
            "properties": {"conflict": {"const": False}},
            "required": ["conflict"],
            "additionalProperties": False,
        },
        {
            "type": "object",
            "properties": {
                "conflict": {"const": True},
                "topic": {"type": "string", "maxLength": 120},
                "claims": {"type": "array", "items": {"type": "string"}, "maxItems": 0},
            },
            "required": ["conflict", "topic"],
            "additionalProperties": False,
        },
    ],
}


class WriterSettings(Strict):
    strategy: Literal["stepwise"] = "stepwise"
    max_candidates: int = 8  # the best candidates, findings included; findings are not asked
    max_passages_per_fact: int = 4
    max_tokens_sentence: int = 160
    # A decision and a topic of at most 120 characters fit in 64 tokens.
    max_tokens_conflict: int = 64
    seed: int = 0
    max_attempts: int = 3  # per call, transient errors only (structured.complete_text)
    # Ask the model whether the candidates the rules are not sure of are real conflicts.
    # Off for the packaged 1.5B model (registry): on the 20 exhaustively annotated events it
    # confirmed 8 candidates, none a real disagreement (docs/EVALUATION.md).
    judge_conflicts: bool = True


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

        # The rules' high-precision findings stay even where a (small) model would say "no":
        # the model adds conflicts, it does not veto what the sources state, so the findings
        # are not asked about. Where the model confirms a conflict a finding also covers, the
        # finding's source-worded positions are kept and the model's topic names it.
        best = (
            analysis.candidates[: self.settings.max_candidates]
            if self.settings.judge_conflicts
            else []
        )
        disagreements: list[DraftDisagreement] = []
        for cand in (c for c in best if c not in analysis.findings):
            found = self._judge_conflict(cand, spent, ledger)
            if found is not None:
                disagreements.append(found)
        rules = [disagreement_from(c) for c in analysis.findings]
        disagreements = merge_disagreements(rules, disagreements)
        timings["judge_conflicts"] = round(time.perf_counter() - t1, 4)

        used = ("fact_sentence", "conflict_judge")[: 2 if self.settings.judge_conflicts else 1]
        return Draft(
            summary=summary,
            disagreements=disagreements,
            usage=spent.usage,
            cost_usd=spent.cost if spent.cost else None,
            prompts={p.name: p.sha256 for p in map(load_prompt, used)},
            timings_s=timings,
            stages=ledger.report(),
            settings=self.settings.model_dump(),
        )

    def repair(self, sentence: str, reason: str, passages: list[Passage]) -> Repair:
        """One re-ask for a sentence the verifier rejected (``Repairer``)."""
        return repair_sentence(
            self.caller,
            sentence,
            reason,
            passages,
            max_tokens=self.settings.max_tokens_sentence,
            seed=self.settings.seed,
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
            ids = tuple(p.id for p in shown)
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
                value = self.caller.ask_sentence("fact_sentence", request, shown, spent, ledger)
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
            text=value.sentence,
            # The passages shown all state the fact (the consensus stage chose them).
            citations=value.citations or list(ids),
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
            json_schema=CONFLICT_SCHEMA,
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
        positions = [
            DraftPosition(
                holder=side.holder,
                claim=side.claim,
                citations=[DraftQuote(passage=side.passage, quote=side.quote)],
            )
            for side in cand.sides
        ]
        topic = answer.topic.strip() or cand.topic
        return DraftDisagreement(
            kind=cand.kind,
            topic=topic,
            positions=positions,
            # A rule proposed it, the model confirmed it: both are on record.
            rule=f"{cand.rule or 'rules'}+model",
            evidence=[*cand.evidence, f"score {cand.score:g}", "the model says they conflict"],
        )
