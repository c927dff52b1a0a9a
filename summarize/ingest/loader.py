"""Load stage: a folder (one event) or a ``.jsonl`` file of clusters -> ``Batch`` of events.

Paragraphs are split by ``webtext.split_paragraphs`` (blank lines, and single newlines unless
the text is hard-wrapped). Titles and dates are taken from metadata where the format has it
(front matter, JSON fields, HTML metadata via trafilatura), else guessed from the first lines.

Bad input (see ``README.md``, "Input formats and bad input"): one bad file or line is skipped
with a warning naming it and why; only "nothing readable at all" is fatal (``InputError``,
exit 2). Degraded reads are never silent either: a file that is not UTF-8 is decoded by
charset detection (``charset-normalizer``) and a warning names the encoding (also kept in
``Article.extra["encoding"]``); a paragraph too long for the sentence splitter is cut, with a
warning. After loading, each event is checked as a whole (``checks.check_event``). Decoding
lives in ``encoding``.
"""

from __future__ import annotations

import bisect
import errno
import json
import re
import stat
from pathlib import Path
from typing import Any

from pydantic import Field

from summarize.contract import Strict
from summarize.errors import InputError
from summarize.ingest.checks import check_event
from summarize.ingest.document import Article, Event
from summarize.ingest.encoding import (
    MAX_FILE_BYTES,
    decode,
    decoded_note,
    encoding_extra,
    read_bytes,
    read_text,
    reason,
    shown,
)
from summarize.ingest.metadata import front_matter, guess_date, guess_title, strip_markdown
from summarize.ingest.webtext import iso_date, split_paragraphs

TEXT_SUFFIXES = {".txt", ".md"}
HTML_SUFFIXES = {".html", ".htm"}
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | {".json"}

# The sentence splitter (pysbd) is superlinear in the length of what it is given; real news
# paragraphs stay under ~1,000 characters, so a longer "paragraph" (one very long line) is
# cut at sentence ends into pieces of at most this many characters.
MAX_PARAGRAPH_CHARS = 5_000

_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s+")

_BODY_KEYS = ("text", "body", "content")


class Batch(Strict):
    events: list[Event]
    warnings: list[str] = Field(default_factory=list)


def load(path: Path) -> Batch:
    """Load a folder (one event), a ``.jsonl`` of clusters, or a single article file.
    Article paths and warnings name files relative to the input (the folder, or the file's
    folder), so outputs never carry where the user keeps their files."""
    path = Path(path)
    batch = _load(path)
    base = shown(path if path.is_dir() else path.parent).rstrip("/") + "/"

    def relative(text: str) -> str:
        return text.replace(base, "")

    return batch.model_copy(
        update={
            "events": [
                e.model_copy(
                    update={
                        "articles": [
                            a.model_copy(update={"path": relative(a.path)}) for a in e.articles
                        ],
                        "warnings": [relative(w) for w in e.warnings],
                    }
                )
                for e in batch.events
            ],
            "warnings": [relative(w) for w in batch.warnings],
        }
    )


def _load(path: Path) -> Batch:
    if not path.exists():
        raise InputError("no such file or folder", shown(path))
    if path.is_dir():
        return _load_dir(path)
    if path.suffix.lower() == ".jsonl":
        return _load_jsonl(path)
    if path.suffix.lower() in SUPPORTED:
        warnings: list[str] = []
        article = _load_file(path, "A1", warnings)
        if article is None:
            raise InputError("no readable article: " + _gist(warnings), shown(path))
        event = check_event(Event(id=shown(path.stem), articles=[article]), warnings, shown(path))
        if event is None:
            raise InputError("no readable article: " + _gist(warnings), shown(path))
        event = event.model_copy(update={"warnings": list(warnings)})
        return Batch(events=[event], warnings=warnings)
    raise InputError(f"unsupported file type {path.suffix or '(none)'!r}", shown(path))


def _gist(warnings: list[str], limit: int = 3) -> str:
    """The first few reasons, so one error line stays one readable line."""
    if not warnings:
        return "nothing to read"
    more = len(warnings) - limit
    return "; ".join(warnings[:limit]) + (f"; and {more} more" if more > 0 else "")


