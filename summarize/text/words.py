"""Normalisation, word tokens, the one stemmer and content words. Dependency-free because every
stage calls them on every passage."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from summarize.text.lexicon import STOPWORDS

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’\-]*")
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "«": '"', "»": '"'})
_SPACE = re.compile(r"\s+")
_ALNUM = re.compile(r"[a-z0-9]+")


def fold(text: str) -> str:
    """Lower-case, strip diacritics and unify quote characters."""
    if text.isascii():  # most news text: nothing to decompose or unify
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.translate(_QUOTES))
    if decomposed.isascii():
        return decomposed.lower()
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def normalize_quote(text: str) -> str:
    """Whitespace- and quote-normalised form used to compare quotes with sources."""
    return _SPACE.sub(" ", text.translate(_QUOTES)).strip()


def tokens(text: str) -> list[str]:
    """Runs of letters and digits of the folded text: the form exact-match comparisons use
    (titles, repeated paragraphs, shingles)."""
    return _ALNUM.findall(fold(text))


def words(text: str) -> list[str]:
    return [w.strip("'’-") for w in _WORD.findall(fold(text)) if w.strip("'’-")]


# A news event has a few thousand distinct words, each stemmed many times over (every rule
# reads every passage): the stem is looked up, not recomputed.
@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    # Crude plural/tense folding is enough for overlap scoring and needs no model.
    for suffix in ("ing", "ies", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def content_words(text: str) -> list[str]:
    return list(_content_words(text))


# Every analysis rule, the verifier and the checks read the same passages' content words.
@lru_cache(maxsize=8192)
def _content_words(text: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in words(text) if w not in STOPWORDS and len(w) > 1)


def visible(text: str) -> str:
    """Text as one line a reader (or a model) sees: invisible format characters (zero-width,
    bidi controls, Unicode tags) removed, so nothing can reorder or hide what is shown;
    control characters and runs of white space collapsed into one space."""
    kept = "".join(
        " " if unicodedata.category(ch) == "Cc" else ch
        for ch in text
        if unicodedata.category(ch) != "Cf"
    )
    return _SPACE.sub(" ", kept).strip()
