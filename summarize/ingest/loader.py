"""Load stage: a folder (one event) or a ``.jsonl`` file of clusters -> ``Batch`` of events.

Paragraphs are split by ``webtext.split_paragraphs`` (blank lines, and single newlines unless
the text is hard-wrapped). Titles and dates are taken from metadata where the format has it
(front matter, JSON fields, HTML metadata via trafilatura), else guessed from the first lines.

Bad input (see ``README.md``, "Input formats and bad input"): one bad file or line is skipped
with a warning naming it and why; only "nothing readable at all" is fatal (``InputError``,
exit 2). Degraded reads are never silent either: a file that is not UTF-8 is decoded by
charset detection (``charset-normalizer``) and a warning names the encoding (also kept in
``Article.extra["encoding"]``); a paragraph too long for the sentence splitter is cut, with a
warning. After loading, each event is checked as a whole (``_check_event``): articles with
nothing but web boilerplate, a single article, articles that do not look English and
articles that share almost no vocabulary with the others (a mixed-event folder) are reported.
"""

from __future__ import annotations

import bisect
import codecs
import errno
import json
import re
import stat
from pathlib import Path
from typing import Any

from pydantic import Field

from summarize.contract import Strict
from summarize.errors import InputError
from summarize.ingest.cleaner import kept_by_patterns
from summarize.ingest.document import Article, Event
from summarize.ingest.webtext import DATE_LINE, furniture_reason, iso_date, split_paragraphs
from summarize.text.lexicon import STOPWORDS
from summarize.text.tfidf import TfIdf, cosine
from summarize.text.words import content_words, fold

TEXT_SUFFIXES = {".txt", ".md"}
HTML_SUFFIXES = {".html", ".htm"}
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | {".json"}

# One article file (or one article's text in a .jsonl) above this is not a news article.
MAX_FILE_BYTES = 5_000_000
# The sentence splitter (pysbd) is superlinear in the length of what it is given; real news
# paragraphs stay under ~1,000 characters, so a longer "paragraph" (one very long line) is
# cut at sentence ends into pieces of at most this many characters.
MAX_PARAGRAPH_CHARS = 5_000

# Encodings tried when a file is not UTF-8 and has no byte-order mark: the legacy encodings of
# the WHATWG Encoding Standard (what browsers accept for web pages), less the Mac ones, which
# short Western texts are otherwise too easily mistaken for. When the detector cannot tell
# several apart, windows-1252 is taken (WHATWG's default for unlabelled legacy text).
LEGACY_ENCODINGS = (
    "cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258",
    "cp874", "cp866", "iso8859_2", "iso8859_3", "iso8859_4", "iso8859_5", "iso8859_6",
    "iso8859_7", "iso8859_8", "iso8859_10", "iso8859_13", "iso8859_14", "iso8859_15",
    "iso8859_16", "koi8_r", "koi8_u", "gb2312", "gbk", "gb18030", "big5", "big5hkscs",
    "euc_jp", "shift_jis", "cp932", "euc_kr", "cp949",
)  # fmt: skip
_BOMS = (  # UTF-32 first: its little-endian mark starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf_32"),
    (codecs.BOM_UTF32_BE, "utf_32"),
    (codecs.BOM_UTF16_LE, "utf_16"),
    (codecs.BOM_UTF16_BE, "utf_16"),
)
_TIE = 0.005  # chaos/coherence differences the detector cannot be trusted on
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")  # C0 controls other than \t \n \v \f \r
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s+")

# Event checks (``_check_event``), each only a warning.
NOT_ENGLISH_STOP_SHARE = 0.15  # English prose: ~40% of words are stop words; French ~5%
MIN_WORDS_FOR_CHECKS = 30  # shorter articles are too small to judge language or topic
# Two articles "share vocabulary" at TF-IDF cosine >= this. Calibrated on ECB+ (16 events)
# and the reference event: every article has a partner >= 0.098 in its own event, while 74%
# of articles from an unrelated event stay below 0.06 against all of another event's.
SAME_EVENT_COSINE = 0.06

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
_BODY_KEYS = ("text", "body", "content")


class Batch(Strict):
    events: list[Event]
    warnings: list[str] = Field(default_factory=list)


