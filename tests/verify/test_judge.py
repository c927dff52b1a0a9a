"""The offline judge (signals-only mode without a model; the model mode with a scripted client
and, marked slow, with the embedded model), the LLM claim-check judge and judge_items."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summarize.errors import AdapterError, ConfigError, InputError, SummarizeError
from summarize.eval.items import judge_items
from summarize.models.fake import FakeClient
from summarize.verify.judges.choice import offline_judge
from summarize.verify.judges.claim_check import LLMJudge
from summarize.verify.judges.offline import (
    Calibration,
    ModeParams,
    OfflineJudge,
    load_calibration,
)
from summarize.verify.judges.verdict import Verdict

STRIKE_ALL = "Russia wants to strike all forces fighting against terrorism"
STRIKE_ONLY = "Hollande and Putin agreed to strike only terrorist groups"


def seed_sources(folder: Path) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]


def test_shipped_calibration_has_provenance() -> None:
    cal = load_calibration()
    assert cal.fitted_on["split"] == "dev" and cal.fitted_on["dataset"] == "summedits_news"
    assert "signals" in cal.modes
    for params in cal.modes.values():
        assert len(params.features) == len(params.weights)


def test_signals_mode_on_seed_event(seed_event_dir: Path) -> None:
    judge = OfflineJudge()
    sources = seed_sources(seed_event_dir)
    bad, good = judge.judge(STRIKE_ALL, sources), judge.judge(STRIKE_ONLY, sources)
    assert bad.label == 0 and "negation" in bad.explanation
    assert good.label == 1 and good.evidence
    assert good.score > bad.score


def test_degenerate_inputs() -> None:
    judge = OfflineJudge()
    assert judge.judge("", ["Some text."]).label == 0
    assert judge.judge("   ", ["Some text."]).score == 0.0
    assert judge.judge("Putin met Hollande.", []).explanation == "no source text"
    assert judge.judge("Putin met Hollande.", [""]).label == 0


def toy_calibration() -> Calibration:
    """Only the model feature counts: the judge's label must follow p(Yes)."""
    return Calibration(
        seed=0,
        k=3,
        fitted_on={"dataset": "hand-built", "split": "dev"},
        modes={"model": ModeParams(features=["model_logit"], weights=[1.0], bias=0.0)},
    )


@pytest.mark.parametrize(("answer", "label"), [("Yes", 1), ("No", 0)])
def test_model_mode_reads_p_yes(answer: str, label: int) -> None:
    client = FakeClient.from_script({"responses": {"entailment": [answer]}})
    judge = OfflineJudge(client, calibration=toy_calibration())
    verdict = judge.judge(
        "Putin met Hollande. They met in Moscow.", ["Putin met Hollande in Moscow."]
    )
    assert verdict.label == label
    assert len(client.requests) == 2  # one question per claim sentence
    assert all(r.max_tokens == 1 and r.top_logprobs > 0 for r in client.requests)
    assert judge.describe()["prompts"]


@pytest.mark.parametrize(
    ("claim", "veto", "label"),
    [
        ("Putin met Hollande in Berlin.", ["entities_missing"], 0),  # the veto overrules "Yes"
        ("Putin met Hollande in Berlin.", [], 1),  # without it the model's Yes stands
        ("Putin met Hollande in Moscow.", ["entities_missing"], 1),  # nothing to veto
    ],
)
def test_veto_overrules_the_model(claim: str, veto: list[str], label: int) -> None:
    client = FakeClient.from_script({"default": ["Yes"]})
    cal = toy_calibration().model_copy(update={"veto": veto})
    verdict = OfflineJudge(client, calibration=cal).judge(claim, ["Putin met Hollande in Moscow."])
    assert verdict.label == label
    assert ("veto: entities missing" in verdict.explanation) == (label == 0)
    assert (verdict.score < 0.5) == (label == 0)


def test_model_mode_without_model_calibration_fails_clearly() -> None:
    cal = toy_calibration().model_copy(update={"modes": {}})
    with pytest.raises(ConfigError, match="calibrate_judge"):
        OfflineJudge(FakeClient.from_script({"default": ["Yes"]}), calibration=cal)


