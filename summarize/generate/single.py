"""The single-pass strategy, for capable models: the model reads the whole event (every
passage with its id) and returns the summary with citations and the disagreements with
holders, quotes and passage ids, in one structured call (one re-ask at most). Passage ids
are typed as the shown ids, so a citation to anything else fails validation and is
re-asked. Everything then passes the same verifier as every other strategy.

An event larger than the model's context is summarised by map-reduce: the passages are cut
into parts that fit (whole articles where possible), each part is summarised by the same
call, and one merge call writes the final summary from the parts' sentences, keeping their
citations. Calls grow linearly with the input: parts + 1.

A call that gives no usable answer falls back to deterministic output (the extractive draft
for the whole event or for that part; the parts' own sentences when the merge fails), each
counted in the ledger.
"""

from __future__ import annotations

import time
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from summarize.analysis.analyzer import Analysis
from summarize.contract import DisagreementKind, Strict
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
from summarize.ingest.document import Passage
from summarize.models.chat import ChatClient, ChatRequest
from summarize.models.prompt import as_data, load_prompt

# A rough count (4 characters a token) with room for the id and outlet of each line.
_CHARS_PER_TOKEN = 4
_LINE_OVERHEAD_TOKENS = 12


class SingleSettings(Strict):
    strategy: Literal["single"] = "single"
    context_tokens: int = 8192  # the model's input window, or what the user allows
    max_tokens: int = 1500  # answer budget per call
    max_sentences: int = 10
    seed: int = 0
    max_attempts: int = 3


