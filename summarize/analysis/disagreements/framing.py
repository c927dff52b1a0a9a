"""Framing: outlets presenting the same event with different slants. Holders are outlets; a
label inside a quotation is the speaker's, not the outlet's, and does not count.

Two signals: (1) outlets choosing different labels from one group of loaded and neutral
labels for the same referent (``text.labels``: "illegal" / "undocumented" immigrants,
"vaccine passports" / "proof of vaccination"), a headline's choice standing for its outlet's;
(2) headlines whose tone (VADER compound) points in opposite directions by at least
``FramingSettings.min_tone_gap``. An acronym or alias of one name ("IS" / "ISIS") is no
framing: it is a spelling, and a one-word quote says nothing a reader can weigh."""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cache

from summarize.analysis.disagreements.candidate import ConflictCandidate
from summarize.analysis.disagreements.sides import Report, outlet_side
from summarize.contract import Strict
from summarize.ingest.document import Passage
from summarize.ingest.segmenter import is_title
from summarize.text.labels import LABEL_GROUPS, LabelGroup

# A framing side's claim is a statement about its outlet's words ('The headline says
# "Safety Net".'), true when the cited headline (or story) uses them: no passage states it,
# so it is checked against the words, not judged (``worded``).
_WORDING = re.compile(r'^The (?P<where>headline|story) (?:says|reads) "(?P<words>.+)"\.$', re.S)


def wording(where: str, words: str, verb: str = "says") -> str:
    """The claim that the outlet's ``where`` ("headline", "story") uses ``words``."""
    return f'The {where} {verb} "{words}".'


def worded(claim: str) -> tuple[str, str] | None:
    """(where, words) when ``claim`` is a ``wording`` claim, else None."""
    m = _WORDING.match(claim)
    return (m.group("where"), m.group("words")) if m else None


class FramingSettings(Strict):
    label_score: float = 1.2  # outlets choosing different labels for one referent
    min_tone_gap: float = 1.1  # headline tones (VADER compound, -1..1) this far apart ...
    min_tone: float = 0.4  # ... each at least this strong, in opposite directions
    tone_score: float = 1.0


def _unquoted(text: str) -> str:
    # Labels inside quotations are the speaker's, not the outlet's: blank them, keep offsets.
    return re.sub(r"[\"“][^\"”]*[\"”]", lambda m: " " * len(m.group()), text)


def label_candidates(
    passages: list[Passage], outlet: dict[str, str], settings: FramingSettings | None = None
) -> list[ConflictCandidate]:
    """Outlets choosing different labels of one group (``text.labels``) for its referent: an
    outlet's choice is its headline's label, else the one label its text uses (an outlet
    using two labels of a group in its text has made no choice)."""
    s = settings or FramingSettings()
    out: list[ConflictCandidate] = []
    plain = [(p, _unquoted(p.text)) for p in passages]
    for group in LABEL_GROUPS:
        title_uses: dict[str, dict[str, Report]] = defaultdict(dict)
        body_uses: dict[str, dict[str, Report]] = defaultdict(dict)
        for p, text in plain:
            if not group.any.search(text):
                continue
            for variant, _surface in _labels(group, p.text, text):
                uses = title_uses if is_title(p) else body_uses
                uses[outlet[p.article]].setdefault(variant, Report(outlet[p.article], p, p.text))
        choice: dict[str, tuple[str, Report]] = {}
        for o in sorted({*title_uses, *body_uses}):
            chosen = title_uses.get(o) or body_uses.get(o, {})
            if len(chosen) == 1:
                choice[o] = next(iter(chosen.items()))
        variants = sorted({v for v, _r in choice.values()})
        if len(variants) < 2:
            continue
        sides = []
        for variant in variants:
            reports = [r for v, r in choice.values() if v == variant]
            surface = _labels(group, reports[0].passage.text)[0][1]
            where = "headline" if is_title(reports[0].passage) else "story"
            sides.append(outlet_side(reports, wording(where, surface)))
        out.append(
            ConflictCandidate(
                kind="framing",
                topic=f"What to call {group.referent}",
                sides=sides,
                score=round(s.label_score + 0.1 * (len(variants) - 2), 3),
                evidence=[f"labels for {group.referent}: " + " / ".join(variants)],
                rule="framing:labels",
            )
        )
    return out


def _labels(group: LabelGroup, text: str, plain: str | None = None) -> list[tuple[str, str]]:
    """(variant, surface) of each label of ``group`` outside quotations, in text order
    (``plain``: ``text`` with its quotations blanked, when the caller has it)."""
    plain = _unquoted(text) if plain is None else plain
    found = [
        (m.start(), variant, text[m.start() : m.end()])
        for variant, patterns in group.variants.items()
        for pattern in patterns
        for m in pattern.finditer(plain)
    ]
    return [(v, surface) for _start, v, surface in sorted(found)]


def tone_candidates(
    titles: list[Passage], outlet: dict[str, str], settings: FramingSettings | None = None
) -> list[ConflictCandidate]:
    """The two headlines whose tones point most strongly in opposite directions, when the
    gap reaches ``min_tone_gap``."""
    s = settings or FramingSettings()
    scored = sorted(((_tone(_unquoted(t.text)), t) for t in titles), key=lambda x: (x[0], x[1].id))
    if len(scored) < 2:
        return []
    (low, neg), (high, pos) = scored[0], scored[-1]
    if outlet[neg.article] == outlet[pos.article] or high - low < s.min_tone_gap:
        return []
    if low > -s.min_tone or high < s.min_tone:
        return []
    sides = [
        outlet_side([Report(outlet[t.article], t, t.text)], wording("headline", t.text, "reads"))
        for t in (pos, neg)
    ]
    return [
        ConflictCandidate(
            kind="framing",
            topic="How the headlines present the story",
            sides=sides,
            score=s.tone_score,
            evidence=[f"headline tone {high:+.2f} vs {low:+.2f} (VADER compound)"],
            rule="framing:tone",
        )
    ]


@cache
def _analyzer() -> object:
    from vader import SentimentIntensityAnalyzer  # deferred: only headlines need it

    return SentimentIntensityAnalyzer()


def _tone(text: str) -> float:
    scores = _analyzer().polarity_scores(text)  # type: ignore[attr-defined]
    return float(scores["compound"])
