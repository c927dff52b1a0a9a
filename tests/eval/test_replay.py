"""The CI gate replays the judge's recorded answers: a run that writes the baseline records
exactly the answers its judge asked for, and a later run on another machine (no model, no
cache folder) scores the same figures from them alone."""

from __future__ import annotations

import shutil
from pathlib import Path

from rich.console import Console

from summarize.eval.runner import judge_answers, run_eval
from summarize.models.cache import AnswerPack, CachingClient
from summarize.models.chat import ChatRequest, ChatResponse
from summarize.models.fake import FakeClient
from summarize.verify.judges.offline import OfflineJudge
from tests.helpers.builders import SEED_EVENT

SUITE = """
name = "mini"
[[sources]]
name = "seed"
path = "examples/seed"
[[runs]]
backend = "extractive"
order_test = false
"""


class NoModel:
    """A judge model that must not be asked: every answer has to come from the pack."""

    name = "fake:judge"

    def complete(self, request: ChatRequest) -> ChatResponse:
        raise AssertionError(f"the model was asked: {request.messages[-1].content[:80]}")


def _root(tmp_path: Path) -> Path:
    root = tmp_path / "checkout"
    (root / "evals" / "suites").mkdir(parents=True)
    (root / "evals" / "suites" / "mini.toml").write_text(SUITE, encoding="utf-8")
    shutil.copytree(SEED_EVENT, root / "examples" / "seed")
    return root


def test_the_gate_replays_recorded_judge_answers_without_a_model(tmp_path: Path) -> None:
    root = _root(tmp_path)
    baseline = root / "evals" / "baseline.json"
    pack = judge_answers(baseline)
    assert pack.path == root / "evals" / "judge-answers.jsonl"  # beside the baseline
    model = FakeClient.from_script({"responses": {"entailment": ["Yes"]}}, name="judge")
    quiet = Console(file=open(tmp_path / "log.txt", "w"), width=200)  # noqa: SIM115
    first = run_eval(
        "mini",
        root=root,
        out_dir=tmp_path / "out1",
        judge=OfflineJudge(CachingClient(model, pack=pack)),
        write_baseline_to=baseline,
        answers=pack,
        console=quiet,
    )
    asked = len(model.requests)
    assert asked > 0
    lines = pack.path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(pack.used) > 0  # exactly what was asked, once each

    replayed = run_eval(
        "mini",
        root=root,
        out_dir=tmp_path / "out2",
        judge=OfflineJudge(CachingClient(NoModel(), pack=AnswerPack(pack.path))),
        check_baseline=baseline,
        console=quiet,
    )
    assert replayed.exit_code == 0
    assert replayed.result.values().keys() == first.result.values().keys()
    for key, metric in first.result.values().items():
        assert replayed.result.values()[key].value == metric.value, key
