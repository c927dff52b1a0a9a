"""The HTML report of one event: one self-contained file (inline CSS and JS, no fetch of
anything), rendered from ``templates/report.html.j2`` by jinja2 with autoescaping on.

What it shows: the summary, each sentence followed by citation chips (a chip links to its
passage in its article; with JS the article's tab opens, the passage is scrolled to and
highlighted, and hovering a chip shows the passage); the articles (outlet, title, date, kept
text, the dropped boilerplate with its reason, duplicates marked); the disagreements as cards
(question, kind, each side's holder, claim and verbatim quotes with their outlet, linked to
their passages); coverage (each outlet's share of the summary's support against its share of
the input, and the split by leaning when the input or an outlets file gives leanings); run
facts (model, strategy when recorded, calls, tokens, cost, time, prompt hashes,
verification drops) and, when eval results are given, faithfulness figures beside the
judge's measured accuracy.

Everything from the sources or a model reaches the page only as escaped text (autoescape),
with invisible format characters removed (``shown``), never as markup or a URL.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from pydantic import ValidationError

from summarize.contract import SCHEMA_VERSION, SummaryDocument
from summarize.errors import ConfigError, InputError
from summarize.output.coverage import coverage, leanings_for
from summarize.output.text import anchor, outlet_label, shown

TEMPLATES = Path(__file__).resolve().parent / "templates"
_PID = re.compile(r"^(?P<article>.+?)\.p(?P<paragraph>\d+)\.s(?P<sentence>\d+)$")
KIND_LABELS = {
    "actor_position": "actors' positions",
    "source_discrepancy": "outlets' facts differ",
    "framing": "framing",
}


def article_anchor(article_id: str) -> str:
    return "art-" + re.sub(r"[^a-z0-9]+", "-", article_id.lower()).strip("-")


@dataclass(frozen=True)
class Chip:
    pid: str
    anchor: str
    outlet: str
    passage: str  # the cited passage's text ("" when the id is unknown)
    article_anchor: str


@dataclass(frozen=True)
class SentenceView:
    text: str
    chips: list[Chip]


@dataclass(frozen=True)
class PassageView:
    pid: str
    anchor: str
    text: str
    cited: bool


@dataclass(frozen=True)
class DroppedView:
    text: str
    reason: str


@dataclass(frozen=True)
class ArticleView:
    id: str
    anchor: str
    label: str
    outlet: str
    title: str
    date: str
    path: str
    leaning: str
    duplicate_of: str
    duplicate_anchor: str
    paragraphs: list[list[PassageView]]
    dropped: list[DroppedView]
    cited: int


@dataclass(frozen=True)
class QuoteView:
    quote: str
    chip: Chip


@dataclass(frozen=True)
class PositionView:
    holder: str
    claim: str
    quotes: list[QuoteView]


@dataclass(frozen=True)
class DisagreementView:
    id: str
    kind: str
    kind_label: str
    topic: str
    positions: list[PositionView]


@dataclass(frozen=True)
class Fact:
    label: str
    value: str
    title: str = ""


@dataclass(frozen=True)
class EvalFigure:
    """One faithfulness figure (from a ``summarize eval`` results file)."""

    label: str  # "seed / extractive: faithfulness_cited"
    value: float | None
    n: int
    stderr: float | None = None


@dataclass(frozen=True)
class JudgeAccuracy:
    """The judge's measured accuracy on human-labelled data (``summarize eval --meta``)."""

    dataset: str
    split: str
    n: int
    balanced_accuracy: float
    ci95: tuple[float, float] | None = None


@dataclass(frozen=True)
class EvalFigures:
    judge: str
    faithfulness: list[EvalFigure] = field(default_factory=list)
    accuracy: list[JudgeAccuracy] = field(default_factory=list)
    source: str = ""  # the results file(s) read
    notes: list[str] = field(default_factory=list)


# --- building the views -----------------------------------------------------------------


def _chip(pid: str, passages: dict[str, Any], outlets: dict[str, str]) -> Chip:
    p = passages.get(pid)
    article = p.article if p is not None else pid.split(".", 1)[0]
    return Chip(
        pid=shown(pid),
        anchor=anchor(pid),
        outlet=outlets.get(article, article),
        passage=shown(p.text) if p is not None else "",
        article_anchor=article_anchor(article),
    )


def _articles(doc: SummaryDocument, leanings: dict[str, str], cited: set[str]) -> list[ArticleView]:
    by_article: dict[str, dict[int, list[PassageView]]] = defaultdict(dict)
    for p in doc.passages:
        m = _PID.match(p.id)
        para = int(m["paragraph"]) if m else 0
        by_article[p.article].setdefault(para, []).append(
            PassageView(pid=p.id, anchor=anchor(p.id), text=shown(p.text), cited=p.id in cited)
        )
    out = []
    for a in doc.articles:
        paras = by_article.get(a.id, {})
        out.append(
            ArticleView(
                id=a.id,
                anchor=article_anchor(a.id),
                label=outlet_label(a),
                outlet=shown(a.outlet),
                title=shown(a.title),
                date=shown(a.date),
                path=shown(a.path),
                leaning=leanings.get(a.id, ""),
                duplicate_of=shown(a.duplicate_of),
                duplicate_anchor=article_anchor(a.duplicate_of) if a.duplicate_of else "",
                paragraphs=[paras[k] for k in sorted(paras)],
                dropped=[DroppedView(shown(d.text), shown(d.reason)) for d in a.dropped],
                cited=sum(1 for ps in paras.values() for p in ps if p.cited),
            )
        )
    return out


