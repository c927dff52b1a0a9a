"""Deterministic disagreement detection: candidates for the LLM judge, and the precise few the
extractive baseline reports.

Actor positions come from attributed statements (``attribution.py``): two holders on different
sides, talking about the same thing (shared content words and entities, their own names
excluded), scored up by contrast evidence around them (a sentence framing the two as at odds,
a contrast conjunction between them, a denial against an accusation, a polarity flip). Outlet
discrepancies (numbers) and framing (labels) live in ``discrepancy.py``. Every quote is sliced
from its passage and re-checked before it leaves this module.
"""

from __future__ import annotations

import re
from collections import defaultdict

from pydantic import BaseModel, ConfigDict, Field

from summarize.attribution import Statement, extract_statements
from summarize.contract import DisagreementKind
from summarize.document import Event, Passage
from summarize.draft import DraftDisagreement, DraftPosition, DraftQuote
from summarize.entity import EntityIndex
from summarize.text import TfIdf, content_words, cosine

# A sentence that itself says two parties disagree, and (optionally) over what.
_FRAME = re.compile(
    r"\b(?:differ(?:ed|s)?|disagree(?:d|s|ment)?|at odds|divided|split|clash(?:ed|es)?|"
    r"dispute[sd]?|rift)\b(?:\s+\w+){0,2}?\s+(?:over|on|about)\s+(?P<topic>[^.;:\"“”]+)",
    re.IGNORECASE,
)
_BARE_FRAME = re.compile(
    r"\b(?:disagreed|differed|objected|disputed this|begged to differ)\b", re.IGNORECASE
)
_CONTRAST = re.compile(
    r"^\s*(?:but|however|yet|nonetheless|still|in contrast|by contrast)\b", re.IGNORECASE
)
_TOPIC_CUT = re.compile(r",|\s(?:with|as|after|while|although|and said|saying|but)\s")

ACTOR_THRESHOLD = 1.5  # calibrated on the seed event; below it the judge decides


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CandidateSide(Strict):
    holder: str
    claim: str
    passage: str
    quote: str  # exact substring of the passage text
    article: str
    outlet: str | None = None
    more: list[DraftQuote] = Field(default_factory=list)  # the same position elsewhere


class ConflictCandidate(Strict):
    kind: DisagreementKind
    topic: str
    sides: list[CandidateSide] = Field(min_length=2)
    score: float
    evidence: list[str] = Field(default_factory=list)


class _Pair(Strict):
    a: Statement
    b: Statement
    score: float
    evidence: list[str]
    topic: str


def kept_passages(event: Event, passages: list[Passage]) -> list[Passage]:
    """Passages of non-duplicate articles: a copied story counts once."""
    dup = {a.id for a in event.articles if a.duplicate_of}
    return [p for p in passages if p.article not in dup]


def candidate_conflicts(
    event: Event, passages: list[Passage], *, limit: int = 12
) -> list[ConflictCandidate]:
    from summarize.discrepancy import framing_candidates, number_candidates

    kept = kept_passages(event, passages)
    if not kept:
        return []
    cands = actor_candidates(event, kept)
    cands += number_candidates(event, kept)
    cands += framing_candidates(event, kept)
    cands = [c for c in cands if _verified(c, kept)]
    cands.sort(key=lambda c: (-c.score, c.kind, c.topic, [s.passage for s in c.sides]))
    return cands[:limit]


def find_disagreements(
    event: Event, passages: list[Passage], *, max_items: int = 8
) -> list[DraftDisagreement]:
    from summarize.discrepancy import FRAMING_THRESHOLD, NUMBER_THRESHOLD

    floor = {
        "actor_position": ACTOR_THRESHOLD,
        "source_discrepancy": NUMBER_THRESHOLD,
        "framing": FRAMING_THRESHOLD,
    }
    out: list[DraftDisagreement] = []
    for cand in candidate_conflicts(event, passages, limit=10_000):
        if cand.score < floor[cand.kind] or len(out) >= max_items:
            continue
        out.append(
            DraftDisagreement(
                kind=cand.kind,
                topic=cand.topic,
                positions=[
                    DraftPosition(
                        holder=s.holder,
                        claim=s.claim,
                        citations=[DraftQuote(passage=s.passage, quote=s.quote), *s.more],
                    )
                    for s in cand.sides
                ],
            )
        )
    return out