def _load_dir(folder: Path) -> Batch:
    try:
        entries = sorted(p for p in folder.iterdir() if not p.name.startswith("."))
    except OSError as exc:
        raise InputError(f"cannot read folder ({reason(exc)})", shown(folder)) from exc
    if not entries:
        raise InputError("empty folder", shown(folder))
    warnings: list[str] = []
    articles: list[Article] = []
    for entry in entries:
        name = shown(entry)
        try:
            mode = entry.stat().st_mode  # follows symbolic links
        except OSError as exc:
            broken = exc.errno == errno.ENOENT and entry.is_symlink()
            why = "broken symbolic link" if broken else f"cannot read ({reason(exc)})"
            warnings.append(f"skipped {name}: {why}")
            continue
        if stat.S_ISDIR(mode):
            warnings.append(f"{name}: ignored sub-folder")
        elif entry.suffix.lower() not in SUPPORTED:
            warnings.append(f"{name}: ignored unknown file type {entry.suffix or '(none)'!r}")
        else:
            article = _load_file(entry, f"A{len(articles) + 1}", warnings)
            if article is not None:
                articles.append(article)
    if not articles:
        raise InputError("no readable article: " + _gist(warnings), shown(folder))
    event = check_event(Event(id=shown(folder.name), articles=articles), warnings, shown(folder))
    if event is None:
        raise InputError("no readable article: " + _gist(warnings), shown(folder))
    return Batch(events=[event.model_copy(update={"warnings": list(warnings)})], warnings=warnings)


def _load_jsonl(path: Path) -> Batch:
    warnings: list[str] = []
    text = read_text(path, warnings, limit=None).text
    events: list[Event] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{shown(path)}:{lineno}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            warnings.append(f"{where}: skipped bad JSON line ({exc.msg})")
            continue
        except RecursionError:
            warnings.append(f"{where}: skipped bad JSON line (nested too deeply)")
            continue
        if not isinstance(record, dict) or not isinstance(record.get("articles"), list):
            warnings.append(f"{where}: skipped line without an 'articles' list")
            continue
        event = _event_from_record(record, path, lineno, warnings)
        if event is not None:
            event = check_event(event, warnings, f"{where}: event {event.id}", batch=True)
        if event is not None:
            events.append(event)
    if not events:
        raise InputError("no readable event: " + _gist(warnings), shown(path))
    return Batch(events=events, warnings=warnings)


def _event_from_record(
    record: dict[str, Any], path: Path, lineno: int, warnings: list[str]
) -> Event | None:
    event_id = _str(record.get("id")) or f"{path.stem}-{lineno}"
    where = f"{shown(path)}:{lineno}: event {event_id}"
    meta_field = record.get("meta")
    meta: dict[str, Any] = meta_field if isinstance(meta_field, dict) else {}
    articles: list[Article] = []
    for pos, item in enumerate(record["articles"], start=1):
        src_id = _str(item.get("id")) if isinstance(item, dict) else None
        text = _body(item) if isinstance(item, dict) else None
        if not isinstance(item, dict) or not text:
            warnings.append(f"{where}: article {pos} has no text")
            continue
        if len(text) > MAX_FILE_BYTES:
            warnings.append(
                f"{where}: article {pos} skipped: {len(text):,} characters of text, over the "
                f"{MAX_FILE_BYTES:,} limit for one article"
            )
            continue
        art_id = f"A{len(articles) + 1}"
        fields = {k: _str(item.get(k)) for k in ("title", "outlet", "url", "date")}
        extra = {
            ("source_id" if k == "id" else k): v
            for k, v in item.items()
            if isinstance(v, str) and k not in {*fields, "text", "source"}
        }
        outlet = fields["outlet"] or _str(item.get("source"))
        articles.append(
            Article(
                id=art_id,
                path=f"{shown(path)}#{event_id}/{src_id or art_id}",
                outlet=outlet,
                outlet_source="metadata" if outlet else None,
                title=fields["title"],
                date=iso_date(fields["date"] or _str(meta.get("date"))),
                url=fields["url"],
                raw_paragraphs=_paragraphs(text, f"{where}: article {pos}", warnings),
                extra=extra,
            )
        )
    if not articles:
        warnings.append(f"{where}: skipped, no readable article")
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
    notes: list[str] = []
    try:
        if suffix in HTML_SUFFIXES:
            article = _from_html(path, art_id, notes)
        else:
            decoded = read_text(path, notes)
            if suffix == ".json":
                article = _from_json(path, art_id, decoded.text, notes)
            else:
                article = _from_text(path, art_id, decoded.text, notes, markdown=suffix == ".md")
            article.extra.update(encoding_extra(decoded))
    except InputError as exc:
        warnings.append(f"skipped {exc}")
        return None
    if not article.raw_paragraphs:
        warnings.append(f"skipped {shown(path)}: no text")
        return None
    warnings.extend(notes)
    return article


