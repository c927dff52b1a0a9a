"""Verify before output: nothing uncited, no invented quote, no unsupported claim.

Every summary sentence must cite existing passages and be supported by them; every
disagreement side must carry a quote that is a verbatim (whitespace/quote-normalised)
substring of its cited passage, and a claim that passage supports. What fails is dropped and
recorded (``VerificationDrop``); repairs by re-asking happen upstream, in the backends. A
sentence that states a verified side's claim as fact is attributed to it (``contested``).

Articles are data, and a passage that reads as instructions to a model (``injection``) is
never evidence: a citation or quote of it is dropped, and a sentence, claim, holder or topic
that carries what it planted is dropped (a topic is replaced by a neutral one). Invisible
characters are removed from model-written text; quotes keep the source's exact characters.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from pydantic import Field

from summarize.contract import (
    Disagreement,
    DisagreementKind,
    Position,
    QuoteCitation,
    Strict,
    SummarySentence,
    VerificationDrop,
)
from summarize.generate.draft import Draft, DraftPosition
from summarize.ingest.document import Passage
from summarize.text.holders import distinct_holders
from summarize.text.words import content_words, normalize_quote
from summarize.verify.contested import attribute_contested
from summarize.verify.injection import Planted, find_planted, visible
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
    # One line per paragraph that reads as planted instructions (for ``run.warnings``).
    warnings: list[str] = Field(default_factory=list)


_INJECTION = "possible prompt injection"
_NEUTRAL_TOPIC: dict[str, str] = {
    "actor_position": "Positions of {}",
    "source_discrepancy": "Accounts of {}",
    "framing": "Wording used by {}",
}


def verify(
    draft: Draft,
    passages: list[Passage],
    support: SupportCheck,
    settings: VerifySettings | None = None,
) -> Verified:
    settings = settings or VerifySettings()
    by_id = {p.id: p for p in passages}
    drops: list[VerificationDrop] = []

    planted = find_planted(passages)
    summary: list[SummarySentence] = []
    seen: set[str] = set()
    for sent in draft.summary:
        text = visible(sent.text).strip()
        if not text or normalize_quote(text).lower() in seen:
            continue
        cited = list(dict.fromkeys(c for c in sent.citations if c in by_id))
        for bad in (c for c in sent.citations if c not in by_id):
            drops.append(
                VerificationDrop(item="citation", text=f"{text} [{bad}]", reason="no such passage")
            )
        for bad in (c for c in cited if c in planted.passages):
            drops.append(
                VerificationDrop(
                    item="citation", text=f"{text} [{bad}]", reason=_planted_reason(planted, bad)
                )
            )
        cited = [c for c in cited if c not in planted.passages]
        if not cited:
            drops.append(
                VerificationDrop(item="summary_sentence", text=text, reason="no valid citation")
            )
            continue
        evidence = [visible(by_id[c].text) for c in cited]
        carried = planted.carried(text, evidence)
        if carried:
            drops.append(
                VerificationDrop(
                    item="summary_sentence", text=text, reason=f"{_INJECTION}: {carried}"
                )
            )
            continue
        score = support(text, evidence)
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
                _verify_position(pos, by_id, planted, support, settings, drops)
                for pos in dis.positions
            )
            if p is not None
        ]
        topic = visible(dis.topic).strip()
        if len(positions) < 2 or _distinct(dis.kind, [p.holder for p in positions]) < 2:
            # The positions that did verify go with it, so everything drafted and not output
            # is on record.
            kept = "".join(f" | {p.holder}: {p.claim}" for p in positions)
            drops.append(
                VerificationDrop(
                    item="disagreement",
                    text=topic + kept,
                    reason="fewer than two verified positions from different holders",
                )
            )
            continue
        topic = _verify_topic(topic, dis.kind, positions, by_id, planted, passages, drops)
        disagreements.append(
            Disagreement(
                id=f"D{len(disagreements) + 1}",
                kind=dis.kind,
                topic=topic,
                positions=positions,
                rule=dis.rule,
                evidence=dis.evidence,
            )
        )
    summary, attributed = attribute_contested(summary, disagreements)
    return Verified(
        summary=summary,
        disagreements=disagreements,
        drops=[*drops, *attributed],
        warnings=_planted_warnings(planted, passages),
    )


def _without_holder(claim: str, holder: str) -> str:
    """``claim`` with its holder's name taken out where it stands as the name ("Russia says
    ...", "The Hill reports ...": what the claim says, not who says it); the claim itself
    when nothing else would be left. Each alternative of the holder ("A; B", "X / Y") is
    taken out as its whole word sequence, and a person's surname alone ("Putin says" for
    "Vladimir Putin"); a word of the name used otherwise ("an independent inquiry" for "The
    Independent") stays. A one-word name is matched as capitalised, a longer one in any case."""
    rest = claim
    for pattern in _holder_patterns(holder):
        rest = pattern.sub(" ", rest)
    rest = " ".join(rest.split())
    return rest if content_words(rest) else claim


def _holder_patterns(holder: str) -> list[re.Pattern[str]]:
    forms: list[list[str]] = []
    for part in re.split(r"/|\bor\b|;", holder):
        words = re.findall(r"[\w’'&.-]+", part)
        if words and words[0].casefold() == "the":
            words = words[1:]
        if not words:
            continue
        forms.append(words)
        # A person named in full is also named by the surname ("Barack Obama" -> "Obama").
        if len(words) >= 2 and all(w[:1].isupper() for w in words) and words[-1].isalpha():
            forms.append(words[-1:])
    patterns = []
    for words in sorted(forms, key=len, reverse=True):  # the fullest form first
        seq = r"\s+".join(re.escape(w) for w in words)
        flags = re.IGNORECASE if len(words) >= 2 else 0
        patterns.append(re.compile(rf"(?<![\w-])(?:[Tt]he\s+)?{seq}(?![\w-])", flags))
    return patterns


def _distinct(kind: DisagreementKind, holders: list[str]) -> int:
    """How many different holders: people and governments by ``distinct_holders`` (a surname
    names its person); outlets by their exact names, since outlets share last words ("The
    Epoch Times", "Los Angeles Times") without being one. An outlet side may name several
    outlets ("A; B"): the same set is the same side."""
    if kind == "actor_position":
        return distinct_holders(holders)
    return len({frozenset(n.strip().casefold() for n in h.split(";")) for h in holders})


def _planted_reason(planted: Planted, pid: str) -> str:
    return (
        f"{_INJECTION}: passage {pid} reads as instructions to a model "
        f"({planted.passages[pid]}), never evidence"
    )


def _planted_warnings(planted: Planted, passages: list[Passage]) -> list[str]:
    paragraphs: dict[str, list[str]] = {}
    for p in passages:
        if p.id in planted.passages:
            paragraphs.setdefault(f"{p.article}.p{p.paragraph}", []).append(p.id)
    return [
        f"{_INJECTION} in {para} ({planted.passages[ids[0]]}): "
        f"{', '.join(ids)} never used as evidence"
        for para, ids in paragraphs.items()
    ]


def _verify_topic(
    topic: str,
    kind: DisagreementKind,
    positions: list[Position],
    by_id: dict[str, Passage],
    planted: Planted,
    passages: list[Passage],
    drops: list[VerificationDrop],
) -> str:
    """The topic is model-written and cites nothing: it must carry nothing planted, and in an
    event with planted passages it may use no word that no clean passage or holder uses.
    A topic that fails is replaced by a neutral one naming the holders (and recorded)."""
    evidence = [visible(by_id[c.passage].text) for p in positions for c in p.citations]
    why = planted.carried(topic, [*evidence, *(p.holder for p in positions)])
    if why is None and planted:
        known = {
            w
            for text in (
                *(p.text for p in passages if p.id not in planted.passages),
                *(p.holder for p in positions),
            )
            for w in content_words(visible(text))
        }
        # A five-letter prefix accepts derived forms ("accusation" for "accused").
        prefixes = {w[:5] for w in known if len(w) >= 5}
        novel = sorted(
            w for w in set(content_words(topic)) - known if len(w) < 5 or w[:5] not in prefixes
        )
        if novel:
            why = f"uses words no clean source uses ({', '.join(novel[:3])})"
    if why is None and topic:
        return topic
    holders = " and ".join(dict.fromkeys(p.holder for p in positions))
    neutral = _NEUTRAL_TOPIC[kind].format(holders)
    drops.append(
        VerificationDrop(
            item="disagreement",
            text=topic,
            reason=(f"topic: {_INJECTION}: {why}" if why else "empty topic")
            + f"; replaced by {neutral!r}",
        )
    )
    return neutral


def _verify_position(
    pos: DraftPosition,
    by_id: dict[str, Passage],
    planted: Planted,
    support: SupportCheck,
    settings: VerifySettings,
    drops: list[VerificationDrop],
) -> Position | None:
    holder, claim = visible(pos.holder).strip(), visible(pos.claim).strip()
    citations: list[QuoteCitation] = []
    for cit in pos.citations:
        passage = by_id.get(cit.passage)
        exact = find_verbatim(cit.quote, passage.text) if passage else None
        if passage is None or exact is None:
            why = "no such passage" if passage is None else "quote is not verbatim in the passage"
            drops.append(
                VerificationDrop(item="citation", text=f"{holder}: {cit.quote}", reason=why)
            )
            continue
        if passage.id in planted.passages:
            drops.append(
                VerificationDrop(
                    item="citation",
                    text=f"{holder}: {exact}",
                    reason=_planted_reason(planted, passage.id),
                )
            )
            continue
        if len(visible(exact).split()) < settings.min_quote_words:
            drops.append(
                VerificationDrop(
                    item="citation", text=f"{holder}: {exact}", reason="quote too short"
                )
            )
            continue
        citations.append(QuoteCitation(passage=passage.id, quote=exact))
    if not citations:
        drops.append(
            VerificationDrop(item="position", text=f"{holder}: {claim}", reason="no verified quote")
        )
        return None
    evidence = [visible(by_id[c.passage].text) for c in citations]
    # A holder's name may occur only in planted text (a full name the other articles
    # shorten): names get the instruction and trigram checks, and count as the claim's words.
    carried = planted.carried(holder, evidence, words=False) or planted.carried(
        claim, [*evidence, holder]
    )
    if carried:
        drops.append(
            VerificationDrop(
                item="position", text=f"{holder}: {claim}", reason=f"{_INJECTION}: {carried}"
            )
        )
        return None
    # The claim names its holder ("Russia says ...", "The Hill reports ..."): the name is
    # the side's, not a word the quoted passage must carry, nor one that supports the rest.
    score = support(_without_holder(claim, holder), evidence)
    if score < settings.min_claim_support:
        drops.append(
            VerificationDrop(
                item="position",
                text=f"{holder}: {claim}",
                reason=f"claim not supported by its quoted passage (support {score:.2f})",
            )
        )
        return None
    return Position(holder=holder, claim=claim, citations=citations)