def _verified(cand: ConflictCandidate, kept: list[Passage]) -> bool:
    text = {p.id: p.text for p in kept}
    for side in cand.sides:
        side.more = [q for q in side.more if q.quote and q.quote in text.get(q.passage, "")]
        if not side.quote or side.quote not in text.get(side.passage, ""):
            return False
    return len({s.holder for s in cand.sides}) >= 2


# ---- actor positions -------------------------------------------------------------------------
def actor_candidates(event: Event, kept: list[Passage]) -> list[ConflictCandidate]:
    idx = EntityIndex.build(kept, event.articles)
    stmts = extract_statements(kept, idx)
    if len(stmts) < 2:
        return []
    tfidf = TfIdf([p.text for p in kept])
    order = {p.id: i for i, p in enumerate(kept)}
    by_id = {p.id: p for p in kept}
    outlets = {a.id: a.outlet for a in event.articles}
    names = _name_words(idx, stmts)
    vecs = [tfidf.vector(_strip_names(s.quote, names)) for s in stmts]
    ents = [{m.entity for m in idx.mentions(s.quote)} for s in stmts]
    frames = _frames(kept, idx)
    pairs: list[tuple[int, int, _Pair]] = []
    for i, a in enumerate(stmts):
        for j in range(i + 1, len(stmts)):
            b = stmts[j]
            side_a, side_b = idx.side(a.holder), idx.side(b.holder)
            if side_a == side_b or a.holder == b.holder or side_a == b.holder or side_b == a.holder:
                continue
            shared = (ents[i] & ents[j]) - {a.holder, b.holder, side_a, side_b}
            sim = cosine(vecs[i], vecs[j])
            # Topic closeness alone never makes a disagreement (agreeing holders are close too):
            # it is capped, and contrast signals must add the rest.
            topic_score = min(1.0, 2.0 * sim + 0.4 * min(len(shared), 2))
            score, evidence = 0.0, [f"similarity {sim:.2f}"]
            if shared:
                evidence.append("both mention " + ", ".join(sorted(shared)))
            topic = ", ".join(sorted(shared)) if shared else ""
            if a.passage == b.passage:
                score += 1.2
                evidence.append("both positions stated in one sentence")
            near = a.article == b.article and abs(order[a.passage] - order[b.passage]) <= 3
            for f_article, f_pos, f_topic, f_ents in frames:
                if (
                    f_article == a.article == b.article
                    and near
                    and (abs(f_pos - order[a.passage]) <= 3 and abs(f_pos - order[b.passage]) <= 3)
                    and (
                        not f_ents or ({side_a, a.holder} & f_ents and {side_b, b.holder} & f_ents)
                    )
                ):
                    score += 1.0
                    evidence.append("a sentence says they disagree")
                    topic = f_topic or topic
                    break
            later = b if order[b.passage] >= order[a.passage] else a
            if near and _CONTRAST.match(by_id[later.passage].text):
                score += 0.4
                evidence.append("contrast conjunction")
            adjacent = a.article == b.article and abs(order[a.passage] - order[b.passage]) <= 1
            if a.denial != b.denial:
                denier, other = (a, b) if a.denial else (b, a)
                score += 0.3
                evidence.append(f"{denier.holder} denies")
                if other.target in (denier.holder, idx.side(denier.holder)):
                    score += 0.8
                    evidence.append(f"{other.holder} accused or blamed {other.target}")
                    topic = topic or f"{other.holder}'s accusation against {other.target}"
                if sim >= 0.15:
                    score += 0.3
                    evidence.append("the denial is about the same thing")
                if near:
                    score += 0.6 if adjacent else 0.3
                    evidence.append("the denial follows the claim")
            elif a.target == side_b or b.target == side_a:
                score += 0.5
                evidence.append("one side's statement targets the other")
            if a.negated != b.negated and sim > 0.05:
                score += 0.3
                evidence.append("polarity differs")
            if score == 0.0 and topic_score < 0.5:
                continue
            score = topic_score + score if score > 0 else min(topic_score, 1.0)
            if not topic:
                topic = _topic_words(vecs[i], vecs[j])
            pairs.append(
                (i, j, _Pair(a=a, b=b, score=round(score, 3), evidence=evidence, topic=topic))
            )
    pairs.sort(key=lambda t: (-t[2].score, t[0], t[1]))
    return _assemble(pairs, stmts, vecs, idx, outlets, order)


