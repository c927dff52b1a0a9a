"""Verify before output: nothing uncited, no invented quote, no unsupported claim.

Every summary sentence must cite existing passages and be supported by them; every
disagreement side must carry a quote that is a verbatim (whitespace/quote-normalised)
substring of its cited passage, and a claim that passage supports. What fails is dropped and
recorded (``VerificationDrop``); repairs by re-asking happen upstream, in the backends. A
sentence that states a verified side's claim as fact is attributed to it (``contested``).

Articles are data, and a passage that reads as instructions to a model (``injection``) is
never evidence: a citation or quote of it is dropped, and a sentence, claim, holder or topic
that carries what it planted is dropped (a topic is replaced by a neutral one). Invisible
characters are removed from model-written text; quotes keep the source's exact characters.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from pydantic import Field

from summarize.contract import (
    Disagreement,
    DisagreementKind,
    Position,
    QuoteCitation,
    StageReport,
    Strict,
    SummarySentence,
    Usage,
    VerificationDrop,
)
from summarize.errors import AdapterError, SummarizeError
from summarize.generate import repair as repair_stage
from summarize.generate.caller import MAX_ENDPOINT_FAILURES, Spent, cause
from summarize.generate.draft import Draft, DraftPosition, Repairer
from summarize.generate.ledger import Ledger
from summarize.ingest.document import Passage
from summarize.text.holders import distinct_holders
from summarize.text.words import content_words, normalize_quote
from summarize.verify.contested import attribute_contested
from summarize.verify.injection import Planted, find_planted, visible
from summarize.verify.judges.verdict import Judge
from summarize.verify.quotes import find_verbatim

SupportCheck = Callable[[str, list[str]], float]


class VerifySettings(Strict):
    min_sentence_support: float = 0.5
    min_claim_support: float = 0.35
    min_quote_words: int = 3
    # A narrower sentence (a cited passage) replaces a rejected one only when it carries at
    # least this share of the rejected sentence's content words: it must say part of it.
    min_narrower_overlap: float = 0.3


class Verified(Strict):
    summary: list[SummarySentence]
    disagreements: list[Disagreement]
    drops: list[VerificationDrop]
    # One line per paragraph that reads as planted instructions (for ``run.warnings``).
    warnings: list[str] = Field(default_factory=list)
    # The judge's and the repairs' model calls ("judge", "sentence_repair"), for
    # ``run.stages`` and ``run.usage``.
    stages: dict[str, StageReport] = Field(default_factory=dict)
    usage: Usage = Field(default_factory=Usage)
    cost_usd: float | None = None


JUDGE_STAGE = "judge"
REPAIR_STAGE = repair_stage.STAGE


class _Checker:
    """Whether a text is supported by its evidence: verbatim in it, else the judge's
    verdict (lexical support where there is no judge, or where the judge's model failed:
    counted as a fallback), else lexical support against ``threshold``. Returns None when
    supported, else the reason."""

    def __init__(self, support: SupportCheck, judge: Judge | None, ledger: Ledger) -> None:
        self.support, self.judge, self.ledger = support, judge, ledger
        self.usage = Usage()
        # Why the judge's endpoint is unusable, once it is (the draft's dead-endpoint rule:
        # a permanent error at once, else two failures in a row).
        self.unavailable: str | None = None
        self._failures = 0

    def reject(self, text: str, evidence: list[str], threshold: float, what: str) -> str | None:
        if _verbatim(text, evidence):
            return None
        if self.judge is not None:
            self.ledger.asked(JUDGE_STAGE)
            verdict = None
            if self.unavailable is None:
                try:
                    verdict = self.judge.judge(text, evidence)
                except AdapterError as e:
                    self._failures += 1
                    if not e.transient or self._failures >= MAX_ENDPOINT_FAILURES:
                        self.unavailable = cause(e)
                    self.ledger.fell_back(JUDGE_STAGE, f"{cause(e)}: lexical support used")
                except SummarizeError as e:
                    self.ledger.fell_back(JUDGE_STAGE, f"{type(e).__name__}: lexical support used")
            else:
                self.ledger.fell_back(
                    JUDGE_STAGE, f"judge unavailable: {self.unavailable}: lexical support used"
                )
            if verdict is not None:
                self._failures = 0
                self.ledger.answered(JUDGE_STAGE)
                self.usage = self.usage.add(verdict.usage)
                if verdict.label:
                    return None
                label = verdict.verdict.replace("_", " ")
                why = f": {verdict.explanation}" if verdict.explanation else ""
                return f"{what}: the judge finds it {label} (score {verdict.score:.2f}{why})"
        score = self.support(text, evidence)
        if score >= threshold:
            return None
        return f"{what} (support {score:.2f})"


def _verbatim(text: str, evidence: list[str]) -> bool:
    """Stated word for word in one piece of evidence (its final full stop aside)."""
    core = text.strip().rstrip(".")
    return len(core.split()) >= 3 and any(find_verbatim(core, e) for e in evidence)


_INJECTION = "possible prompt injection"
_NEUTRAL_TOPIC: dict[str, str] = {
    "actor_position": "Positions of {}",
    "source_discrepancy": "Accounts of {}",
    "framing": "Wording used by {}",
}


def verify(
    draft: Draft,
    passages: list[Passage],
    support: SupportCheck,
    settings: VerifySettings | None = None,
    *,
    judge: Judge | None = None,
    repair: Repairer | None = None,
    outlets: Mapping[str, str] | None = None,
) -> Verified:
    """``outlets``: passage id -> its outlet as the disagreement sides name it, for
    attributing a contested sentence to the outlets it cites (``attribute_contested``)."""
    settings = settings or VerifySettings()
    by_id = {p.id: p for p in passages}
    drops: list[VerificationDrop] = []
    ledger = Ledger()
    checker = _Checker(support, judge, ledger)
    # The rules word their sides' claims from the quoted sentence itself; the judge reads
    # those terse claims ("The Hill calls it ...") against a headline badly (on the annotated
    # development events it rejected most framing sides), so only a model-written side is
    # judged, and the rules' are held to lexical support.
    lexical = _Checker(support, None, ledger)
    spent = Spent()

    planted = find_planted(passages)
    summary: list[SummarySentence] = []
    seen: set[str] = set()
    for sent in draft.summary:
        text = visible(sent.text).strip()
        if not text or normalize_quote(text).lower() in seen:
            continue
        cited = list(dict.fromkeys(c for c in sent.citations if c in by_id))
        for bad in (c for c in sent.citations if c not in by_id):
            drops.append(
                VerificationDrop(item="citation", text=f"{text} [{bad}]", reason="no such passage")
            )
        for bad in (c for c in cited if c in planted.passages):
            drops.append(
                VerificationDrop(
                    item="citation", text=f"{text} [{bad}]", reason=_planted_reason(planted, bad)
                )
            )
        cited = [c for c in cited if c not in planted.passages]
        if not cited:
            drops.append(
                VerificationDrop(item="summary_sentence", text=text, reason="no valid citation")
            )
            continue
        evidence = [visible(by_id[c].text) for c in cited]
        carried = planted.carried(text, evidence)
        if carried:
            drops.append(
                VerificationDrop(
                    item="summary_sentence", text=text, reason=f"{_INJECTION}: {carried}"
                )
            )
            continue
        why = checker.reject(
            text, evidence, settings.min_sentence_support, "not supported by its cited passages"
        )
        if why is not None:
            fixed = _repaired(
                text, why, cited, by_id, planted, checker, repair, settings, ledger, spent, seen
            )
            if fixed is None:
                drops.append(VerificationDrop(item="summary_sentence", text=text, reason=why))
                continue
            sentence, how = fixed
            drops.append(
                VerificationDrop(
                    item="summary_sentence", text=text, reason=f"{why}; {how}", action="repaired"
                )
            )
            text, cited = sentence.text, sentence.citations
        seen.add(normalize_quote(text).lower())
        summary.append(SummarySentence(text=text, citations=cited))

    disagreements: list[Disagreement] = []
    for dis in draft.disagreements:
        positions = [
            p
            for p in (
                _verify_position(
                    pos,
                    by_id,
                    planted,
                    checker if dis.rule == "model" else lexical,
                    settings,
                    drops,
                )
                for pos in dis.positions
            )
            if p is not None
        ]
        topic = visible(dis.topic).strip()
        if len(positions) < 2 or _distinct(dis.kind, [p.holder for p in positions]) < 2:
            # The positions that did verify go with it, so everything drafted and not output
            # is on record.
            kept = "".join(f" | {p.holder}: {p.claim}" for p in positions)
            drops.append(
                VerificationDrop(
                    item="disagreement",
                    text=topic + kept,
                    reason="fewer than two verified positions from different holders",
                )
            )
            continue
        topic = _verify_topic(topic, dis.kind, positions, by_id, planted, passages, drops)
        disagreements.append(
            Disagreement(
                id=f"D{len(disagreements) + 1}",
                kind=dis.kind,
                topic=topic,
                positions=positions,
                rule=dis.rule,
                evidence=dis.evidence,
            )
        )
    summary, attributed = attribute_contested(summary, disagreements, outlets)
    return Verified(
        summary=summary,
        disagreements=disagreements,
        drops=[*drops, *attributed],
        warnings=[*_planted_warnings(planted, passages), *_repair_warnings(drops)],
        stages=ledger.report(),
        usage=checker.usage.add(spent.usage),
        cost_usd=spent.cost or None,
    )


def _repair_warnings(drops: list[VerificationDrop]) -> list[str]:
    """One line when sentences were repaired (a fallback a reader should know about)."""
    repaired = [d for d in drops if d.action == "repaired"]
    if not repaired:
        return []
    asked = sum("re-asked" in d.reason for d in repaired)
    return [
        f"verification: {len(repaired)} summary sentences rejected by the checks were repaired "
        f"({asked} re-asked, {len(repaired) - asked} replaced by a cited passage; "
        "run.verification says why)"
    ]


def _repaired(
    text: str,
    why: str,
    cited: list[str],
    by_id: dict[str, Passage],
    planted: Planted,
    checker: _Checker,
    repair: Repairer | None,
    settings: VerifySettings,
    ledger: Ledger,
    spent: Spent,
    seen: set[str],
) -> tuple[SummarySentence, str] | None:
    """A rejected sentence's replacement and how it was made, or None: first the model's
    one re-ask (told ``why``), checked like any sentence; then the cited passage that
    carries most of the sentence's content words."""
    shown = [by_id[c] for c in cited]
    if repair is not None:
        ledger.asked(REPAIR_STAGE)
        answer = repair.repair(text, why, shown)
        spent.spend(answer.usage, answer.cost_usd)
        new = visible(answer.sentence.text).strip() if answer.sentence else ""
        if answer.sentence is None or not new:
            ledger.fell_back(REPAIR_STAGE, answer.failed or "empty sentence")
        else:
            ledger.answered(REPAIR_STAGE)
            # The re-ask shows the cited passages only; its citations are kept among them.
            new_cited = [c for c in answer.sentence.citations if c in cited] or cited
            evidence = [visible(by_id[c].text) for c in new_cited]
            fails = planted.carried(new, evidence) or checker.reject(
                new, evidence, settings.min_sentence_support, "not supported"
            )
            if fails is None and normalize_quote(new).lower() not in seen:
                return SummarySentence(text=new, citations=new_cited), "re-asked, told why"
    words = set(content_words(text))
    best: tuple[float, Passage] | None = None
    for p in shown:
        if p.id.endswith(".t"):  # a headline is not a sentence of the story
            continue
        overlap = len(words & set(content_words(p.text))) / len(words) if words else 0.0
        if best is None or overlap > best[0]:
            best = (overlap, p)
    if best is None or best[0] < settings.min_narrower_overlap:
        return None
    passage = best[1]
    if normalize_quote(passage.text).lower() in seen:
        return None
    return (
        SummarySentence(text=passage.text, citations=[passage.id]),
        f"replaced by its cited passage {passage.id}",
    )