def _money(cost: float | None, calls: int) -> str:
    if cost is None:
        return "$0 (no paid calls)" if calls == 0 else "not reported (local or unpriced model)"
    return f"${cost:.4f}"


def run_facts(doc: SummaryDocument) -> list[Fact]:
    run = doc.run
    backend = run.settings.get("backend")
    strategy = run.settings.get("strategy") or (
        backend.get("strategy") if isinstance(backend, dict) else None
    )
    u = run.usage
    facts = [Fact("model", shown(run.model))]
    if strategy:
        facts.append(Fact("strategy", shown(str(strategy))))
    facts += [
        Fact(
            "model calls",
            f"{u.calls}" + (f" (+{u.cache_hits} from the cache)" if u.cache_hits else ""),
        ),
        Fact(
            "tokens",
            f"{u.prompt_tokens + u.completion_tokens:,}",
            f"{u.prompt_tokens:,} prompt + {u.completion_tokens:,} completion",
        ),
        Fact("cost", _money(run.cost_usd, u.calls)),
        Fact("time", f"{run.timings_s.get('total', 0.0):.1f} s"),
        Fact(
            "verification drops",
            str(sum(d.action == "dropped" for d in run.verification)),
            f"{sum(d.action == 'attributed' for d in run.verification)} sentences attributed, "
            f"{sum(d.action == 'repaired' for d in run.verification)} repaired",
        ),
        Fact("summarize", shown(run.version)),
    ]
    return facts


def read_document(path: Path) -> SummaryDocument:
    """A ``summary.json`` read back; ``InputError`` when it is not one."""
    try:
        return SummaryDocument.model_validate_json(path.read_bytes())
    except OSError as e:
        raise InputError(f"cannot read ({e.strerror or e})", str(path)) from e
    except ValidationError as e:
        first = e.errors(include_url=False)[0]
        where = ".".join(str(x) for x in first["loc"])
        raise InputError(
            f"not a summary.json of schema {SCHEMA_VERSION}: {where}: {first['msg']}", str(path)
        ) from e


# --- outlets file -----------------------------------------------------------------------


def load_outlets(path: Path) -> dict[str, str]:
    """An outlets file: outlet -> leaning, as a JSON object or TOML (top-level keys, or an
    ``[outlets]`` table). Keys are matched case-insensitively. ``ConfigError`` if unreadable."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"outlets file {path}: cannot read ({getattr(e, 'strerror', e)})") from e
    try:
        data: Any = json.loads(text) if path.suffix.lower() == ".json" else tomllib.loads(text)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as e:
        raise ConfigError(
            f"outlets file {path}: not valid {path.suffix[1:] or 'TOML'} ({e})"
        ) from e
    if isinstance(data, dict) and isinstance(data.get("outlets"), dict):
        data = data["outlets"]
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise ConfigError(f'outlets file {path}: expected outlet = "leaning" pairs')
    return {shown(k).casefold(): shown(v) for k, v in data.items() if shown(v)}


# --- rendering --------------------------------------------------------------------------


@cache
def environment() -> jinja2.Environment:
    """The templates of ``summarize/output/templates`` (shipped in the wheel), autoescaped."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["pct"] = lambda v: f"{100 * v:.0f}%"
    env.filters["width"] = lambda v: f"{max(0.0, min(1.0, v)) * 100:.1f}%"
    return env


def to_html(
    doc: SummaryDocument,
    *,
    outlets: dict[str, str] | None = None,
    eval_figures: EvalFigures | None = None,
) -> str:
    """The report page. ``outlets``: an outlets file's table (``load_outlets``);
    ``eval_figures``: faithfulness figures and the judge's accuracy to show beside them."""
    passages = {p.id: p for p in doc.passages}
    outlet_of = {a.id: outlet_label(a) for a in doc.articles}
    cited = {c for s in doc.summary for c in s.citations}
    cited |= {c.passage for d in doc.disagreements for pos in d.positions for c in pos.citations}
    summary = [
        SentenceView(shown(s.text), [_chip(c, passages, outlet_of) for c in s.citations])
        for s in doc.summary
    ]
    disagreements = [
        DisagreementView(
            id=shown(d.id),
            kind=d.kind,
            kind_label=KIND_LABELS.get(d.kind, d.kind.replace("_", " ")),
            topic=shown(d.topic),
            positions=[
                PositionView(
                    holder=shown(pos.holder),
                    claim=shown(pos.claim),
                    quotes=[
                        QuoteView(shown(c.quote), _chip(c.passage, passages, outlet_of))
                        for c in pos.citations
                    ],
                )
                for pos in d.positions
            ],
        )
        for d in doc.disagreements
    ]
    leanings = leanings_for(doc, outlets)
    run = doc.run
    return (
        environment()
        .get_template("report.html.j2")
        .render(
            title=shown(doc.event.title) or shown(doc.event.id),
            event_id=shown(doc.event.id),
            model=shown(run.model),
            version=shown(run.version),
            summary=summary,
            disagreements=disagreements,
            articles=_articles(doc, leanings, cited),
            coverage=coverage(doc, leanings),
            facts=run_facts(doc),
            timings=[(shown(k), v) for k, v in run.timings_s.items() if k != "total"],
            prompts=[(shown(k), shown(v)) for k, v in run.prompts.items()],
            drops=[(d.item, d.action, shown(d.text), shown(d.reason)) for d in run.verification],
            warnings=[shown(w) for w in run.warnings],
            stages=[(shown(k), r) for k, r in run.stages.items()],
            eval=eval_figures,
            schema_version=doc.schema_version,
        )
    )
