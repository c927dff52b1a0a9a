"""The suite runner on a fake pipeline, fake loader and the word-subset judge."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.console import Console

from summarize.contract import SummaryDocument
from summarize.errors import ConfigError, InputError
from summarize.eval.accuracy import DatasetAccuracy, record_accuracy
from summarize.eval.metrics.scorecard import MetricSettings
from summarize.eval.report import print_results, write_results
from summarize.eval.runner import failed_runs
from summarize.eval.suite import (
    EventResult,
    RunResult,
    RunSpec,
    SourceSpec,
    Suite,
    SuiteResult,
    load_suite,
    run_suite,
    shuffle_event,
)
from summarize.ingest.document import Article, Event
from summarize.models.provider import ModelOptions
from tests.helpers.builders import REPO
from tests.helpers.evalfakes import SubsetJudge, article, doc, passage, sent


def make_event(eid: str, n: int = 3) -> Event:
    arts = [
        Article(
            id=f"A{i}",
            path=f"{eid}/{i}",
            outlet=f"Outlet {i}",
            raw_paragraphs=[f"Fact {i} happened."],
        )
        for i in range(1, n + 1)
    ]
    return Event(id=eid, articles=arts, reference_summary="Fact 1 happened.")


class FakePipeline:
    """Cites the first article's passage; fails on an event called 'bad'."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, list[str]]] = []

    def __call__(self, event: Event, model: str, options: ModelOptions | None) -> SummaryDocument:
        self.calls.append((event.id, model, [a.path for a in event.articles]))
        if event.id == "bad":
            raise InputError("broken event")
        ps = [passage(f"{a.id}.p1.s1", a.raw_paragraphs[0]) for a in event.articles]
        first = ps[0]
        return doc(
            [article(a.id, a.outlet) for a in event.articles],
            ps,
            [sent(first.text, first.id)],
            event=event.id,
        )


def fake_loader(events: dict[str, list[Event]]):  # type: ignore[no-untyped-def]
    return lambda path: events[Path(path).name]


def suite(tmp_path: Path, **run_kw: object) -> Suite:
    (tmp_path / "one").mkdir()
    (tmp_path / "many.jsonl").write_text("{}\n")
    return Suite(
        name="t",
        seed=7,
        sources=[
            SourceSpec(name="one", path="one"),
            SourceSpec(name="many", path="many.jsonl"),
            SourceSpec(name="absent", path="nope.jsonl", optional=True, note="not here"),
        ],
        runs=[
            RunSpec(backend="extractive", **run_kw),
            RunSpec(backend="local", limit=1, sources=["many"], order_test=False),
        ],  # type: ignore[arg-type]
    )


def test_run_suite_rows_limits_and_order_test(tmp_path: Path) -> None:
    pipe = FakePipeline()
    events = {"one": [make_event("e1")], "many.jsonl": [make_event("m1"), make_event("m2")]}
    result = run_suite(
        suite(tmp_path),
        SubsetJudge(),
        root=tmp_path,
        run_event=pipe,
        load_events=fake_loader(events),
    )
    rows = [(r.source, r.backend, len(r.events), r.skipped) for r in result.runs]
    assert rows == [
        ("one", "extractive", 1, None),
        ("many", "extractive", 2, None),
        ("absent", "extractive", 0, f"{tmp_path / 'nope.jsonl'} is absent (not here)"),
        ("many", "local", 1, None),
    ]
    # extractive runs the order test (a second, shuffled call); local does not
    e1_calls = [c for c in pipe.calls if c[0] == "e1"]
    assert len(e1_calls) == 2 and e1_calls[0][2] != e1_calls[1][2]
    assert sum(1 for c in pipe.calls if c[1] == "local") == 1
    values = result.values()
    assert values["one/extractive/faithfulness_cited"].value == 1.0
    assert values["many/extractive/faithfulness_cited"].n == 2
    # the fake always cites the first article, which moves when the articles are shuffled
    assert values["one/extractive/order_sensitivity"].value == 1.0
    assert "many/local/order_sensitivity" not in values
    assert values["one/extractive/rouge1_f"].value == pytest.approx(1.0)
    assert result.judge == {"judge": "subset", "threshold": 1.0}
    assert result.seed == 7 and "summarize" in result.versions


def test_backend_filter_and_event_failure(tmp_path: Path) -> None:
    events = {"one": [make_event("bad")], "many.jsonl": [make_event("m1")]}
    result = run_suite(
        suite(tmp_path),
        SubsetJudge(),
        root=tmp_path,
        backends=["extractive"],
        run_event=FakePipeline(),
        load_events=fake_loader(events),
    )
    assert {r.backend for r in result.runs} == {"extractive"}
    one = result.runs[0]
    assert one.events[0].error == "InputError: broken event" and one.aggregate == []


def test_missing_required_source_is_an_error(tmp_path: Path) -> None:
    s = Suite(
        name="t", sources=[SourceSpec(name="x", path="nope")], runs=[RunSpec(backend="extractive")]
    )
    with pytest.raises(ConfigError, match="no "):
        run_suite(
            s, SubsetJudge(), root=tmp_path, run_event=FakePipeline(), load_events=fake_loader({})
        )


def test_cache_dir_is_passed_or_noted(tmp_path: Path) -> None:
    seen: list[ModelOptions | None] = []
    pipe = FakePipeline()

    def spy(event: Event, model: str, options: ModelOptions | None) -> SummaryDocument:
        seen.append(options)
        return pipe(event, model, options)

    events = {"one": [make_event("e1")], "many.jsonl": []}
    result = run_suite(
        suite(tmp_path),
        SubsetJudge(),
        root=tmp_path,
        cache_dir=tmp_path / "cache",
        run_event=spy,
        load_events=fake_loader(events),
    )
    assert seen and all(o is not None and o.seed == 7 for o in seen)
    assert all(o is not None and o.cache_dir == tmp_path / "cache" for o in seen)
    assert result.cache_dir == str(tmp_path / "cache")