def _assemble(
    pairs: list[tuple[int, int, _Pair]],
    stmts: list[Statement],
    vecs: list[dict[str, float]],
    idx: EntityIndex,
    outlets: dict[str, str | None],
    order: dict[str, int],
) -> list[ConflictCandidate]:
    used: set[int] = set()
    per_sides: dict[frozenset[str], int] = defaultdict(int)
    out: list[ConflictCandidate] = []
    for i, j, pair in pairs:
        if i in used or j in used:
            continue
        key = frozenset({idx.side(pair.a.holder), idx.side(pair.b.holder)})
        if per_sides[key] >= 2:
            continue
        per_sides[key] += 1
        sides = []
        for k in (i, j):
            s = stmts[k]
            # The same holder's similar statements elsewhere support this position.
            # (or the same holder's next sentence, which usually continues the point).
            more = [
                m
                for m, t in enumerate(stmts)
                if m not in (i, j)
                and idx.side(t.holder) == idx.side(s.holder)
                and (
                    cosine(vecs[m], vecs[k]) >= 0.3
                    or (
                        t.holder == s.holder
                        and t.article == s.article
                        and 0 < order[t.passage] - order[s.passage] <= 1
                    )
                )
            ]
            used.update([k, *more])
            sides.append(
                CandidateSide(
                    holder=s.holder,
                    claim=s.quote,
                    passage=s.passage,
                    quote=s.quote,
                    article=s.article,
                    outlet=outlets.get(s.article),
                    more=[
                        DraftQuote(passage=stmts[m].passage, quote=stmts[m].quote) for m in more[:3]
                    ],
                )
            )
        out.append(
            ConflictCandidate(
                kind="actor_position",
                topic=pair.topic,
                sides=sides,
                score=pair.score,
                evidence=pair.evidence,
            )
        )
    return out


def _frames(kept: list[Passage], idx: EntityIndex) -> list[tuple[str, int, str, set[str]]]:
    out = []
    for pos, p in enumerate(kept):
        m = _FRAME.search(p.text)
        if m is None and not _BARE_FRAME.search(p.text):
            continue
        topic = ""
        if m is not None:
            topic = _TOPIC_CUT.split(m.group("topic"))[0].strip()
            topic = " ".join(topic.split()[:10])
        ents = {x.entity for x in idx.mentions(p.text)} | {
            idx.side(x.entity) for x in idx.mentions(p.text)
        }
        out.append((p.article, pos, topic, ents))
    return out


def _name_words(idx: EntityIndex, stmts: list[Statement]) -> set[str]:
    words: set[str] = set()
    for s in stmts:
        for name in (s.holder, idx.side(s.holder), s.holder_mention):
            words.update(content_words(name))
    return words


def _strip_names(text: str, names: set[str]) -> str:
    # Holder names say who speaks, not what about: they must not count as shared topic.
    return " ".join(w for w in text.split() if not (set(content_words(w)) & names))


def _topic_words(a: dict[str, float], b: dict[str, float]) -> str:
    shared = sorted((min(a[t], b[t]), t) for t in a.keys() & b.keys())
    top = [t for _w, t in reversed(shared[-2:])]
    return " / ".join(top) if top else "positions of the parties"
