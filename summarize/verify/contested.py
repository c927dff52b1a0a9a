"""Contested claims are attributed: a summary sentence that states a claim one side of a
reported disagreement makes (its claim or its verbatim quote) must name that side.

A summary written from consensus passages can still carry one side's wording: the lead
sentence an outlet framed its own way, a figure another outlet reports differently, a
government's accusation told as fact. Such a sentence is not dropped (a reader needs the
fact) but attributed: "According to <holder>, ...", and the change is recorded.

"Contains a claim" is one rule, shared with the eval's ``attribution`` metric: the sentence
repeats at least ``CONTAINS`` of the claim's (or the quote's) content words.
"""

from __future__ import annotations

import re
from functools import lru_cache

from summarize.contract import Disagreement, SummarySentence, VerificationDrop
from summarize.text.holders import text_names_holder
from summarize.text.lexicon import MONTHS, STOPWORDS, WEEKDAYS
from summarize.text.words import content_words

CONTAINS = 0.6
_FIRST_WORD = re.compile(r"[A-Za-z]+")
# Words of the stop list that are also names, titles or months: "May 5", "Mr Putin", "I",
# "Will Smith" keep their capital.
_KEEP_CAPITAL = frozenset([*MONTHS, *WEEKDAYS, "i", "mr", "mrs", "ms", "will"])


def claim_overlap(claim: str, sentence: str) -> float:
    """Share of the claim's content words that the sentence repeats."""
    return _overlap(claim, _words(sentence))


@lru_cache(maxsize=4096)
def _words(text: str) -> frozenset[str]:
    # Cached: every summary sentence is compared with every side's claim and quotes.
    return frozenset(content_words(text))


def _overlap(claim: str, sentence_words: frozenset[str]) -> float:
    c = _words(claim)
    return len(c & sentence_words) / len(c) if c else 0.0


def contested_holder(sentence: str, disagreements: list[Disagreement]) -> str | None:
    """The holder whose claim (or quote) the sentence states without naming them, best
    overlap first; None when every contested claim it carries is attributed."""
    best: tuple[float, str] | None = None
    words = _words(sentence)
    for d in disagreements:
        for pos in d.positions:
            texts = [pos.claim, *(c.quote for c in pos.citations)]
            overlap = max(_overlap(t, words) for t in texts)
            if overlap < CONTAINS or text_names_holder(sentence, pos.holder):
                continue
            if best is None or overlap > best[0]:
                best = (overlap, pos.holder)
    return best[1] if best else None


def attributed(sentence: str, holder: str) -> str:
    """``sentence`` as ``holder``'s account. A sentence-initial function word loses its
    capital ("The West ..." -> "the West ..."); a name, a title, a month keeps it ("May 5
    ...", "Mr Putin ...", "US forces ..."). A side of several outlets ("A; B", either holds
    it) reads "A and B"."""
    first = _FIRST_WORD.match(sentence)
    if first:
        word = first.group()
        if word == word.capitalize() and word.lower() in STOPWORDS - _KEEP_CAPITAL:
            sentence = sentence[0].lower() + sentence[1:]
    return f"According to {_holders(holder)}, {sentence}"


def _holders(holder: str) -> str:
    names = [n.strip() for n in holder.split(";") if n.strip()]
    if len(names) < 2:
        return holder
    return ", ".join(names[:-1]) + " and " + names[-1]


def attribute_contested(
    summary: list[SummarySentence], disagreements: list[Disagreement]
) -> tuple[list[SummarySentence], list[VerificationDrop]]:
    """Each summary sentence that states a contested claim unattributed, rewritten to name
    its holder (citations unchanged: the passages still carry the words), with a record."""
    out: list[SummarySentence] = []
    records: list[VerificationDrop] = []
    for sent in summary:
        holder = contested_holder(sent.text, disagreements)
        if holder is None:
            out.append(sent)
            continue
        out.append(SummarySentence(text=attributed(sent.text, holder), citations=sent.citations))
        records.append(
            VerificationDrop(
                item="summary_sentence",
                text=sent.text,
                reason=f"states {holder}'s contested claim as fact; attributed to {holder}",
                action="attributed",
            )
        )
    return out, records