def _without_holder(claim: str, holder: str) -> str:
    """``claim`` with its holder's name taken out where it stands as the name ("Russia says
    ...", "The Hill reports ...": what the claim says, not who says it); the claim itself
    when nothing else would be left. Each alternative of the holder ("A; B", "X / Y") is
    taken out as its whole word sequence, and a person's surname alone ("Putin says" for
    "Vladimir Putin"); a word of the name used otherwise ("an independent inquiry" for "The
    Independent") stays. A one-word name is matched as capitalised, a longer one in any case."""
    rest = claim
    for pattern in _holder_patterns(holder):
        rest = pattern.sub(" ", rest)
    rest = " ".join(rest.split())
    return rest if content_words(rest) else claim


def _holder_patterns(holder: str) -> list[re.Pattern[str]]:
    forms: list[list[str]] = []
    for part in re.split(r"/|\bor\b|;", holder):
        words = re.findall(r"[\w’'&.-]+", part)
        if words and words[0].casefold() == "the":
            words = words[1:]
        if not words:
            continue
        forms.append(words)
        # A person named in full is also named by the surname ("Barack Obama" -> "Obama").
        if len(words) >= 2 and all(w[:1].isupper() for w in words) and words[-1].isalpha():
            forms.append(words[-1:])
    patterns = []
    for words in sorted(forms, key=len, reverse=True):  # the fullest form first
        seq = r"\s+".join(re.escape(w) for w in words)
        flags = re.IGNORECASE if len(words) >= 2 else 0
        patterns.append(re.compile(rf"(?<![\w-])(?:[Tt]he\s+)?{seq}(?![\w-])", flags))
    return patterns


