"""The HTML report: self-contained (nothing fetched), every source or model string escaped
text, every citation a working link to its passage, and the figures it shows right."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from summarize.contract import (
    ArticleRecord,
    Disagreement,
    DroppedRecord,
    EventInfo,
    PassageRecord,
    Position,
    QuoteCitation,
    RunInfo,
    SummaryDocument,
    SummarySentence,
    VerificationDrop,
)
from summarize.errors import ConfigError, InputError
from summarize.ingest.loader import load
from summarize.output.coverage import coverage, leanings_for
from summarize.output.html import (
    TEMPLATES,
    EvalFigure,
    EvalFigures,
    JudgeAccuracy,
    anchor,
    load_outlets,
    read_document,
    to_html,
)
from summarize.output.text import shown
from summarize.pipeline import run_event
from tests.helpers.builders import SEED_EVENT

HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(1)> "quoted" & </style></textarea>'


class Page(HTMLParser):
    """What a browser would see: elements with their attributes, text, scripts, styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self._in: list[str] = []
        self.scripts: list[str] = []
        self.styles: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data: str) -> None:
        where = self._in[-1] if self._in else ""
        if where == "script":
            self.scripts.append(data)
        elif where == "style":
            self.styles.append(data)
        else:
            self.text.append(data)

    @property
    def ids(self) -> set[str]:
        return {a["id"] for _, a in self.tags if a.get("id")}

    def links(self, css_class: str | None = None) -> list[dict[str, str | None]]:
        return [
            a
            for t, a in self.tags
            if t == "a" and (css_class is None or css_class in (a.get("class") or "").split())
        ]


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


def hostile_doc(text: str = HOSTILE) -> SummaryDocument:
    return SummaryDocument(
        event=EventInfo(id="e1", title=text),
        articles=[
            ArticleRecord(
                id="A1",
                path=text,
                outlet=text,
                title=text,
                date=text,
                dropped=[DroppedRecord(text=text, reason=text)],
                leaning=text,
            ),
            ArticleRecord(id="A2", path="b.txt", outlet="Other", duplicate_of="A1"),
        ],
        passages=[PassageRecord(id="A1.p1.s1", article="A1", text=text)],
        summary=[SummarySentence(text=text, citations=["A1.p1.s1"])],
        disagreements=[
            Disagreement(
                id="D1",
                kind="actor_position",
                topic=text,
                positions=[
                    Position(
                        holder=text,
                        claim=text,
                        citations=[QuoteCitation(passage="A1.p1.s1", quote=text)],
                    ),
                    Position(
                        holder="B",
                        claim="c",
                        citations=[QuoteCitation(passage="A1.p1.s1", quote="q")],
                    ),
                ],
            )
        ],
        run=RunInfo(
            model=text,
            version="0",
            prompts={text: text},
            verification=[VerificationDrop(item="citation", text=text, reason=text)],
            warnings=[text],
            timings_s={text: 1.0, "total": 2.0},
        ),
    )


@pytest.fixture(scope="module")
def seed_doc() -> SummaryDocument:
    return run_event(load(SEED_EVENT).events[0], "extractive")


def test_source_and_model_text_is_escaped_everywhere() -> None:
    html = to_html(hostile_doc())
    page = parse(html)
    # Only our own script and style elements; no element or attribute came from the text.
    assert [t for t, _ in page.tags].count("script") == 1
    assert [t for t, _ in page.tags].count("style") == 1
    assert "img" not in [t for t, _ in page.tags]
    assert not [a for _, a in page.tags if any(k.startswith("on") for k in a)]
    assert "alert(1)" not in "".join(page.scripts)
    # The hostile text is shown, as text, in every place it went.
    shown = "".join(page.text)
    assert shown.count("<script>alert(1)</script>") >= 10
    assert "&lt;script&gt;" in html and "<script>alert" not in html


def test_invisible_characters_are_not_shown() -> None:
    html = to_html(hostile_doc("zero\u200bwidth and \u202ebidi\u202c override"))
    assert "\u200b" not in html and "\u202e" not in html
    assert "zerowidth and bidi override" in "".join(parse(html).text)


def test_self_contained_nothing_to_fetch(seed_doc: SummaryDocument) -> None:
    html = to_html(seed_doc)
    page = parse(html)
    assert not [t for t, a in page.tags if t in ("link", "img", "iframe", "object", "embed")]
    assert not [a for _, a in page.tags if a.get("src")]
    hrefs = [a.get("href") or "" for a in page.links()]
    assert hrefs and all(h.startswith("#") for h in hrefs)
    css = "".join(page.styles)
    assert "url(" not in css and "@import" not in css
    js = "".join(page.scripts)
    assert not re.search(r"\b(fetch|XMLHttpRequest|WebSocket|EventSource|import\()", js)
    csp = next(a for t, a in page.tags if t == "meta" and a.get("http-equiv"))
    assert "default-src 'none'" in (csp.get("content") or "")


def test_every_chip_links_to_its_passage_with_the_passage_as_hover(
    seed_doc: SummaryDocument,
) -> None:
    page = parse(to_html(seed_doc))
    chips = page.links("chip")
    cited = [c for s in seed_doc.summary for c in s.citations]
    quoted = [c.passage for d in seed_doc.disagreements for p in d.positions for c in p.citations]
    assert len(chips) == len(cited) + len(quoted)
    passages = {p.id: shown(p.text) for p in seed_doc.passages}
    for chip in chips:
        target = (chip["href"] or "")[1:]
        assert target in page.ids
        pid = next(p for p in passages if anchor(p) == target)
        assert passages[pid][:40] in (chip.get("title") or "")


