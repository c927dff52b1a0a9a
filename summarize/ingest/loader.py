"""Load stage: a folder (one event) or a ``.jsonl`` file of clusters -> ``Batch`` of events.

Paragraphs are split by ``webtext.split_paragraphs`` (blank lines, and single newlines unless
the text is hard-wrapped). Titles and dates are taken from metadata where the format has it
(front matter, JSON fields, HTML metadata via trafilatura), else guessed from the first lines.

One bad file or line is skipped with a warning; only "nothing readable at all" is fatal.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from pydantic import Field

from summarize.contract import Strict
from summarize.errors import InputError
from summarize.ingest.document import Article, Event
from summarize.ingest.webtext import DATE_LINE, furniture_reason, iso_date, split_paragraphs

TEXT_SUFFIXES = {".txt", ".md"}
HTML_SUFFIXES = {".html", ".htm"}
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | {".json"}

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


class Batch(Strict):
    events: list[Event]
    warnings: list[str] = Field(default_factory=list)


def load(path: Path) -> Batch:
    """Load a folder (one event), a ``.jsonl`` of clusters, or a single article file."""
    path = Path(path)
    if not path.exists():
        raise InputError("no such file or folder", path)
    if path.is_dir():
        return _load_dir(path)
    if path.suffix.lower() == ".jsonl":
        return _load_jsonl(path)
    if path.suffix.lower() in SUPPORTED:
        warnings: list[str] = []
        article = _load_file(path, "A1", warnings)
        if article is None:
            raise InputError("no readable article: " + "; ".join(warnings), path)
        event = Event(id=path.stem, articles=[article], warnings=list(warnings))
        return Batch(events=[event], warnings=warnings)
    raise InputError(f"unsupported file type {path.suffix or '(none)'!r}", path)


def _load_dir(folder: Path) -> Batch:
    entries = sorted(p for p in folder.iterdir() if not p.name.startswith("."))
    if not entries:
        raise InputError("empty folder", folder)
    warnings: list[str] = []
    articles: list[Article] = []
    for entry in entries:
        if entry.is_dir():
            warnings.append(f"{entry}: ignored sub-folder")
        elif entry.suffix.lower() not in SUPPORTED:
            warnings.append(f"{entry}: ignored unknown file type {entry.suffix or '(none)'!r}")
        else:
            article = _load_file(entry, f"A{len(articles) + 1}", warnings)
            if article is not None:
                articles.append(article)
    if not articles:
        raise InputError("no readable article: " + "; ".join(warnings), folder)
    event = Event(id=folder.name, articles=articles, warnings=list(warnings))
    return Batch(events=[event], warnings=warnings)


def _load_jsonl(path: Path) -> Batch:
    text = _read_text(path)
    warnings: list[str] = []
    events: list[Event] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            warnings.append(f"{where}: skipped bad JSON line ({exc.msg})")
            continue
        if not isinstance(record, dict) or not isinstance(record.get("articles"), list):
            warnings.append(f"{where}: skipped line without an 'articles' list")
            continue
        event = _event_from_record(record, path, lineno, warnings)
        if event is not None:
            events.append(event)
    if not events:
        raise InputError("no readable event: " + ("; ".join(warnings) or "file is empty"), path)
    return Batch(events=events, warnings=warnings)


def _event_from_record(
    record: dict[str, Any], path: Path, lineno: int, warnings: list[str]
) -> Event | None:
    event_id = _str(record.get("id")) or f"{path.stem}-{lineno}"
    meta_field = record.get("meta")
    meta: dict[str, Any] = meta_field if isinstance(meta_field, dict) else {}
    articles: list[Article] = []
    for pos, item in enumerate(record["articles"], start=1):
        src_id = _str(item.get("id")) if isinstance(item, dict) else None
        text = _body(item) if isinstance(item, dict) else None
        if not isinstance(item, dict) or not text:
            warnings.append(f"{path}:{lineno}: event {event_id}: article {pos} has no text")
            continue
        art_id = f"A{len(articles) + 1}"
        fields = {k: _str(item.get(k)) for k in ("title", "outlet", "url", "date")}
        extra = {
            ("source_id" if k == "id" else k): v
            for k, v in item.items()
            if isinstance(v, str) and k not in {*fields, "text", "source"}
        }
        articles.append(
            Article(
                id=art_id,
                path=f"{path}#{event_id}/{src_id or art_id}",
                outlet=fields["outlet"] or _str(item.get("source")),
                title=fields["title"],
                date=iso_date(fields["date"] or _str(meta.get("date"))),
                url=fields["url"],
                raw_paragraphs=split_paragraphs(text),
                extra=extra,
            )
        )
    if not articles:
        warnings.append(f"{path}:{lineno}: event {event_id}: skipped, no readable article")
        return None
    return Event(
        id=event_id,
        title=_str(record.get("title")),
        articles=articles,
        reference_summary=_str(record.get("reference_summary")),
    )


def _load_file(path: Path, art_id: str, warnings: list[str]) -> Article | None:
    """One article file, or ``None`` (with a warning) when it cannot be used."""
    suffix = path.suffix.lower()
    try:
        if suffix in HTML_SUFFIXES:
            article = _from_html(path, art_id)
        else:
            text = _read_text(path)
            if suffix == ".json":
                article = _from_json(path, art_id, text)
            else:
                article = _from_text(path, art_id, text, markdown=suffix == ".md")
    except InputError as exc:
        warnings.append(f"skipped {exc}")
        return None
    if not article.raw_paragraphs:
        warnings.append(f"skipped {path}: no text")
        return None
    return article


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not valid UTF-8 (byte {exc.start})", path) from exc
    if "\x00" in text:
        raise InputError("binary content (NUL bytes)", path)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _from_text(path: Path, art_id: str, text: str, *, markdown: bool) -> Article:
    meta, text = _front_matter(text)
    if markdown:
        text = _MD_EMPH.sub(r"\2", _MD_LINK.sub(r"\1", _MD_HEADING.sub("", text)))
    paragraphs = split_paragraphs(text)
    title = meta.pop("title", None) or _guess_title(paragraphs)
    date = iso_date(meta.pop("date", None)) or _guess_date(paragraphs)
    return Article(
        id=art_id,
        path=str(path),
        outlet=meta.pop("outlet", None),
        title=title,
        date=date,
        url=meta.pop("url", None),
        raw_paragraphs=paragraphs,
        extra=meta,
    )


def _from_json(path: Path, art_id: str, text: str) -> Article:
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"bad JSON ({exc.msg}, line {exc.lineno})", path) from exc
    body = _body(record) if isinstance(record, dict) else None
    if not isinstance(record, dict) or not body:
        raise InputError("JSON has no 'text', 'body' or 'content' string", path)
    return Article(
        id=art_id,
        path=str(path),
        outlet=_str(record.get("outlet")) or _str(record.get("source")),
        title=_str(record.get("title")),
        date=iso_date(_str(record.get("date"))),
        url=_str(record.get("url")),
        raw_paragraphs=split_paragraphs(body),
    )


def _from_html(path: Path, art_id: str) -> Article:
    import trafilatura  # deferred: only HTML input pays for it

    doc = trafilatura.bare_extraction(
        path.read_bytes(), with_metadata=True, include_comments=False, include_tables=False
    )
    if doc is None:
        raise InputError("no main text found in HTML", path)
    found = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    body = _str(found.get("text"))
    if not body:
        raise InputError("no main text found in HTML", path)
    return Article(
        id=art_id,
        path=str(path),
        outlet=_str(found.get("sitename")),
        title=_str(found.get("title")),
        date=iso_date(_str(found.get("date"))),
        url=_str(found.get("url")),
        raw_paragraphs=split_paragraphs(body),
    )


def _front_matter(text: str) -> tuple[dict[str, str], str]:
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


def _guess_title(paragraphs: list[str]) -> str | None:
    """First short unpunctuated line near the top that is not a dateline or page furniture."""
    for para in paragraphs[:4]:
        if DATE_LINE.match(para) or furniture_reason(para):
            continue
        words = para.split()
        if 2 <= len(words) <= 25 and not para.endswith((".", "!", "?", ":", ";", ",")):
            return para
        return None
    return None


def _guess_date(paragraphs: list[str]) -> str | None:
    for para in paragraphs[:8]:
        if DATE_LINE.match(para):
            return iso_date(para)
    return None


def _body(record: dict[str, Any]) -> str | None:
    for key in ("text", "body", "content"):
        value = record.get(key)
        if isinstance(value, str) and value.strip():
            return value
    return None


def _str(value: object) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None
