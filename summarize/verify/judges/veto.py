"""The exact signals as vetoes in front of any judge: a claim whose evidence lacks one of its
names, or that flips the evidence's negation, is unsupported whatever a model would say, and
the model is not asked. The vetoing signals are the calibration's (``calibration.json``
``veto``: chosen by their precision on the pooled development splits), so every judge vetoes
alike."""

from __future__ import annotations

import time

from summarize.verify.judges.features import features, fired
from summarize.verify.judges.offline import load_calibration
from summarize.verify.judges.verdict import Judge, Verdict


class VetoedJudge:
    """``inner``, asked only about claims no vetoing signal rejects."""

    def __init__(self, inner: Judge, veto: list[str] | None = None) -> None:
        self.inner = inner
        self.veto = list(load_calibration().veto if veto is None else veto)
        self.name = inner.name

    def judge(self, claim: str, sources: list[str]) -> Verdict:
        start = time.perf_counter()
        # The offline judge's own features and veto rule, without its model.
        feats, _, notes, _ = features(claim, sources)
        vetoed = fired(feats, self.veto)
        if vetoed:
            return Verdict(
                score=0.0,
                label=0,
                verdict="contradicted" if "negation_flip" in vetoed else "not_mentioned",
                explanation=f"veto: {', '.join(n.replace('_', ' ') for n in vetoed)}; "
                + "; ".join(notes),
                seconds=time.perf_counter() - start,
            )
        return self.inner.judge(claim, sources)

    def describe(self) -> dict[str, object]:
        return {**self.inner.describe(), "veto_before_model": self.veto}
