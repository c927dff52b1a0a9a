"""The command as a user runs it: exit codes, one-line errors, files written whole."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers.builders import REPO
from tests.helpers.builders import run_cli as summarize


def test_run_writes_contract_files(seed_event_dir: Path, tmp_path: Path) -> None:
    r = summarize("run", str(seed_event_dir), "--model", "extractive", "--out", str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert "model: extractive" in r.stderr
    doc = json.loads((tmp_path / "summary.json").read_text())
    assert doc["schema_version"] == "1" and doc["summary"]
    md = (tmp_path / "summary.md").read_text()
    assert "## Summary" in md and "## Sources" in md
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_markdown_to_stdout_links_each_citation(seed_event_dir: Path) -> None:
    r = summarize("run", str(seed_event_dir), "--model", "extractive")
    assert r.returncode == 0
    assert "](#p-a" in r.stdout and '<a id="p-a' in r.stdout


@pytest.mark.parametrize(
    ("setup", "needle"),
    [
        (lambda d: d / "missing", "no such file"),
        (lambda d: d, "empty folder"),
    ],
)
def test_bad_input_is_one_line_and_nonzero(tmp_path: Path, setup, needle: str) -> None:  # type: ignore[no-untyped-def]
    r = summarize("run", str(setup(tmp_path)), "--model", "extractive")
    assert r.returncode == 2
    lines = [ln for ln in r.stderr.splitlines() if ln.startswith("summarize: error")]
    assert len(lines) == 1 and needle in lines[0].lower()
    assert "Traceback" not in r.stderr


def test_one_bad_file_among_good_ones_is_a_warning(seed_event_dir: Path, tmp_path: Path) -> None:
    event = tmp_path / "event"
    event.mkdir()
    for f in seed_event_dir.iterdir():
        (event / f.name).write_bytes(f.read_bytes())
    (event / "broken.txt").write_bytes(b"\xff\xfe\xfa garbage \x80\x81")
    r = summarize("run", str(event), "--model", "extractive", "--out", str(tmp_path / "o"))
    assert r.returncode == 0, r.stderr
    assert "warning" in r.stderr and "broken.txt" in r.stderr
    assert (tmp_path / "o" / "summary.json").exists()


def test_unknown_model_is_a_config_error(seed_event_dir: Path) -> None:
    r = summarize("run", str(seed_event_dir), "--model", "nonsense:x")
    assert r.returncode == 2 and "unknown model" in r.stderr


def test_jsonl_batch_writes_one_folder_per_event_and_resumes(tmp_path: Path) -> None:
    src = REPO / "evals" / "data" / "ecbplus-subset.jsonl"
    out = tmp_path / "o"
    r = summarize("run", str(src), "--model", "extractive", "--out", str(out))
    assert r.returncode == 0, r.stderr
    ids = [json.loads(line)["id"] for line in src.read_text().splitlines() if line.strip()]
    for i in ids:
        assert (out / i / "summary.json").exists()
    again = summarize("run", str(src), "--model", "extractive", "--out", str(out), "--resume")
    assert again.returncode == 0 and "wrote" not in again.stderr


def test_schema_command_prints_the_contract_schema() -> None:
    r = summarize("schema")
    schema = json.loads(r.stdout)
    assert {"summary", "disagreements", "run"} <= set(schema["properties"])


def test_judge_command_writes_one_prediction_per_item(seed_event_dir: Path, tmp_path: Path) -> None:
    sources = [f.read_text() for f in sorted(seed_event_dir.iterdir())]
    items = tmp_path / "items.jsonl"
    rows = [
        {
            "id": "bad",
            "sources": sources,
            "summary": "Russia wants to strike all forces fighting against terrorism.",
        },
        {
            "id": "good",
            "sources": sources,
            "summary": "Hollande and Putin agreed to strike only terrorist groups.",
        },
    ]
    items.write_text("\n".join(json.dumps(r) for r in rows) + "\nnot json\n")
    preds = tmp_path / "preds.jsonl"
    r = summarize("judge", str(items), "--out", str(preds), "--no-model")
    assert r.returncode == 0, r.stderr
    assert "warning" in r.stderr  # the bad line is reported, not fatal
    got = {p["id"]: p for p in map(json.loads, preds.read_text().splitlines())}
    assert got["bad"]["label"] == 0 and got["good"]["label"] == 1
    assert all(0.0 <= p["score"] <= 1.0 and p["explanation"] for p in got.values())
