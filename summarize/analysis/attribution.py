"""Attributed statements: who said what, in their own words, in which passage.

Rule-based over the sentence passages of each article, in order. A statement is a holder (a
canonical entity), a speech/stance cue, and the holder's words: the quoted span when there is
one, else the reported clause after the cue. Every quote is an exact substring of its passage
because it is sliced out of it. Covered shapes: ``"…," X said`` / ``"…," said X``, ``X said
(that) …``, ``X said, "…"``, ``according to X, …``, ``X denied …``, ``X accused Y of …``, a
bare quote whose speaker is named just before (or was the last person to speak), ``he said``
resolved to the most recent person, and two holders in one sentence split at a contrast
conjunction (``X indicated that "…", although Y underlined that "…"``).
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict

from summarize.analysis.entities import EntityIndex, Mention
from summarize.contract import Strict
from summarize.ingest.document import Passage
from summarize.text.lexicon import wordlist
from summarize.text.negation import has_negation

# Speech and stance verbs, every inflection spelled out so the regex stays a plain alternation.
_CUE_STEMS = wordlist(
    """
    say says said saying tell tells told telling add adds added adding insist insists
    insisted insisting underline underlines underlined underlining underscore underscored
    stress stresses stressed stressing emphasise emphasised emphasize emphasized emphasizing
    note notes noted noting deny denies denied denying reject rejects rejected rejecting
    accuse accuses accused accusing claim claims claimed claiming warn warns warned warning
    indicate indicates indicated indicating restate restated restating reiterate reiterated
    reiterating repeat repeated criticise criticised criticize criticized criticizes
    criticises condemn condemns condemned argue argues argued arguing assert asserts
    asserted maintain maintains maintained contend contends contended declare declares
    declared announce announces announced state stated states stating explain explained
    acknowledge acknowledged admit admits admitted confirm confirms confirmed believe
    believes suggest suggests suggested dispute disputes disputed dismiss dismissed counter
    countered respond responded reply replied describe described identified remark remarked
    urge urges urged vow vowed pledge pledged promise promised disagree disagrees disagreed
    oppose opposes opposed blame blames blamed concede conceded dismissing blaming
    """
)
DENIAL_CUES = frozenset(
    wordlist(
        """
    deny denies denied denying reject rejects rejected rejecting dispute disputes disputed
    dismiss dismissed dismissing refute refuted counter countered
    """
    )
)
_CUE = re.compile(
    r"\b(?P<cue>(?i:according to)|lashed out at|called for|" + "|".join(_CUE_STEMS) + r")\b"
)
# Between a holder and its verb: an appositive/relative clause and auxiliaries/adverbs.
_HOLDER_GAP = re.compile(
    r"^(?:\s*,[^\"“”,]{0,120},)?\s+(?:(?:has|have|had|also|still|again|later|then|once|"
    r"further|repeatedly|reportedly|previously|earlier|is|was|were|been|has\s+been|"
    r"firmly|harshly|strongly|publicly|flatly|always|had\s+also|would|will|did|does)\s+)*$"
)
_CONTRAST_SPLIT = re.compile(
    r"[,;][\"”’]?\s+(?=(?:although|though|whereas|while|but|however|yet)\b)"
)
_PRONOUN = re.compile(r"\b(?:he|she|He|She)\b")
_OPENERS, _CLOSERS = "“„«", "”»"


class Statement(Strict):
    holder: str  # canonical entity name
    holder_mention: str  # as written in the passage ("he" when resolved from a pronoun)
    cue: str
    passage: str
    article: str
    quote: str  # exact substring of the passage text
    quoted: bool  # the holder's own quoted words rather than a reported clause
    negated: bool
    denial: bool
    target: str | None = None  # whom an accusation or denial is about, when named
    # Where a person's words name them only as "he"/"she" (or not at all): the latest
    # earlier passage of the article naming them, and the name as it writes it ("Merkel").
    named_in: str | None = None
    named_as: str | None = None
    # The reporter's words between the cue and a quotation ('indicating that the minister
    # "…"'): the quotation's subject, without which "has no future in office" is nobody's.
    lead: str = ""


def _quote_spans(text: str, open_at_start: bool) -> tuple[list[tuple[int, int]], bool]:
    """Inner spans of quotations; a quote left open continues in the next passage."""
    spans: list[tuple[int, int]] = []
    start: int | None = 0 if open_at_start else None
    for i, ch in enumerate(text):
        if ch == '"':
            if start is None and (i == 0 or not text[i - 1].isalnum()):
                start = i + 1
            elif start is not None:
                spans.append((start, i))
                start = None
        elif ch in _OPENERS and start is None:
            start = i + 1
        elif ch in _CLOSERS and start is not None:
            spans.append((start, i))
            start = None
        elif ch in _CLOSERS and start is None and not spans:
            spans.append((0, i))  # closing a quote opened in an earlier passage
    if start is not None:
        spans.append((start, len(text)))
    return spans, start is not None


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= pos < e for s, e in spans)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span past spaces, quote marks and edge punctuation."""
    while start < end and text[start] in " ,:;\"“”'’‘—–-":
        start += 1
    while end > start and text[end - 1] in " ,.:;\"“”'’‘!?—–-…":
        end -= 1
    return start, end


