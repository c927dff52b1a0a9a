from __future__ import annotations

import hashlib

import pytest

from summarize.errors import PromptError
from summarize.models.prompt import load_prompt, parse_prompt, prompts_dir

GOOD = """+++
name = "demo"
version = 2
variables = ["who"]
+++
=== system ===
Be brief.
=== user ===
Hello {{ who }}.
"""


def test_parse_and_render() -> None:
    p = parse_prompt(GOOD, "demo.prompt")
    assert p.version == 2 and p.variables == ("who",)
    assert p.sha256 == hashlib.sha256(GOOD.encode()).hexdigest()
    msgs = p.render(who="world")
    assert [(m.role, m.content) for m in msgs] == [
        ("system", "Be brief."),
        ("user", "Hello world."),
    ]


def test_render_rejects_missing_or_extra_variables() -> None:
    p = parse_prompt(GOOD, "demo.prompt")
    with pytest.raises(PromptError, match="expected variables"):
        p.render()
    with pytest.raises(PromptError, match="expected variables"):
        p.render(who="x", extra=1)


@pytest.mark.parametrize(
    "text",
    [
        "no front matter",
        "+++\nname = 'x'\n+++\n=== system ===\nonly system\n",
        "+++\nversion=1\n+++\n=== user ===\nx",
    ],
)
def test_malformed_prompt_files(text: str) -> None:
    with pytest.raises(PromptError):
        parse_prompt(text, "bad.prompt")


def test_every_shipped_prompt_loads_and_declares_its_variables() -> None:
    files = sorted(prompts_dir().glob("*.prompt"))
    assert files, "no prompt files shipped"
    for f in files:
        p = load_prompt(f.stem)
        assert p.name == f.stem
        # Rendering with dummy values for exactly the declared variables must work.
        p.render(**{v: [] if v in {"passages", "sides", "sentences"} else "x" for v in p.variables})
