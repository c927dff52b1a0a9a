"""Disagreement detection over one event: every rule's candidates (actors; outlets' numbers,
days, accounts of a reaction and descriptors; framing), each quote re-checked against its
passage, best first; and the findings, the candidates over their rule's threshold, which every
backend reports even without a model."""

from __future__ import annotations

from pydantic import Field

from summarize.analysis.attribution import Statement
from summarize.analysis.disagreements.accounts import AccountSettings, account_candidates
from summarize.analysis.disagreements.actors import ActorWeights, actor_candidates
from summarize.analysis.disagreements.candidate import (
    CandidateSide,
    ConflictCandidate,
    QuoteRef,
)
from summarize.analysis.disagreements.descriptors import (
    DescriptorSettings,
    descriptor_candidates,
)
from summarize.analysis.disagreements.framing import (
    FramingSettings,
    label_candidates,
    tone_candidates,
)
from summarize.analysis.disagreements.numbers import NumberSettings, number_candidates
from summarize.analysis.disagreements.times import TimeSettings, time_candidates
from summarize.analysis.entities import EntityIndex
from summarize.contract import Strict
from summarize.ingest.document import Article, Passage
from summarize.ingest.segmenter import title_passages
from summarize.text.outlets import readable_outlets


class DisagreementSettings(Strict):
    actors: ActorWeights = Field(default_factory=ActorWeights)
    numbers: NumberSettings = Field(default_factory=NumberSettings)
    times: TimeSettings = Field(default_factory=TimeSettings)
    accounts: AccountSettings = Field(default_factory=AccountSettings)
    descriptors: DescriptorSettings = Field(default_factory=DescriptorSettings)
    framing: FramingSettings = Field(default_factory=FramingSettings)
    # A candidate at or above its kind's threshold is reported without a model; below it,
    # only a model judge can confirm it. Calibrated on the seed event.
    actor_threshold: float = 1.5
    number_threshold: float = 1.0
    framing_threshold: float = 1.0
    max_findings: int = 8

    def threshold(self, candidate: ConflictCandidate) -> float:
        return {
            "actor_position": self.actor_threshold,
            "source_discrepancy": self.number_threshold,
            "framing": self.framing_threshold,
        }[candidate.kind]


def outlet_holders(articles: list[Article]) -> dict[str, str]:
    """Article id -> the holder outlet-level rules name it by: its outlet as a reader names
    it (a host name read as the site's name), else its id (every article needs one)."""
    return readable_outlets({a.id: a.outlet or a.id for a in articles})


def detect(
    passages: list[Passage],
    articles: list[Article],
    entities: EntityIndex,
    statements: list[Statement],
    settings: DisagreementSettings,
) -> list[ConflictCandidate]:
    """All verified candidates of the event, best first."""
    if not passages:
        return []
    outlets = {a.id: a.outlet for a in articles}
    holders = outlet_holders(articles)
    found = actor_candidates(passages, entities, statements, outlets, settings.actors)
    found += number_candidates(passages, holders, settings.numbers)
    found += time_candidates(passages, holders, settings.times)
    found += account_candidates(passages, holders, settings.accounts)
    found += descriptor_candidates(passages, holders, settings.descriptors)
    # Headlines are the outlets' own framing: title passages (``A<n>.t``) are quoted too.
    titles = title_passages(articles)
    found += label_candidates([*passages, *titles], holders, settings.framing)
    found += tone_candidates(titles, holders, settings.framing)
    found = _merged([_with_copies(c, articles, holders) for c in found])
    text = {p.id: p.text for p in [*passages, *titles]}
    checked = [c for c in (_verified(c, text) for c in found) if c is not None]
    checked.sort(key=lambda c: (-c.score, c.kind, c.topic, [s.passage for s in c.sides]))
    return checked


def findings(
    candidates: list[ConflictCandidate], settings: DisagreementSettings
) -> list[ConflictCandidate]:
    """The candidates the rules are sure enough of to report on their own."""
    over = [c for c in candidates if c.score >= settings.threshold(c)]
    return over[: settings.max_findings]


def _merged(found: list[ConflictCandidate]) -> list[ConflictCandidate]:
    """One disagreement per question: headline tone between outlets that a label finding
    already sets apart is evidence for that finding, not a second disagreement."""
    out = [c for c in found if c.rule != "framing:tone"]
    for tone in (c for c in found if c.rule == "framing:tone"):
        outlets = {o for s in tone.sides for o in s.holder.split("; ")}
        same = next(
            (
                c
                for c in out
                if c.kind == "framing"
                and sum(bool(outlets & set(s.holder.split("; "))) for s in c.sides) >= 2
            ),
            None,
        )
        if same is None:
            out.append(tone)
        else:
            i = out.index(same)
            out[i] = same.model_copy(update={"evidence": [*same.evidence, *tone.evidence]})
    return out


def _with_copies(
    cand: ConflictCandidate, articles: list[Article], holders: dict[str, str]
) -> ConflictCandidate:
    """An outlet-level side also names the outlets whose near-duplicate copy of a quoted
    article carries the same account (the segmenter leaves copies out)."""
    if cand.kind == "actor_position":
        return cand
    copies: dict[str, list[str]] = {}
    for a in articles:
        if a.duplicate_of is not None:
            copies.setdefault(a.duplicate_of, []).append(holders[a.id])
    sides = []
    for side in cand.sides:
        arts = [side.article, *(q.passage.split(".")[0] for q in side.more)]
        names = side.holder.split("; ")
        extra = [o for art in arts for o in copies.get(art, []) if o not in names]
        holder = "; ".join(dict.fromkeys([*names, *extra]))
        sides.append(side.model_copy(update={"holder": holder}))
    return cand.model_copy(update={"sides": sides})


def _verified(cand: ConflictCandidate, text: dict[str, str]) -> ConflictCandidate | None:
    """The candidate with every quote checked against its passage (extra quotes that fail are
    dropped), or None when a side's own quote fails or fewer than two holders remain."""

    def holds(q: QuoteRef | CandidateSide) -> bool:
        return bool(q.quote) and q.quote in text.get(q.passage, "")

    sides = []
    for side in cand.sides:
        if not holds(side):
            return None
        more = [q for q in side.more if holds(q)]
        named = side.named if side.named is not None and holds(side.named) else None
        sides.append(side.model_copy(update={"more": more, "named": named}))
    if len({s.holder for s in sides}) < 2:
        return None
    return cand.model_copy(update={"sides": sides})
