"""Verify before output: nothing uncited, no invented quote, no unsupported claim.

Every summary sentence must cite existing passages and be supported by them; every
disagreement side must carry a quote that is a verbatim (whitespace/quote-normalised)
substring of its cited passage, and a claim that passage supports. What fails is dropped and
recorded (``VerificationDrop``); repairs by re-asking happen upstream, in the backends.
"""

from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel, ConfigDict

from summarize.contract import (
    Disagreement,
    Position,
    QuoteCitation,
    SummarySentence,
    VerificationDrop,
)
from summarize.document import Passage
from summarize.draft import Draft, DraftPosition
from summarize.text import content_words, normalize_quote

SupportCheck = Callable[[str, list[str]], float]


class VerifySettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    min_sentence_support: float = 0.5
    min_claim_support: float = 0.35
    min_quote_words: int = 3


class Verified(BaseModel):
    model_config = ConfigDict(extra="forbid")

    summary: list[SummarySentence]
    disagreements: list[Disagreement]
    drops: list[VerificationDrop]


def find_verbatim(quote: str, passage_text: str) -> str | None:
    """The exact substring of ``passage_text`` that ``quote`` matches after normalising
    whitespace and quote characters, or None. Returning the source's own characters keeps the
    output verbatim even when the model changed curly quotes or spacing."""
    target = normalize_quote(quote).strip(" \"'")
    if not target:
        return None
    # Map each character of the normalised passage back to its offset in the original.
    norm_chars: list[str] = []
    offsets: list[int] = []
    prev_space = False
    for i, ch in enumerate(passage_text):
        n = normalize_quote(ch) if not ch.isspace() else " "
        if n == " ":
            if prev_space or not norm_chars:
                continue
            prev_space = True
        else:
            prev_space = False
        norm_chars.append(n)
        offsets.append(i)
    haystack = "".join(norm_chars)
    start = haystack.find(target)
    if start < 0:
        return None
    end = start + len(target) - 1
    return passage_text[offsets[start] : offsets[end] + 1]


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
        holders = {content_key(p.holder) for p in positions}
        if len(positions) < 2 or len(holders) < 2:
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


def content_key(holder: str) -> str:
    return " ".join(sorted(content_words(holder))) or holder.strip().lower()


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
