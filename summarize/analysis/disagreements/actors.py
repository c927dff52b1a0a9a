"""Actor positions: two holders on different sides, talking about the same thing (shared
content words and entities, their own names excluded), scored up by contrast evidence around
them (a sentence framing the two as at odds, a contrast conjunction between them, a denial
against an accusation, a polarity flip). The weights are ``ActorWeights``, recorded in
every run's settings."""

from __future__ import annotations

import re
from collections import defaultdict

from summarize.analysis.attribution import Statement
from summarize.analysis.disagreements.candidate import CandidateSide, ConflictCandidate, QuoteRef
from summarize.analysis.entities import EntityIndex
from summarize.contract import Strict
from summarize.ingest.document import Passage
from summarize.text.tfidf import TfIdf, cosine
from summarize.text.words import content_words

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


class ActorWeights(Strict):
    """How much each piece of evidence adds to a pair's score (calibrated on the seed event)."""

    similarity: float = 2.0  # x cosine of the two statements (names stripped)
    shared_entity: float = 0.4  # per shared entity, at most two
    same_sentence: float = 1.2  # both positions stated in one sentence
    frame_sentence: float = 1.0  # a nearby sentence says the two disagree
    contrast: float = 0.4  # the later statement opens with "but", "however", ...
    denial: float = 0.3  # one side denies
    accusation_denied: float = 0.8  # ... what the other side accused it of
    denial_on_topic: float = 0.3  # ... about the same thing (similarity >= denial_similarity)
    denial_similarity: float = 0.15
    denial_adjacent: float = 0.6  # the denial follows the claim in the next sentence
    denial_near: float = 0.3  # ... within three sentences
    targets_other: float = 0.5  # one side's statement names the other as its target
    accusation_answered: float = 0.4  # ... as the accused, and the accused states its position
    polarity: float = 0.3  # one side negated, the other not (similarity > polarity_similarity)
    polarity_similarity: float = 0.05
    min_topic_score: float = 0.5  # without contrast evidence, topic closeness must reach this
    same_position_similarity: float = 0.3  # a holder's other statement restates the position
    max_per_side_pair: int = 2  # candidates per pair of sides
    min_claim_words: int = 3  # a shorter statement is replaced by the holder's longest one


# Cues that charge the target with something (an accusation the target can answer).
_ACCUSE = re.compile(r"(?i)accus|blam|charg|fault")
_THAT = re.compile(r"^that\s+", re.IGNORECASE)
_OWNER = re.compile(r"^(?:its|their)\s+")  # the denier's own: "its plane" is Russia's plane
# Where a reported clause ends and the reporter's aside begins: ", saying it was ...".
_ASIDE = re.compile(r",\s+(?:saying|adding|calling|arguing|insisting|noting|claiming)\b")
# A finite verb, roughly: a past tense, an auxiliary or a common irregular past.
_FINITE = re.compile(
    r"[a-z]+ed|was|were|is|are|has|have|had|did|does|do|will|would|could|can|should|may|"
    r"might|must|went|made|took|gave|shot|sent|knew|saw|paid|sold|bought|told|got|left|"
    r"came|ran|hit|put|set|cut|let|fired|flew|broke|fell|won|lost|held|met|led|kept"
)
_MAX_TOPIC = 110
# "Turkey of propping up ISIS by ...": whom, then what they are accused of doing.
_ACCUSED_OF = re.compile(r"^(?P<who>[^,;:]{2,60}?) of (?P<verb>\w+ing)\b\s*(?P<rest>\S.*)$")


class _Pair(Strict):
    a: Statement
    b: Statement
    score: float
    evidence: list[str]
    topic: str


