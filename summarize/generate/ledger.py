"""The ledger of model-backed stages: per stage, how many answers were asked for, how many
were usable and how many fell back to deterministic output, and why. It becomes
``run.stages``; the pipeline and the CLI read it so that degraded work is never silent."""

from __future__ import annotations

from collections import Counter

from summarize.contract import StageReport


class Ledger:
    def __init__(self) -> None:
        self._asked: Counter[str] = Counter()
        self._answered: Counter[str] = Counter()
        self._reasons: dict[str, Counter[str]] = {}

    def asked(self, stage: str) -> None:
        self._asked[stage] += 1

    def answered(self, stage: str) -> None:
        self._answered[stage] += 1

    def fell_back(self, stage: str, reason: str) -> None:
        self._reasons.setdefault(stage, Counter())[reason] += 1

    def report(self) -> dict[str, StageReport]:
        return {
            stage: StageReport(
                asked=asked,
                answered=self._answered[stage],
                fell_back=sum(self._reasons.get(stage, Counter()).values()),
                reasons=dict(self._reasons.get(stage, Counter()).most_common()),
            )
            for stage, asked in self._asked.items()
        }
