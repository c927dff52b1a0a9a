"""Bad input at the load stage (issue #9, item 4): every case is one clear warning or one
``InputError``, the good files beside it are still loaded, and nothing raises anything else.

The CLI side of the same cases (exit codes, stderr, files written) is tests/test_cli_bad_input.py.
"""

from __future__ import annotations

import codecs
import json
import os
import random
from pathlib import Path

import pytest

from summarize.errors import InputError
from summarize.ingest import encoding
from summarize.ingest.cleaner import clean
from summarize.ingest.encoding import MAX_FILE_BYTES
from summarize.ingest.loader import MAX_PARAGRAPH_CHARS, cut_paragraph, load
from summarize.pipeline import run_event

STORM = (
    "Storm floods coastal towns\n\n"
    "A storm flooded three coastal towns on Thursday, officials said, and rescue crews "
    "evacuated hundreds of residents from their homes overnight.\n\n"
    "The mayor said shelters would stay open for the families who had lost power, and that "
    "the town council would meet on Friday to discuss the cost of the repairs.\n"
)
STORM_2 = (
    "Coastal towns flooded after storm\n\n"
    "Three towns on the coast were flooded by a storm on Thursday and hundreds of residents "
    "were evacuated overnight, according to officials.\n\n"
    "Shelters stayed open for families without power, the mayor said, adding that the council "
    "would discuss the cost of the repairs at a meeting on Friday.\n"
)
# Western European text with the characters that differ between encodings.
FRENCH_NAMES = (
    "Le président François Hollande a déclaré jeudi à Moscou que la coopération avec la "
    "Russie était nécessaire. Les frappes aériennes ont été évoquées longuement."
)
CP1252_TEXT = (
    "\u201cWe will strike the terrorists,\u201d the president said \u2014 a plan costing "
    "\u20ac5 million. Officials said the na\u00efve r\u00e9sum\u00e9 of the talks was wrong."
)


def _event_dir(tmp_path: Path) -> Path:
    """A folder with two good articles about one storm."""
    folder = tmp_path / "event"
    folder.mkdir()
    (folder / "good1.txt").write_text(STORM, encoding="utf-8")
    (folder / "good2.txt").write_text(STORM_2, encoding="utf-8")
    return folder


def _names(folder: Path) -> list[str]:
    return [Path(a.path).name for a in load(folder).events[0].articles]


def _warning_for(warnings: list[str], name: str, about: str = "") -> str:
    """The one warning naming ``name`` (and containing ``about``)."""
    hits = [w for w in warnings if name in w and about in w]
    assert len(hits) == 1, warnings
    return hits[0]


# --- paths and folders ---------------------------------------------------------------------


def test_missing_path_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file or folder") as info:
        load(tmp_path / "missing")
    assert info.value.exit_code == 2


def test_folder_of_only_hidden_files_is_empty(tmp_path: Path) -> None:
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x01")
    (tmp_path / ".draft.txt").write_text(STORM)
    with pytest.raises(InputError, match="empty folder"):
        load(tmp_path)


def test_unreadable_folder_is_one_input_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _event_dir(tmp_path)

    def denied(self: Path) -> None:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "iterdir", denied)
    with pytest.raises(InputError, match=r"cannot read folder \(Permission denied\)"):
        load(folder)


def test_folder_of_only_boilerplate_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(
        "Skip to main content\n\nSubscribe now for $1 a week\n\nAdvertisement\n\n"
        "We use cookies to improve your experience.\n"
    )
    (tmp_path / "b.txt").write_text("Share this article\n\nRead more:\n\nAll rights reserved\n")
    with pytest.raises(InputError, match="no readable article") as info:
        load(tmp_path)
    message = str(info.value)
    assert "a.txt" in message and "b.txt" in message and "boilerplate" in message


def test_boilerplate_article_among_good_is_named_and_kept_for_the_record(tmp_path: Path) -> None:
    folder = _event_dir(tmp_path)
    (folder / "junk.txt").write_text("Skip to main content\n\nAdvertisement\n")
    batch = load(folder)
    assert "boilerplate" in _warning_for(batch.warnings, "junk.txt")
    # Still listed, so the cleaner records what was dropped from it and why.
    junk = clean(batch.events[0]).articles[2]
    assert junk.paragraphs == [] and len(junk.dropped) == 2


def test_one_article_is_summarised_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "only.txt").write_text(STORM)
    batch = load(tmp_path)
    assert len(batch.events[0].articles) == 1
    assert any("only one article" in w for w in batch.warnings)
    doc = run_event(batch.events[0], "extractive")
    assert doc.passages and "only one article" in " ".join(doc.run.warnings)