def actor_candidates(
    kept: list[Passage],
    idx: EntityIndex,
    stmts: list[Statement],
    outlets: dict[str, str | None],
    w: ActorWeights,
) -> list[ConflictCandidate]:
    """Pairs of attributed statements by holders on different sides about the same thing,
    scored by topic closeness plus contrast evidence; the best pairs become candidates."""
    if len(stmts) < 2:
        return []
    tfidf = TfIdf([p.text for p in kept])
    order = {p.id: i for i, p in enumerate(kept)}
    by_id = {p.id: p for p in kept}
    names = _name_words(idx, stmts)
    vecs = [tfidf.vector(_strip_names(s.quote, names)) for s in stmts]
    ents = [{m.entity for m in idx.mentions(s.quote)} for s in stmts]
    frames = _frames(kept, idx)
    sides = [idx.side(s.holder) for s in stmts]
    pairs: list[tuple[int, int, _Pair]] = []
    for i, a in enumerate(stmts):
        for j in range(i + 1, len(stmts)):
            b = stmts[j]
            side_a, side_b = sides[i], sides[j]
            if side_a == side_b or a.holder == b.holder or side_a == b.holder or side_b == a.holder:
                continue
            shared = (ents[i] & ents[j]) - {a.holder, b.holder, side_a, side_b}
            sim = cosine(vecs[i], vecs[j])
            # Topic closeness alone never makes a disagreement (agreeing holders are close too):
            # it is capped, and contrast signals must add the rest.
            topic_score = min(1.0, w.similarity * sim + w.shared_entity * min(len(shared), 2))
            score, evidence = 0.0, [f"similarity {sim:.2f}"]
            if shared:
                evidence.append("both mention " + ", ".join(sorted(shared)))
            topic = ", ".join(sorted(shared)) if shared else ""
            framed = False  # a sentence names what they disagree about: its words win
            if a.passage == b.passage:
                score += w.same_sentence
                evidence.append("both positions stated in one sentence")
            near = a.article == b.article and abs(order[a.passage] - order[b.passage]) <= 3
            for f_article, f_pos, f_topic, f_ents in frames if near else ():
                if (
                    f_article == a.article == b.article
                    and (abs(f_pos - order[a.passage]) <= 3 and abs(f_pos - order[b.passage]) <= 3)
                    and (
                        not f_ents or ({side_a, a.holder} & f_ents and {side_b, b.holder} & f_ents)
                    )
                ):
                    score += w.frame_sentence
                    evidence.append("a sentence says they disagree")
                    framed = bool(f_topic)
                    topic = f_topic or topic
                    break
            later = b if order[b.passage] >= order[a.passage] else a
            if near and _CONTRAST.match(by_id[later.passage].text):
                score += w.contrast
                evidence.append("contrast conjunction")
            adjacent = a.article == b.article and abs(order[a.passage] - order[b.passage]) <= 1
            if a.denial != b.denial:
                denier, other = (a, b) if a.denial else (b, a)
                score += w.denial
                evidence.append(f"{denier.holder} denies")
                if other.target in (denier.holder, idx.side(denier.holder)):
                    score += w.accusation_denied
                    evidence.append(f"{other.holder} accused or blamed {other.target}")
                    topic = topic or (
                        _whether_accused(other)
                        or f"{other.holder}'s accusation against {other.target}"
                    )
                elif not framed:
                    # The question is what one side says and the other denies.
                    topic = _whether(denier) or topic
                if sim >= w.denial_similarity:
                    score += w.denial_on_topic
                    evidence.append("the denial is about the same thing")
                if near:
                    score += w.denial_adjacent if adjacent else w.denial_near
                    evidence.append("the denial follows the claim")
            elif a.target == side_b or b.target == side_a:
                score += w.targets_other
                evidence.append("one side's statement targets the other")
                accuser = a if a.target == side_b else b
                if _ACCUSE.match(accuser.cue):
                    score += w.accusation_answered
                    evidence.append(f"{accuser.holder} accused the other side, which answers")
                    if not framed:
                        topic = _whether_accused(accuser) or topic
            if a.negated != b.negated and sim > w.polarity_similarity:
                score += w.polarity
                evidence.append("polarity differs")
            if score == 0.0 and topic_score < w.min_topic_score:
                continue
            score = topic_score + score if score > 0 else min(topic_score, 1.0)
            if not topic:
                topic = _topic_words(vecs[i], vecs[j])
            pairs.append(
                (i, j, _Pair(a=a, b=b, score=round(score, 3), evidence=evidence, topic=topic))
            )
    pairs.sort(key=lambda t: (-t[2].score, t[0], t[1]))
    text = {p.id: p.text for p in kept}
    return _assemble(pairs, stmts, vecs, idx, outlets, order, text, w)


