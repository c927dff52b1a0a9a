"""The package's shape, checked: no import cycles (imports inside functions included), one
module that imports litellm, and each room importing only the rooms upstream of it
(docs/ARCHITECTURE.md draws the same picture)."""

from __future__ import annotations

import ast
import graphlib
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "summarize"

# Room -> rooms it may import (besides itself). A room is a subpackage or a top-level module.
ALLOWED: dict[str, set[str]] = {
    "contract": set(),
    "errors": {"contract"},
    "files": set(),
    "config": {"errors"},
    "text": set(),
    "ingest": {"contract", "errors", "text"},
    "analysis": {"contract", "ingest", "text"},
    "models": {"contract", "errors", "files", "text"},
    "generate": {"contract", "errors", "analysis", "ingest", "models", "text"},
    "verify": {"contract", "errors", "generate", "ingest", "models", "text"},
    "output": {"contract", "errors", "files", "text"},
    "engine": {"errors", "models"},
    "pipeline": {"contract", "errors", "analysis", "generate", "ingest", "models", "verify"}
    | {"engine"},
    "eval": {"contract", "errors", "files", "analysis", "generate", "ingest", "models", "text"}
    | {"verify", "output", "pipeline"},
    "app": {"contract", "errors", "files", "config", "generate", "models", "output", "pipeline"}
    | {"eval"},
}
LITELLM_CLIENT = "summarize.models.litellm_client"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports(path: Path, known: set[str]) -> set[str]:
    """Every module this file imports, wherever the import statement stands."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            # "from summarize.x import y" imports the module summarize.x.y when there is one.
            found.update(f"{node.module}.{a.name}" for a in node.names)
    return {m for m in found if m in known or not m.startswith("summarize")}


def graph() -> dict[str, set[str]]:
    mods = modules()
    known = set(mods)
    return {name: imports(path, known) for name, path in mods.items()}


def room(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def test_there_are_modules_to_check() -> None:
    g = graph()
    assert {"summarize.pipeline", "summarize.generate.registry", LITELLM_CLIENT} <= set(g)


def test_no_import_cycles() -> None:
    g = graph()
    internal = {m: {d for d in deps if d in g and d != m} for m, deps in g.items()}
    try:
        list(graphlib.TopologicalSorter(internal).static_order())
    except graphlib.CycleError as e:
        pytest.fail(f"import cycle: {' -> '.join(e.args[1])}")


def test_only_the_client_imports_litellm() -> None:
    importers = sorted(
        m for m, deps in graph().items() if any(d.split(".")[0] == "litellm" for d in deps)
    )
    assert importers == [LITELLM_CLIENT]


def test_rooms_import_only_upstream_rooms() -> None:
    wrong = []
    for module, deps in graph().items():
        here = room(module)
        if here is None:
            continue
        assert here in ALLOWED, f"{module}: room {here!r} is not in the map; add it"
        for dep in deps:
            there = room(dep) if dep.startswith("summarize.") else None
            if there is None or there == here or dep == "summarize":
                continue
            if there not in ALLOWED[here]:
                wrong.append(f"{module} imports {dep}")
    assert not wrong, "\n".join(wrong)


def test_the_checks_can_fail(tmp_path: Path) -> None:
    """The cycle detector and the import walker see what they must (including imports
    placed inside functions)."""
    src = tmp_path / "m.py"
    src.write_text("def f():\n    from summarize.pipeline import run_event\n    import litellm\n")
    assert imports(src, {"summarize.pipeline"}) >= {"summarize.pipeline", "litellm"}
    with pytest.raises(graphlib.CycleError):
        list(graphlib.TopologicalSorter({"a": {"b"}, "b": {"a"}}).static_order())
