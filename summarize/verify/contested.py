"""Contested claims are attributed: a summary sentence that states a claim one side of a
reported disagreement makes (its claim or its verbatim quote) must name that side.

A summary written from consensus passages can still carry one side's wording: the lead
sentence an outlet framed its own way, a figure another outlet reports differently, a
government's accusation told as fact. Such a sentence is not dropped (a reader needs the
fact) but attributed: "According to <holder>, ...", and the change is recorded.

"Contains a claim" is one rule, shared with the eval's ``attribution`` metric
(``side_overlap``): the sentence repeats at least ``CONTAINS`` of the content words of the
side's claim (or of one of its quotes) that the other sides do not use.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache

from summarize.contract import Disagreement, Position, SummarySentence, VerificationDrop
from summarize.text.holders import text_names_holder
from summarize.text.lexicon import MONTHS, STOPWORDS, WEEKDAYS
from summarize.text.words import content_words

CONTAINS = 0.6
_FIRST_WORD = re.compile(r"[A-Za-z]+")
# Words of the stop list that are also names, titles or months: "May 5", "Mr Putin", "I",
# "Will Smith" keep their capital.
_KEEP_CAPITAL = frozenset([*MONTHS, *WEEKDAYS, "i", "mr", "mrs", "ms", "will"])


def side_overlap(said: Sequence[Sequence[str]], side: int, sentence: str) -> float:
    """How much of side ``side``'s claim ``sentence`` states, of a dispute whose sides said
    ``said`` (each side's texts: its claim, its quotes): the best share, over that side's
    texts, of the words the sentence repeats, counting only the words no other side uses.
    What the sides share ("the bill", "hate crimes") is the event they disagree about, not
    either claim: an outlet's sentence on a bill "aimed at improving data collection" does
    not state the other outlet's "sweeping bill to crack down on hate crimes". A text with
    no word of its own counts all its words; a text with a figure of its own is stated only
    by a sentence that gives that figure."""
    theirs = frozenset().union(*(_words(t) for j, ts in enumerate(said) if j != side for t in ts))
    heard = _words(sentence)
    best = 0.0
    for text in said[side]:
        own = (_words(text) - theirs) or _words(text)
        figures = {w for w in own if any(ch.isdigit() for ch in w)}
        if not own or (figures and not figures & heard):
            continue  # a side with a figure of its own is about that figure
        best = max(best, len(own & heard) / len(own))
    return best


@lru_cache(maxsize=4096)
def _words(text: str) -> frozenset[str]:
    # Cached: every summary sentence is compared with every side's claim and quotes.
    return frozenset(content_words(text))


def position_texts(position: Position) -> list[str]:
    """What a side said: its claim and its quotes."""
    return [position.claim, *(c.quote for c in position.citations)]


def contested_side(
    sentence: str, disagreements: list[Disagreement]
) -> tuple[Disagreement, Position] | None:
    """The side whose claim (or quote) the sentence states without naming its holder, best
    overlap first; None when every contested claim it carries is attributed."""
    best: tuple[float, Disagreement, Position] | None = None
    for d in disagreements:
        said = [position_texts(p) for p in d.positions]
        for i, pos in enumerate(d.positions):
            overlap = side_overlap(said, i, sentence)
            if overlap < CONTAINS or text_names_holder(sentence, pos.holder):
                continue
            if best is None or overlap > best[0]:
                best = (overlap, d, pos)
    return best[1:] if best else None


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


_ACCORDING = re.compile(r"^According to (?=\S)")
_LIST = re.compile(r",\s+|\s+and\s+")


def attributions(sentence: str) -> list[tuple[list[str], str]]:
    """The ways ``sentence`` reads as ``attributed``'s output: each (holder names, the
    sentence it was made from), the shortest holder first. A holder list has commas of its
    own ("According to KTLA, People and Starpulse, after she left ..."), so every comma
    that could end it is offered; the caller keeps the reading whose names it can check.
    Empty when the sentence is no attribution."""
    m = _ACCORDING.match(sentence)
    if not m:
        return []
    body = sentence[m.end() :]
    out: list[tuple[list[str], str]] = []
    for comma in re.finditer(r", ", body):
        holder, rest = body[: comma.start()], body[comma.end() :].strip()
        names = [n.strip() for n in _LIST.split(holder) if n.strip()]
        if names and rest:
            out.append((names, rest[0].upper() + rest[1:]))
    return out


def _holders(holder: str) -> str:
    names = [n.strip() for n in holder.split(";") if n.strip()]
    if len(names) < 2:
        return holder
    return ", ".join(names[:-1]) + " and " + names[-1]


def attribute_contested(
    summary: list[SummarySentence],
    disagreements: list[Disagreement],
    outlets: Mapping[str, str] | None = None,
) -> tuple[list[SummarySentence], list[VerificationDrop]]:
    """Each summary sentence that states a contested claim unattributed, rewritten to name
    its holder (citations unchanged: the passages still carry the words), with a record.

    Where the holders are outlets (a discrepancy or framing between outlets) the sentence is
    attributed to the outlets it cites (``outlets``: passage id -> its outlet as a reader
    names it): they wrote those words, and a reader following the citations must find the
    outlet the sentence names. A side held by two outlets does not make one outlet's
    sentence the other's, and a sentence that shares the side's words but comes from a
    third outlet is that outlet's account."""
    out: list[SummarySentence] = []
    records: list[VerificationDrop] = []
    for sent in summary:
        side = contested_side(sent.text, disagreements)
        if side is None:
            out.append(sent)
            continue
        dispute, position = side
        holder = position.holder
        if dispute.kind != "actor_position" and outlets:
            cited = [outlets[c] for c in sent.citations if c in outlets]
            holder = "; ".join(dict.fromkeys(cited)) or holder
        if text_names_holder(sent.text, holder):
            out.append(sent)  # it already names the outlet it comes from
            continue
        out.append(SummarySentence(text=attributed(sent.text, holder), citations=sent.citations))
        records.append(
            VerificationDrop(
                item="summary_sentence",
                text=sent.text,
                reason=(
                    f"states {position.holder}'s contested claim as fact; attributed to {holder}"
                ),
                action="attributed",
            )
        )
    return out, records
