"""Prompt templates as files: TOML front matter declaring name, version and variables,
then ``=== system ===`` / ``=== user ===`` sections rendered with Jinja2 (StrictUndefined).

Templates ship in ``prompts/`` at the repo root (force-included into the wheel as
``summarize/_prompts``). Each template's sha256 is recorded in every output.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from pydantic import BaseModel, ConfigDict

from summarize.errors import PromptError
from summarize.files import resource_dir
from summarize.models.chat import Message
from summarize.text.words import visible

_SECTION = re.compile(r"^=== (system|user) ===\s*$", re.MULTILINE)
_ENV = jinja2.Environment(
    undefined=jinja2.StrictUndefined, keep_trailing_newline=False, autoescape=False
)


@cache
def _template(source: str) -> jinja2.Template:
    # Compiled once per prompt text, not once per call.
    return _ENV.from_string(source)


def prompts_dir() -> Path:
    """The installed copy inside the package wins; a source checkout uses ``prompts/``."""
    return resource_dir("prompts")


class Prompt(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    version: int
    variables: tuple[str, ...]
    description: str = ""
    system: str
    user: str
    sha256: str

    def render(self, **values: Any) -> list[Message]:
        given, declared = set(values), set(self.variables)
        if given != declared:
            raise PromptError(
                f"prompt {self.name!r}: expected variables {sorted(declared)}, got {sorted(given)}"
            )
        try:
            system = _template(self.system).render(**values).strip()
            user = _template(self.user).render(**values).strip()
        except jinja2.TemplateError as e:
            raise PromptError(f"prompt {self.name!r}: {e}") from e
        messages = [Message(role="user", content=user)]
        if system:
            messages.insert(0, Message(role="system", content=system))
        return messages


def parse_prompt(text: str, source: str) -> Prompt:
    if not text.startswith("+++\n"):
        raise PromptError(f"{source}: prompt file must start with TOML front matter (+++)")
    try:
        _, header, body = text.split("+++\n", 2)
        meta = tomllib.loads(header)
    except (ValueError, tomllib.TOMLDecodeError) as e:
        raise PromptError(f"{source}: bad front matter: {e}") from e
    parts = _SECTION.split(body)
    sections = {parts[i]: parts[i + 1].strip() for i in range(1, len(parts) - 1, 2)}
    if "user" not in sections:
        raise PromptError(f"{source}: missing '=== user ===' section")
    try:
        return Prompt(
            name=meta["name"],
            version=int(meta["version"]),
            variables=tuple(meta.get("variables", [])),
            description=meta.get("description", ""),
            system=sections.get("system", ""),
            user=sections["user"],
            sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        )
    except KeyError as e:
        raise PromptError(f"{source}: front matter lacks {e}") from e


@cache
def load_prompt(name: str) -> Prompt:
    path = prompts_dir() / f"{name}.prompt"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise PromptError(f"prompt {name!r} not found at {path}") from e
    prompt = parse_prompt(text, str(path))
    if prompt.name != name:
        raise PromptError(f"{path}: front matter names {prompt.name!r}, file is {name!r}")
    return prompt


# Angle brackets become look-alike guillemets, so a source can neither close a data block
# (``</passages>``) nor spell a chat-template token (``<|im_start|>system``).
_BRACKETS = str.maketrans({"<": "\u2039", ">": "\u203a"})


def as_data(text: str, limit: int | None = None) -> str:
    """Source text as it may appear inside a prompt's data block: invisible characters
    (zero-width, bidi controls, Unicode tags: category Cf) removed, control characters and
    line breaks turned into single spaces (so it cannot start a line of its own, e.g. a fake
    "System:" turn), angle brackets neutralised; cut to ``limit`` characters when given.
    Only what the model reads changes: passages keep their exact text."""
    data = visible(text).translate(_BRACKETS)
    return data if limit is None or len(data) <= limit else data[: limit - 1].rstrip() + "…"
