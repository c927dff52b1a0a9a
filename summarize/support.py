"""Cheap, model-free support signals between a claim and source text, and evidence retrieval.

Used twice: by the faithfulness judge (as features, and to pick the evidence the model reads)
and by the pipeline's verifier (to drop summary sentences the sources do not support). So
everything here is pure Python, deterministic and fast: no model, no network.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field

from summarize.geo import COUNTRIES
from summarize.text import STOPWORDS, content_words, fold, stem

# Sentence ends: a line break, or terminal punctuation (optionally closing a quote/bracket)
# followed by space and an upper-case letter, digit or opening quote.
_SENT_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")
_ABBREV = re.compile(
    r"(?:^|\s)(?:[A-Z]|[A-Z]\.[A-Z]|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|Mr|Mrs|Ms|Dr|St|"
    r"Jr|Sr|Gen|Gov|Sen|Rep|Lt|Col|Capt|Prof|Inc|Corp|Co|Ltd|No|vs)\.$"
)
_TOKEN = re.compile(r"[a-z0-9][a-z0-9'\-]*|[.,;:!?()\"]")
_CAP_TOKEN = re.compile(r"[A-ZÀ-Þ][\w'’\-]*")
_QUOTED = re.compile(r"[\"“]([^\"“”]{3,300}?)[\"”]")
_DIGITS = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*(thousand|million|billion|trillion))?",
    re.IGNORECASE,
)

_UNITS = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ]
    )
}
_TENS = {
    w: 10 * (i + 2)
    for i, w in enumerate(
        ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    )
}
_SCALES = {"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_MONTHS = {
    m[:3]: m
    for m in [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ]
}
_MONTHS["sept"] = "september"
# Words that negate what follows them; their scope is the next few content words.
_NEGATORS = frozenset(
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


class Signals(BaseModel):
    """Exact-match evidence for or against a claim. Missing lists hold the claim's surface forms."""

    model_config = ConfigDict(extra="forbid")

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


def split_sentences(text: str) -> list[str]:
    """Line breaks and sentence-final punctuation; good enough for news, no model needed. A
    piece ending in a known abbreviation ("Dec.", "Mr.", "U.S.") is joined to the next."""
    out: list[str] = []
    for line in text.splitlines():
        merged: list[str] = []
        for piece in (s.strip() for s in _SENT_END.split(line)):
            if piece and merged and _ABBREV.search(merged[-1]):
                merged[-1] = f"{merged[-1]} {piece}"
            elif piece:
                merged.append(piece)
        out.extend(merged)
    return out


def _number_words(tokens: list[str]) -> list[tuple[str, float]]:
    """Spelled-out numbers ("one hundred and thirty" -> 130). A lone "one" is skipped: it is
    far more often a pronoun ("one of the") than a count."""
    found: list[tuple[str, float]] = []
    i = 0
    while i < len(tokens):
        total, current = 0.0, 0.0
        span: list[str] = []
        j = i
        while j < len(tokens):
            t = tokens[j]
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
                and j + 1 < len(tokens)
                and (tokens[j + 1] in _UNITS or tokens[j + 1] in _TENS)
            ):
                pass
            else:
                break
            span.append(t)
            j += 1
        if span and span != ["one"] and span != ["zero"]:
            found.append((" ".join(span), total + current))
        i = max(j, i + 1)
    return found


def numbers(text: str) -> list[tuple[str, float]]:
    """(surface form, value) for every number: digits, thousands separators, scale words
    ("2 million" == "2,000,000") and spelled-out numbers."""
    found: list[tuple[str, float]] = []
    for m in _DIGITS.finditer(text):
        value = float(m.group(1).replace(",", ""))
        if m.group(2):
            value *= _SCALES[m.group(2).lower()]
        found.append((m.group(0), value))
    # Punctuation and digits stay in the stream: they end a spelled-out number.
    tokens = [p for t in _TOKEN.findall(fold(text)) for p in t.split("-") if p]
    found.extend(_number_words(tokens))
    return found


