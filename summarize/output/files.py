"""Writing results: an event's summary.json and summary.md, as a pair, each atomically; and
the HTML report beside existing results."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from summarize.contract import SummaryDocument
from summarize.errors import ConfigError, SummarizeError
from summarize.files import atomic_stream, write_atomic
from summarize.output.html import read_document
from summarize.output.markdown import to_markdown


def check_out_dir(out: Path) -> None:
    """Refuse, before any work is done, an output folder that cannot be written: an existing
    file, a path under a file, a broken link, a folder without write permission. Raises
    ``ConfigError`` (a bad option, exit 2); nothing is created."""
    probe = out
    while not os.path.lexists(probe) and probe.parent != probe:
        probe = probe.parent
    where = "" if probe == out else f"cannot be created: {probe} "
    if not probe.exists():
        raise ConfigError(f"--out {out}: {where}is a broken symbolic link")
    if not probe.is_dir():
        raise ConfigError(f"--out {out}: {where}is a file, not a folder")
    if not os.access(probe, os.W_OK | os.X_OK):
        raise ConfigError(f"--out {out}: {where}is not writable (permission denied)")


def write_document(doc: SummaryDocument, directory: Path) -> list[Path]:
    """Write ``summary.json`` and ``summary.md`` into ``directory``; returns the paths.

    Both are rendered, then both written to temporary files, before either replaces its
    target, so a failure leaves neither half-written nor one new beside one old (short of a
    crash between the two renames). ``summary.json`` is renamed last: it marks the event done
    for ``--resume``.
    """
    json_path, md_path = directory / "summary.json", directory / "summary.md"
    json_data = (doc.model_dump_json(indent=2) + "\n").encode("utf-8")
    md_data = to_markdown(doc).encode("utf-8")
    try:
        with atomic_stream(json_path) as json_file, atomic_stream(md_path) as md_file:
            json_file.write(json_data)
            md_file.write(md_data)
    except OSError as e:
        raise SummarizeError(f"cannot write output to {directory}: {e.strerror or e}") from e
    return [json_path, md_path]


def write_reports(out_dir: Path, render: Callable[[SummaryDocument], str]) -> list[Path]:
    """``summary.html`` beside every ``summary.json`` of a ``summarize run --out`` folder (or
    of its sub-folders, for a batch), each atomically; the paths written."""
    if not out_dir.is_dir():
        raise ConfigError(f"{out_dir}: not a folder (give the --out folder of `summarize run`)")
    found = [out_dir / "summary.json"] if (out_dir / "summary.json").is_file() else []
    found = found or sorted(out_dir.glob("*/summary.json"))
    if not found:
        raise ConfigError(f"{out_dir}: no summary.json in it or in its sub-folders")
    written = []
    for path in found:
        target = path.parent / "summary.html"
        write_atomic(target, render(read_document(path)))
        written.append(target)
    return written


def safe_dirname(event_id: str) -> str:
    """Event ids come from input data; keep them from escaping the output directory."""
    cleaned = "".join(c if c.isalnum() or c in "-_." else "_" for c in event_id).strip(".")
    return cleaned or "event"
