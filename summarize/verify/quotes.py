"""The one definition of "verbatim": a quote is verbatim in a passage when it is a substring
of it after normalising whitespace and quote characters and ignoring invisible (format)
characters (case-sensitive). The verifier and the eval's grounding metric both use it.

Invisible characters (zero-width, bidi controls) are ignored rather than required because the
model never sees them (``generate.writer`` removes them from prompts); the quote returned is
still the source's exact characters, invisible ones included."""

from __future__ import annotations

import re

from summarize.text.words import normalize_quote
from summarize.verify.injection import is_invisible, visible

_OTHER_SPACE = re.compile(r"[^\S ]")  # white space other than the space character
_RUN = re.compile(r"^\s|\s\s")


def _plain(text: str) -> bool:
    """No leading white space, no run of it and no invisible character (white space aside,
    none is printable): normalising swaps characters one for one (quotes, each white space
    character for a space), so every offset stays."""
    return _OTHER_SPACE.sub(" ", text).isprintable() and not _RUN.search(text)


def find_verbatim(quote: str, passage_text: str) -> str | None:
    """The exact substring of ``passage_text`` that ``quote`` matches after normalising
    whitespace and quote characters, or None. Returning the source's own characters keeps the
    output verbatim even when the model changed curly quotes or spacing."""
    target = normalize_quote(visible(quote)).strip(" \"'")
    if not target:
        return None
    if _plain(passage_text):
        # Normalising keeps every offset: the match is at the same place in the passage.
        start = normalize_quote(passage_text).find(target)
        return passage_text[start : start + len(target)] if start >= 0 else None
    return _mapped(target, passage_text)


def _mapped(target: str, passage_text: str) -> str | None:
    """``target`` (normalised) found in the normalised ``passage_text``, as the source's own
    characters."""
    # Map each character of the normalised passage back to its offset in the original.
    norm_chars: list[str] = []
    offsets: list[int] = []
    prev_space = False
    for i, ch in enumerate(passage_text):
        if is_invisible(ch):
            continue
        n = normalize_quote(ch) if not ch.isspace() else " "
        if n == " ":
            if prev_space or not norm_chars:
                continue
            prev_space = True
        else:
            prev_space = False
        norm_chars.append(n)
        offsets.append(i)
    haystack = "".join(norm_chars)
    start = haystack.find(target)
    if start < 0:
        return None
    end = start + len(target) - 1
    return passage_text[offsets[start] : offsets[end] + 1]


def is_verbatim(quote: str, passage_text: str) -> bool:
    return find_verbatim(quote, passage_text) is not None
