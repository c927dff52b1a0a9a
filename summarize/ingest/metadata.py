"""An article's metadata from its own text: ``---`` front matter (or a leading block of known
keys), Markdown markup removed, and the title and date guessed from the first lines when the
format carries none."""

from __future__ import annotations

import re

from summarize.ingest.webtext import DATE_LINE, furniture_reason, iso_date

_FRONT = re.compile(r"^---[ \t]*\n(.*?)\n---[ \t]*(?:\n|$)", re.S)
_KEYVAL = re.compile(r"^([A-Za-z][\w-]{0,30})[ \t]*:[ \t]*(.+)$")
_KNOWN_KEYS = {
    "title": "title",
    "headline": "title",
    "outlet": "outlet",
    "source": "outlet",
    "publisher": "outlet",
    "site": "outlet",
    "date": "date",
    "published": "date",
    "url": "url",
    "link": "url",
}
_MD_HEADING = re.compile(r"^#{1,6}\s+", re.M)
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_EMPH = re.compile(r"(\*\*|__|\*|_)(\S(?:.*?\S)?)\1")


def strip_markdown(text: str) -> str:
    """Headings' hashes, links' targets and emphasis marks removed; the words kept."""
    return _MD_EMPH.sub(r"\2", _MD_LINK.sub(r"\1", _MD_HEADING.sub("", text)))


def front_matter(text: str) -> tuple[dict[str, str], str]:
    """``---`` delimited ``key: value`` lines, or a leading block made only of known keys."""
    stripped = text.lstrip("\n")
    fenced = _FRONT.match(stripped)
    if fenced:
        head, rest = fenced.group(1), stripped[fenced.end() :]
    else:
        head, _, rest = stripped.partition("\n\n")
    pairs = [_KEYVAL.match(ln.strip()) for ln in head.splitlines() if ln.strip()]
    if not pairs or not all(pairs):
        return {}, text
    found = {m.group(1).lower(): m.group(2).strip() for m in pairs if m}
    if not fenced and not set(found) <= set(_KNOWN_KEYS):
        return {}, text
    meta: dict[str, str] = {}
    for key, value in found.items():
        meta.setdefault(_KNOWN_KEYS.get(key, key), value)
    return meta, rest


def guess_title(paragraphs: list[str]) -> str | None:
    """First short unpunctuated line near the top that is not a dateline or page furniture."""
    for para in paragraphs[:4]:
        if DATE_LINE.match(para) or furniture_reason(para):
            continue
        words = para.split()
        if 2 <= len(words) <= 25 and not para.endswith((".", "!", "?", ":", ";", ",")):
            return para
        return None
    return None


def guess_date(paragraphs: list[str]) -> str | None:
    for para in paragraphs[:8]:
        if DATE_LINE.match(para):
            return iso_date(para)
    return None