def _assemble(
    pairs: list[tuple[int, int, _Pair]],
    stmts: list[Statement],
    vecs: list[dict[str, float]],
    idx: EntityIndex,
    outlets: dict[str, str | None],
    order: dict[str, int],
    text: dict[str, str],
    w: ActorWeights,
) -> list[ConflictCandidate]:
    used: set[int] = set()
    per_sides: dict[frozenset[str], int] = defaultdict(int)
    out: list[ConflictCandidate] = []
    for i, j, pair in pairs:
        if i in used or j in used:
            continue
        key = frozenset({idx.side(pair.a.holder), idx.side(pair.b.holder)})
        if per_sides[key] >= w.max_per_side_pair:
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
                    cosine(vecs[m], vecs[k]) >= w.same_position_similarity
                    or (
                        t.holder == s.holder
                        and t.article == s.article
                        and 0 < order[t.passage] - order[s.passage] <= 1
                    )
                )
            ]
            used.update([k, *more])
            # A position too short to read on its own ("the claims") is stated by the
            # holder's longest restatement instead.
            if len(s.quote.split()) < w.min_claim_words and more:
                k = max(more, key=lambda m: len(stmts[m].quote))
                more = [m for m in (i if k != i else j, *more) if m != k and m not in (i, j)]
                s = stmts[k]
            sides.append(
                CandidateSide(
                    holder=s.holder,
                    claim=claim_of(s),
                    passage=s.passage,
                    quote=s.quote,
                    article=s.article,
                    outlet=outlets.get(s.article),
                    more=[
                        QuoteRef(passage=stmts[m].passage, quote=stmts[m].quote) for m in more[:3]
                    ],
                    # The naming sentence is quoted whole: a bare name is too short a
                    # quote to show.
                    named=QuoteRef(passage=s.named_in, quote=text[s.named_in])
                    if s.named_in
                    else None,
                )
            )
        out.append(
            ConflictCandidate(
                kind="actor_position",
                topic=pair.topic,
                sides=sides,
                score=pair.score,
                evidence=pair.evidence,
                rule="actors",
            )
        )
    return out


_PRONOUNS = frozenset({"he", "she", "they", "it"})


def claim_of(s: Statement) -> str:
    """The position as a complete sentence a reader understands without the quote: the holder
    as the text names them, their own reporting verb (a denial stays a denial), then their
    words, quoted when they were quoted."""
    who = s.holder_mention
    if who.lower() in _PRONOUNS:
        # "he" is named as the sentence the side cites for it names them ("Merkel").
        who = s.named_as or s.holder
    if s.holder.lower() == f"the {who.lower()}":
        who = f"The {who}"  # "the West" is mentioned as "West" after the article
    # A participle ("indicating", "saying") or a bare attribution reads as "says".
    verb = "says" if s.cue in ("according to", "quoted") or s.cue.endswith("ing") else s.cue
    if s.quoted and s.lead:
        return f'{who} {verb} {s.lead} "{s.quote}"'
    return f'{who} {verb}: "{s.quote}"' if s.quoted else f"{who} {verb} {s.quote}"


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


def _whether(denier: Statement) -> str:
    """The question a denial answers, in the denier's reported words: "Russia denies its
    plane entered Turkish airspace" -> "Whether Russia's plane entered Turkish airspace".
    Empty when the denial is not a reported clause (a quotation in the first person reads
    wrongly after "Whether")."""
    clause = _ASIDE.split(" ".join(denier.quote.split()))[0].rstrip(".,;: ")
    clause = _THAT.sub("", clause).replace(" or that ", " or ")
    words = clause.split()
    if denier.quoted or not clause[:1].islower() or len(words) < 4:
        return ""
    # A clause, not a thing denied ("hiding the report", "any involvement in the attack"):
    # no gerund first, and a finite verb after the subject.
    if words[0].endswith("ing") or not any(_FINITE.fullmatch(w) for w in words[1:]):
        return ""
    owner = _OWNER.match(clause)
    if owner:
        clause = f"{denier.holder}'s {clause[owner.end() :]}"
    if len(clause) > _MAX_TOPIC:
        clause = clause[:_MAX_TOPIC].rsplit(" ", 1)[0] + " …"
    return f"Whether {clause}"


def _whether_accused(accuser: Statement) -> str:
    """The question an accusation raises, in the accuser's reported words: "Russia accused
    Turkey of propping up ISIS" -> "Whether Turkey is propping up ISIS". Empty unless the
    reported clause reads "<whom> of <doing what>"."""
    m = _ACCUSED_OF.match(" ".join(accuser.quote.split()).rstrip(".,;: "))
    if accuser.quoted or m is None:
        return ""
    who, verb, rest = m.group("who"), m.group("verb").lower(), m.group("rest")
    if verb == "being":
        clause = f"{who} is {rest}"
    elif verb == "having":
        clause = f"{who} has {rest}"
    else:
        clause = f"{who} is {m.group('verb')} {rest}"
    if len(clause) > _MAX_TOPIC:
        clause = clause[:_MAX_TOPIC].rsplit(" ", 1)[0] + " …"
    return f"Whether {clause}"


def _topic_words(a: dict[str, float], b: dict[str, float]) -> str:
    shared = sorted((min(a[t], b[t]), t) for t in a.keys() & b.keys())
    top = [t for _w, t in reversed(shared[-2:])]
    return " / ".join(top) if top else "positions of the parties"
