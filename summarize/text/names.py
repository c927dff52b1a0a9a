"""Capitalised name spans in free text, and month names in one canonical form. Used where no
event-wide entity index exists (the verifier's and the judge's exact signals)."""

from __future__ import annotations

import re

from summarize.text.lexicon import MONTHS, STOPWORDS
from summarize.text.sentences import split_text
from summarize.text.words import fold

_CAP_TOKEN = re.compile(r"[A-ZÀ-Þ][\w'’\-]*")
_MONTHS = {m[:3]: m for m in MONTHS}
_MONTHS["sept"] = "september"


def canonical_token(word: str) -> str:
    """Month abbreviations to full names, so "Dec. 29" matches "December 29"."""
    w = word.rstrip(".")
    full = _MONTHS.get(w[:3])
    if full and w in (w[:3], "sept", full):
        return full
    return w


def name_spans(text: str) -> list[tuple[str, list[str]]]:
    """Capitalised spans (surface, folded key tokens). Sentence-initial function words
    ("The", "However") are not names; titles and other stop words inside a span are dropped."""
    found: list[tuple[str, list[str]]] = []
    for sentence in split_text(text):
        span: list[str] = []
        start = 0
        tokens = re.findall(r"\S+", sentence)
        for idx, raw in enumerate([*tokens, ""]):
            word = raw.strip("\"“”'‘’(),;:!?.")
            if word and _CAP_TOKEN.fullmatch(word) and not (idx == 0 and fold(word) in STOPWORDS):
                start = idx if not span else start
                span.append(word)
                continue
            # A lone capitalised first word is usually just a sentence start ("Shares fell").
            if span and not (start == 0 and len(span) == 1):
                keys = [canonical_token(fold(w)) for w in span]
                keys = [k.strip("'-") for k in keys if k not in STOPWORDS and len(k) > 1]
                if keys:
                    found.append((" ".join(span), keys))
            span = []
    return found
