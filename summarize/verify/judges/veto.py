"""The exact signals as vetoes in front of any judge: a claim whose evidence lacks one of its
names, or that flips the evidence's negation, is unsupported whatever a model would say, and
the model is not asked. The vetoing signals are the calibration's (``calibration.json``
``veto``: chosen by their precision on the pooled development splits), so every judge vetoes
alike."""

from __future__ import annotations

import time

from summarize.verify.judges.features import claim_sentences
from summarize.verify.judges.offline import load_calibration
from summarize.verify.judges.verdict import Judge, Verdict
from summarize.verify.support import Signals, signals


def _fired(s: Signals, names: list[str]) -> list[str]:
    found = {
        "entities_missing": ", ".join(s.entities_missing),
        "negation_flip": s.negation_detail if s.negation_flip else "",
        "numbers_missing": ", ".join(s.numbers_missing),
        "quotes_missing": ", ".join(s.quotes_missing),
    }
    return [f"{n.replace('_', ' ')}: {found[n]}" for n in names if found.get(n)]


class VetoedJudge:
    """``inner``, asked only about claims no vetoing signal rejects."""

    def __init__(self, inner: Judge, veto: list[str] | None = None) -> None:
        self.inner = inner
        self.veto = list(load_calibration().veto if veto is None else veto)
        self.name = inner.name

    def judge(self, claim: str, sources: list[str]) -> Verdict:
        start = time.perf_counter()
        fired = [f for c in claim_sentences(claim) for f in _fired(signals(c, sources), self.veto)]
        if fired:
            return Verdict(
                score=0.0,
                label=0,
                verdict="contradicted" if any("negation" in f for f in fired) else "not_mentioned",
                explanation=f"veto: {'; '.join(fired)}",
                seconds=time.perf_counter() - start,
            )
        return self.inner.judge(claim, sources)

    def describe(self) -> dict[str, object]:
        return {**self.inner.describe(), "veto_before_model": self.veto}
