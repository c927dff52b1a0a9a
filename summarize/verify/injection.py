"""Planted instructions in source text (prompt injection, OWASP LLM01).

Articles are data. The prompts delimit them as data (``generate.writer``); this module is the
check after the model: it finds passages that read as instructions addressed to a language
model rather than as news, so that the verifier never uses them as evidence, and it finds
output text that carries what such a passage planted.

A passage is *planted* when its paragraph (the passages of one paragraph, joined) matches one
of ``PATTERNS`` after invisible characters are removed (zero-width, bidi controls, Unicode
tags: every format character, category Cf), or when it follows a paragraph made only of a
fake turn header (``<|im_start|>assistant``, ``Assistant:``) in the same article: the turn's
content. The patterns are specific to text addressed to a model (override of instructions,
chat-template tokens, role lines, our answer schemas' JSON keys, our data-block tags, HTML
comments, "note to AI summarisers", "your summary must ...") so that news about the event
does not match; ``tests/verify/test_injection.py`` measures false positives on every corpus
the repository carries.

Output text (a summary sentence, a claim, a topic, a holder) *carries planted content* when
it matches ``PATTERNS`` itself, or when it shares with a planted passage a word trigram or a
content word that the event's other passages never use and that its own evidence lacks.

Source text is never rewritten here: passages keep their exact characters, so quotes stay
verbatim; ``visible`` is only what the checks (and prompts, and Markdown) look at.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from summarize.ingest.document import Passage
from summarize.text.lexicon import STOPWORDS
from summarize.text.words import content_words, fold

_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"[a-z0-9]+")

_ROLE = r"(?:system|assistant|user|human|developer|instructions?)"
_MODEL = (
    r"(?:ai|a\.i\.|llms?|language models?|chatbots?|assistants?|bots?|gpts?|chatgpt|claude|"
    r"summari[sz]ers?|summari[sz]ation (?:models?|tools?|systems?))"
)
_DO = (
    r"(?:ignore|disregard|forget|write|say|state|report|output|print|include|mention|omit|"
    r"repeat|respond|reply|answer|summari[sz]e|describe|call|claim|do not|don't|never|always)"
)
_OUTPUT = r"(?:summary|summaries|output|answer|response|reply)"
_WRITTEN = r"(?:summary|summaries|output)"

# (why, pattern) over the folded, visible, whitespace-collapsed text (see ``_norm``).
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (why, re.compile(rx))
    for why, rx in (
        (
            "tells the model to ignore its instructions",
            r"\b(?:ignore|disregard|forget|override|bypass)\b\W+(?:\w+\W+){0,4}?"
            r"(?:instructions?|prompts?|directives?|system (?:messages?|rules))\b",
        ),
        (
            "tells the model to ignore the sources",
            r"\b(?:ignore|disregard)\b\W+(?:all\W+)?(?:of\W+)?(?:the\W+|these\W+|your\W+)?"
            r"(?:(?:above|previous|other)\W+)?(?:sources|passages|articles above|text above|"
            r"statements above|evidence)\b",
        ),
        (
            "announces new instructions",
            r"\b(?:new|updated|revised|hidden|secret|real) "
            r"(?:instructions?|directives?|task)\s*(?::|follow)",
        ),
        (
            "addresses a language model",
            rf"\b(?:note|message|instructions?) (?:to|for) "
            rf"(?:the |all |any )?{_MODEL}\b",
        ),
        ("addresses a language model", rf"\b{_MODEL}\s*[:,]\s*(?:please\s+)?{_DO}\b"),
        ("addresses a language model", rf"\bas an? (?:ai|language model|llm|{_MODEL})\b"),
        (
            "addresses a language model",
            r"\byou are now (?:in [\w\- ]{1,20} mode|an? |the |acting|unrestricted)",
        ),
        ("addresses a language model", rf"\byou are (?:an? )?{_MODEL}\b"),
        ("dictates the output", rf"\byour (?:{_OUTPUT}|instructions|prompt)\b"),
        (
            "dictates the output",
            rf"\b(?:the|this|every|any|each) {_WRITTEN}\b(?: of this event)?\s+"
            r"(?:must|should|shall|has to|needs? to)\b",
        ),
        (
            "dictates the output",
            rf"\b{_DO}\b[^.]{{0,40}}\b(?:in|into) (?:the|your) {_WRITTEN}\b",
        ),
        (
            "chat-template token",
            r"<\|[a-z_]{2,30}\|>|\[/?inst\]|<</?sys>>|<\|?(?:im_start|im_end|endoftext|"
            r"eot_id|start_header_id|end_header_id)\|?>",
        ),
        ("fake conversation turn", rf"^\W{{0,6}}{_ROLE}\s*[\]>)]?\s*:"),
        ("fake conversation turn", rf"#{{2,}}\s*{_ROLE}\b|\[{_ROLE}\]"),
        ("names the system prompt", r"\bsystem (?:prompt|message|override)s?\b"),
        (
            "JSON of an answer schema",
            r"[{,]\s*\"(?:sentence|citations|conflict|topic|claims|claim|verdict)\"\s*:",
        ),
        (
            "prompt data-block tag",
            r"</?\s*(?:passages?|statements?|evidence|summary|claims?|data|articles?|sources?|"
            rf"names|{_ROLE})\s*>",
        ),
        ("HTML comment", r"<!--|-->"),
    )
)

# A paragraph made only of a turn header: the paragraph after it is the fake turn's content.
_TURN_HEADER = re.compile(
    r"^\W*(?:(?:<\|?[a-z_]{2,30}\|?>|\[/?inst\]|<</?sys>>)\W*)*"
    rf"(?:#{{0,6}}\s*{_ROLE}\s*[\]>)]?\s*:?)?\W*$"
)


def is_invisible(ch: str) -> bool:
    """Format characters (zero-width space/joiners, bidi controls, BOM, soft hyphen, Unicode
    tags): they render as nothing, so they can hide or split words."""
    return unicodedata.category(ch) == "Cf"


def visible(text: str) -> str:
    """``text`` without invisible (format) characters."""
    # Format characters are not printable; the first of them is U+00AD (soft hyphen).
    if text.isascii() or text.isprintable():
        return text
    return "".join(ch for ch in text if not is_invisible(ch))


@lru_cache(maxsize=4096)
def _norm(text: str) -> str:
    # Cached: a paragraph is looked at as a whole, as a turn header, and again as evidence.
    return _SPACE.sub(" ", fold(visible(text))).strip()


def instruction_reason(text: str) -> str | None:
    """Why ``text`` reads as an instruction addressed to a model, or None."""
    norm = _norm(text)
    for why, pattern in PATTERNS:
        if pattern.search(norm):
            return why
    return None


def _is_turn_header(text: str) -> bool:
    norm = _norm(text)
    return bool(norm) and bool(_TURN_HEADER.match(norm)) and instruction_reason(text) is not None


@dataclass
class Planted:
    """The passages of an event that read as planted instructions, and their vocabulary."""

    passages: dict[str, str] = field(default_factory=dict)  # passage id -> why
    trigrams: set[tuple[str, str, str]] = field(default_factory=set)
    words: set[str] = field(default_factory=set)  # content words only planted text uses

    def __bool__(self) -> bool:
        return bool(self.passages)

    def carried(self, text: str, evidence: Iterable[str] = (), *, words: bool = True) -> str | None:
        """Why ``text`` (model output) carries planted content, or None. ``evidence`` is the
        clean source text the output rests on (and the names it may use): what it contains is
        not planted. ``words=False`` skips the planted-vocabulary check (for names)."""
        why = instruction_reason(text)
        if why:
            return f"reads as an instruction to a model ({why})"
        if not self:
            return None
        evidence = list(evidence)
        ev_grams = {g for e in evidence for g in _trigrams(e)}
        grams = sorted((_trigrams(text) & self.trigrams) - ev_grams)
        if grams:
            return f"repeats planted text ({' '.join(grams[0])!r})"
        if not words:
            return None
        ev_words = {w for e in evidence for w in content_words(visible(e))}
        only = sorted((set(content_words(visible(text))) & self.words) - ev_words)
        if only:
            return f"uses words only planted text uses ({', '.join(only[:3])})"
        return None


def _trigrams(text: str) -> set[tuple[str, str, str]]:
    toks = _WORD.findall(_norm(text))
    return {
        (a, b, c)
        for a, b, c in zip(toks, toks[1:], toks[2:], strict=False)
        if not {a, b, c} <= STOPWORDS
    }


def find_planted(passages: list[Passage]) -> Planted:
    """The planted passages of an event (paragraph-wise, see the module docstring)."""
    paragraphs: dict[tuple[str, int], list[Passage]] = {}
    for p in passages:
        paragraphs.setdefault((p.article, p.paragraph), []).append(p)
    flagged: dict[str, str] = {}
    previous: tuple[str, bool] | None = None  # (article, was a turn header)
    for (article, _), members in paragraphs.items():
        text = " ".join(p.text for p in members)
        why = instruction_reason(text) or next(
            (r for r in (instruction_reason(p.text) for p in members) if r), None
        )
        if why is None and previous == (article, True):
            why = "content of a fake conversation turn"
        if why is not None:
            flagged.update({p.id: why for p in members})
        previous = (article, _is_turn_header(text))
    planted = Planted(passages=flagged)
    if not flagged:
        return planted
    clean_words = {
        w for p in passages if p.id not in flagged for w in content_words(visible(p.text))
    }
    for p in passages:
        if p.id in flagged:
            planted.trigrams |= _trigrams(p.text)
            planted.words |= set(content_words(visible(p.text))) - clean_words
    return planted
