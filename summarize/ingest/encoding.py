"""Reading a file's bytes as text: UTF-8 as it always was; otherwise a byte-order mark, or
charset detection (charset-normalizer) among the encodings browsers accept; binary refused.
And how a path is shown, so that any file name can be printed and written as JSON."""

from __future__ import annotations

import codecs
import re
import stat
from pathlib import Path

from summarize.contract import Strict
from summarize.errors import InputError

# One article file (or one article's text in a .jsonl) above this is not a news article.
MAX_FILE_BYTES = 5_000_000

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


class Decoded(Strict):
    text: str
    encoding: str | None = None  # None: UTF-8, as expected
    replaced: int = 0  # invalid bytes replaced by U+FFFD (damaged UTF-8)


def shown(path: Path | str) -> str:
    """A path as text that can always be printed and written as JSON: file names that are
    not valid UTF-8 keep their odd bytes as ``\\xNN`` escapes instead of lone surrogates."""
    text = str(path)
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def decoded_note(decoded: Decoded) -> str:
    if decoded.replaced:
        return f"not valid UTF-8: {decoded.replaced} bad bytes replaced by U+FFFD"
    return f"not UTF-8, decoded as {decoded.encoding} (detected)"


def encoding_extra(decoded: Decoded) -> dict[str, str]:
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


def read_bytes(path: Path, limit: int | None = MAX_FILE_BYTES) -> bytes:
    """The file's bytes; ``InputError`` for what is not a readable regular file in the limit."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise InputError("not a regular file (a pipe, socket or device)", shown(path))
        if limit is not None and info.st_size > limit:
            raise InputError(too_big(info.st_size, limit), shown(path))
        with path.open("rb") as handle:
            data = handle.read() if limit is None else handle.read(limit + 1)
    except OSError as exc:
        raise InputError(f"cannot read ({reason(exc)})", shown(path)) from exc
    if limit is not None and len(data) > limit:  # grew since stat
        raise InputError(too_big(len(data), limit), shown(path))
    return data


def too_big(size: int, limit: int) -> str:
    return f"{size / 1e6:.1f} MB, over the {limit / 1e6:g} MB limit for one article"


def reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def read_text(path: Path, warnings: list[str], limit: int | None = MAX_FILE_BYTES) -> Decoded:
    """The decoded text (newlines normalised); a warning when it was not plain UTF-8."""
    decoded = decode(read_bytes(path, limit), path)
    if decoded.encoding is not None:
        warnings.append(f"{shown(path)}: {decoded_note(decoded)}")
    text = decoded.text.replace("\r\n", "\n").replace("\r", "\n")
    return decoded.model_copy(update={"text": text})
