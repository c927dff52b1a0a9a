"""Negation: which words a negator governs, and whether one text negates what another
states plainly. The one negator list every stage uses."""

from __future__ import annotations

import re

from summarize.text.lexicon import STOPWORDS
from summarize.text.words import fold, stem

_TOKEN = re.compile(r"[a-z0-9][a-z0-9'\-]*|[.,;:!?()\"]")
# Words that negate what follows them; their scope is the next few content words.
NEGATORS = frozenset(
    [
        "not",
        "no",
        "never",
        "without",
        "none",
        "nobody",
        "nothing",
        "neither",
        "nor",
        "cannot",
        "fail",
        "fails",
        "failed",
        "failing",
        "unable",
        "refused",
    ]
)
_SCOPE = 4


def is_negator(token: str) -> bool:
    return token in NEGATORS or token.endswith("n't")


def has_negation(text: str) -> bool:
    """Whether any word of ``text`` is a negator ("not", "never", "didn't", "refused", ...)."""
    return any(is_negator(t) for t in _TOKEN.findall(fold(text)))


def _negated_scopes(text: str) -> tuple[list[set[str]], set[str]]:
    """Content-word stems in the scope of each negator, and the stems outside any scope."""
    tokens = _TOKEN.findall(fold(text))
    scopes: list[set[str]] = []
    free: set[str] = set()
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if is_negator(t):
            scope: set[str] = set()
            j = i + 1
            while j < len(tokens) and len(scope) < _SCOPE and tokens[j][0].isalnum():
                if tokens[j] not in STOPWORDS and tokens[j] not in NEGATORS:
                    scope.add(stem(tokens[j]))
                j += 1
            if scope:
                scopes.append(scope)
            i = j
            continue
        if t[0].isalnum() and t not in STOPWORDS:
            free.add(stem(t))
        i += 1
    return scopes, free


def negation_flip(claim: str, sentence: str) -> str:
    """Non-empty (a description) when one side negates what the other states plainly: the
    content words under a negation on one side occur un-negated on the other side."""
    for a, b, who in ((sentence, claim, "evidence"), (claim, sentence, "claim")):
        scopes_a, free_a = _negated_scopes(a)
        scopes_b, free_b = _negated_scopes(b)
        negated_b = set().union(*scopes_b) if scopes_b else set()
        for scope in scopes_a:
            shared = scope & free_b - negated_b
            # Words the negating side also states plainly ("strike only X, not strike Y")
            # cannot show a flip: as many shared words as the overlap needs must occur only
            # negated there, or one shared noun ("groups") flips a sentence that agrees.
            only_negated = shared - free_a
            if len(shared) >= min(2, len(scope)) and len(only_negated) >= min(2, len(scope)):
                return f"{who} negates {', '.join(sorted(only_negated))}"
    return ""