def _canon(word: str) -> str:
    """Month abbreviations to full names, so "Dec. 29" matches "December 29"."""
    w = word.rstrip(".")
    full = _MONTHS.get(w[:3])
    if full and w in (w[:3], "sept", full):
        return full
    return w


def entities(text: str) -> list[tuple[str, list[str]]]:
    """Capitalised spans (surface, folded key tokens). Sentence-initial function words
    ("The", "However") are not names; titles and other stop words inside a span are dropped."""
    found: list[tuple[str, list[str]]] = []
    for sentence in split_sentences(text):
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
                keys = [_canon(fold(w)) for w in span]
                keys = [k.strip("'-") for k in keys if k not in STOPWORDS and len(k) > 1]
                if keys:
                    found.append((" ".join(span), keys))
            span = []
    return found


def _vocab(text: str) -> set[str]:
    return {_canon(t) for t in _TOKEN.findall(fold(text)) if t[0].isalnum()}


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


def _negated_scopes(text: str) -> tuple[list[set[str]], set[str]]:
    """Content-word stems in the scope of each negator, and the stems outside any scope."""
    tokens = _TOKEN.findall(fold(text))
    scopes: list[set[str]] = []
    free: set[str] = set()
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if t in _NEGATORS or t.endswith("n't"):
            scope: set[str] = set()
            j = i + 1
            while j < len(tokens) and len(scope) < _SCOPE and tokens[j][0].isalnum():
                if tokens[j] not in STOPWORDS and tokens[j] not in _NEGATORS:
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
            # cannot show a flip: at least one shared word must occur only negated there.
            if len(shared) >= min(2, len(scope)) and shared - free_a:
                return f"{who} negates {', '.join(sorted(shared - free_a))}"
    return ""


class _BM25:
    def __init__(self, docs: Sequence[Sequence[str]], k1: float = 1.2, b: float = 0.75) -> None:
        self.docs = [Counter(d) for d in docs]
        self.lengths = [len(d) for d in docs]
        self.avg = (sum(self.lengths) / len(docs)) if docs else 0.0
        df: Counter[str] = Counter()
        for d in self.docs:
            df.update(d.keys())
        n = len(docs)
        self.idf = {t: math.log(1 + (n - c + 0.5) / (c + 0.5)) for t, c in df.items()}
        self.k1, self.b = k1, b

    def score(self, query: Sequence[str], i: int) -> float:
        doc, norm = self.docs[i], 1 - self.b + self.b * self.lengths[i] / (self.avg or 1.0)
        return sum(
            self.idf[t] * doc[t] * (self.k1 + 1) / (doc[t] + self.k1 * norm)
            for t in set(query)
            if t in doc
        )


def retrieve(claim: str, sentences: Sequence[str], k: int = 5) -> list[tuple[int, float]]:
    """The ``k`` best-matching sentences for ``claim`` by BM25 over stemmed content words:
    (index, score), best first; ties keep source order; zero-score sentences are left out."""
    query = content_words(claim)
    if not query or not sentences or k <= 0:
        return []
    index = _BM25([content_words(s) for s in sentences])
    scored = [(i, index.score(query, i)) for i in range(len(sentences))]
    scored = [p for p in scored if p[1] > 0]
    scored.sort(key=lambda p: (-p[1], p[0]))
    return scored[:k]


def _coverage(claim_words: set[str], evidence_words: set[str]) -> float:
    return len(claim_words & evidence_words) / len(claim_words) if claim_words else 0.0


def signals(claim: str, evidence: list[str], window: int = 2) -> Signals:
    """Exact signals for ``claim`` against ``evidence`` (full texts or passages). The negation
    check and ``window_coverage`` use the ``window`` best-matching evidence sentences."""
    text = "\n".join(evidence)
    sentences = split_sentences(text)
    vocab = _vocab(text)
    prefixes = {v[:5] for v in vocab if len(v) >= 5}
    values = {round(v, 6) for _, v in numbers(text)}
    out = Signals()
    for surface, value in numbers(claim):
        out.numbers += 1
        if round(value, 6) not in values:
            out.numbers_missing.append(surface)
    for surface, keys in entities(claim):
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