class Decoded(Strict):
    text: str
    encoding: str | None = None  # None: UTF-8, as expected
    replaced: int = 0  # invalid bytes replaced by U+FFFD (damaged UTF-8)


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
        event = _check_event(Event(id=shown(path.stem), articles=[article]), warnings, shown(path))
        if event is None:
            raise InputError("no readable article: " + _gist(warnings), shown(path))
        event = event.model_copy(update={"warnings": list(warnings)})
        return Batch(events=[event], warnings=warnings)
    raise InputError(f"unsupported file type {path.suffix or '(none)'!r}", shown(path))


def shown(path: Path | str) -> str:
    """A path as text that can always be printed and written as JSON: file names that are
    not valid UTF-8 keep their odd bytes as ``\\xNN`` escapes instead of lone surrogates."""
    text = str(path)
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


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
        raise InputError(f"cannot read folder ({_reason(exc)})", shown(folder)) from exc
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
            why = "broken symbolic link" if broken else f"cannot read ({_reason(exc)})"
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
    event = _check_event(Event(id=shown(folder.name), articles=articles), warnings, shown(folder))
    if event is None:
        raise InputError("no readable article: " + _gist(warnings), shown(folder))
    return Batch(events=[event.model_copy(update={"warnings": list(warnings)})], warnings=warnings)