def _distinct(kind: DisagreementKind, holders: list[str]) -> int:
    """How many different holders: people and governments by ``distinct_holders`` (a surname
    names its person); outlets by their exact names, since outlets share last words ("The
    Epoch Times", "Los Angeles Times") without being one. An outlet side may name several
    outlets ("A; B"): the same set is the same side."""
    if kind == "actor_position":
        return distinct_holders(holders)
    return len({frozenset(n.strip().casefold() for n in h.split(";")) for h in holders})


def _planted_reason(planted: Planted, pid: str) -> str:
    return (
        f"{_INJECTION}: passage {pid} reads as instructions to a model "
        f"({planted.passages[pid]}), never evidence"
    )


def _planted_warnings(planted: Planted, passages: list[Passage]) -> list[str]:
    paragraphs: dict[str, list[str]] = {}
    for p in passages:
        if p.id in planted.passages:
            paragraphs.setdefault(f"{p.article}.p{p.paragraph}", []).append(p.id)
    return [
        f"{_INJECTION} in {para} ({planted.passages[ids[0]]}): "
        f"{', '.join(ids)} never used as evidence"
        for para, ids in paragraphs.items()
    ]


def _verify_topic(
    topic: str,
    kind: DisagreementKind,
    positions: list[Position],
    by_id: dict[str, Passage],
    planted: Planted,
    passages: list[Passage],
    drops: list[VerificationDrop],
) -> str:
    """The topic is model-written and cites nothing: it must carry nothing planted, and in an
    event with planted passages it may use no word that no clean passage or holder uses.
    A topic that fails is replaced by a neutral one naming the holders (and recorded)."""
    evidence = [visible(by_id[c.passage].text) for p in positions for c in p.citations]
    why = planted.carried(topic, [*evidence, *(p.holder for p in positions)])
    if why is None and planted:
        known = {
            w
            for text in (
                *(p.text for p in passages if p.id not in planted.passages),
                *(p.holder for p in positions),
            )
            for w in content_words(visible(text))
        }
        # A five-letter prefix accepts derived forms ("accusation" for "accused").
        prefixes = {w[:5] for w in known if len(w) >= 5}
        novel = sorted(
            w for w in set(content_words(topic)) - known if len(w) < 5 or w[:5] not in prefixes
        )
        if novel:
            why = f"uses words no clean source uses ({', '.join(novel[:3])})"
    if why is None and topic:
        return topic
    holders = " and ".join(dict.fromkeys(p.holder for p in positions))
    neutral = _NEUTRAL_TOPIC[kind].format(holders)
    drops.append(
        VerificationDrop(
            item="disagreement",
            text=topic,
            reason=(f"topic: {_INJECTION}: {why}" if why else "empty topic")
            + f"; replaced by {neutral!r}",
        )
    )
    return neutral


