"""``--engine ray``: a batch mapped over a local Ray instance writes what the local engine
writes, resumes the same way, turns a lost worker into that event's failure, and without
Ray installed is one error line saying how to install it."""

from __future__ import annotations

import atexit
import functools
import operator
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from summarize.app import app
from summarize.contract import SummaryDocument
from summarize.pipeline import iter_run
from tests.engine.test_concurrency import comparable, seed_batch
from tests.helpers.builders import REPO, SEED_EVENT, run_cli


@pytest.fixture(scope="module")
def ray_instance() -> Iterator[Any]:
    """A local Ray instance for this module's tests (two CPUs: two workers)."""
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        yield ray
    finally:
        ray.shutdown()


def cli(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def test_a_batch_on_ray_writes_every_event_and_resumes(ray_instance: Any, tmp_path: Path) -> None:
    batch, out = seed_batch(tmp_path, 4), tmp_path / "out"
    args = ["run", str(batch), "-m", "fake:cite-first", "--out", str(out), "--engine", "ray"]
    args.append("--no-cache")  # usage then counts every call, as the local run below does
    first = cli(*args, "--concurrency", "2")
    assert first.exit_code == 0, first.output
    local = {
        d.event.id: comparable(d)
        for d in iter_run(batch, "fake:cite-first")
        if isinstance(d, SummaryDocument)
    }
    written = {}
    for event_id, expected in local.items():
        path = out / event_id / "summary.json"
        doc = SummaryDocument.model_validate_json(path.read_text(encoding="utf-8"))
        assert comparable(doc) == expected  # the same document the local engine makes
        assert (out / event_id / "summary.md").is_file()
        written[path] = path.stat().st_mtime_ns
    assert len(written) == 4

    again = cli(*args, "--resume")
    assert again.exit_code == 0, again.output
    assert "resume: skipped 4 events already written" in again.stderr
    assert {p: p.stat().st_mtime_ns for p in written} == written


def test_a_lost_worker_fails_its_item_and_the_others_complete(ray_instance: Any) -> None:
    from summarize.engine import ray as ray_engine

    items = [functools.partial(abs, -k) for k in range(5)]
    items[2] = functools.partial(os._exit, 1)  # the worker process dies on this one
    results = dict(
        ray_engine.imap_unordered(
            operator.call, items, lost=lambda item, why: f"lost: {why}", concurrency=1
        )
    )
    assert sorted(results) == [0, 1, 2, 3, 4]
    assert str(results[2]).startswith("lost: Ray worker lost")
    assert [results[k] for k in (0, 1, 3, 4)] == [0, 1, 3, 4]


def test_workers_run_their_exit_hooks_when_the_batch_ends(
    ray_instance: Any, tmp_path: Path
) -> None:
    """A worker's local model server is stopped by an exit hook of the worker's process: the
    engine ends its actors so that those hooks run (a plain kill skips them)."""
    from summarize.engine import ray as ray_engine

    markers = [tmp_path / f"exited-{k}" for k in range(2)]
    # Each item registers an exit hook in the worker that runs it: touch a marker file.
    items = [functools.partial(atexit.register, functools.partial(Path.touch, m)) for m in markers]
    results = dict(ray_engine.imap_unordered(operator.call, items, lost=lambda i, why: why))
    assert sorted(results) == [0, 1]
    assert [m.exists() for m in markers] == [True, True]


def test_an_error_in_the_work_is_raised_as_on_the_local_engine(ray_instance: Any) -> None:
    from summarize.engine import ray as ray_engine

    items = [functools.partial(int, "12"), functools.partial(int, "not a number")]
    with pytest.raises(ValueError, match="not a number"):
        list(ray_engine.imap_unordered(operator.call, items, lost=lambda item, why: why))


def test_the_cli_starts_a_local_ray_instance_on_demand(tmp_path: Path) -> None:
    pytest.importorskip("ray")
    batch, out = seed_batch(tmp_path, 3), tmp_path / "out"
    r = run_cli("run", str(batch), "-m", "extractive", "--out", str(out), "--engine", "ray")
    assert r.returncode == 0, r.stderr
    assert sorted(p.parent.name for p in out.glob("*/summary.json")) == [
        "seed-0",
        "seed-1",
        "seed-2",
    ]
    # stderr stays ours: Ray's own start-up chatter does not reach it.
    assert all(line.startswith("summarize:") for line in r.stderr.splitlines()), r.stderr


def test_without_ray_the_engine_is_one_error_line(tmp_path: Path) -> None:
    shadow = tmp_path / "shadow" / "ray"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text("raise ImportError('No module named ray')\n")
    env = {**os.environ, "PYTHONPATH": str(shadow.parent), "LITELLM_LOCAL_MODEL_COST_MAP": "True"}
    command = [sys.executable, str(REPO / "cli.py"), "run", str(SEED_EVENT)]
    r = subprocess.run(
        [*command, "-m", "extractive", "--engine", "ray"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert r.returncode == 2
    lines = [ln for ln in r.stderr.splitlines() if ln.startswith("summarize: error:")]
    assert len(lines) == 1 and "pip install 'summarize[ray]'" in lines[0], r.stderr
