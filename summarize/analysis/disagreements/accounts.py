"""Outlet accounts of one reaction: outlets reporting that the same person received the same
thing warmly in one and coolly in the other ("X said cooperation would be 'enormously
helpful'" vs "X gave cooperation a much cooler reception").

A reaction is a reception word (``text.reactions``) in a clause that names its holder before
it. Two clauses from different outlets report the same reaction when they name the same
holder before the word and share at least ``min_shared`` content words besides names and
reception words (what was received). They conflict when the polarities differ and neither
outlet also reports the other polarity for that holder and that thing. Holders are outlets;
the outlets giving one account form one side."""

from __future__ import annotations

import re
from dataclasses import dataclass

from summarize.analysis.disagreements.candidate import ConflictCandidate
from summarize.analysis.disagreements.sides import Report, outlet_side
from summarize.contract import Strict
from summarize.ingest.document import Passage
from summarize.text.lexicon import STOPWORDS, wordlist
from summarize.text.names import name_spans
from summarize.text.reactions import Polarity, reactions
from summarize.text.words import content_words

# A clause ends at a comma, semicolon, colon or a contrasting "but": "X supported it, but Y
# gave it a cooler reception" holds two reactions with two holders.
_CLAUSE = re.compile(r"[,;:]\s+|\s+but\s+|\s+while\s+|\s+whereas\s+")
# Words that say a statement was made or a reception given, not what was received: verbs of
# reporting, and the verb and nouns English gives a reception with ("gave it a cool reception").
_REPORTING = frozenset(
    content_words(
        " ".join(
            wordlist("""said says say announced added told stated noted remarked called
            given gave give giving reception response""")
        )
    )
)


class AccountSettings(Strict):
    min_shared: int = 1  # shared content words of what was received
    score: float = 1.2


@dataclass(frozen=True)
class Account:
    passage: Passage
    outlet: str
    polarity: Polarity
    holders: frozenset[str]  # name keys before the reception word, in its clause
    about: frozenset[str]  # what was received: the clause's other content words
    surface: str
    speaker: str  # the holder's name as written
    clause: str  # the words from the holder's name to the clause's end: the quote


def accounts(p: Passage, outlet: str) -> list[Account]:
    """The reactions a passage reports, one per reception word with a named holder."""
    out = []
    for part in _CLAUSE.split(p.text):
        for r in reactions(part):
            spans = name_spans(part[: r.start])
            if not spans:
                continue
            keys = frozenset(k for _s, ks in spans for k in ks)
            names = {k for _s, ks in name_spans(part) for k in ks}
            about = frozenset(
                w
                for w in content_words(part[: r.start] + " " + part[r.end :])
                if w not in names and w not in _REPORTING and w not in STOPWORDS and w.isalpha()
            )
            speaker = spans[0][0]
            clause = part[part.find(speaker) :].rstrip() if speaker in part else part
            out.append(Account(p, outlet, r.polarity, keys, about, r.surface, speaker, clause))
    return out


def _same_reaction(a: Account, b: Account, s: AccountSettings) -> frozenset[str]:
    """The shared thing received, when ``a`` and ``b`` report one holder's reaction to it."""
    if not a.holders & b.holders:
        return frozenset()
    shared = a.about & b.about
    return shared if len(shared) >= s.min_shared else frozenset()


def account_candidates(
    kept: list[Passage], outlet: dict[str, str], settings: AccountSettings | None = None
) -> list[ConflictCandidate]:
    """Outlets reporting one holder's reaction to one thing with opposite polarity."""
    s = settings or AccountSettings()
    found = [a for p in kept for a in accounts(p, outlet[p.article])]
    out: list[ConflictCandidate] = []
    used: set[str] = set()
    for i, a in enumerate(found):
        for b in found[i + 1 :]:
            if a.outlet == b.outlet or a.polarity == b.polarity:
                continue
            if a.passage.id in used or b.passage.id in used:
                continue
            shared = _same_reaction(a, b, s)
            if not shared or _gives_both(found, a, b, shared):
                continue
            who = a.holders & b.holders
            side_a = [a, *(x for x in found if _joins(x, a, who, shared))]
            side_b = [b, *(x for x in found if _joins(x, b, who, shared))]
            if {x.outlet for x in side_a} & {x.outlet for x in side_b}:
                continue
            used.update(x.passage.id for x in (*side_a, *side_b))
            warm, cool = (side_a, side_b) if a.polarity == "warm" else (side_b, side_a)
            sides = [
                outlet_side(
                    [Report(x.outlet, x.passage, x.clause) for x in side],
                    _sentence(side[0].clause),
                )
                for side in (warm, cool)
            ]
            speaker = a.speaker if len(a.speaker) >= len(b.speaker) else b.speaker
            out.append(
                ConflictCandidate(
                    kind="source_discrepancy",
                    topic=f"How {speaker} received the {' and '.join(sorted(shared))}",
                    sides=sides,
                    score=s.score,
                    evidence=[
                        f"{warm[0].surface!r} vs {cool[0].surface!r} for one holder's reaction",
                        "both name " + ", ".join(sorted(who)),
                    ],
                    rule="accounts",
                )
            )
    return out


def _sentence(clause: str) -> str:
    """The clause as a sentence: capitalised, ending once (a closing quote kept)."""
    text = clause.strip().rstrip(",;:")
    if not re.search(r"[.!?][\"”’']?$", text):
        text += "."
    return text[:1].upper() + text[1:]


def _joins(x: Account, own: Account, who: frozenset[str], shared: frozenset[str]) -> bool:
    return (
        x is not own
        and x.polarity == own.polarity
        and bool(x.holders & who)
        and bool(x.about & shared)
    )


def _gives_both(found: list[Account], a: Account, b: Account, shared: frozenset[str]) -> bool:
    """Whether either outlet also reports the other polarity for this holder and thing."""
    who = a.holders & b.holders
    return any(
        x.outlet == own.outlet
        and x.polarity == other.polarity
        and x.holders & who
        and x.about & shared
        for own, other in ((a, b), (b, a))
        for x in found
    )