def _verify_position(
    pos: DraftPosition,
    by_id: dict[str, Passage],
    planted: Planted,
    checker: _Checker,
    settings: VerifySettings,
    drops: list[VerificationDrop],
) -> Position | None:
    holder, claim = visible(pos.holder).strip(), visible(pos.claim).strip()
    citations: list[QuoteCitation] = []
    for cit in pos.citations:
        passage = by_id.get(cit.passage)
        exact = find_verbatim(cit.quote, passage.text) if passage else None
        if passage is None or exact is None:
            why = "no such passage" if passage is None else "quote is not verbatim in the passage"
            drops.append(
                VerificationDrop(item="citation", text=f"{holder}: {cit.quote}", reason=why)
            )
            continue
        if passage.id in planted.passages:
            drops.append(
                VerificationDrop(
                    item="citation",
                    text=f"{holder}: {exact}",
                    reason=_planted_reason(planted, passage.id),
                )
            )
            continue
        if len(visible(exact).split()) < settings.min_quote_words:
            drops.append(
                VerificationDrop(
                    item="citation", text=f"{holder}: {exact}", reason="quote too short"
                )
            )
            continue
        citations.append(QuoteCitation(passage=passage.id, quote=exact))
    if not citations:
        drops.append(
            VerificationDrop(item="position", text=f"{holder}: {claim}", reason="no verified quote")
        )
        return None
    evidence = [visible(by_id[c.passage].text) for c in citations]
    # A holder's name may occur only in planted text (a full name the other articles
    # shorten): names get the instruction and trigram checks, and count as the claim's words.
    carried = planted.carried(holder, evidence, words=False) or planted.carried(
        claim, [*evidence, holder]
    )
    if carried:
        drops.append(
            VerificationDrop(
                item="position", text=f"{holder}: {claim}", reason=f"{_INJECTION}: {carried}"
            )
        )
        return None
    # The claim names its holder ("Russia says ...", "The Hill reports ..."): the name is
    # the side's, not a word the quoted passage must carry, nor one that supports the rest.
    rejected = checker.reject(
        _without_holder(claim, holder),
        evidence,
        settings.min_claim_support,
        "claim not supported by its quoted passage",
    )
    if rejected is not None:
        drops.append(VerificationDrop(item="position", text=f"{holder}: {claim}", reason=rejected))
        return None
    return Position(holder=holder, claim=claim, citations=citations)
