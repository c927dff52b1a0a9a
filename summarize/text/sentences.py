"""The one sentence splitter: pysbd, which keeps quoted speech with its attribution
(``"…," he said.``) and knows abbreviations (U.S., Mr., p.m.). Every sentence is located back
in its text, so each is an exact substring: citations and verbatim-quote checks rely on it."""

from __future__ import annotations

import re
import threading
from functools import lru_cache

import pysbd

_HAS_WORD = re.compile(r"\w")
# Where pysbd may end a sentence: terminal punctuation, an ellipsis, a closing quote or
# bracket (it splits `, ” He said` and after `(Tue, 16 Aug 2011)`), a line break. A paragraph
# with none of these before its final punctuation is one sentence, and pysbd, the slowest
# step of an event's own work, need not read it.
_MAY_END = re.compile(r"[.!?…\n\r)\]”»\"]")
_TRAILING = "\"'”’)]» \t"


# One segmenter per thread: pysbd's Segmenter keeps per-call state, and two threads sharing
# one split each other's text wrongly (batches run events on threads).
_LOCAL = threading.local()


def _segmenter() -> pysbd.Segmenter:
    seg: pysbd.Segmenter | None = getattr(_LOCAL, "segmenter", None)
    if seg is None:
        # clean=False: pysbd must not rewrite the text, or sentences stop being substrings.
        seg = _LOCAL.segmenter = pysbd.Segmenter(language="en", clean=False)
    return seg


def split_sentences(paragraph: str) -> list[str]:
    """Sentences of one paragraph (no line breaks), each an exact, stripped substring of it.

    Fragments without any word character (a stray ``.`` after ``..``) are glued onto the
    previous sentence instead of becoming passages of their own.
    """
    if _one_sentence(paragraph):
        stripped = paragraph.strip()
        return [stripped] if _HAS_WORD.search(stripped) else []
    spans: list[tuple[int, int]] = []
    cursor = 0
    # pysbd's own ``segment`` then locates each sentence with a regular expression compiled
    # for that sentence (a new pattern per sentence of every event); the search below finds
    # the same places with ``str.find``. Same sentences on every paragraph of the development
    # clusters (tests/text/test_sentences.py holds it to ``segment`` on the seed event).
    for raw in _segmenter().processor(paragraph).process():
        piece = raw.strip()
        if not piece:
            continue
        start = paragraph.find(piece, cursor)
        if start < 0:  # pysbd altered the text after all: fall back to one unsplit remainder
            rest = paragraph[cursor:].strip()
            if rest:
                start = paragraph.find(rest, cursor)
                spans.append((start, start + len(rest)))
            cursor = len(paragraph)
            break
        end = start + len(piece)
        if spans and not _HAS_WORD.search(piece):
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
        cursor = end
    tail = paragraph[cursor:].strip()
    if tail:  # pysbd dropped trailing text: keep it rather than lose it
        start = paragraph.find(tail, cursor)
        spans.append((start, start + len(tail)))
    return [paragraph[a:b] for a, b in spans if _HAS_WORD.search(paragraph[a:b])]


def _one_sentence(paragraph: str) -> bool:
    """No place before the paragraph's final punctuation where pysbd could end a sentence
    (checked against pysbd on every paragraph of the development clusters: same result)."""
    core = paragraph.strip().rstrip(_TRAILING)
    if core[-1:] in ".!?":
        core = core[:-1]
    return not _MAY_END.search(core)


@lru_cache(maxsize=4096)
def _text_sentences(text: str) -> tuple[str, ...]:
    return tuple(s for line in text.splitlines() for s in split_sentences(line))


def split_text(text: str) -> list[str]:
    """Sentences of a longer text: each line break ends a sentence, then pysbd splits lines.
    Cached, because judges split the same sources once per claim sentence."""
    return list(_text_sentences(text))
