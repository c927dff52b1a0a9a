"""The one holder matcher: whether two names of who holds a position denote the same holder.

Used by the verifier (a disagreement needs two different holders), the writer (the rules and
the model found the same conflict) and the eval (a reported side matches a gold side). Within
one event, surface forms are first resolved to canonical names by the entity index
(``analysis.entities``); this matcher compares names that come from different places.
A holder string may list alternatives: "Hollande / France".
"""

from __future__ import annotations

import re

from summarize.text.lexicon import COLLECTIVE_HEADS, OUTLET_WORDS, STOPWORDS
from summarize.text.words import fold

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


def _squashed(holder: str) -> set[str]:
    """Each alternative with everything but letters and digits removed (of six or more)."""
    alts = (re.sub(r"[^a-z0-9]", "", fold(part)) for part in re.split(r"/|\bor\b|;", holder))
    return {a for a in alts if len(a) >= 6}


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
    # A trailing number ("France 24") is no surname, nor a publication word: "The Epoch
    # Times" and "Los Angeles Times" are two outlets, not one family.
    parts = (_tokens(p) for p in re.split(r"/|\bor\b|;", holder))
    return [
        t[-1]
        for t in parts
        if t and t[-1].isalpha() and len(t[-1]) >= 3 and t[-1] not in OUTLET_WORDS
    ]


def holders_match(gold_holder: str, found_holder: str) -> bool:
    """Any alternative matches when one name's tokens cover the other's, or a gold
    alternative's last token (a surname) occurs in the found holder. Case- and
    diacritic-insensitive; "Russia" matches "Russian"."""
    if _squashed(gold_holder) & _squashed(found_holder):
        return True  # "The Hollywood Gossip" / "Thehollywoodgossip" (a site name run together)
    found_alts = holder_alternatives(found_holder)
    for alt in holder_alternatives(gold_holder):
        for found in found_alts:
            if _covered(alt, found) or _covered(found, alt):
                return True
    found_tokens = set(_tokens(found_holder))
    return any(_covered(frozenset([s]), found_tokens) for s in _surnames(gold_holder))


def text_names_holder(text: str, holder: str) -> bool:
    """Whether ``text`` names ``holder`` (any alternative; a surname alone is enough). A
    group named by a modifier and a collective noun is named by the modifier: "the West"
    and "Western officials" name "Western governments". (Only here: as holders, "Russian
    officials" and "Russian media" stay two.)"""
    tokens = set(_tokens(text))
    if any(_covered(alt, tokens) for alt in holder_alternatives(holder)):
        return True
    if any(_group_named(alt, _TOKEN.findall(fold(text))) for alt in holder_alternatives(holder)):
        return True
    return any(_covered(frozenset([s]), tokens) for s in _surnames(holder))


def _group_named(alt: frozenset[str], words: list[str]) -> bool:
    """``alt`` is one modifier and collective nouns ("western governments"), and ``words``
    name the group as a noun: the modifier before a collective noun ("Western officials") or
    its shorter form after "the" ("the West"). Not as an adjective of something else: in
    "Western-backed rebels" the West holds nothing."""
    heads = alt & COLLECTIVE_HEADS
    rest = alt - heads
    if not heads or len(rest) != 1:
        return False
    (modifier,) = rest
    for i, w in enumerate(words):
        if not _same(w, modifier):
            continue
        if i + 1 < len(words) and words[i + 1] in COLLECTIVE_HEADS:
            return True
        if i > 0 and words[i - 1] == "the" and len(w) < len(modifier):
            return True
    return False


def same_holder(a: str, b: str) -> bool:
    """``holders_match`` in either direction (a surname on either side is enough)."""
    return holders_match(a, b) or holders_match(b, a)


def distinct_holders(holders: list[str]) -> int:
    """How many different holders the list names (greedy grouping by ``same_holder``)."""
    groups: list[str] = []
    for h in holders:
        if not any(same_holder(h, g) for g in groups):
            groups.append(h)
    return len(groups)