def test_write_results_and_table(tmp_path: Path) -> None:
    events = {"one": [make_event("e1")], "many.jsonl": [make_event("bad")]}
    result = run_suite(
        suite(tmp_path),
        SubsetJudge(),
        root=tmp_path,
        run_event=FakePipeline(),
        load_events=fake_loader(events),
    )
    res, items = write_results(result, tmp_path / "out")
    data = json.loads(res.read_text())
    assert data["suite"] == "t" and data["judge"]["judge"] == "subset"
    assert data["metric_settings"]["loaded_valence"] == 2.0
    lines = [json.loads(line) for line in items.read_text().splitlines()]
    assert any(x.get("error") for x in lines)
    faith = [x for x in lines if x.get("metric") == "faithfulness_cited"]
    assert (
        faith
        and {"suite", "source", "backend", "event", "key", "value", "explanation"}
        <= faith[0].keys()
    )
    console = Console(record=True, width=200)
    print_results(result, console)
    text = console.export_text()
    assert "faithfulness_cited" in text and "skipped" in text and "failed" in text


def test_shuffle_event_renumbers_and_is_never_identity() -> None:
    ev = make_event("e", 2)
    ev.articles[1].duplicate_of = "A1"
    sh = shuffle_event(ev, 0)
    assert [a.path for a in sh.articles] == ["e/2", "e/1"]
    assert [a.id for a in sh.articles] == ["A1", "A2"]
    assert sh.articles[0].duplicate_of == "A2"  # follows its original under the new id
    assert shuffle_event(ev, 3) == shuffle_event(ev, 3)


@pytest.mark.parametrize("name", ["seed", "neus", "ecbplus", "ci"])
def test_committed_suites_parse(name: str) -> None:
    s = load_suite(name, REPO)
    assert s.name == name and s.runs and s.sources
    for src in s.sources:
        assert src.optional or (REPO / src.path).exists()
        assert src.gold is None or (REPO / src.gold).is_file()
    with pytest.raises(ConfigError, match="known"):
        load_suite("no-such-suite", REPO)


def test_a_row_where_every_event_failed_is_reported() -> None:
    def row(source: str, errors: list[str | None]) -> RunResult:
        events = [EventResult(event=f"e{i}", error=e) for i, e in enumerate(errors)]
        return RunResult(source=source, backend="local", events=events)

    result = SuiteResult(
        suite="s",
        created="now",
        seed=0,
        judge={},
        metric_settings=MetricSettings(),
        runs=[row("a", ["AdapterError: refused", "AdapterError: refused"]), row("b", [None, "x"])],
    )
    assert failed_runs(result) == {"a/local": "AdapterError: refused"}


def test_a_strategy_after_the_backend_runs_that_strategy_under_the_whole_name(
    tmp_path: Path,
) -> None:
    seen: list[tuple[str, str | None]] = []
    pipe = FakePipeline()

    def spy(event: Event, model: str, options: ModelOptions | None) -> SummaryDocument:
        seen.append((model, options.strategy if options else None))
        return pipe(event, model, options)

    s = Suite(
        name="t",
        sources=[SourceSpec(name="one", path="one")],
        runs=[
            RunSpec(backend="local@single", order_test=False),
            RunSpec(backend="local@nosuch", order_test=False),
        ],
    )
    (tmp_path / "one").mkdir()
    result = run_suite(
        s,
        SubsetJudge(),
        root=tmp_path,
        run_event=spy,
        load_events=fake_loader({"one": [make_event("e1")]}),
    )
    assert seen == [("local", "single")]
    assert [r.backend for r in result.runs] == ["local@single", "local@nosuch"]
    assert "unknown strategy 'nosuch'" in (result.runs[1].events[0].error or "")


def test_judged_figures_are_shown_with_the_judges_recorded_accuracy(tmp_path: Path) -> None:
    """Every metric the judge scores carries the judge's measured balanced accuracy beside
    it (evals/judge-accuracy.json under the data root); without a record, a note says so."""
    events = {"one": [make_event("e1")], "many.jsonl": [make_event("m1")]}
    spec = suite(tmp_path)

    def run() -> SuiteResult:
        return run_suite(
            spec,
            SubsetJudge(),
            root=tmp_path,
            run_event=FakePipeline(),
            load_events=fake_loader(events),
        )

    bare = run()
    assert bare.judge_accuracy is None
    assert any("no accuracy recorded for the judge subset" in n for n in bare.notes)

    measured = DatasetAccuracy(
        dataset="summedits_news",
        split="test",
        n=52,
        positives=17,
        balanced_accuracy=0.713,
        ci95=(0.611, 0.806),
        seconds_per_item=4.2,
    )
    path = tmp_path / "evals" / "judge-accuracy.json"
    record_accuracy(path, "subset", [measured], "summarize eval --meta")
    result = run()
    assert result.judge_accuracy is not None
    assert result.judge_accuracy.primary() is not None
    assert "faithfulness_cited" in result.judged_metrics
    assert "boilerplate_leakage" not in result.judged_metrics
    console = Console(record=True, width=250)
    print_results(result, console)
    text = console.export_text()
    row = next(line for line in text.splitlines() if "faithfulness_cited" in line)
    assert "0.71" in row
    leakage = next(line for line in text.splitlines() if "boilerplate_leakage" in line)
    assert "0.71" not in leakage
    assert "summedits_news test BAcc 0.713 [0.611, 0.806] n=52" in text
