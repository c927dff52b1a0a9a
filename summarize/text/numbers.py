"""The one number parser: digits with thousands separators and scale words ("2 million" ==
"2,000,000") and spelled-out numbers ("one hundred and thirty" == 130), each with its span."""

from __future__ import annotations

import re
from typing import NamedTuple

from summarize.text.lexicon import wordlist

_DIGITS = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*(thousand|million|billion|trillion))?",
    re.IGNORECASE,
)
# Punctuation stays in the token stream: it ends a spelled-out number.
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9']*|[.,;:!?()\"]")

_UNITS = {
    w: i
    for i, w in enumerate(
        wordlist(
            """
    zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen
    fifteen sixteen seventeen eighteen nineteen
    """
        )
    )
}
_TENS = {
    w: 10 * (i + 2)
    for i, w in enumerate(wordlist("twenty thirty forty fifty sixty seventy eighty ninety"))
}
_NUMBER_WORDS = _UNITS.keys() | _TENS.keys()
_SCALES = {"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
# Every word that can be part of a spelled-out number.
NUMBER_WORDS = frozenset(_NUMBER_WORDS | _SCALES.keys())


class Number(NamedTuple):
    surface: str
    value: float
    start: int
    end: int
    spelled: bool


def numbers(text: str) -> list[Number]:
    """Every number in ``text`` in order of appearance. A lone "one" or "zero" is skipped: it
    is far more often a pronoun ("one of the") than a count."""
    found: list[Number] = []
    for m in _DIGITS.finditer(text):
        value = float(m.group(1).replace(",", ""))
        if m.group(2):
            value *= _SCALES[m.group(2).lower()]
        found.append(Number(m.group(0), value, m.start(), m.end(), False))
    found.extend(_spelled(list(_TOKEN.finditer(text)), text))
    return sorted(found, key=lambda n: n.start)


def _spelled(tokens: list[re.Match[str]], text: str) -> list[Number]:
    found: list[Number] = []
    low = [t.group().lower() for t in tokens]
    i = 0
    while i < len(low):
        total, current = 0.0, 0.0
        span: list[str] = []
        j = i
        while j < len(low):
            t = low[j]
            if t in _UNITS:
                current += _UNITS[t]
            elif t in _TENS:
                current += _TENS[t]
            elif t == "hundred" and span:
                current = max(current, 1) * 100
            elif t in _SCALES and span:
                total += max(current, 1) * _SCALES[t]
                current = 0
            elif (
                t == "and"
                and span
                and j + 1 < len(low)
                and (low[j + 1] in _UNITS or low[j + 1] in _TENS)
            ):
                pass
            else:
                break
            span.append(t)
            j += 1
        if span and span != ["one"] and span != ["zero"]:
            start, end = tokens[i].start(), tokens[j - 1].end()
            found.append(Number(text[start:end], total + current, start, end, True))
        i = max(j, i + 1)
    return found