def test_articles_show_kept_text_dropped_boilerplate_and_duplicates(
    seed_doc: SummaryDocument,
) -> None:
    html = to_html(seed_doc)
    page = parse(html)
    text = " ".join(page.text)
    for a in seed_doc.articles:
        assert f"art-{a.id.lower()}" in page.ids
        for d in a.dropped:
            assert d.reason in text
    dup = next(a for a in seed_doc.articles if a.duplicate_of)
    assert f"near-duplicate of {dup.duplicate_of}" in text
    assert all(anchor(p.id) in page.ids for p in seed_doc.passages)
    assert html.count('<details class="dropped">') == sum(1 for a in seed_doc.articles if a.dropped)


def test_disagreement_cards_carry_question_kind_holders_and_quotes(
    seed_doc: SummaryDocument,
) -> None:
    text = " ".join(parse(to_html(seed_doc)).text)
    for d in seed_doc.disagreements:
        assert shown(d.topic) in text
        for pos in d.positions:
            assert shown(pos.holder) in text and shown(pos.claim) in text
            assert f"“{shown(pos.citations[0].quote)}”" in text


def test_coverage_shares_add_up_and_leanings_split() -> None:
    doc = SummaryDocument(
        event=EventInfo(id="e"),
        articles=[
            ArticleRecord(id="A1", path="a", outlet="Left Post", leaning="left"),
            ArticleRecord(id="A2", path="b", outlet="Right Times", leaning="right"),
            ArticleRecord(id="A3", path="c", outlet="Wire"),
        ],
        passages=[
            PassageRecord(id="A1.p1.s1", article="A1", text="x"),
            PassageRecord(id="A1.p1.s2", article="A1", text="y"),
            PassageRecord(id="A2.p1.s1", article="A2", text="z"),
            PassageRecord(id="A3.p1.s1", article="A3", text="w"),
        ],
        summary=[
            SummarySentence(text="s1", citations=["A1.p1.s1", "A2.p1.s1"]),
            SummarySentence(text="s2", citations=["A1.p1.s2"]),
        ],
        disagreements=[],
        run=RunInfo(model="m", version="0"),
    )
    cov = coverage(doc, leanings_for(doc))
    by = {b.label: b for b in cov.outlets}
    assert by["Left Post"].summary_share == pytest.approx(0.75)
    assert by["Right Times"].summary_share == pytest.approx(0.25)
    assert by["Wire"].summary_share == 0 and by["Wire"].input_share == pytest.approx(0.25)
    assert sum(b.summary_share for b in cov.outlets) == pytest.approx(1)
    assert [b.label for b in cov.leanings] == ["left", "right", "unknown"]
    # An outlets file fills in (and overrides) leanings, matched case-insensitively.
    cov = coverage(doc, leanings_for(doc, {"wire": "center", "left post": "lean left"}))
    assert [b.label for b in cov.leanings] == ["lean left", "center", "right"]
    assert "By leaning" in to_html(doc)


def test_no_leaning_no_leaning_chart(seed_doc: SummaryDocument) -> None:
    html = to_html(seed_doc)
    assert "By leaning" not in html
    # Outlets missing (plain .txt files): each article is named by its title, as summary.md.
    assert seed_doc.articles[0].title and seed_doc.articles[0].title in html


def test_run_facts_and_strategy_only_when_recorded(seed_doc: SummaryDocument) -> None:
    text = " ".join(parse(to_html(seed_doc)).text)
    for needle in ("model calls", "tokens", "cost", "time", "verification drops"):
        assert needle in text
    assert "strategy" not in text
    with_strategy = seed_doc.model_copy(
        update={"run": seed_doc.run.model_copy(update={"settings": {"strategy": "single"}})}
    )
    assert "single" in " ".join(parse(to_html(with_strategy)).text)


def test_eval_figures_beside_the_judges_accuracy(seed_doc: SummaryDocument) -> None:
    figures = EvalFigures(
        judge="offline-signals",
        faithfulness=[EvalFigure(label="faithfulness cited: extractive", value=0.875, n=8)],
        accuracy=[JudgeAccuracy("summedits_news", "test", 52, 0.712, (0.6, 0.8))],
    )
    text = " ".join(parse(to_html(seed_doc, eval_figures=figures)).text)
    assert "0.875" in text and "0.712" in text and "summedits_news" in text


def test_outlets_file_formats(tmp_path: Path) -> None:
    j = tmp_path / "o.json"
    j.write_text(json.dumps({"CNN": "left"}))
    assert load_outlets(j) == {"cnn": "left"}
    t = tmp_path / "o.toml"
    t.write_text('[outlets]\n"Fox News" = "right"\n')
    assert load_outlets(t) == {"fox news": "right"}
    bad = tmp_path / "bad.toml"
    bad.write_text("cnn = 3\n")
    with pytest.raises(ConfigError):
        load_outlets(bad)
    with pytest.raises(ConfigError):
        load_outlets(tmp_path / "missing.toml")


def test_read_document_refuses_what_is_not_a_summary(tmp_path: Path) -> None:
    path = tmp_path / "summary.json"
    path.write_text('{"schema_version": "1"}')
    with pytest.raises(InputError, match=r"not a summary\.json"):
        read_document(path)


def test_templates_are_package_files() -> None:
    """The wheel carries summarize/ whole (hatch), so the templates ship with the code."""
    assert {p.name for p in TEMPLATES.iterdir()} >= {
        "report.html.j2",
        "report.css",
        "report.js",
        "eval.html.j2",
    }
    assert TEMPLATES.parent.name == "output" and TEMPLATES.parent.parent.name == "summarize"
