"""Bad input through the real command (issue #9, item 4): the documented exit code, exactly one
``summarize: error:`` line for a fatal case or a warning naming each bad file, good files still
summarised, no traceback, nothing half-written in --out. Library-level cases:
tests/ingest/test_bad_input.py. Every run uses --model extractive (no model, fast)."""

from __future__ import annotations

import codecs
import json
import os
import random
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from summarize.errors import ConfigError
from summarize.output.files import check_out_dir
from tests.test_cli import summarize

STORM = (
    "Storm floods coastal towns\n\nA storm flooded three coastal towns on Thursday, officials "
    "said, and rescue crews evacuated hundreds of residents from their homes overnight.\n"
)


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    r = summarize("run", *args, "--model", "extractive")
    assert "Traceback" not in r.stderr + r.stdout
    return r


def _errors(r: subprocess.CompletedProcess[str]) -> list[str]:
    return [ln for ln in r.stderr.splitlines() if ln.startswith("summarize: error:")]


def _warnings(r: subprocess.CompletedProcess[str]) -> list[str]:
    return [ln for ln in r.stderr.splitlines() if ln.startswith("summarize: warning:")]


def _assert_one_error(r: subprocess.CompletedProcess[str], code: int, needle: str) -> None:
    assert r.returncode == code, r.stderr
    errors = _errors(r)
    assert len(errors) == 1, r.stderr
    assert needle in errors[0], errors[0]
    assert "wrote" not in r.stderr and not r.stdout


def _assert_written_whole(out: Path) -> dict[str, object]:
    assert sorted(p.name for p in out.iterdir()) == ["summary.json", "summary.md"]
    doc: dict[str, object] = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    return doc


@pytest.fixture
def event(tmp_path: Path, seed_event_dir: Path) -> Path:
    """A copy of the reference event to add one bad file to."""
    folder = tmp_path / "event"
    folder.mkdir()
    for f in seed_event_dir.iterdir():
        (folder / f.name).write_bytes(f.read_bytes())
    return folder


# --- fatal: one error line, exit 2, no output folder ----------------------------------------


def _boilerplate(d: Path) -> Path:
    (d / "a.txt").write_text("Skip to main content\n\nAdvertisement\n\nAll rights reserved\n")
    (d / "b.txt").write_text("Share this article\n\nSubscribe now for $1 a week\n")
    return d