def tokens(passages: list[Passage]) -> int:
    return sum(len(p.text) // _CHARS_PER_TOKEN + _LINE_OVERHEAD_TOKENS for p in passages)


def parts(passages: list[Passage], budget: int) -> list[list[Passage]]:
    """Consecutive groups of passages, each within ``budget`` tokens; an article is split
    only when it alone is over the budget."""
    out: list[list[Passage]] = []
    current: list[Passage] = []
    for p in passages:
        if current and tokens([*current, p]) > budget:
            out.append(current)
            current = []
        current.append(p)
    if current:
        out.append(current)
    return out


def _summary_schema(ids: list[str], with_disagreements: bool) -> type[BaseModel]:
    cite = Literal[tuple(ids)]  # type: ignore[valid-type]
    sentence = create_model(
        "SummarySentence",
        __config__=ConfigDict(extra="forbid"),
        sentence=(str, Field(min_length=1, max_length=600)),
        citations=(list[cite], Field(min_length=1)),  # type: ignore[valid-type]
    )
    fields: dict[str, Any] = {"summary": (list[sentence], Field(min_length=1))}  # type: ignore[valid-type]
    if with_disagreements:
        side = create_model(
            "Side",
            __config__=ConfigDict(extra="forbid"),
            holder=(str, Field(min_length=1, max_length=SHORT)),
            claim=(str, Field(min_length=1, max_length=400)),
            quote=(str, Field(min_length=1, max_length=600)),
            passage=(cite, ...),  # type: ignore[arg-type]
        )
        dispute = create_model(
            "Dispute",
            __config__=ConfigDict(extra="forbid"),
            kind=(DisagreementKind, ...),
            topic=(str, Field(min_length=1, max_length=160)),
            positions=(list[side], Field(min_length=2)),  # type: ignore[valid-type]
        )
        fields["disagreements"] = (list[dispute], Field(default_factory=list))  # type: ignore[valid-type]
    return create_model("EventSummary", __config__=ConfigDict(extra="forbid"), **fields)


class SingleBackend:
    def __init__(self, name: str, client: ChatClient, settings: SingleSettings | None = None):
        self.name = name
        self.settings = settings or SingleSettings()
        self.caller = ModelCaller(client, max_attempts=self.settings.max_attempts)

    def draft(self, analysis: Analysis) -> Draft:
        spent, ledger = Spent(), Ledger()
        t0 = time.perf_counter()
        # What the answer and the prompt's own words need, out of the context window.
        budget = max(256, self.settings.context_tokens - self.settings.max_tokens - 600)
        groups = parts(analysis.passages, budget) if analysis.passages else []
        prompts = ["event_summary"]
        if len(groups) <= 1:
            summary, found = self._summarise(analysis, analysis.passages, "single", spent, ledger)
        else:
            summary, found = [], []
            for group in groups:
                s, d = self._summarise(analysis, group, "map", spent, ledger)
                summary += s
                found += d
            summary = self._merge(summary, spent, ledger)
            prompts.append("merge_summary")
        rules = [disagreement_from(c) for c in analysis.findings]
        return Draft(
            summary=summary,
            disagreements=merge_disagreements(rules, found),
            usage=spent.usage,
            cost_usd=spent.cost if spent.cost else None,
            prompts={name: load_prompt(name).sha256 for name in prompts},
            timings_s={"summarise": round(time.perf_counter() - t0, 4)},
            stages=ledger.report(),
            settings={**self.settings.model_dump(), "parts": len(groups)},
        )

    def _summarise(
        self,
        analysis: Analysis,
        passages: list[Passage],
        stage: str,
        spent: Spent,
        ledger: Ledger,
    ) -> tuple[list[DraftSentence], list[DraftDisagreement]]:
        ledger.asked(stage)
        request = ChatRequest(
            messages=load_prompt("event_summary").render(
                passages=shown_passages(passages, analysis.outlets),
                names=shown_names(analysis.names),
                max_sentences=self.settings.max_sentences,
            ),
            prompt_name="event_summary",
            max_tokens=self.settings.max_tokens,
            seed=self.settings.seed,
        )
        schema = _summary_schema([p.id for p in passages], with_disagreements=True)
        try:
            value = self.caller.ask(stage, request, schema, spent, ledger)
        except ContextLengthError as e:
            ledger.fell_back(stage, cause(e))
            value = None
        if value is None:
            return _extractive(analysis, {p.id for p in passages}), []
        summary = [
            DraftSentence(text=str(s.sentence).strip(), citations=[str(c) for c in s.citations])
            for s in value.summary  # type: ignore[attr-defined]
        ]
        found = [
            DraftDisagreement(
                kind=d.kind,
                topic=str(d.topic).strip(),
                positions=[
                    DraftPosition(
                        holder=str(p.holder).strip(),
                        claim=str(p.claim).strip(),
                        citations=[DraftQuote(passage=str(p.passage), quote=str(p.quote))],
                    )
                    for p in d.positions
                ],
            )
            for d in value.disagreements  # type: ignore[attr-defined]
        ]
        return summary, found

    def _merge(
        self, sentences: list[DraftSentence], spent: Spent, ledger: Ledger
    ) -> list[DraftSentence]:
        ledger.asked("reduce")
        ids = list(dict.fromkeys(c for s in sentences for c in s.citations))
        if not ids:
            ledger.fell_back("reduce", "no part gave a sentence to merge")
            return sentences
        request = ChatRequest(
            messages=load_prompt("merge_summary").render(
                sentences=[{"text": as_data(s.text), "citations": s.citations} for s in sentences],
                max_sentences=self.settings.max_sentences,
            ),
            prompt_name="merge_summary",
            max_tokens=self.settings.max_tokens,
            seed=self.settings.seed,
        )
        schema = _summary_schema(ids, with_disagreements=False)
        try:
            value = self.caller.ask("reduce", request, schema, spent, ledger)
        except ContextLengthError as e:
            ledger.fell_back("reduce", cause(e))
            value = None
        if value is None:
            # The parts' own sentences, in story order: verified like any other.
            return sentences[: self.settings.max_sentences]
        return [
            DraftSentence(text=str(s.sentence).strip(), citations=[str(c) for c in s.citations])
            for s in value.summary  # type: ignore[attr-defined]
        ]


def _extractive(analysis: Analysis, ids: set[str]) -> list[DraftSentence]:
    """The consensus sentences whose lead is among ``ids``: faithful by construction."""
    return [
        DraftSentence(text=c.lead.text, citations=[p.id for p in c.passages])
        for c in analysis.clusters
        if c.lead.id in ids
    ]
