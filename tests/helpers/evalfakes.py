"""Deterministic stand-ins for the eval tests: a word-subset judge and document builders."""

from __future__ import annotations

import re

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
)
from summarize.verify.judges.verdict import Verdict

_W = re.compile(r"[a-z0-9]+")
_STOP = {"the", "a", "an", "of", "in", "on", "and", "to", "is", "was", "by", "for", "that"}


def content(text: str) -> set[str]:
    return {w for w in _W.findall(text.lower()) if w not in _STOP}


class SubsetJudge:
    """Supported iff every content word of the claim occurs in the sources."""

    name = "subset"

    def __init__(self) -> None:
        self.calls = 0

    def judge(self, claim: str, sources: list[str]) -> Verdict:
        self.calls += 1
        missing = content(claim) - content(" ".join(sources))
        ok = not missing and bool(content(claim))
        return Verdict(
            score=1.0 if ok else 0.0,
            label=int(ok),
            verdict="supported" if ok else "not_mentioned",
            explanation="" if ok else "missing " + ",".join(sorted(missing)),
        )

    def describe(self) -> dict[str, object]:
        return {"judge": self.name, "threshold": 1.0}


def passage(pid: str, text: str) -> PassageRecord:
    return PassageRecord(id=pid, article=pid.split(".")[0], text=text)


def article(aid: str, outlet: str | None = None, **kw: object) -> ArticleRecord:
    return ArticleRecord.model_validate({"id": aid, "path": f"{aid}.txt", "outlet": outlet, **kw})


def sent(text: str, *cites: str) -> SummarySentence:
    return SummarySentence(text=text, citations=list(cites))


def position(holder: str, claim: str, *cites: tuple[str, str]) -> Position:
    return Position(
        holder=holder, claim=claim, citations=[QuoteCitation(passage=p, quote=q) for p, q in cites]
    )


def dis(did: str, kind: str, topic: str, *positions: Position) -> Disagreement:
    return Disagreement.model_validate(
        {"id": did, "kind": kind, "topic": topic, "positions": list(positions)}
    )


def doc(
    articles: list[ArticleRecord],
    passages: list[PassageRecord],
    summary: list[SummarySentence] | None = None,
    disagreements: list[Disagreement] | None = None,
    event: str = "ev",
) -> SummaryDocument:
    return SummaryDocument(
        event=EventInfo(id=event),
        articles=articles,
        passages=passages,
        summary=summary or [],
        disagreements=disagreements or [],
        run=RunInfo(model="fake", version="0"),
    )


def dropped(text: str, reason: str = "boilerplate") -> DroppedRecord:
    return DroppedRecord(text=text, reason=reason)


def basic_doc() -> SummaryDocument:
    """Two outlets; one supported sentence with a good and a useless citation, one invented
    sentence, and a Russia-vs-Turkey disagreement with one invented quote."""
    return doc(
        articles=[article("A1", "Alpha News"), article("A2", "Beta Times")],
        passages=[
            passage("A1.p1.s1", "Leaders met in Moscow on Thursday."),
            passage("A1.p1.s2", "Russia said the jet never entered Turkish airspace."),
            passage("A2.p1.s1", "Turkey said the jet violated its airspace after ten warnings."),
            passage("A2.p1.s2", "Weather was mild."),
        ],
        summary=[
            sent("Leaders met in Moscow on Thursday.", "A1.p1.s1", "A2.p1.s2"),
            sent("Leaders signed a treaty.", "A1.p1.s1"),
        ],
        disagreements=[
            dis(
                "D1",
                "actor_position",
                "Whether the jet entered Turkish airspace",
                position(
                    "Russia",
                    "The jet never entered Turkish airspace.",
                    ("A1.p1.s2", "the jet never entered Turkish airspace"),
                ),
                position(
                    "Turkey",
                    "The jet violated Turkish airspace after ten warnings.",
                    ("A2.p1.s1", "violated its airspace after 12 warnings"),
                ),
            )
        ],
    )
