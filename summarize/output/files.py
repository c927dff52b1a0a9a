"""Writing an event's results: summary.json and summary.md, each atomically."""

from __future__ import annotations

from pathlib import Path

from summarize.contract import SummaryDocument
from summarize.errors import SummarizeError
from summarize.files import write_atomic
from summarize.output.markdown import to_markdown


def write_document(doc: SummaryDocument, directory: Path) -> list[Path]:
    """Write ``summary.json`` and ``summary.md`` into ``directory``; returns the paths."""
    try:
        json_path, md_path = directory / "summary.json", directory / "summary.md"
        write_atomic(json_path, doc.model_dump_json(indent=2) + "\n")
        write_atomic(md_path, to_markdown(doc))
    except OSError as e:
        raise SummarizeError(f"cannot write output to {directory}: {e.strerror or e}") from e
    return [json_path, md_path]


def safe_dirname(event_id: str) -> str:
    """Event ids come from input data; keep them from escaping the output directory."""
    cleaned = "".join(c if c.isalnum() or c in "-_." else "_" for c in event_id).strip(".")
    return cleaned or "event"