class _ArticleState:
    def __init__(self) -> None:
        self.last_person: str | None = None
        self.last_holder: tuple[str, str] | None = None
        self.open_quote = False
        self.pending: list[tuple[Passage, tuple[int, int]]] = []  # quote runs awaiting a holder
        self.prev_subject: tuple[str, str] | None = None
        self.named_at: dict[str, tuple[str, str]] = {}  # entity -> (passage id, surface)


def extract_statements(passages: list[Passage], entities: EntityIndex) -> list[Statement]:
    by_article: dict[str, list[Passage]] = defaultdict(list)
    for p in passages:
        by_article[p.article].append(p)
    out: list[Statement] = []
    for article in by_article:
        state = _ArticleState()
        ordered = sorted(by_article[article], key=lambda p: (p.paragraph, p.sentence))
        prev_para = -1
        for p in ordered:
            if p.paragraph != prev_para and not state.open_quote:
                state.pending = []
            prev_para = p.paragraph
            out.extend(_passage_statements(p, entities, state))
    return out


def _passage_statements(p: Passage, idx: EntityIndex, st: _ArticleState) -> list[Statement]:
    text = p.text
    spans, still_open = _quote_spans(text, st.open_quote)
    mentions = [m for m in idx.mentions(text) if not _inside(m.start, spans)]
    mentions += [
        Mention(start=m.start(), end=m.end(), surface=m.group(), entity="", kind="person")
        for m in _PRONOUN.finditer(text)
        if not _inside(m.start(), spans)
    ]
    mentions.sort(key=lambda m: m.start)
    found: list[Statement] = []
    bounds = [0, *(m.end() for m in _CONTRAST_SPLIT.finditer(text)), len(text)]
    last_clause_holder: tuple[str, str] | None = None
    for c0, c1 in itertools.pairwise(bounds):
        for cue_m in _CUE.finditer(text, c0, c1):
            # Cues inside a quotation or inside a clause already reported belong to others.
            if _inside(cue_m.start(), spans) or any(
                s.passage == p.id
                and text.find(s.quote) <= cue_m.start() < text.find(s.quote) + len(s.quote)
                for s in found
            ):
                continue
            holder = _holder_for(text, cue_m, mentions, c0, c1, st)
            if holder is None and re.search(r"\band\s+$", text[c0 : cue_m.start()]):
                holder = last_clause_holder  # "X said … and added, …"
            if holder is None:
                continue
            last_clause_holder = holder
            quote_span, quoted = _words_for(text, cue_m, spans, c0, c1)
            if quote_span is None:
                st.prev_subject = holder
                continue
            q0, q1 = quote_span
            if quoted and q0 == 0 and st.pending:
                for pp, (s0, s1) in st.pending:
                    found.append(_make(pp, holder, cue_m.group("cue"), s0, s1, True))
                st.pending = []
            target = next(
                (
                    m.entity
                    for m in mentions
                    if m.start >= cue_m.end() and m.entity and m.start - cue_m.end() < 6
                ),
                None,
            )
            stmt = _make(p, holder, cue_m.group("cue"), q0, q1, quoted, target)
            if quoted and q0 > cue_m.end():
                stmt = stmt.model_copy(update={"lead": _lead(text[cue_m.end() : q0])})
            found.append(stmt)
    if not found and spans:
        s0, s1 = _trim(text, *max(spans, key=lambda s: s[1] - s[0]))
        if s1 - s0 > 15 and (s1 - s0) > 0.6 * len(text.strip(' "“”')):
            if still_open:
                st.pending.append((p, (s0, s1)))  # the speaker may come at the quote's end
            else:
                speaker = st.prev_subject or st.last_holder
                if speaker is not None:
                    found.append(_make(p, speaker, "quoted", s0, s1, True))
    st.open_quote = still_open
    named_here = {m.entity for m in mentions if m.entity}
    found = [_with_naming(s, named_here, st) for s in found]
    for m in mentions:
        if m.entity and m.kind == "person":
            st.named_at[m.entity] = (p.id, m.surface)
    for s in found:
        st.last_holder = (s.holder, s.holder_mention)
        if idx.kind(s.holder) == "person":
            st.last_person = s.holder
    # A short sentence naming one speaker ("X disagreed.") introduces the next bare quote.
    named = [m for m in mentions if m.entity]
    st.prev_subject = None
    if not found and named and len(text) < 90 and not spans:
        st.prev_subject = (named[0].entity, named[0].surface)
    persons = [m for m in named if m.kind == "person"]
    if not found and persons:
        st.last_person = persons[0].entity
    return found


_LEAD_MAX_WORDS = 6


