"""`summarize run --format html` and `summarize report` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers.builders import SEED_EVENT
from tests.helpers.builders import run_cli as summarize


def leaning_batch(tmp_path: Path) -> Path:
    """Two events whose articles carry NeuS/AllSides' allsides_bias_rating."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEED_EVENT.glob("*.txt"))]
    ratings = ["left", "center", "right", "left", "right"]
    events = [
        {
            "id": f"ev{n}",
            "articles": [
                {"id": f"a{i}", "outlet": f"Outlet {i}", "text": t, "allsides_bias_rating": r}
                for i, (t, r) in enumerate(zip(texts, ratings, strict=True))
            ],
        }
        for n in (1, 2)
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(json.dumps(e) for e in events) + "\n", encoding="utf-8")
    return path


def test_run_format_html_writes_the_report_beside_the_pair(tmp_path: Path) -> None:
    out = tmp_path / "o"
    r = summarize(
        "run", str(SEED_EVENT), "--model", "extractive", "--format", "html", "--out", str(out)
    )
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in out.iterdir()) == ["summary.html", "summary.json", "summary.md"]
    html = (out / "summary.html").read_text(encoding="utf-8")
    assert 'class="chip"' in html and 'class="card' in html
    assert f"wrote {out / 'summary.html'}" in r.stderr


def test_batch_html_and_leanings_from_the_input(tmp_path: Path) -> None:
    out = tmp_path / "o"
    r = summarize(
        "run", str(leaning_batch(tmp_path)), "-m", "extractive", "-f", "html", "--out", str(out)
    )
    assert r.returncode == 0, r.stderr
    for ev in ("ev1", "ev2"):
        doc = json.loads((out / ev / "summary.json").read_text())
        assert [a["leaning"] for a in doc["articles"]] == [
            "left",
            "center",
            "right",
            "left",
            "right",
        ]
        assert "By leaning" in (out / ev / "summary.html").read_text()


def test_report_rewrites_an_existing_result_with_eval_figures(tmp_path: Path) -> None:
    out = tmp_path / "o"
    assert (
        summarize("run", str(SEED_EVENT), "--model", "extractive", "--out", str(out)).returncode
        == 0
    )
    assert not (out / "summary.html").exists()
    doc = json.loads((out / "summary.json").read_text())
    results = {
        "suite": "s",
        "created": "2026-01-01T00:00:00+00:00",
        "seed": 0,
        "judge": {"judge": "offline-signals"},
        "metric_settings": {},
        "runs": [
            {
                "source": "seed",
                "backend": "extractive",
                "events": [
                    {
                        "event": doc["event"]["id"],
                        "metrics": [{"name": "faithfulness_cited", "value": 0.9375, "n": 16}],
                    }
                ],
            }
        ],
    }
    (tmp_path / "results.json").write_text(json.dumps(results))
    r = summarize("report", str(out), "--eval", str(tmp_path / "results.json"))
    assert r.returncode == 0, r.stderr
    html = (out / "summary.html").read_text(encoding="utf-8")
    assert "0.938" in html and "this report&#39;s model" in html
    assert r.stdout == ""


def test_report_on_a_batch_folder(tmp_path: Path) -> None:
    out = tmp_path / "o"
    assert (
        summarize(
            "run", str(leaning_batch(tmp_path)), "-m", "extractive", "--out", str(out)
        ).returncode
        == 0
    )
    outlets = tmp_path / "outlets.json"
    outlets.write_text(json.dumps({"outlet 1": "lean left"}))  # matched case-insensitively
    r = summarize("report", str(out), "--outlets", str(outlets))
    assert r.returncode == 0, r.stderr
    for ev in ("ev1", "ev2"):
        html = (out / ev / "summary.html").read_text(encoding="utf-8")
        assert (
            "leaning: lean left" in html and "Leanings from the input and an outlets file" in html
        )


def test_report_errors_are_one_line_and_exit_2(tmp_path: Path) -> None:
    r = summarize("report", str(tmp_path / "missing"))
    assert r.returncode == 2 and r.stderr.startswith("summarize: error:")
    (tmp_path / "summary.json").write_text("{}")
    r = summarize("report", str(tmp_path))
    assert r.returncode == 2 and "not a summary.json" in r.stderr
    assert "Traceback" not in r.stderr
