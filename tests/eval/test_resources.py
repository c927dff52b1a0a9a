"""Where `summarize eval` finds its files: evals/ packaged in the wheel (summarize/_evals) or
the checkout's evals/, through summarize.files.resource_dir; data outside the package only
under a data root (a checkout), skipped with a reason where there is none."""

from __future__ import annotations

import logging
import tomllib
from pathlib import Path

import pytest

from summarize import files
from summarize.errors import ConfigError
from summarize.eval.baseline import (
    Baseline,
    baseline_target,
    committed_baseline,
    load_baseline,
    write_baseline,
)
from summarize.eval.meta import FAITHBENCH, find_datasets
from summarize.eval.suite import checkout_root, evals_dir, load_suite, resolve, run_suite
from summarize.ingest.document import Event
from tests.helpers.builders import REPO
from tests.helpers.evalfakes import SubsetJudge

SUITE = """
name = "mini"
[[sources]]
name = "vendored"
path = "evals/data/mini.jsonl"
[[sources]]
name = "seed"
path = "examples/seed"
gold = "tests/fixtures/seed.gold.json"
[[runs]]
backend = "extractive"
"""
GOLD = '{"event": "seed"}'
BASELINE = '{"suite": "mini", "created": "now", "regenerate": "summarize eval", "metrics": {}}\n'


def make_evals(at: Path) -> Path:
    (at / "suites").mkdir(parents=True)
    (at / "data").mkdir()
    (at / "suites" / "mini.toml").write_text(SUITE, encoding="utf-8")
    (at / "data" / "mini.jsonl").write_text("{}\n", encoding="utf-8")
    (at / "baseline.json").write_text(BASELINE, encoding="utf-8")
    return at


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An installed wheel: .../site-packages/summarize/_evals, no repository around it."""
    pkg = tmp_path / "site-packages" / "summarize"
    make_evals(pkg / "_evals")
    monkeypatch.setattr(files, "_PACKAGE", pkg)
    return pkg


@pytest.fixture
def checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A source checkout: <repo>/summarize without _evals, <repo>/evals beside it."""
    repo = tmp_path / "repo"
    (repo / "summarize").mkdir(parents=True)
    (repo / "pyproject.toml").write_text("", encoding="utf-8")
    make_evals(repo / "evals")
    monkeypatch.setattr(files, "_PACKAGE", repo / "summarize")
    return repo


def run(root: Path | None = None) -> tuple[list[tuple[str, str | None]], list[Path]]:
    """Run the mini suite with a loader that records what it was asked to read."""
    read: list[Path] = []

    def load_events(path: Path) -> list[Event]:
        read.append(path)
        return []

    def no_pipeline(*_: object) -> object:
        raise AssertionError("no event to run")

    result = run_suite(
        load_suite("mini", root),
        SubsetJudge(),
        root=root,
        run_event=no_pipeline,  # type: ignore[arg-type]
        load_events=load_events,
    )
    return [(r.source, r.skipped) for r in result.runs], read


def test_installed_wheel_reads_the_packaged_evals(installed: Path) -> None:
    packaged = installed / "_evals"
    assert files.resource_dir("evals") == packaged == evals_dir()
    assert checkout_root() is None
    assert load_suite("mini").name == "mini"
    assert resolve("evals/data/mini.jsonl", None) == packaged / "data" / "mini.jsonl"
    assert resolve("examples/seed", None) is None
    assert committed_baseline() == packaged / "baseline.json"
    assert load_baseline().suite == "mini"
    with pytest.raises(ConfigError, match="known: mini"):
        load_suite("nope")


def test_checkout_reads_its_own_evals(checkout: Path) -> None:
    assert files.resource_dir("evals") == checkout / "evals" == evals_dir()
    assert checkout_root() == checkout
    assert load_suite("mini").name == "mini"
    assert committed_baseline() == checkout / "evals" / "baseline.json"
    assert baseline_target() == checkout / "evals" / "baseline.json"


def test_installed_run_skips_what_only_a_checkout_has(installed: Path) -> None:
    rows, read = run()
    assert read == [installed / "_evals" / "data" / "mini.jsonl"]
    assert rows[0] == ("vendored", None)
    source, why = rows[1]
    assert source == "seed" and why is not None
    assert "examples/seed" in why and "no checkout" in why


