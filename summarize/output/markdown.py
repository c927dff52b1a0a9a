"""Markdown rendering of a SummaryDocument: every citation links to its passage below.

Everything that comes from the sources or a model (titles, outlets, sentences, topics,
holders, claims, quotes, passages, paths) goes through ``inline``: it stays one line of plain
text, so it cannot open a heading, list, block quote or code block, add a link, image,
autolink or HTML tag, or hide text from the reader. The structure around it is ours alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from summarize.contract import SummaryDocument
from summarize.output.text import anchor
from summarize.text.words import visible

# Characters that open inline markup (emphasis, code, links, images, HTML, autolinks,
# strikethrough, table cells) or escape it: each gets a backslash, which CommonMark renders
# as the character itself.
_MARKUP = re.compile(r"([\\`*_\[\]<>~|])")
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")  # "&amp;", "&#x202E;": shown, not decoded
_BARE_LINK = re.compile(r"(?i)\b(https?|ftp)(://)|\b(www)(\.)")  # GFM's bare autolinks
_BLOCK_START = re.compile(r"^([#>+\-])")  # what would open a block at line start ...
_ORDERED = re.compile(r"^(\d{1,9})([.)])")  # ... or an ordered list ("1\." escapes it)


def inline(text: str) -> str:
    """Untrusted text as plain inline Markdown: one line (``text.words.visible``), markup characters
    escaped, entities shown as written, bare links defused, no block opened at its start."""
    out = _MARKUP.sub(r"\\\1", visible(text))
    out = _ENTITY.sub(r"\\&", out)
    out = _BARE_LINK.sub(lambda m: f"{m[1] or m[3]}\\{m[2] or m[4]}", out)
    out = _ORDERED.sub(r"\1\\\2", out)
    return _BLOCK_START.sub(r"\\\1", out)


def _cite(pids: list[str]) -> str:
    return " ".join(f"[[{inline(p)}]](#{anchor(p)})" for p in pids)


def _heading(title: str, items: Sequence[object], when_empty: str) -> list[str]:
    return [f"## {title}", "", *([] if items else [when_empty])]


def to_markdown(doc: SummaryDocument) -> str:
    passages = {p.id: p for p in doc.passages}
    outlets = {a.id: (a.outlet or a.title or a.id) for a in doc.articles}
    lines = [f"# {inline(doc.event.title or doc.event.id)}", ""]

    lines += _heading("Summary", doc.summary, "_No sentence survived verification._")
    for s in doc.summary:
        lines.append(f"- {inline(s.text)} {_cite(s.citations)}")
    lines.append("")

    lines += _heading("Disagreements", doc.disagreements, "_None found._")
    for d in doc.disagreements:
        kind = d.kind.replace("_", " ")
        lines.append(f"### {inline(d.id)}. {inline(d.topic)} ({inline(kind)})")
        lines.append("")
        for pos in d.positions:
            lines.append(f"- **{inline(pos.holder)}**: {inline(pos.claim)}")
            for c in pos.citations:
                lines.append(f"  > “{inline(c.quote)}” {_cite([c.passage])}")
        lines.append("")

    cited = [pid for s in doc.summary for pid in s.citations]
    cited += [c.passage for d in doc.disagreements for pos in d.positions for c in pos.citations]
    lines += ["## Sources", ""]
    for pid in dict.fromkeys(cited):
        p = passages.get(pid)
        if p is None:
            continue
        outlet = inline(outlets.get(p.article, p.article))
        lines.append(f'- <a id="{anchor(pid)}"></a>**{inline(pid)}** ({outlet}): {inline(p.text)}')
    lines.append("")

    lines += ["## Articles", ""]
    for a in doc.articles:
        dup = f", duplicate of {inline(a.duplicate_of)}" if a.duplicate_of else ""
        lines.append(
            f"- **{inline(a.id)}** {inline(a.outlet or '')} — {inline(a.title or a.path)} "
            f"({len(a.dropped)} boilerplate paragraphs dropped{dup})"
        )
    run = doc.run
    model = visible(run.model).replace("`", "'")  # a code span: no escapes inside
    lines += [
        "",
        "---",
        f"model `{model}` · {run.usage.calls} model calls · "
        f"{run.usage.prompt_tokens}+{run.usage.completion_tokens} tokens · "
        f"{run.timings_s.get('total', 0.0):.1f} s · summarize {inline(run.version)}",
        "",
    ]
    return "\n".join(lines)
