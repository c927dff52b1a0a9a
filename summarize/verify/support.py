"""Support scoring: cheap, model-free signals between a claim and source text.

Used twice: by the pipeline's verifier (``lexical_support``: drop sentences and claims the
sources do not support) and by the offline faithfulness judge (``signals`` as features). So
everything here is deterministic and fast: no model, no network. The text pieces (sentences,
numbers, names, negation, BM25) come from ``summarize.text``.
"""

from __future__ import annotations

import re

from pydantic import Field

from summarize.contract import Strict
from summarize.text.bm25 import retrieve
from summarize.text.countries import COUNTRIES
from summarize.text.names import canonical_token, name_spans
from summarize.text.negation import negation_flip
from summarize.text.numbers import numbers
from summarize.text.sentences import split_text
from summarize.text.words import content_words, fold, stem

_TOKEN = re.compile(r"[a-z0-9][a-z0-9'\-]*|[.,;:!?()\"]")
_QUOTED = re.compile(r"[\"“]([^\"“”]{3,300}?)[\"”]")


class Signals(Strict):
    """Exact-match evidence for or against a claim. Missing lists hold the claim's surface forms."""

    numbers: int = 0
    numbers_missing: list[str] = Field(default_factory=list)
    entities: int = 0
    entities_missing: list[str] = Field(default_factory=list)
    quotes: int = 0
    quotes_missing: list[str] = Field(default_factory=list)
    negation_flip: bool = False
    negation_detail: str = ""
    coverage: float = 0.0  # share of the claim's content words found anywhere in the evidence
    window_coverage: float = 0.0  # ... found in the best-matching few sentences
    novel_words: list[str] = Field(default_factory=list)  # content words absent from evidence
    best_sentence: str = ""


def _vocab(text: str) -> set[str]:
    return {canonical_token(t) for t in _TOKEN.findall(fold(text)) if t[0].isalnum()}


def _known(key: str, vocab: set[str], prefixes: set[str]) -> bool:
    # A five-letter prefix accepts inflections and most demonyms ("Romanian" for "Romania");
    # the country table covers the rest ("Chinese" for "China", "French" for "France").
    if key in vocab or stem(key) in vocab or (len(key) >= 5 and key[:5] in prefixes):
        return True
    country = COUNTRIES.lookup(key, demonym_ok=True)
    return country is not None and any(
        all(t in vocab for t in fold(form).split()) for form in (country.name, *country.demonyms)
    )


def _norm_phrase(text: str) -> str:
    return " ".join(t for t in _TOKEN.findall(fold(text)) if t[0].isalnum())


def _coverage(claim_words: set[str], evidence_words: set[str]) -> float:
    return len(claim_words & evidence_words) / len(claim_words) if claim_words else 0.0


def signals(claim: str, evidence: list[str], window: int = 2) -> Signals:
    """Exact signals for ``claim`` against ``evidence`` (full texts or passages). The negation
    check and ``window_coverage`` use the ``window`` best-matching evidence sentences."""
    text = "\n".join(evidence)
    # Split piece by piece (the same sentences as splitting ``text``: each line is split on
    # its own), so a passage cited by several claims is split once (``split_text`` caches).
    sentences = [s for piece in evidence for s in split_text(piece)]
    vocab = _vocab(text)
    prefixes = {v[:5] for v in vocab if len(v) >= 5}
    values = {round(n.value, 6) for n in numbers(text)}
    out = Signals()
    for number in numbers(claim):
        out.numbers += 1
        if round(number.value, 6) not in values:
            out.numbers_missing.append(number.surface)
    for surface, keys in name_spans(claim):
        out.entities += 1
        if not all(_known(k, vocab, prefixes) for k in keys):
            out.entities_missing.append(surface)
    phrase_text = _norm_phrase(text)
    for quote in _QUOTED.findall(claim):
        if len(_norm_phrase(quote).split()) >= 2:
            out.quotes += 1
            if _norm_phrase(quote) not in phrase_text:
                out.quotes_missing.append(quote)
    claim_words = set(content_words(claim))
    evidence_words = set(content_words(text))
    out.coverage = _coverage(claim_words, evidence_words)
    out.novel_words = sorted(claim_words - evidence_words)
    top = retrieve(claim, sentences, k=window)
    if top:
        out.best_sentence = sentences[top[0][0]]
        out.negation_detail = negation_flip(claim, out.best_sentence)
        out.negation_flip = bool(out.negation_detail)
        best_words = {w for i, _ in top for w in content_words(sentences[i])}
        out.window_coverage = _coverage(claim_words, best_words)
    return out


def lexical_support(claim: str, evidence: list[str]) -> float:
    """A model-free support score in [0, 1] for the verifier: the content-word coverage of
    the best-matching sentences, halved for each kind of contradiction an exact check sees
    (a number, name or quote absent from the evidence; a negation flip)."""
    if not content_words(claim) or not any(e.strip() for e in evidence):
        return 0.0
    s = signals(claim, evidence)
    score = s.window_coverage
    for bad in (s.numbers_missing, s.entities_missing, s.quotes_missing, s.negation_flip):
        if bad:
            score *= 0.5
    return max(0.0, min(1.0, score))
