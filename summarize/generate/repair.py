"""The one re-ask for a summary sentence the verifier rejected: the model sees the sentence's
cited passages, the sentence and the reason, and writes one corrected sentence from those
passages, in plain text as the fact sentences are written (it cites them). The stepwise
writer offers it (``Repairer``); the single-pass strategy spends its one repair call on an
invalid answer instead. The verifier checks the new sentence like any other, once."""

from __future__ import annotations

from summarize.generate.caller import ModelCaller, Spent, shown_passages
from summarize.generate.draft import DraftSentence, Repair
from summarize.generate.ledger import Ledger
from summarize.ingest.document import Passage
from summarize.models.chat import ChatRequest
from summarize.models.prompt import as_data, load_prompt

STAGE = "sentence_repair"
PROMPT = "sentence_repair"


def repair_sentence(
    caller: ModelCaller,
    sentence: str,
    reason: str,
    passages: list[Passage],
    *,
    max_tokens: int = 160,
    seed: int = 0,
) -> Repair:
    ids = tuple(p.id for p in passages)
    request = ChatRequest(
        messages=load_prompt(PROMPT).render(
            passages=shown_passages(passages, {}),
            sentence=as_data(sentence),
            reason=as_data(reason),
        ),
        prompt_name=PROMPT,
        max_tokens=max_tokens,
        seed=seed,
    )
    spent, ledger = Spent(), Ledger()
    value = caller.ask_sentence(STAGE, request, passages, spent, ledger)
    cost = spent.cost or None
    if value is None:
        report = ledger.report().get(STAGE)
        why = next(iter(report.reasons), "no usable answer") if report else "no usable answer"
        return Repair(usage=spent.usage, cost_usd=cost, failed=why)
    return Repair(
        sentence=DraftSentence(text=value.sentence, citations=value.citations or list(ids)),
        usage=spent.usage,
        cost_usd=cost,
    )