def test_llm_judge() -> None:
    answer = {
        "claims": [
            {"claim": "Putin met Hollande", "verdict": "supported", "sentence": 0},
            {"claim": "in Berlin", "verdict": "contradicted", "sentence": 0},
        ]
    }
    judge = LLMJudge(FakeClient.from_script({"responses": {"claim_check": [answer]}}))
    verdict = judge.judge("Putin met Hollande in Berlin.", ["Putin met Hollande in Moscow."])
    assert verdict.label == 0 and verdict.score == 0.5 and verdict.verdict == "contradicted"
    assert verdict.evidence == ["Putin met Hollande in Moscow."]
    assert judge.describe()["prompts"]
    empty = LLMJudge(FakeClient.from_script({"default": [{"claims": []}]}))
    assert empty.judge("Anything.", ["Text."]).label == 0


def test_judge_items_skips_bad_lines(tmp_path: Path) -> None:
    items = tmp_path / "items.jsonl"
    rows = [
        {"id": "a", "sources": ["Putin met Hollande in Moscow."], "summary": "Putin met Hollande."},
        {"id": "b", "sources": ["Putin met Hollande in Moscow."], "claim": "Merkel met Obama."},
        {"id": "c", "sources": ["x"]},  # neither summary nor claim
    ]
    items.write_text("\n".join([*map(json.dumps, rows), "{not json"]) + "\n", encoding="utf-8")
    out = tmp_path / "preds" / "p.jsonl"
    run = judge_items(items, out, OfflineJudge())
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [p["id"] for p in lines] == ["a", "b"] and run.judged == 2
    assert set(lines[0]) == {"id", "score", "label", "explanation", "seconds"}
    assert len(run.errors) == 2 and run.errors[0].startswith("line 3")
    assert not list(out.parent.glob(".*tmp"))  # the temp file was renamed away


def test_offline_judge_falls_back_to_signals() -> None:
    judge = offline_judge(use_model=False)
    assert judge.mode == "signals" and judge.client is None
    no_model = toy_calibration().model_copy(
        update={"modes": {"signals": ModeParams(features=["coverage"], weights=[1.0], bias=0.0)}}
    )
    assert offline_judge(calibration=no_model).mode == "signals"  # no model mode fitted


@pytest.mark.slow
def test_model_mode_on_seed_event(seed_event_dir: Path, tmp_path: Path) -> None:
    """The embedded model as entailment judge on its logits_all server (a few model calls;
    ~30 s on 2 cores), through ``offline_judge`` as the CLI builds it."""
    pytest.importorskip("llama_cpp")
    if "model" not in load_calibration().modes:
        pytest.skip("calibration.json has no model mode yet")
    judge = offline_judge(cache_dir=tmp_path / "cache")
    assert judge.mode == "model", "the embedded model could not be started"
    sources = seed_sources(seed_event_dir)
    bad, good = judge.judge(STRIKE_ALL, sources), judge.judge(STRIKE_ONLY, sources)
    assert bad.label == 0 and "p(Yes)" in bad.explanation
    assert good.label == 1
    assert good.score > bad.score


class _Broken:
    """A judge whose model is gone: every item fails."""

    name = "broken"

    def judge(self, claim: str, sources: list[str]) -> Verdict:
        raise AdapterError("APIConnectionError calling openai/local: refused", adapter="local")

    def describe(self) -> dict[str, object]:
        return {"judge": self.name}


def test_a_judge_that_judged_nothing_is_an_error(tmp_path: Path) -> None:
    items = tmp_path / "items.jsonl"
    row = {"id": "a", "sources": ["Putin met Hollande in Moscow."], "summary": "Putin met."}
    items.write_text(json.dumps(row) + "\n", encoding="utf-8")
    out = tmp_path / "p.jsonl"
    with pytest.raises(SummarizeError, match=r"judged none of 1 items.*refused"):
        judge_items(items, out, _Broken())
    assert not out.exists()  # no empty predictions file passing for a result
    items.write_text("{not json\n", encoding="utf-8")
    with pytest.raises(InputError, match="no valid item"):
        judge_items(items, out, OfflineJudge())
