"""How someone received something: the words of English that report a reaction as warm
(welcomed, praised, "helpful") or cool (rejected, sceptical, "a cooler reception"), each with
its place in the text. A negator just before a word turns it ("did not welcome" is cool).

A general vocabulary of reception, not a list for any story: the words a reporter uses to say
how a person or government took a proposal, a deal or an offer."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from summarize.text.lexicon import wordlist
from summarize.text.negation import is_negator

Polarity = Literal["warm", "cool"]

_WARM = (
    r"welcom(?:e|ed|es|ing)|prais(?:e|ed|es|ing)|hail(?:ed|s|ing)?|applaud(?:ed|s|ing)?|"
    r"endors(?:e|ed|es|ing)|embrac(?:e|ed|es|ing)|champion(?:ed|s|ing)?|"
    r"helpful|constructive|"
    r"enthusiastic(?:ally)?|encouraging|"
    r"warm(?:ly)?\s+(?:welcome|reception|response)|positive\s+(?:reception|response|step)"
)
_COOL = (
    r"(?:(?:much|far|a)\s+)?(?:cool|cooler|cold|colder|chilly|frosty|lukewarm|muted)\s+"
    r"(?:reception|response|welcome)|"
    r"s[ck]eptic(?:al|ism)|wary|cautious(?:ly)?|caution(?:ed|s|ing)?|"
    r"reject(?:ed|s|ing)?|dismiss(?:ed|es|ing)?|rebuff(?:ed|s)?|"
    r"critici[sz](?:e|ed|es|ing)|condemn(?:ed|s|ing)?|denounc(?:e|ed|es|ing)|"
    r"unhelpful|counterproductive|counter-productive"
)
_TERM = re.compile(rf"\b(?:(?P<warm>{_WARM})|(?P<cool>{_COOL}))\b", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z']+")
# Degree adverbs of English: they grade a reception word without turning it, so the negator
# is looked for before them ("would not be very helpful" is cool).
_DEGREE = frozenset(
    wordlist("""very really extremely enormously hugely highly particularly especially
    terribly awfully so too quite entirely wholly fully overly most more""")
)


@dataclass(frozen=True)
class Reaction:
    polarity: Polarity
    start: int
    end: int
    surface: str


def reactions(text: str) -> list[Reaction]:
    """Every reaction word of ``text`` in order, turned by a negator one or two words before."""
    out = []
    for m in _TERM.finditer(text):
        polarity: Polarity = "warm" if m.group("warm") else "cool"
        before = _WORD.findall(text[: m.start()][-60:])
        while before and before[-1].lower() in _DEGREE:
            before.pop()
        before = before[-2:]
        if any(is_negator(w.lower()) for w in before):
            polarity = "cool" if polarity == "warm" else "warm"
        out.append(Reaction(polarity, m.start(), m.end(), m.group()))
    return out
