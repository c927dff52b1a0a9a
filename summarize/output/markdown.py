"""Markdown rendering of a SummaryDocument: every citation links to its passage below."""

from __future__ import annotations

from collections.abc import Sequence

from summarize.contract import SummaryDocument


def _anchor(pid: str) -> str:
    return "p-" + pid.lower().replace(".", "-")


def _cite(pids: list[str]) -> str:
    return " ".join(f"[[{p}]](#{_anchor(p)})" for p in pids)


def _heading(title: str, items: Sequence[object], when_empty: str) -> list[str]:
    return [f"## {title}", "", *([] if items else [when_empty])]


def to_markdown(doc: SummaryDocument) -> str:
    passages = {p.id: p for p in doc.passages}
    outlets = {a.id: (a.outlet or a.title or a.id) for a in doc.articles}
    lines = [f"# {doc.event.title or doc.event.id}", ""]

    lines += _heading("Summary", doc.summary, "_No sentence survived verification._")
    for s in doc.summary:
        lines.append(f"- {s.text} {_cite(s.citations)}")
    lines.append("")

    lines += _heading("Disagreements", doc.disagreements, "_None found._")
    for d in doc.disagreements:
        lines.append(f"### {d.id}. {d.topic} ({d.kind.replace('_', ' ')})")
        lines.append("")
        for pos in d.positions:
            lines.append(f"- **{pos.holder}**: {pos.claim}")
            for c in pos.citations:
                lines.append(f"  > “{c.quote}” {_cite([c.passage])}")
        lines.append("")

    cited = [pid for s in doc.summary for pid in s.citations]
    cited += [c.passage for d in doc.disagreements for pos in d.positions for c in pos.citations]
    lines += ["## Sources", ""]
    for pid in dict.fromkeys(cited):
        p = passages.get(pid)
        if p is None:
            continue
        outlet = outlets.get(p.article, p.article)
        lines.append(f'- <a id="{_anchor(pid)}"></a>**{pid}** ({outlet}): {p.text}')
    lines.append("")

    lines += ["## Articles", ""]
    for a in doc.articles:
        dup = f", duplicate of {a.duplicate_of}" if a.duplicate_of else ""
        lines.append(
            f"- **{a.id}** {a.outlet or ''} — {a.title or a.path} "
            f"({len(a.dropped)} boilerplate paragraphs dropped{dup})"
        )
    run = doc.run
    lines += [
        "",
        "---",
        f"model `{run.model}` · {run.usage.calls} model calls · "
        f"{run.usage.prompt_tokens}+{run.usage.completion_tokens} tokens · "
        f"{run.timings_s.get('total', 0.0):.1f} s · summarize {run.version}",
        "",
    ]
    return "\n".join(lines)
