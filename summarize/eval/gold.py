"""The hand-made gold annotation of an event (``*.gold.json``) and holder-name matching.

Gold files are development data: metrics read them at run time; nothing from them is ever
written into library code.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from summarize.contract import DisagreementKind
from summarize.text import STOPWORDS, fold


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class GoldDocument(Strict):
    outlet: str | None = None
    has_boilerplate: bool = False
    near_duplicate_of: str | None = None


class KeyFact(Strict):
    id: str
    fact: str
    docs: list[str] = Field(default_factory=list)


class GoldPosition(Strict):
    holder: str  # alternatives separated by "/", e.g. "Hollande / France"
    claim: str
    docs: list[str] = Field(default_factory=list)


class GoldDisagreement(Strict):
    id: str
    kind: DisagreementKind
    topic: str
    positions: list[GoldPosition] = Field(min_length=2)


class Gold(Strict):
    event: str
    date: str | None = None
    note: str | None = None
    documents: dict[str, GoldDocument] = Field(default_factory=dict)
    boilerplate_must_not_appear: list[str] = Field(default_factory=list)
    key_facts: list[KeyFact] = Field(default_factory=list)
    disagreements: list[GoldDisagreement] = Field(default_factory=list)
    framing_notes: list[str] = Field(default_factory=list)


def load_gold(path: Path) -> Gold:
    return Gold.model_validate(json.loads(path.read_text(encoding="utf-8")))


# --- holder matching ----------------------------------------------------------------------

_TOKEN = re.compile(r"[a-z0-9]+")
# Titles and function words say nothing about who holds a position.
_HOLDER_NOISE = STOPWORDS | {"president", "prime", "minister", "mr", "sen", "senator", "gov"}


def holder_alternatives(holder: str) -> list[frozenset[str]]:
    """Token sets of each alternative in a holder string ("Hollande / France" -> two)."""
    alts = []
    for part in re.split(r"/|\bor\b|;", holder):
        tokens = _tokens(part)
        if tokens:
            alts.append(frozenset(tokens))
    return alts


def _tokens(text: str) -> list[str]:
    return [t for t in _TOKEN.findall(fold(text)) if t not in _HOLDER_NOISE]


def _same(a: str, b: str) -> bool:
    # "Russia" / "Russian", "Iran" / "Iranian": a short suffix turns a name into its adjective.
    short, long_ = sorted((a, b), key=len)
    return short == long_ or (
        len(short) >= 4 and long_.startswith(short) and len(long_) - len(short) <= 3
    )


def _covered(part: frozenset[str], whole: set[str] | frozenset[str]) -> bool:
    return all(any(_same(t, w) for w in whole) for t in part)


def _surnames(holder: str) -> list[str]:
    # A trailing number ("France 24") is no surname.
    parts = (_tokens(p) for p in re.split(r"/|\bor\b|;", holder))
    return [t[-1] for t in parts if t and t[-1].isalpha() and len(t[-1]) >= 3]


def holders_match(gold_holder: str, found_holder: str) -> bool:
    """Any alternative matches when one name's tokens cover the other's, or a gold
    alternative's last token (a surname) occurs in the found holder. Case- and
    diacritic-insensitive; "Russia" matches "Russian"."""
    found_alts = holder_alternatives(found_holder)
    for alt in holder_alternatives(gold_holder):
        for found in found_alts:
            if _covered(alt, found) or _covered(found, alt):
                return True
    found_tokens = set(_tokens(found_holder))
    return any(_covered(frozenset([s]), found_tokens) for s in _surnames(gold_holder))


def text_names_holder(text: str, holder: str) -> bool:
    """Whether ``text`` names ``holder`` (any alternative; a surname alone is enough)."""
    tokens = set(_tokens(text))
    if any(_covered(alt, tokens) for alt in holder_alternatives(holder)):
        return True
    return any(_covered(frozenset([s]), tokens) for s in _surnames(holder))