def _paragraphs(text: str, where: str, warnings: list[str]) -> list[str]:
    """``split_paragraphs``, with over-long paragraphs cut (and a warning saying so)."""
    paragraphs: list[str] = []
    cut = pieces = 0
    for para in split_paragraphs(text):
        if len(para) <= MAX_PARAGRAPH_CHARS:
            paragraphs.append(para)
            continue
        parts = cut_paragraph(para)
        cut, pieces = cut + 1, pieces + len(parts)
        paragraphs.extend(parts)
    if cut:
        warnings.append(
            f"{where}: {cut} paragraph{'s' if cut > 1 else ''} over {MAX_PARAGRAPH_CHARS:,} "
            f"characters (one very long line?) cut into {pieces} pieces at sentence ends"
        )
    return paragraphs


def cut_paragraph(para: str, limit: int = MAX_PARAGRAPH_CHARS) -> list[str]:
    """Pieces of at most ``limit`` characters, cut after the last sentence end that fits,
    else at the last space, else anywhere. Linear in the paragraph's length."""
    ends = [m.end() for m in _SENTENCE_END.finditer(para)]
    pieces: list[str] = []
    start = 0
    while len(para) - start > limit:
        stop = start + limit
        k = bisect.bisect_right(ends, stop) - 1
        if k >= 0 and ends[k] > start:
            cut = ends[k]
        else:
            space = para.rfind(" ", start + 1, stop)
            cut = space + 1 if space > start else stop
        pieces.append(para[start:cut].strip())
        start = cut
    pieces.append(para[start:].strip())
    return [p for p in pieces if p]


def _from_text(path: Path, art_id: str, text: str, notes: list[str], *, markdown: bool) -> Article:
    meta, text = front_matter(text)
    if markdown:
        text = strip_markdown(text)
    paragraphs = _paragraphs(text, shown(path), notes)
    title = meta.pop("title", None) or guess_title(paragraphs)
    date = iso_date(meta.pop("date", None)) or guess_date(paragraphs)
    outlet = meta.pop("outlet", None)
    return Article(
        id=art_id,
        path=shown(path),
        outlet=outlet,
        outlet_source="metadata" if outlet else None,
        title=title,
        date=date,
        url=meta.pop("url", None),
        raw_paragraphs=paragraphs,
        extra=meta,
    )


def _from_json(path: Path, art_id: str, text: str, notes: list[str]) -> Article:
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"bad JSON ({exc.msg}, line {exc.lineno})", shown(path)) from exc
    except RecursionError as exc:
        raise InputError("bad JSON (nested too deeply)", shown(path)) from exc
    if not isinstance(record, dict):
        raise InputError(
            f"JSON is {type(record).__name__}, not an object with a 'text' field", shown(path)
        )
    body = _body(record)
    if not body:
        keys = ", ".join(repr(k) for k in list(record)[:8]) or "none"
        raise InputError(
            "JSON has no 'text' field (nor 'body' or 'content') with a non-empty string; "
            f"its keys: {keys}",
            shown(path),
        )
    outlet = _str(record.get("outlet")) or _str(record.get("source"))
    return Article(
        id=art_id,
        path=shown(path),
        outlet=outlet,
        outlet_source="metadata" if outlet else None,
        title=_str(record.get("title")),
        date=iso_date(_str(record.get("date"))),
        url=_str(record.get("url")),
        raw_paragraphs=_paragraphs(body, shown(path), notes),
    )


def _from_html(path: Path, art_id: str, notes: list[str]) -> Article:
    import trafilatura  # deferred: only HTML input pays for it

    data = read_bytes(path)
    decoded = decode(data, path)  # binary content is refused here, before parsing
    page: bytes | str = data
    if decoded.encoding is not None:
        # Declared (<meta charset>) or detected: trafilatura gets the text we decoded.
        notes.append(f"{shown(path)}: {decoded_note(decoded)}")
        page = decoded.text
    try:
        doc = trafilatura.bare_extraction(
            page, with_metadata=True, include_comments=False, include_tables=False
        )
    except Exception as exc:  # a third-party parser on arbitrary input: one bad page
        raise InputError(f"HTML could not be parsed ({type(exc).__name__})", shown(path)) from exc
    if doc is None:
        raise InputError("no main text found in HTML", shown(path))
    found = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    body = _str(found.get("text"))
    if not body:
        raise InputError("no main text found in HTML", shown(path))
    outlet = _str(found.get("sitename"))
    return Article(
        id=art_id,
        path=shown(path),
        outlet=outlet,
        outlet_source="metadata" if outlet else None,
        title=_str(found.get("title")),
        date=iso_date(_str(found.get("date"))),
        url=_str(found.get("url")),
        raw_paragraphs=_paragraphs(body, shown(path), notes),
        extra=encoding_extra(decoded),
    )


def _body(record: dict[str, Any]) -> str | None:
    for key in _BODY_KEYS:
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
