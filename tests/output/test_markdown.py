"""Markdown output: source and model text cannot change the document's structure (headings,
lists, block quotes, links, images, autolinks, HTML) or hide text, and stays readable."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.token import Token

from summarize.contract import (
    ArticleRecord,
    Disagreement,
    EventInfo,
    PassageRecord,
    Position,
    QuoteCitation,
    RunInfo,
    SummaryDocument,
    SummarySentence,
)
from summarize.output.markdown import inline, to_markdown

# Each would add structure, a link or markup if it were pasted in as it is.
HOSTILE = [
    "# Breaking: the war is over",
    "Fine.\n\n## Injected heading\n\n- injected item",
    "> quoted\n>\n> more",
    "1. ordered list item",
    "[click here](https://evil.example/x) and ![img](https://evil.example/i.png)",
    "<https://evil.example/auto> and <script>alert(1)</script> <img src=x onerror=alert(1)>",
    "<!-- hidden comment --> **bold** _em_ `code` ~~strike~~ | cell |",
    "bare https://evil.example/bare and www.evil.example links",
    "entity &lt;b&gt; and &#x202E; stay as written",
    "zero\u200bwidth and \u202ebidi\u202c override",
    "```\nfenced code\n```",
    "Title\n=====",
    "back\\slash \\*not emphasis\\*",
]


def _doc(text: str) -> SummaryDocument:
    """A document in which every source- or model-derived field holds ``text``."""
    return SummaryDocument(
        event=EventInfo(id="ev", title=text),
        articles=[ArticleRecord(id="A1", path=text, outlet=text, title=text)],
        passages=[PassageRecord(id="A1.p1.s1", article="A1", text=text)],
        summary=[SummarySentence(text=text, citations=["A1.p1.s1"])],
        disagreements=[
            Disagreement(
                id="D1",
                kind="actor_position",
                topic=text,
                positions=[
                    Position(
                        holder=f"{text} {i}",
                        claim=text,
                        citations=[QuoteCitation(passage="A1.p1.s1", quote=text)],
                    )
                    for i in (1, 2)
                ],
            )
        ],
        run=RunInfo(model="litellm:openai/gpt-4o_mini `x`", version="0.1.0"),
    )


def _tokens(markdown: str) -> list[Token]:
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    out: list[Token] = []
    stack = md.parse(markdown)
    while stack:
        tok = stack.pop(0)
        out.append(tok)
        stack[:0] = tok.children or []
    return out


def _structure(markdown: str) -> list[tuple[str, str]]:
    """Block and inline structure, without the text: what a source must not be able to add."""
    skip = {"text", "softbreak", "inline"}
    return [(t.type, t.tag) for t in _tokens(markdown) if t.type not in skip]


def test_hostile_text_adds_no_structure_anywhere() -> None:
    reference = _structure(to_markdown(_doc("plain words")))
    for text in HOSTILE:
        rendered = to_markdown(_doc(text))
        assert _structure(rendered) == reference, text
        tokens = _tokens(rendered)
        # The only links are ours (citations to #anchors); the only HTML is our anchors.
        hrefs = {str(t.attrs.get("href")) for t in tokens if t.type == "link_open"}
        assert hrefs == {"#p-a1-p1-s1"}, text
        html = {t.content for t in tokens if t.type in {"html_inline", "html_block"}}
        assert html <= {'<a id="p-a1-p1-s1">', "</a>"}, text
        assert "\u200b" not in rendered and "\u202e" not in rendered


def test_escaped_text_renders_as_the_same_words() -> None:
    md = MarkdownIt("commonmark")
    for text in HOSTILE:
        # Rendered to HTML and unescaped, the reader sees the source's characters (one line).
        shown = md.renderInline(inline(text))
        for ch in ("&lt;", "&gt;", "&quot;", "&amp;"):
            shown = shown.replace(ch, {"&lt;": "<", "&gt;": ">", "&quot;": '"', "&amp;": "&"}[ch])
        expected = " ".join(text.replace("\u200b", "").replace("\u202e", "").split())
        expected = expected.replace("\u202c", "")
        assert shown == expected, text


def test_ordinary_text_stays_readable() -> None:
    text = "Hollande said France sees “no place” for Assad (in Syria's future), 2015."
    assert inline(text) == text
    assert inline("AT&T's 5-year deal: 10% up") == "AT&T's 5-year deal: 10% up"


def test_model_name_is_a_clean_code_span() -> None:
    rendered = to_markdown(_doc("x"))
    assert "model `litellm:openai/gpt-4o_mini 'x'`" in rendered
