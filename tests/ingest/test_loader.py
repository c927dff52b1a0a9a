"""Load stage: folders, single files, jsonl clusters, metadata detection and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summarize.errors import InputError
from summarize.ingest.loader import Batch, load
from summarize.ingest.webtext import split_paragraphs


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


GOOD = (
    "Storm floods coastal towns\n\nMarch 4, 2021\n\n"
    "A storm flooded three coastal towns on Thursday, officials said.\n\n"
    "Rescue crews evacuated hundreds of residents overnight.\n"
)


def test_seed_folder_is_one_event(seed_event_dir: Path) -> None:
    batch = load(seed_event_dir)
    assert isinstance(batch, Batch)
    assert [e.id for e in batch.events] == [seed_event_dir.name]
    event = batch.events[0]
    files = sorted(p for p in seed_event_dir.iterdir() if p.suffix == ".txt")
    assert [a.id for a in event.articles] == [f"A{i}" for i in range(1, len(files) + 1)]
    assert [a.path for a in event.articles] == [p.name for p in files]  # relative
    assert all(a.raw_paragraphs and a.title for a in event.articles)
    assert event.articles[0].date == "2015-11-27"
    assert not batch.warnings


def test_title_skips_leading_furniture(seed_event_dir: Path) -> None:
    # 002 starts with a "skip to content" link, which must not become the title.
    event = load(seed_event_dir).events[0]
    assert event.articles[2].title is not None
    assert "skip" not in event.articles[2].title.lower()
    assert event.articles[2].raw_paragraphs[0].lower().startswith("skip")


def test_text_file_title_date_and_front_matter(tmp_path: Path) -> None:
    _write(tmp_path / "a.txt", GOOD)
    _write(
        tmp_path / "b.md",
        "---\ntitle: Coast hit by storm\noutlet: Daily Planet\ndate: 2021-03-05\n"
        "section: weather\n---\n# Coast hit by storm\n\nThe **storm** hit the "
        "[coast](https://example.org) hard.\n",
    )
    first, second = load(tmp_path).events[0].articles
    assert (first.title, first.date) == ("Storm floods coastal towns", "2021-03-04")
    assert (second.title, second.outlet, second.date) == (
        "Coast hit by storm",
        "Daily Planet",
        "2021-03-05",
    )
    assert second.extra == {"section": "weather"}
    assert second.raw_paragraphs == ["Coast hit by storm", "The storm hit the coast hard."]


def test_json_article_and_single_file(tmp_path: Path) -> None:
    record = {"body": "One line.\n\nTwo line.", "title": "T", "source": "Wire", "url": "u"}
    path = _write(tmp_path / "x.json", json.dumps(record))
    article = load(path).events[0].articles[0]
    assert (article.title, article.outlet, article.url) == ("T", "Wire", "u")
    assert article.raw_paragraphs == ["One line.", "Two line."]


def test_html_uses_trafilatura_main_text(tmp_path: Path) -> None:
    html = (
        "<html><head><title>Storm hits coast | Daily Planet</title>"
        '<meta property="og:site_name" content="Daily Planet">'
        '<meta property="og:title" content="Storm hits coast">'
        '<meta name="date" content="2021-03-04"></head><body>'
        '<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World news</a></li></ul></nav>'
        "<article><h1>Storm hits coast</h1>"
        "<p>A powerful storm hit the northern coast on Thursday, cutting power to thousands.</p>"
        "<p>The mayor said shelters would stay open overnight for evacuated families.</p>"
        "</article><footer><p>Copyright 2021 Daily Planet. All rights reserved.</p>"
        '<a href="/privacy">Privacy policy</a></footer></body></html>'
    )
    _write(tmp_path / "page.html", html)
    _write(tmp_path / "other.txt", GOOD)
    event = load(tmp_path).events[0]
    page = event.articles[1]
    assert page.path.endswith("page.html")
    assert (page.title, page.outlet, page.date) == (
        "Storm hits coast",
        "Daily Planet",
        "2021-03-04",
    )
    body = " ".join(page.raw_paragraphs)
    assert "powerful storm" in body and "shelters" in body
    assert "Privacy policy" not in body and "World news" not in body


def test_jsonl_clusters(shared_data: Path) -> None:
    path = shared_data / "events" / "neus_allsides.jsonl"
    lines = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    batch = load(path)
    assert [e.id for e in batch.events] == [x["id"] for x in lines]
    event, record = batch.events[0], lines[0]
    assert event.reference_summary == record["reference_summary"]
    art = event.articles[0]
    assert art.id == "A1"
    assert art.path == f"{path.name}#{record['id']}/{record['articles'][0]['id']}"
    assert art.outlet == record["articles"][0]["outlet"]
    assert art.date is not None and len(art.date) == 10  # ISO date taken from meta
    ecb = load(shared_data / "events" / "ecbplus.jsonl")
    assert len(ecb.events) == 16 and not ecb.warnings


def test_bad_jsonl_line_is_a_warning(tmp_path: Path) -> None:
    good = {"id": "e1", "articles": [{"id": "x", "text": "Hello world."}]}
    path = _write(
        tmp_path / "c.jsonl", json.dumps(good) + "\n{not json\n" + json.dumps(good) + "\n"
    )
    batch = load(path)
    assert len(batch.events) == 2
    assert len(batch.warnings) == 1 and ":2:" in batch.warnings[0]


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load(tmp_path / "nope")


def test_empty_folder(tmp_path: Path) -> None:
    _write(tmp_path / ".hidden.txt", GOOD)  # hidden files do not count
    with pytest.raises(InputError, match="empty folder"):
        load(tmp_path)


def test_only_undecodable_file(tmp_path: Path) -> None:
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe\xfa not utf-8 \x81")
    with pytest.raises(InputError, match="no readable article"):
        load(tmp_path)


def test_one_bad_file_among_good(tmp_path: Path) -> None:
    _write(tmp_path / "1.txt", GOOD)
    (tmp_path / "2.txt").write_bytes(b"\xff\xfe broken \x81")
    _write(tmp_path / "3.txt", "   \n\n")
    _write(tmp_path / "4.json", "{broken")
    _write(tmp_path / "5.txt", GOOD)
    _write(tmp_path / "notes.docx", "x")
    _write(tmp_path / ".DS_Store", "x")
    batch = load(tmp_path)
    articles = batch.events[0].articles
    assert [(a.id, Path(a.path).name) for a in articles] == [("A1", "1.txt"), ("A2", "5.txt")]
    joined = "\n".join(batch.warnings)
    for name in ("2.txt", "3.txt", "4.json", "notes.docx"):
        assert name in joined
    assert ".DS_Store" not in joined
    assert batch.events[0].warnings == batch.warnings


def test_empty_jsonl(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no readable event"):
        load(_write(tmp_path / "e.jsonl", "\n"))


def test_split_paragraphs_rules() -> None:
    assert split_paragraphs("a b.\n\n\n c d.\n") == ["a b.", "c d."]
    # One sentence per line (no blank lines): every line is a paragraph.
    assert split_paragraphs("First one.\nSecond one.\nThird one.") == [
        "First one.",
        "Second one.",
        "Third one.",
    ]
    wrapped = (
        "The council met on Monday to discuss the new budget for the\n"
        "coming year, and members argued for several hours about the\n"
        "cost of the bridge repairs that engineers had recommended in\n"
        "their report last spring.\n\nA vote is due next week.\n"
    )
    paras = split_paragraphs(wrapped)
    assert len(paras) == 2 and paras[0].startswith("The council") and paras[0].endswith("spring.")