def _load_jsonl(path: Path) -> Batch:
    warnings: list[str] = []
    text = _read_text(path, warnings, limit=None).text
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
            event = _check_event(event, warnings, f"{where}: event {event.id}", batch=True)
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
        articles.append(
            Article(
                id=art_id,
                path=f"{shown(path)}#{event_id}/{src_id or art_id}",
                outlet=fields["outlet"] or _str(item.get("source")),
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
            decoded = _read_text(path, notes)
            if suffix == ".json":
                article = _from_json(path, art_id, decoded.text, notes)
            else:
                article = _from_text(path, art_id, decoded.text, notes, markdown=suffix == ".md")
            article.extra.update(_encoding_extra(decoded))
    except InputError as exc:
        warnings.append(f"skipped {exc}")
        return None
    if not article.raw_paragraphs:
        warnings.append(f"skipped {shown(path)}: no text")
        return None
    warnings.extend(notes)
    return article


def _read_bytes(path: Path, limit: int | None = MAX_FILE_BYTES) -> bytes:
    """The file's bytes; ``InputError`` for what is not a readable regular file in the limit."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise InputError("not a regular file (a pipe, socket or device)", shown(path))
        if limit is not None and info.st_size > limit:
            raise InputError(_too_big(info.st_size, limit), shown(path))
        with path.open("rb") as handle:
            data = handle.read() if limit is None else handle.read(limit + 1)
    except OSError as exc:
        raise InputError(f"cannot read ({_reason(exc)})", shown(path)) from exc
    if limit is not None and len(data) > limit:  # grew since stat
        raise InputError(_too_big(len(data), limit), shown(path))
    return data


def _too_big(size: int, limit: int) -> str:
    return f"{size / 1e6:.1f} MB, over the {limit / 1e6:g} MB limit for one article"


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def _read_text(path: Path, warnings: list[str], limit: int | None = MAX_FILE_BYTES) -> Decoded:
    """The decoded text (newlines normalised); a warning when it was not plain UTF-8."""
    decoded = decode(_read_bytes(path, limit), path)
    if decoded.encoding is not None:
        warnings.append(f"{shown(path)}: {_decoded_note(decoded)}")
    text = decoded.text.replace("\r\n", "\n").replace("\r", "\n")
    return decoded.model_copy(update={"text": text})


def _decoded_note(decoded: Decoded) -> str:
    if decoded.replaced:
        return f"not valid UTF-8: {decoded.replaced} bad bytes replaced by U+FFFD"
    return f"not UTF-8, decoded as {decoded.encoding} (detected)"


def _encoding_extra(decoded: Decoded) -> dict[str, str]:
    if decoded.encoding is None:
        return {}
    extra = {"encoding": decoded.encoding}
    if decoded.replaced:
        extra["replaced_bytes"] = str(decoded.replaced)
    return extra


def decode(data: bytes, path: Path | str | None = None) -> Decoded:
    """Bytes of one text file -> text, or ``InputError`` when they are not text.

    UTF-8 (with or without its byte-order mark) is decoded as it always was. Otherwise: a
    UTF-16/32 byte-order mark decides; NUL bytes mean binary; UTF-8 with a few damaged bytes
    (more well-formed multi-byte characters than bad bytes) keeps UTF-8 and replaces them;
    anything else is detected among ``LEGACY_ENCODINGS`` by charset-normalizer, and refused
    when no encoding fits without garbling (random bytes).
    """
    where = shown(path) if path is not None else None
    try:
        return _plain(data.decode("utf-8-sig"), None, where)
    except UnicodeDecodeError:
        pass
    import charset_normalizer  # deferred: only files that are not UTF-8 pay for it

    for bom, codec in _BOMS:
        if data.startswith(bom):
            name = codec.replace("_", "-").upper()
            match = charset_normalizer.from_bytes(data, cp_isolation=[codec]).best()
            if match is None:
                raise InputError(f"starts with a {name} byte-order mark but is not {name}", where)
            return _plain(str(match), codec, where)
    if b"\x00" in data:
        raise InputError("binary content (NUL bytes)", where)
    lenient = data.decode("utf-8", errors="replace")
    bad = lenient.count("\ufffd") - data.count("\ufffd".encode())
    wide = sum(1 for c in lenient if c > "\x7f" and c != "\ufffd")
    if wide > bad:
        return _plain(lenient, "utf-8", where, replaced=bad)
    matches = charset_normalizer.from_bytes(data, cp_isolation=list(LEGACY_ENCODINGS))
    best = matches.best()
    if best is None:
        raise InputError("not text: no known character encoding fits its bytes", where)
    for match in matches:  # a tie the detector cannot break goes to windows-1252
        if (
            "cp1252" in match.could_be_from_charset
            and match.chaos <= best.chaos + _TIE
            and match.coherence >= best.coherence - _TIE
        ):
            return _plain(str(match), "cp1252", where)
    return _plain(str(best), best.encoding, where)


def _plain(text: str, encoding: str | None, where: str | None, replaced: int = 0) -> Decoded:
    if "\x00" in text:
        raise InputError("binary content (NUL bytes)", where)
    if len(_CONTROL.findall(text)) > 0.01 * len(text):
        raise InputError("binary content (control characters)", where)
    return Decoded(text=text, encoding=encoding, replaced=replaced)


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
    meta, text = _front_matter(text)
    if markdown:
        text = _MD_EMPH.sub(r"\2", _MD_LINK.sub(r"\1", _MD_HEADING.sub("", text)))
    paragraphs = _paragraphs(text, shown(path), notes)
    title = meta.pop("title", None) or _guess_title(paragraphs)
    date = iso_date(meta.pop("date", None)) or _guess_date(paragraphs)
    return Article(
        id=art_id,
        path=shown(path),
        outlet=meta.pop("outlet", None),
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
    return Article(
        id=art_id,
        path=shown(path),
        outlet=_str(record.get("outlet")) or _str(record.get("source")),
        title=_str(record.get("title")),
        date=iso_date(_str(record.get("date"))),
        url=_str(record.get("url")),
        raw_paragraphs=_paragraphs(body, shown(path), notes),
    )


def _from_html(path: Path, art_id: str, notes: list[str]) -> Article:
    import trafilatura  # deferred: only HTML input pays for it

    data = _read_bytes(path)
    decoded = decode(data, path)  # binary content is refused here, before parsing
    page: bytes | str = data
    if decoded.encoding is not None:
        # Declared (<meta charset>) or detected: trafilatura gets the text we decoded.
        notes.append(f"{shown(path)}: {_decoded_note(decoded)}")
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
    return Article(
        id=art_id,
        path=shown(path),
        outlet=_str(found.get("sitename")),
        title=_str(found.get("title")),
        date=iso_date(_str(found.get("date"))),
        url=_str(found.get("url")),
        raw_paragraphs=_paragraphs(body, shown(path), notes),
        extra=_encoding_extra(decoded),
    )


def _check_event(
    event: Event, warnings: list[str], where: str, *, batch: bool = False
) -> Event | None:
    """Whole-event checks after loading (their warnings are appended to ``warnings`` and to the
    event's own); ``None`` when no article has any text left once web boilerplate is set
    aside. Everything else is only a warning: the event is still summarised. A ``.jsonl``
    cluster (``batch``) is a curated dataset: only the boilerplate check applies."""
    found: list[str] = []
    checked = _check_articles(event, found, where, full=not batch)
    warnings.extend(found)
    if checked is None:
        return None
    return event.model_copy(update={"warnings": [*event.warnings, *found]})


def _check_articles(event: Event, warnings: list[str], label: str, *, full: bool) -> Event | None:
    kept = [kept_by_patterns(a) for a in event.articles]
    for art, paras in zip(event.articles, kept, strict=True):
        if not paras:
            warnings.append(
                f"{_name(art)}: nothing to summarise, all {len(art.raw_paragraphs)} paragraphs "
                "are web boilerplate, repeats or empty"
            )
    live = [(a, " ".join(p)) for a, p in zip(event.articles, kept, strict=True) if p]
    if not live:
        warnings.append(f"{label}: no article text left once web boilerplate is set aside")
        return None
    if not full:
        return event
    if len(event.articles) == 1:
        warnings.append(
            f"{label}: only one article: the summary rests on one source and cannot show "
            "disagreements between outlets"
        )
    for script, effect in (
        (False, "few summary sentences and disagreements"),
        (True, "no summary sentences (their words are not in Latin letters)"),
    ):
        foreign = [a for a, text in live if _language(text) == ("script" if script else "words")]
        if foreign:
            names = ", ".join(_name(a) for a in foreign[:3]) + (", …" if len(foreign) > 3 else "")
            warnings.append(
                f"{label}: {_count(len(foreign), 'article')} ({names}) not in English: the "
                f"sentence splitter and the analysis rules are English-only, so they yield {effect}"
            )
    groups = _vocabulary_groups(live)
    if len(groups) > 1:
        shown_groups = "; ".join(
            "{" + ", ".join(g[:6]) + (", …" if len(g) > 6 else "") + "}" for g in groups[:4]
        )
        warnings.append(
            f"{label}: the articles fall into {len(groups)} groups that share almost no "
            f"vocabulary ({shown_groups}): is this one event? They are summarised as one"
        )
    return event


def _name(article: Article) -> str:
    return f"{article.id} ({Path(article.path.split('#', 1)[-1]).name or article.path})"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _language(text: str) -> str | None:
    """``"script"``: mostly letters outside the Latin alphabet (the word tokens every stage
    uses see nothing); ``"words"``: Latin letters but too few English function words;
    ``None``: English, or too short to tell."""
    letters = [c for c in text if c.isalpha()]
    latin = sum(c < "\u0250" for c in letters)
    if len(letters) >= MIN_WORDS_FOR_CHECKS and latin < 0.5 * len(letters):
        return "script"
    tokens = re.findall(r"[^\W\d_]+", fold(text))
    if len(tokens) < MIN_WORDS_FOR_CHECKS:
        return None
    english = sum(t in STOPWORDS for t in tokens) >= NOT_ENGLISH_STOP_SHARE * len(tokens)
    return None if english else "words"


def _vocabulary_groups(live: list[tuple[Article, str]]) -> list[list[str]]:
    """Article ids grouped by shared vocabulary (single link at ``SAME_EVENT_COSINE``); only
    articles long enough to judge take part. Usually one comparison per article."""
    sized = [(a, t) for a, t in live if len(content_words(t)) >= MIN_WORDS_FOR_CHECKS]
    if len(sized) < 2:
        return []
    tfidf = TfIdf([t for _, t in sized])
    vectors = [tfidf.vector(t) for _, t in sized]
    groups: list[list[int]] = []
    for i, vec in enumerate(vectors):
        linked = [g for g in groups if any(cosine(vec, vectors[j]) >= SAME_EVENT_COSINE for j in g)]
        merged = [j for g in linked for j in g] + [i]
        groups = [g for g in groups if g not in linked] + [sorted(merged)]
    groups.sort(key=lambda g: (-len(g), g[0]))
    return [[sized[j][0].id for j in g] for g in groups]


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