def _lead(between: str) -> str:
    """The words between a cue and its quotation, when they are a short run of plain words
    ("that the minister"); a bare "that" or anything with a clause break says nothing."""
    words = between.strip(' ,:"“„«').split()
    if words and words[0].lower() == "that":
        words = words[1:]
    if not words or len(words) > _LEAD_MAX_WORDS or any(not w.isalnum() for w in words):
        return ""
    return " ".join(words)


def _with_naming(s: Statement, named_here: set[str], st: _ArticleState) -> Statement:
    """A person's statement whose passage does not name them points to where the article
    last did: a reader (and a judge) sees who "he" is."""
    if s.holder in named_here or s.holder not in st.named_at:
        return s
    passage, surface = st.named_at[s.holder]
    return s.model_copy(update={"named_in": passage, "named_as": surface})


def _holder_for(
    text: str,
    cue_m: re.Match[str],
    mentions: list[Mention],
    c0: int,
    c1: int,
    st: _ArticleState,
) -> tuple[str, str] | None:
    cue = cue_m.group("cue")
    after = [m for m in mentions if cue_m.end() <= m.start < c1]
    if cue.lower() == "according to":
        m = after[0] if after and after[0].start - cue_m.end() <= 5 else None
        return _resolve(m, st)
    before = [m for m in mentions if c0 <= m.start and m.end <= cue_m.start()]
    # The nearest few: an appositive may hold other names ("X, whom Y met in Z, said").
    for m in list(reversed(before))[:3]:
        if _HOLDER_GAP.match(text[m.end : cue_m.start()]):
            return _resolve(m, st)
    # Inversion after a quotation: '"…," said X'.
    if (
        after
        and re.fullmatch(r"\s*", text[cue_m.end() : after[0].start])
        and re.search(r"[,.!?]?[\"”]\s*$", text[c0 : cue_m.start()])
    ):
        return _resolve(after[0], st)
    return None


def _resolve(m: Mention | None, st: _ArticleState) -> tuple[str, str] | None:
    if m is None:
        return None
    if m.entity:
        return m.entity, m.surface
    return (st.last_person, m.surface) if st.last_person else None


def _words_for(
    text: str, cue_m: re.Match[str], spans: list[tuple[int, int]], c0: int, c1: int
) -> tuple[tuple[int, int] | None, bool]:
    """The holder's words for a cue: a quote just before it, a quote in its clause after it,
    else the reported clause that follows it."""
    after = [s for s in spans if s[0] >= cue_m.end() and s[0] < c1]
    # 'X said, "…"' / 'X underlined that "…"': a quotation opening right after the cue.
    if after and re.fullmatch(
        r"[\s,:]*(?:that\s+)?(?:[^\s,\"“”]+\s+){0,3}[\"“„«]?", text[cue_m.end() : after[0][0]]
    ):
        s0, s1 = _trim(text, after[0][0], after[0][1])
        if s1 - s0 > 3:
            return (s0, s1), True
    # '"…," X said': a quotation in this clause ending just before the holder and cue.
    before = [s for s in spans if s[1] <= cue_m.start() and s[0] >= c0]
    if before and re.fullmatch(r"[\s,.!?\"”’]*[^,\"“”]{0,60}", text[before[-1][1] : cue_m.start()]):
        s0, s1 = _trim(text, *before[-1])
        if s1 - s0 > 3:
            return (s0, s1), True
    start = cue_m.end()
    end = c1
    if cue_m.group("cue").lower() == "according to":
        # "according to X, <claim>" or "<claim>, according to X": take the longer side.
        left = _trim(text, c0, cue_m.start())
        right = _trim(text, text.find(",", start) + 1 if "," in text[start:c1] else c1, c1)
        best = max(left, right, key=lambda s: s[1] - s[0])
        return (best if best[1] - best[0] > 10 else None), False
    m = re.match(r"\s*(?:,|:|that\b)?\s*", text[start:end])
    start += m.end() if m else 0
    # "said Thursday after talks in X that …": the claim starts after the late "that".
    late = re.search(r"\bthat\s", text[start : min(end, start + 80)])
    if (
        late
        and not re.search(r"[,\"“”]", text[start : start + late.start()])
        and re.match(
            r"(?:[A-Z]|(?:after|on|in|at|during|following|before|earlier|today)\b)", text[start:]
        )
    ):
        start += late.end()
    s0, s1 = _trim(text, start, end)
    return ((s0, s1) if s1 - s0 > 3 else None), False


def _make(
    p: Passage,
    holder: tuple[str, str],
    cue: str,
    s0: int,
    s1: int,
    quoted: bool,
    target: str | None = None,
) -> Statement:
    quote = p.text[s0:s1]
    return Statement(
        holder=holder[0],
        holder_mention=holder[1],
        cue=cue.lower(),
        passage=p.id,
        article=p.article,
        quote=quote,
        quoted=quoted,
        negated=has_negation(quote),
        denial=cue in DENIAL_CUES,
        target=target if target != holder[0] else None,
    )