def test_checkout_missing_required_source_is_still_an_error(checkout: Path) -> None:
    with pytest.raises(ConfigError, match="source seed"):
        run()
    (checkout / "examples" / "seed").mkdir(parents=True)
    with pytest.raises(ConfigError, match=r"seed\.gold\.json"):
        run()  # the gold file is required too, not a crash in load_gold
    (checkout / "tests" / "fixtures").mkdir(parents=True)
    (checkout / "tests" / "fixtures" / "seed.gold.json").write_text(GOLD, encoding="utf-8")
    rows, read = run()
    assert rows == [("vendored", None), ("seed", None)]
    assert read == [checkout / "evals" / "data" / "mini.jsonl", checkout / "examples" / "seed"]


def test_a_data_root_serves_an_installed_package(installed: Path, tmp_path: Path) -> None:
    root = tmp_path / "data-root"
    (root / "examples" / "seed").mkdir(parents=True)
    (root / "tests" / "fixtures").mkdir(parents=True)
    (root / "tests" / "fixtures" / "seed.gold.json").write_text(GOLD, encoding="utf-8")
    rows, read = run(root)
    assert rows == [("vendored", None), ("seed", None)]
    # evals/ the root lacks still comes from the package; the rest from the root
    assert read == [installed / "_evals" / "data" / "mini.jsonl", root / "examples" / "seed"]
    (root / "evals" / "data").mkdir(parents=True)
    (root / "evals" / "data" / "mini.jsonl").write_text("{}\n", encoding="utf-8")
    assert resolve("evals/data/mini.jsonl", root) == root / "evals" / "data" / "mini.jsonl"


def test_baseline_is_never_written_into_the_package(installed: Path, tmp_path: Path) -> None:
    shipped = installed / "_evals" / "baseline.json"
    base = Baseline(suite="mini", created="later", regenerate="summarize eval", metrics={})
    with pytest.raises(ConfigError, match="installed package"):
        write_baseline(base)
    with pytest.raises(ConfigError, match="installed package"):
        baseline_target(shipped)
    assert shipped.read_text(encoding="utf-8") == BASELINE
    out = tmp_path / "elsewhere" / "baseline.json"
    assert write_baseline(base, out) == out
    assert load_baseline(out) == base


def test_baseline_in_a_checkout_is_rewritten_in_place(checkout: Path) -> None:
    base = Baseline(suite="mini", created="later", regenerate="summarize eval", metrics={})
    assert write_baseline(base) == checkout / "evals" / "baseline.json"
    assert load_baseline().created == "later"


def test_faithbench_is_read_beside_the_data_root_or_skipped_with_a_warning(
    tmp_path: Path, installed: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = tmp_path / "checkout"
    root.mkdir()
    with caplog.at_level(logging.WARNING, logger="summarize.eval.meta"):
        specs, notes = find_datasets(root)
    assert [s.name for s in specs] == ["summedits_news", "wice"]
    assert len(notes) == 1 and "faithbench skipped" in notes[0]
    assert notes[0] in caplog.text
    # no data root and no checkout (installed): skipped too, never a crash
    specs, notes = find_datasets()
    assert "faithbench" not in [s.name for s in specs] and "no checkout" in notes[0]
    faithbench = root / FAITHBENCH
    faithbench.parent.mkdir(parents=True)
    faithbench.write_text("{}\n", encoding="utf-8")
    specs, notes = find_datasets(root)
    assert notes == [] and specs[-1].name == "faithbench"
    assert Path(specs[-1].path) == faithbench


def test_the_wheel_ships_what_the_committed_suites_read() -> None:
    """pyproject's force-include puts evals/ where resource_dir("evals") looks in a wheel,
    covering every evals/ file a committed suite, the baseline and meta need."""
    build = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["hatch"]
    include: dict[str, str] = build["build"]["targets"]["wheel"]["force-include"]
    shipped = {src: dst for src, dst in include.items() if src.split("/")[0] == "evals"}
    assert shipped and all(dst == f"summarize/_{src}" for src, dst in shipped.items())

    def in_wheel(path: str) -> bool:
        return any(path == src or path.startswith(src + "/") for src in shipped)

    needed = ["evals/baseline.json", "evals/data/splits.json"]
    needed += [f"evals/data/{n}" for n in ("summedits_news.jsonl", "wice_claims.jsonl")]
    for toml in sorted((REPO / "evals" / "suites").glob("*.toml")):
        needed.append(f"evals/suites/{toml.name}")
        suite = tomllib.loads(toml.read_text(encoding="utf-8"))
        for src in suite["sources"]:
            needed += [p for p in (src["path"], src.get("gold")) if p and p.startswith("evals/")]
    missing = [p for p in needed if not (REPO / p).exists() or not in_wheel(p)]
    assert missing == []
