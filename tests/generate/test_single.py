"""The single-pass strategy and map-reduce, through the real litellm path against the local
OpenAI-compatible server with scripted answers: good, partly wrong, hallucinated."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from summarize.generate.single import parts, tokens
from summarize.ingest.document import Passage
from tests.helpers.builders import REPO
from tests.helpers.openai_server import (
    OpenAIServer,
    generation_requests,
    is_judge,
    judge_answer,
    judged_claim,
    serve,
    well_behaved,
)

MODEL = "litellm:openai/test-model"


def run_cli(
    server: OpenAIServer, event: Path, out: Path, *extra: str
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LITELLM_LOCAL_MODEL_COST_MAP": "True", "OPENAI_API_KEY": "sk-test"}
    cmd = [sys.executable, str(REPO / "cli.py"), "run", str(event), "--model", MODEL]
    cmd += ["--api-base", server.api_base, "--out", str(out), "--no-cache", *extra]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)


def summary_of(out: Path) -> dict[str, Any]:
    return dict(json.loads((out / "summary.json").read_text(encoding="utf-8")))


def test_auto_is_single_for_a_litellm_model_and_makes_one_call(
    seed_event_dir: Path, tmp_path: Path
) -> None:
    with serve() as server:
        server.responder = well_behaved
        r = run_cli(server, seed_event_dir, tmp_path)
        assert r.returncode == 0, r.stderr
        # One generation call; the verifier's judge asks about each sentence not stated
        # verbatim in its passages.
        generated = generation_requests(server)
        assert len(generated) == 1
        body = generated[0]
        judged = len(server.requests) - 1
    doc = summary_of(tmp_path)
    assert doc["run"]["settings"]["backend"]["strategy"] == "single"
    assert doc["run"]["usage"]["calls"] == 1 + judged and doc["summary"]
    assert doc["run"]["stages"].get("judge", {}).get("answered", 0) == judged
    # The model saw every body passage with its id, and may cite only those ids (headlines,
    # A<n>.t, are citable for the rules' framing but are not sentences of the story).
    shown = json.dumps(body["response_format"]["schema"])
    assert all(p["id"] in shown for p in doc["passages"] if not p["id"].endswith(".t"))
    assert set(doc["run"]["prompts"]) == {"event_summary"} | ({"claim_check"} if judged else set())


def test_partly_wrong_answer_is_re_asked_once(seed_event_dir: Path, tmp_path: Path) -> None:
    with serve() as server:
        server.responder = well_behaved
        server.reply_json({"summary": [{"sentence": "Putin met Hollande.", "citations": ["Z9"]}]})
        r = run_cli(server, seed_event_dir, tmp_path, "--strategy", "single")
        assert r.returncode == 0, r.stderr
        generated = generation_requests(server)
        assert len(generated) == 2  # one repair call at most
        assert "previous answer was invalid" in generated[1]["messages"][-1]["content"]
    doc = summary_of(tmp_path)
    ids = {p["id"] for p in doc["passages"]}
    assert doc["summary"] and all(set(s["citations"]) <= ids for s in doc["summary"])


def test_hallucinated_citations_and_quotes_never_reach_the_output(
    seed_event_dir: Path, tmp_path: Path
) -> None:
    def liar(body: dict[str, Any]) -> str:
        if is_judge(body):  # an honest judge: the invented sentence is not in the sources
            invented = "leave Syria tomorrow" in judged_claim(body)
            return judge_answer(body, "not_mentioned" if invented else "supported")
        answer = json.loads(well_behaved(body))
        ids = [c for s in answer["summary"] for c in s["citations"]]
        answer["summary"].append(
            {
                "sentence": "Putin announced that Russia will leave Syria tomorrow.",
                "citations": ids[:1],
            }
        )
        answer["disagreements"] = [
            {
                "kind": "actor_position",
                "topic": "Whether Russia leaves Syria",
                "positions": [
                    {
                        "holder": "Putin",
                        "claim": "Russia leaves.",
                        "quote": "we leave tomorrow",
                        "passage": ids[0],
                    },
                    {
                        "holder": "Hollande",
                        "claim": "It stays.",
                        "quote": "Russia stays forever",
                        "passage": ids[1],
                    },
                ],
            }
        ]
        return json.dumps(answer)

    with serve() as server:
        server.responder = liar
        r = run_cli(server, seed_event_dir, tmp_path, "--strategy", "single")
        assert r.returncode == 0, r.stderr
        assert len(generation_requests(server)) == 1
    doc = summary_of(tmp_path)
    text = json.dumps(doc["summary"]) + json.dumps(doc["disagreements"])
    assert "leave Syria tomorrow" not in text and "stays forever" not in text
    drops = {d["reason"] for d in doc["run"]["verification"]}
    assert any("not supported" in d and "the judge finds it not mentioned" in d for d in drops)
    assert any("not verbatim" in d for d in drops)


def test_a_model_that_never_cites_validly_falls_back_visibly(
    seed_event_dir: Path, tmp_path: Path
) -> None:
    with serve() as server:
        server.responder = lambda body: json.dumps(
            {"summary": [{"sentence": "Something.", "citations": ["nowhere"]}]}
        )
        r = run_cli(server, seed_event_dir, tmp_path, "--strategy", "single")
        assert r.returncode == 4, r.stderr  # no usable answer at all
        assert len(server.requests) == 2
        accepted = run_cli(
            server, seed_event_dir, tmp_path / "b", "--strategy", "single", "--accept-fallback"
        )
    assert accepted.returncode == 0, accepted.stderr
    doc = summary_of(tmp_path / "b")
    assert doc["run"]["stages"]["single"]["fell_back"] == 1 and doc["summary"]
    assert "single: 1 of 1 model answers fell back" in accepted.stderr


def _event(folder: Path, n: int) -> Path:
    """``n`` short articles about one storm, each a little different."""
    folder.mkdir(parents=True)
    for i in range(n):
        (folder / f"{i:03d}.txt").write_text(
            f"Storm report {i}\n\nThe storm reached the coast of Region {i % 7} on Monday, "
            f"officials said. Crews cleared {i + 3} roads by the evening. Schools in district "
            f"{i} stayed closed.\n",
            encoding="utf-8",
        )
    return folder


def test_map_reduce_calls_grow_linearly(tmp_path: Path) -> None:
    calls = {}
    for n in (100, 200):
        out = tmp_path / f"out{n}"
        with serve() as server:
            server.responder = well_behaved
            r = run_cli(
                server,
                _event(tmp_path / f"e{n}", n),
                out,
                "--strategy",
                "single",
                "--context-tokens",
                "4000",
            )
            assert r.returncode == 0, r.stderr
            calls[n] = len(server.requests)
        doc = summary_of(out)
        parts_n = doc["run"]["settings"]["backend"]["parts"]
        assert parts_n > 1 and calls[n] == parts_n + 1  # each part once, one merge
        assert doc["run"]["stages"]["reduce"]["answered"] == 1 and doc["summary"]
    # Twice the articles, about twice the calls.
    assert 1.6 <= calls[200] / calls[100] <= 2.4


def test_parts_fit_the_budget_and_keep_every_passage() -> None:
    passages = [
        Passage(id=f"A{i}.p1.s1", article=f"A{i}", paragraph=1, sentence=1, text="word " * 50)
        for i in range(40)
    ]
    groups = parts(passages, budget=400)
    assert [p for g in groups for p in g] == passages
    assert all(tokens(g) <= 400 for g in groups)
    assert len(groups) == math.ceil(tokens(passages) / max(tokens(g) for g in groups))