def _only_binary(d: Path) -> Path:
    (d / "a.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64))
    (d / "b.txt").write_bytes(b"\x00" * 10)
    return d


def _only_unknown_types(d: Path) -> Path:
    (d / "a.pdf").write_bytes(b"%PDF-1.4")
    (d / "b.docx").write_bytes(b"PK\x03\x04")
    return d


def _jsonl_all_bad(d: Path) -> Path:
    (d / "batch.jsonl").write_text('{not json\n{"id": "e", "articles": []}\n')
    return d / "batch.jsonl"


def _unsupported_file(d: Path) -> Path:
    (d / "paper.pdf").write_bytes(b"%PDF-1.4")
    return d / "paper.pdf"


def _single_binary_file(d: Path) -> Path:
    (d / "a.txt").write_bytes(bytes(range(256)))
    return d / "a.txt"


@pytest.mark.parametrize(
    ("setup", "needle"),
    [
        (lambda d: d / "missing", "no such file or folder"),
        (lambda d: d, "empty folder"),
        (_boilerplate, "boilerplate"),
        (_only_binary, "binary content"),
        (_only_unknown_types, "no readable article"),
        (_jsonl_all_bad, "no readable event"),
        (_unsupported_file, "unsupported file type '.pdf'"),
        (_single_binary_file, "binary content"),
    ],
    ids=[
        "missing-path",
        "empty-folder",
        "only-boilerplate",
        "only-binary",
        "only-unknown-types",
        "jsonl-all-bad",
        "unsupported-file",
        "single-binary-file",
    ],
)
def test_unusable_input_is_one_error_exit_2(
    tmp_path: Path, setup: Callable[[Path], Path], needle: str
) -> None:
    src = tmp_path / "in"
    src.mkdir()
    out = tmp_path / "out"
    r = _run(str(setup(src)), "--out", str(out))
    _assert_one_error(r, 2, needle)
    assert not out.exists()  # nothing created, not even the folder


# --- one bad file among good ones: a warning naming it, the rest summarised ------------------


def _nul(d: Path) -> str:
    (d / "blob.txt").write_bytes(b"\x00\x01" * 50)
    return "blob.txt"


def _noise(d: Path) -> str:
    (d / "noise.txt").write_bytes(bytes(b or 1 for b in random.Random(9).randbytes(3000)))
    return "noise.txt"


def _huge(d: Path) -> str:
    (d / "huge.txt").write_bytes(b"The minister said. " * 270_000)  # 5.1 MB
    return "huge.txt"


def _loop(d: Path) -> str:
    (d / "x.txt").symlink_to(d / "y.txt")
    (d / "y.txt").symlink_to(d / "x.txt")
    return "x.txt"


def _broken_link(d: Path) -> str:
    (d / "gone.txt").symlink_to(d / "nowhere")
    return "gone.txt"


def _fifo(d: Path) -> str:
    os.mkfifo(d / "pipe.txt")
    return "pipe.txt"


def _scripts_only(d: Path) -> str:
    (d / "app.html").write_text(
        "<html><head><script>var x = 1;</script><style>p {}</style></head>"
        "<body><script>render()</script></body></html>"
    )
    return "app.html"


def _json_no_text(d: Path) -> str:
    (d / "item.json").write_text('{"title": "Storm", "url": "u"}')
    return "item.json"


def _empty(d: Path) -> str:
    (d / "empty.md").write_bytes(b"")
    return "empty.md"


def _nav_only(d: Path) -> str:
    (d / "nav.txt").write_text("Skip to main content\n\nAdvertisement\n")
    return "nav.txt"


BAD_FILES: dict[str, tuple[Callable[[Path], str], str]] = {
    "binary-nul": (_nul, "NUL"),
    "random-bytes": (_noise, "no known character encoding"),
    "over-5-mb": (_huge, "over the 5 MB limit"),
    "symlink-loop": (_loop, "symbolic links"),
    "broken-symlink": (_broken_link, "broken symbolic link"),
    "named-pipe": (_fifo, "not a regular file"),
    "html-only-scripts": (_scripts_only, "no main text found in HTML"),
    "json-without-text": (_json_no_text, "no 'text' field"),
    "empty-file": (_empty, "no text"),
    "only-boilerplate-file": (_nav_only, "boilerplate"),
}


@pytest.mark.timeout(300)
@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_one_bad_file_is_a_warning_and_the_rest_is_summarised(
    event: Path, tmp_path: Path, kind: str
) -> None:
    make, needle = BAD_FILES[kind]
    name = make(event)
    out = tmp_path / "out"
    r = _run(str(event), "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert not _errors(r)
    assert any(name in w and needle in w for w in _warnings(r)), r.stderr
    doc = _assert_written_whole(out)
    articles = doc["articles"]
    assert isinstance(articles, list) and len(articles) >= 5 and doc["summary"]


@pytest.mark.parametrize(
    ("codec", "encoding"),
    [("latin-1", "cp1252"), ("cp1252", "cp1252"), ("utf-16", "utf_16")],
)
def test_non_utf8_article_is_decoded_with_a_warning(
    event: Path, tmp_path: Path, codec: str, encoding: str
) -> None:
    text = (
        "Hollande\u2019s visit to Moscow\n\n"
        "Fran\u00e7ois Hollande met Vladimir Putin in Moscow on Thursday and said \u201cwe "
        "will strike Islamic State together\u201d, a caf\u00e9 owner near the Kremlin told "
        "reporters. The r\u00e9sum\u00e9 of the talks was published at once.\n"
    )
    if codec == "latin-1":
        text = text.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
    (event / "legacy.txt").write_bytes(text.encode(codec))
    out = tmp_path / "out"
    r = _run(str(event), "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert any("legacy.txt" in w and f"decoded as {encoding}" in w for w in _warnings(r))
    doc = _assert_written_whole(out)
    passages = " ".join(str(p["text"]) for p in doc["passages"])  # type: ignore[attr-defined]
    assert "Fran\u00e7ois Hollande met Vladimir Putin" in passages


def test_names_with_spaces_unicode_and_odd_bytes(event: Path, tmp_path: Path) -> None:
    for f in sorted(event.iterdir())[:2]:
        f.rename(event / f"le monde – été {f.name}")
    third = sorted(event.iterdir())[2]
    third.rename(event / os.fsdecode(b"caf\xe9 " + os.fsencode(third.name)))
    out = tmp_path / "sortie été"
    r = _run(str(event), "--out", str(out))
    assert r.returncode == 0, r.stderr
    doc = _assert_written_whole(out)
    paths = [str(a["path"]) for a in doc["articles"]]  # type: ignore[attr-defined]
    assert sum("le monde – été" in p for p in paths) == 2
    assert any("caf\\xe9 " in p for p in paths)


# --- degraded but summarised: a warning says so --------------------------------------------


def test_one_article_is_summarised_with_a_warning(tmp_path: Path, seed_event_dir: Path) -> None:
    one = sorted(seed_event_dir.iterdir())[0]
    out = tmp_path / "out"
    r = _run(str(one), "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert any("only one article" in w for w in _warnings(r))
    assert _assert_written_whole(out)["summary"]


def test_two_identical_articles_count_once(tmp_path: Path, seed_event_dir: Path) -> None:
    src = sorted(seed_event_dir.iterdir())[0]
    (tmp_path / "a.txt").write_bytes(src.read_bytes())
    (tmp_path / "b.txt").write_bytes(src.read_bytes())
    r = _run(str(tmp_path), "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert [a["duplicate_of"] for a in doc["articles"]] == [None, "A1"]
    assert {p["article"] for p in doc["passages"]} == {"A1"}


def test_one_very_long_line(event: Path, tmp_path: Path) -> None:
    sentences = [f"Officials in district {i} said {i * 7} people were moved." for i in range(4000)]
    (event / "long.txt").write_text("One long line\n\n" + " ".join(sentences) + "\n")
    r = _run(str(event), "--json")
    assert r.returncode == 0, r.stderr
    assert any("long.txt" in w and "cut into" in w for w in _warnings(r))
    doc = json.loads(r.stdout)
    long_passages = [p for p in doc["passages"] if p["article"] == "A6"]
    assert len(long_passages) >= 3900  # every sentence is still a passage


def test_non_english_articles(tmp_path: Path) -> None:
    (tmp_path / "fr1.txt").write_text(
        "Hollande et Poutine d'accord pour frapper l'État islamique\n\n"
        "Le président François Hollande a rencontré jeudi à Moscou le président russe Vladimir "
        "Poutine. Les deux dirigeants se sont mis d'accord pour coordonner leurs frappes contre "
        "l'État islamique en Syrie, selon un communiqué publié dans la soirée par l'Élysée.\n"
    )
    (tmp_path / "fr2.txt").write_text(
        "À Moscou, Hollande obtient une coopération limitée de Poutine\n\n"
        "François Hollande a obtenu jeudi de Vladimir Poutine un engagement à ne pas frapper "
        "les forces qui combattent l'État islamique. Les deux présidents ont parlé pendant "
        "plusieurs heures au Kremlin, et la question de l'avenir de Bachar el-Assad les divise.\n"
    )
    out = tmp_path / "out"
    r = _run(str(tmp_path), "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert any("not in English" in w for w in _warnings(r))
    doc = _assert_written_whole(out)
    assert doc["passages"]


def test_mixed_event_folder(event: Path, tmp_path: Path) -> None:
    (event / "zz-storm-1.txt").write_text(
        "Storm floods coastal towns in Cornwall\n\nHeavy rain and gale-force winds flooded "
        "three fishing villages on the Cornish coast overnight, the Environment Agency said on "
        "Saturday. Firefighters rescued dozens of residents from their homes as the river burst "
        "its banks. The harbour wall in Mevagissey was damaged and several boats sank at their "
        "moorings, and power lines were brought down across the county.\n"
    )
    r = _run(str(event), "--json")
    assert r.returncode == 0, r.stderr
    assert any("2 groups" in w and "{A6}" in w for w in _warnings(r)), r.stderr
    assert len(json.loads(r.stdout)["articles"]) == 6


@pytest.mark.timeout(600)
def test_event_of_300_articles(tmp_path: Path, seed_event_dir: Path) -> None:
    rng = random.Random(11)
    pool = [
        s.strip() + "."
        for f in sorted(seed_event_dir.iterdir())
        for s in f.read_text(encoding="utf-8").split(". ")
        if 8 <= len(s.split()) <= 60 and "\n" not in s.strip()
    ]
    folder = tmp_path / "big"
    folder.mkdir()
    for i in range(300):
        body = " ".join(rng.sample(pool, 6))
        (folder / f"outlet {i:03d}.txt").write_text(f"Hollande in Moscow, report {i}\n\n{body}\n")
    out = tmp_path / "out"
    r = _run(str(folder), "--out", str(out))
    assert r.returncode == 0, r.stderr
    doc = _assert_written_whole(out)
    assert len(doc["articles"]) == 300 and doc["summary"]  # type: ignore[arg-type]


def test_jsonl_with_a_malformed_line(tmp_path: Path) -> None:
    good = {"id": "e1", "articles": [{"id": "a", "text": STORM}, {"id": "b", "text": STORM}]}
    src = tmp_path / "batch.jsonl"
    src.write_text(
        json.dumps(good) + "\n{oops\n" + json.dumps({**good, "id": "e2"}) + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    r = _run(str(src), "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert any("batch.jsonl:2:" in w for w in _warnings(r))
    for event_id in ("e1", "e2"):
        _assert_written_whole(out / event_id)


# --- the output folder -----------------------------------------------------------------------


def test_out_is_a_file(seed_event_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "taken"
    target.write_text("keep me")
    r = _run(str(seed_event_dir), "--out", str(target))
    _assert_one_error(r, 2, "is a file, not a folder")
    assert target.read_text() == "keep me"
    assert "model:" not in r.stderr  # refused before any work


def test_out_under_a_file(seed_event_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("keep me")
    r = _run(str(seed_event_dir), "--out", str(tmp_path / "taken" / "sub"))
    _assert_one_error(r, 2, "cannot be created")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write to a read-only folder")
def test_out_not_writable(seed_event_dir: Path, tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        r = _run(str(seed_event_dir), "--out", str(locked / "out"))
    finally:
        locked.chmod(0o755)
    _assert_one_error(r, 2, "not writable")
    assert not (locked / "out").exists()


def test_out_not_writable_is_refused_before_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What root cannot see on a chmod'ed folder, os.access reports on a read-only mount.
    monkeypatch.setattr(os, "access", lambda path, mode: False)
    with pytest.raises(ConfigError, match="is not writable") as info:
        check_out_dir(tmp_path / "new" / "out")
    assert info.value.exit_code == 2
    assert not (tmp_path / "new").exists()


def test_failed_write_leaves_neither_file_half_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed_event_dir: Path
) -> None:
    from summarize.errors import SummarizeError
    from summarize.output import files
    from summarize.pipeline import run_path

    doc = run_path(seed_event_dir).documents[0]
    (tmp_path / "summary.json").write_text("old json")
    (tmp_path / "summary.md").write_text("old md")

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(SummarizeError, match="No space left on device"):
        files.write_document(doc, tmp_path)
    assert (tmp_path / "summary.json").read_text() == "old json"  # not one new, one old
    assert (tmp_path / "summary.md").read_text() == "old md"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["summary.json", "summary.md"]


def test_utf16_bom_event_file_round_trip(event: Path, tmp_path: Path) -> None:
    data = codecs.BOM_UTF16_BE + (
        "Putin and Hollande\n\nPutin said Russia would coordinate strikes with France.\n"
    ).encode("utf-16-be")
    (event / "be.txt").write_bytes(data)
    r = _run(str(event), "--json")
    assert r.returncode == 0, r.stderr
    assert any("be.txt" in w and "decoded as utf_16" in w for w in _warnings(r))
