"""Verify before output: nothing uncited, no invented quote, no unsupported claim.

Every summary sentence must cite existing passages and be supported by them; every
disagreement side must carry a quote that is a verbatim (whitespace/quote-normalised)
substring of its cited passage, and a claim that passage supports. What fails is dropped and
recorded (``VerificationDrop``); repairs by re-asking happen upstream, in the backends.
"""

from __future__ import annotations

from collections.abc import Callable

from summarize.contract import (
    Disagreement,
    Position,
    QuoteCitation,
    Strict,
    SummarySentence,
    VerificationDrop,
)
from summarize.generate.draft import Draft, DraftPosition
from summarize.ingest.document import Passage
from summarize.text.holders import distinct_holders
from summarize.text.words import normalize_quote
from summarize.verify.quotes import find_verbatim

SupportCheck = Callable[[str, list[str]], float]


class VerifySettings(Strict):
    min_sentence_support: float = 0.5
    min_claim_support: float = 0.35
    min_quote_words: int = 3


class Verified(Strict):
    summary: list[SummarySentence]
    disagreements: list[Disagreement]
    drops: list[VerificationDrop]


def verify(
    draft: Draft,
    passages: list[Passage],
    support: SupportCheck,
    settings: VerifySettings | None = None,
) -> Verified:
    settings = settings or VerifySettings()
    by_id = {p.id: p for p in passages}
    drops: list[VerificationDrop] = []

    summary: list[SummarySentence] = []
    seen: set[str] = set()
    for sent in draft.summary:
        text = sent.text.strip()
        if not text or normalize_quote(text).lower() in seen:
            continue
        cited = list(dict.fromkeys(c for c in sent.citations if c in by_id))
        for bad in (c for c in sent.citations if c not in by_id):
            drops.append(
                VerificationDrop(item="citation", text=f"{text} [{bad}]", reason="no such passage")
            )
        if not cited:
            drops.append(
                VerificationDrop(item="summary_sentence", text=text, reason="no valid citation")
            )
            continue
        score = support(text, [by_id[c].text for c in cited])
        if score < settings.min_sentence_support:
            drops.append(
                VerificationDrop(
                    item="summary_sentence",
                    text=text,
                    reason=f"not supported by its cited passages (support {score:.2f})",
                )
            )
            continue
        seen.add(normalize_quote(text).lower())
        summary.append(SummarySentence(text=text, citations=cited))

    disagreements: list[Disagreement] = []
    for dis in draft.disagreements:
        positions = [
            p
            for p in (
                _verify_position(pos, by_id, support, settings, drops) for pos in dis.positions
            )
            if p is not None
        ]
        if len(positions) < 2 or distinct_holders([p.holder for p in positions]) < 2:
            drops.append(
                VerificationDrop(
                    item="disagreement",
                    text=dis.topic,
                    reason="fewer than two verified positions from different holders",
                )
            )
            continue
        disagreements.append(
            Disagreement(
                id=f"D{len(disagreements) + 1}", kind=dis.kind, topic=dis.topic, positions=positions
            )
        )
    return Verified(summary=summary, disagreements=disagreements, drops=drops)


def _verify_position(
    pos: DraftPosition,
    by_id: dict[str, Passage],
    support: SupportCheck,
    settings: VerifySettings,
    drops: list[VerificationDrop],
) -> Position | None:
    citations: list[QuoteCitation] = []
    for cit in pos.citations:
        passage = by_id.get(cit.passage)
        exact = find_verbatim(cit.quote, passage.text) if passage else None
        if passage is None or exact is None:
            why = "no such passage" if passage is None else "quote is not verbatim in the passage"
            drops.append(
                VerificationDrop(item="citation", text=f"{pos.holder}: {cit.quote}", reason=why)
            )
            continue
        if len(exact.split()) < settings.min_quote_words:
            drops.append(
                VerificationDrop(
                    item="citation", text=f"{pos.holder}: {exact}", reason="quote too short"
                )
            )
            continue
        citations.append(QuoteCitation(passage=passage.id, quote=exact))
    if not citations:
        drops.append(
            VerificationDrop(
                item="position", text=f"{pos.holder}: {pos.claim}", reason="no verified quote"
            )
        )
        return None
    evidence = [by_id[c.passage].text for c in citations]
    score = support(pos.claim, evidence)
    if score < settings.min_claim_support:
        drops.append(
            VerificationDrop(
                item="position",
                text=f"{pos.holder}: {pos.claim}",
                reason=f"claim not supported by its quoted passage (support {score:.2f})",
            )
        )
        return None
    return Position(holder=pos.holder.strip(), claim=pos.claim.strip(), citations=citations)