def test_two_identical_articles_count_once(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(STORM)
    (tmp_path / "b.txt").write_text(STORM)
    event = clean(load(tmp_path).events[0])
    assert [a.duplicate_of for a in event.articles] == [None, "A1"]
    doc = run_event(load(tmp_path).events[0], "extractive")
    assert {p.article for p in doc.passages} == {"A1"}


def test_names_with_spaces_and_unicode(tmp_path: Path) -> None:
    folder = tmp_path / "événement du jour"
    folder.mkdir()
    (folder / "le monde – été 2015.txt").write_text(STORM)
    (folder / "报道 2.txt").write_text(STORM_2)
    batch = load(folder)
    assert batch.events[0].id == "événement du jour"
    assert sorted(_names(folder)) == sorted(["le monde – été 2015.txt", "报道 2.txt"])


@pytest.mark.skipif(os.name != "posix", reason="POSIX file names are bytes")
def test_file_name_that_is_not_utf8_is_shown_escaped(tmp_path: Path) -> None:
    folder = _event_dir(tmp_path)
    (folder / os.fsdecode(b"caf\xe9.txt")).write_text(STORM_2)
    batch = load(folder)
    paths = [a.path for a in batch.events[0].articles]
    assert "caf\\xe9.txt" in paths  # relative to the input folder
    batch.model_dump_json()  # no lone surrogate left to break JSON output


# --- files that cannot be read -------------------------------------------------------------


def test_symlink_loop_is_skipped(tmp_path: Path) -> None:
    folder = _event_dir(tmp_path)
    (folder / "loop1.txt").symlink_to(folder / "loop2.txt")
    (folder / "loop2.txt").symlink_to(folder / "loop1.txt")
    batch = load(folder)
    assert _names(folder) == ["good1.txt", "good2.txt"]
    assert "symbolic links" in _warning_for(batch.warnings, "loop1.txt")


def test_broken_symlink_is_skipped(tmp_path: Path) -> None:
    folder = _event_dir(tmp_path)
    (folder / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    batch = load(folder)
    assert "broken symbolic link" in _warning_for(batch.warnings, "gone.txt")
    assert _names(folder) == ["good1.txt", "good2.txt"]


def test_symlink_to_a_good_file_is_followed(tmp_path: Path) -> None:
    folder = _event_dir(tmp_path)
    (tmp_path / "elsewhere.txt").write_text(STORM_2 + "\nOne more sentence on the repairs.\n")
    (folder / "link.txt").symlink_to(tmp_path / "elsewhere.txt")
    assert _names(folder) == ["good1.txt", "good2.txt", "link.txt"]


@pytest.mark.timeout(60)
def test_named_pipe_is_skipped_not_read(tmp_path: Path) -> None:
    folder = _event_dir(tmp_path)
    os.mkfifo(folder / "pipe.txt")  # reading it would block forever
    batch = load(folder)
    assert "not a regular file" in _warning_for(batch.warnings, "pipe.txt")


def test_permission_denied_is_a_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _event_dir(tmp_path)
    (folder / "secret.txt").write_text(STORM_2)
    real_open = Path.open

    def guarded(self: Path, *args: object, **kwargs: object) -> object:
        if self.name == "secret.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", guarded)
    batch = load(folder)
    assert "cannot read (Permission denied)" in _warning_for(batch.warnings, "secret.txt")
    assert _names(folder) == ["good1.txt", "good2.txt"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a chmod 000 file anyway")
def test_chmod_000_file_is_a_warning(tmp_path: Path) -> None:
    folder = _event_dir(tmp_path)
    secret = folder / "secret.txt"
    secret.write_text(STORM_2)
    secret.chmod(0)
    try:
        batch = load(folder)
    finally:
        secret.chmod(0o644)
    assert "Permission denied" in _warning_for(batch.warnings, "secret.txt")


def test_file_over_the_size_limit_is_skipped_unread(tmp_path: Path) -> None:
    folder = _event_dir(tmp_path)
    (folder / "huge.txt").write_bytes(b"word " * (MAX_FILE_BYTES // 5 + 1))
    batch = load(folder)
    assert "over the 5 MB limit" in _warning_for(batch.warnings, "huge.txt")
    assert _names(folder) == ["good1.txt", "good2.txt"]


def test_empty_and_blank_files_are_skipped(tmp_path: Path) -> None:
    folder = _event_dir(tmp_path)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.md").write_text(" \n\n\t\n")
    batch = load(folder)
    assert "no text" in _warning_for(batch.warnings, "empty.txt")
    assert "no text" in _warning_for(batch.warnings, "blank.md")


# --- binary files and encodings ------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)), "NUL"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01" + bytes(200), "NUL"),
        (bytes(b or 1 for b in random.Random(3).randbytes(4000)), "no known character"),
        (b"\x01\x02\x03\x04\x05\x06ABC" * 50, "control characters"),
        (b"\xff\xfe\xfa not utf-8 \x81", "byte-order mark"),
    ],
    ids=["png", "jpeg", "random-bytes", "control-chars", "bad-utf16-bom"],
)
def test_binary_file_is_skipped(tmp_path: Path, data: bytes, reason: str) -> None:
    folder = _event_dir(tmp_path)
    (folder / "blob.txt").write_bytes(data)
    batch = load(folder)
    assert reason in _warning_for(batch.warnings, "blob.txt")
    assert _names(folder) == ["good1.txt", "good2.txt"]


@pytest.mark.parametrize(
    ("text", "codec", "expected"),
    [
        (FRENCH_NAMES, "latin-1", {"cp1252"}),  # Latin-1 is read as its superset
        (CP1252_TEXT, "cp1252", {"cp1252"}),
        (FRENCH_NAMES, "utf-16", {"utf_16"}),  # with BOM (the platform's byte order)
        (CP1252_TEXT, "utf-16-be-bom", {"utf_16"}),
        (CP1252_TEXT, "utf-32", {"utf_32"}),
        (
            "Президент России Владимир Путин встретился в Кремле с президентом Франции.",
            "cp1251",
            {"cp1251"},
        ),
    ],
    ids=["latin-1", "cp1252", "utf-16-le-bom", "utf-16-be-bom", "utf-32-bom", "cp1251"],
)
def test_non_utf8_text_is_decoded_and_reported(
    tmp_path: Path, text: str, codec: str, expected: set[str]
) -> None:
    folder = _event_dir(tmp_path)
    if codec == "utf-16-be-bom":
        data = codecs.BOM_UTF16_BE + f"Old wire copy\n\n{text}\n".encode("utf-16-be")
    else:
        data = f"Old wire copy\n\n{text}\n".encode(codec)
    (folder / "legacy.txt").write_bytes(data)
    batch = load(folder)
    article = next(a for a in batch.events[0].articles if a.path.endswith("legacy.txt"))
    assert article.raw_paragraphs == ["Old wire copy", text]
    assert article.extra["encoding"] in expected
    assert _warning_for(batch.warnings, "legacy.txt", f"decoded as {article.extra['encoding']}")


@pytest.mark.parametrize("bom", [b"", codecs.BOM_UTF8], ids=["utf-8", "utf-8-bom"])
def test_utf8_is_read_exactly_as_before(tmp_path: Path, bom: bytes) -> None:
    text = f"Old wire copy\n\n{CP1252_TEXT}\n\n{FRENCH_NAMES} 東京\n"
    decoded = encoding.decode(bom + text.encode("utf-8"))
    assert decoded.text == text and decoded.encoding is None
    folder = _event_dir(tmp_path)
    (folder / "u.txt").write_bytes(bom + text.encode("utf-8"))
    batch = load(folder)
    assert not batch.warnings
    assert "encoding" not in batch.events[0].articles[2].extra


def test_utf8_with_a_few_bad_bytes_keeps_utf8(tmp_path: Path) -> None:
    text = f"{FRENCH_NAMES} Caf\xe9 is the stray byte."
    data = text.replace("Caf\xe9", "CAFE_").encode("utf-8").replace(b"CAFE_", b"Caf\xe9")
    decoded = encoding.decode(data)
    assert decoded.text == text.replace("\xe9 is", "\ufffd is")  # accents elsewhere intact
    assert (decoded.encoding, decoded.replaced) == ("utf-8", 1)


def test_html_in_latin1_is_decoded(tmp_path: Path) -> None:
    folder = _event_dir(tmp_path)
    html = (
        "<html><head><title>Storm</title></head><body><article>"
        f"<p>{FRENCH_NAMES}</p><p>Les sinistrés ont été relogés à l'école, a précisé "
        "le maire de la commune vendredi matin.</p></article></body></html>"
    )
    (folder / "page.html").write_bytes(html.encode("latin-1"))
    batch = load(folder)
    page = next(a for a in batch.events[0].articles if a.path.endswith("page.html"))
    assert "François Hollande a déclaré" in " ".join(page.raw_paragraphs)
    assert _warning_for(batch.warnings, "page.html", "decoded as cp1252")


# --- formats -------------------------------------------------------------------------------


def test_html_with_only_scripts_and_styles_has_no_text(tmp_path: Path) -> None:
    folder = _event_dir(tmp_path)
    (folder / "app.html").write_text(
        "<html><head><style>body { color: red; }</style><script>var a = 1;</script></head>"
        "<body><script>document.write('Storm floods coastal towns on Thursday');</script>"
        "<noscript></noscript></body></html>"
    )
    batch = load(folder)
    assert "no main text found in HTML" in _warning_for(batch.warnings, "app.html")
    assert _names(folder) == ["good1.txt", "good2.txt"]


@pytest.mark.parametrize(
    ("payload", "needle"),
    [
        ({"title": "Storm", "author": "A. Writer"}, "no 'text' field"),
        ({"text": "   ", "title": "Storm"}, "no 'text' field"),
        ({"text": 42}, "no 'text' field"),
        ([{"text": "A list, not an article."}], "JSON is list"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ("{broken", "bad JSON"),
    ],
    ids=["no-text-field", "blank-text", "text-not-a-string", "top-level-list", "deep", "broken"],
)
def test_json_without_a_usable_text_field(tmp_path: Path, payload: object, needle: str) -> None:
    folder = _event_dir(tmp_path)
    raw = payload if isinstance(payload, str) else json.dumps(payload)
    (folder / "item.json").write_text(raw)
    batch = load(folder)
    note = _warning_for(batch.warnings, "item.json")
    assert needle in note
    if needle == "no 'text' field" and isinstance(payload, dict):
        assert repr(next(iter(payload))) in note  # names the keys it did find
    assert _names(folder) == ["good1.txt", "good2.txt"]


def test_jsonl_bad_lines_are_named_by_number(tmp_path: Path) -> None:
    good = {"id": "e1", "articles": [{"id": "x", "text": STORM}, {"id": "y", "text": STORM_2}]}
    lines = [
        json.dumps(good),
        "{not json",
        "[" * 50_000,
        json.dumps({"id": "e2", "articles": "none"}),
        json.dumps({"id": "e3", "articles": [{"id": "z", "title": "no text"}]}),
        json.dumps({**good, "id": "e4"}),
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n")
    batch = load(path)
    assert [e.id for e in batch.events] == ["e1", "e4"]
    joined = "\n".join(batch.warnings)
    for lineno in (2, 3, 4, 5):
        assert f"batch.jsonl:{lineno}:" in joined
    assert "nested too deeply" in joined and "article 1 has no text" in joined


def test_jsonl_event_of_only_boilerplate_is_skipped(tmp_path: Path) -> None:
    junk = {"id": "junk", "articles": [{"text": "Skip to main content\n\nAdvertisement"}]}
    good = {"id": "good", "articles": [{"text": STORM}, {"text": STORM_2}]}
    path = tmp_path / "b.jsonl"
    path.write_text(json.dumps(junk) + "\n" + json.dumps(good) + "\n")
    batch = load(path)
    assert [e.id for e in batch.events] == ["good"]
    assert any("b.jsonl:1: event junk" in w and "boilerplate" in w for w in batch.warnings)


def test_jsonl_in_latin1_is_decoded(tmp_path: Path) -> None:
    record = {"id": "fr", "articles": [{"text": FRENCH_NAMES}, {"text": STORM}]}
    path = tmp_path / "fr.jsonl"
    path.write_bytes(json.dumps(record, ensure_ascii=False).encode("latin-1") + b"\n")
    batch = load(path)
    assert batch.events[0].articles[0].raw_paragraphs == [FRENCH_NAMES]
    assert any("decoded as cp1252" in w for w in batch.warnings)


# --- very long lines -----------------------------------------------------------------------


def test_one_very_long_line_is_cut_at_sentence_ends(tmp_path: Path) -> None:
    sentence = "The council said the repairs to the sea wall would cost more than planned. "
    line = sentence * (3 * MAX_PARAGRAPH_CHARS // len(sentence) + 5)
    folder = _event_dir(tmp_path)
    (folder / "long.txt").write_text("Sea wall repairs\n\n" + line + "\n")
    batch = load(folder)
    article = batch.events[0].articles[2]
    pieces = article.raw_paragraphs[1:]
    assert len(pieces) == 4 and all(len(p) <= MAX_PARAGRAPH_CHARS for p in pieces)
    assert all(p.endswith("planned.") for p in pieces)  # cut at sentence ends only
    assert " ".join(pieces) == line.strip()
    assert "cut into 4 pieces" in _warning_for(batch.warnings, "long.txt")


@pytest.mark.parametrize(
    "para",
    ["word " * 5_000, "x" * 12_345, "Short one. " + "y" * 9_000 + " tail"],
    ids=["no-sentence-end", "no-space", "mixed"],
)
def test_cut_paragraph_bounds_every_piece(para: str) -> None:
    pieces = cut_paragraph(para.strip())
    assert all(0 < len(p) <= MAX_PARAGRAPH_CHARS for p in pieces)
    assert "".join("".join(pieces).split()) == "".join(para.split())  # nothing lost
    assert cut_paragraph("A normal paragraph. Two sentences.") == [
        "A normal paragraph. Two sentences."
    ]


# --- whole-event checks --------------------------------------------------------------------

FR_1 = (
    "Hollande et Poutine d'accord pour frapper l'État islamique\n\n"
    "Le président François Hollande a rencontré jeudi à Moscou le président russe Vladimir "
    "Poutine. Les deux dirigeants se sont mis d'accord pour coordonner leurs frappes contre "
    "l'État islamique en Syrie, selon un communiqué publié par l'Élysée dans la soirée.\n\n"
    "« Nous allons échanger des informations sur les cibles », a déclaré M. Hollande lors "
    "d'une conférence de presse commune au Kremlin.\n"
)
RU_1 = (
    "Путин и Олланд договорились о координации ударов\n\n"
    "Президент России Владимир Путин провёл в четверг переговоры в Кремле с президентом "
    "Франции Франсуа Олландом. Стороны договорились обмениваться информацией о целях в Сирии.\n"
)


def test_non_english_articles_are_loaded_with_a_warning(tmp_path: Path) -> None:
    folder = _event_dir(tmp_path)
    (folder / "fr.txt").write_text(FR_1)
    (folder / "ru.txt").write_text(RU_1)
    batch = load(folder)
    assert _names(folder) == ["fr.txt", "good1.txt", "good2.txt", "ru.txt"]
    fr = _warning_for(batch.warnings, "fr.txt")
    ru = _warning_for(batch.warnings, "ru.txt")
    assert "not in English" in fr and "few summary sentences" in fr
    assert "not in English" in ru and "not in Latin letters" in ru
    # Cyrillic prose is not "empty": the cleaner keeps it.
    ru_clean = clean(batch.events[0]).articles[3]
    assert not [d for d in ru_clean.dropped if d.reason.startswith("empty")]
    assert any("Путин" in p for p in ru_clean.paragraphs)


def test_english_event_raises_no_event_warning(seed_event_dir: Path) -> None:
    assert not load(seed_event_dir).warnings


CORNWALL_1 = (
    "Storm floods coastal towns in Cornwall\n\n"
    "Heavy rain and gale-force winds flooded three fishing villages on the Cornish coast "
    "overnight, the Environment Agency said on Saturday. Firefighters rescued dozens of "
    "residents from their homes as the river burst its banks.\n\n"
    "The harbour wall in Mevagissey was damaged and several boats sank at their moorings. "
    "Power lines were brought down across the county, leaving twelve thousand households "
    "without electricity.\n"
)
CORNWALL_2 = (
    "Cornwall villages flooded as storm batters coast\n\n"
    "Flood water swept through the streets of Mevagissey and Looe after a night of torrential "
    "rain, residents said. The Environment Agency issued severe flood warnings for the Cornish "
    "rivers and urged people to move to higher ground.\n\n"
    "Engineers worked to restore electricity to homes cut off when winds of up to eighty miles "
    "an hour brought down power lines. The harbour master said several fishing boats had sunk.\n"
)


def test_mixed_event_folder_is_reported(tmp_path: Path, seed_event_dir: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "a-storm.txt").write_text(CORNWALL_1)
    (folder / "b-storm.txt").write_text(CORNWALL_2)
    for f in sorted(seed_event_dir.iterdir()):
        (folder / f"z{f.name}").write_bytes(f.read_bytes())
    batch = load(folder)
    groups = [w for w in batch.warnings if "share almost no vocabulary" in w]
    assert len(groups) == 1
    assert "2 groups" in groups[0] and "{A3, A4, A5, A6, A7}; {A1, A2}" in groups[0]
    assert len(batch.events[0].articles) == 7  # still summarised as one event


def test_event_of_300_articles_loads_every_article(tmp_path: Path) -> None:
    rng = random.Random(5)
    sentences = [s.strip() + "." for s in (STORM + " " + STORM_2).split(".") if len(s) > 30]
    for i in range(300):
        body = " ".join(rng.sample(sentences, 3))
        (tmp_path / f"outlet {i:03d}.txt").write_text(f"Storm report {i}\n\n{body} ({i})\n")
    batch = load(tmp_path)
    assert len(batch.events[0].articles) == 300
    assert [a.id for a in batch.events[0].articles][-1] == "A300"
    assert not [w for w in batch.warnings if "vocabulary" in w]
