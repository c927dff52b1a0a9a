"""Configuration of ``summarize run``: where each setting comes from, first found wins:

1. a command-line flag (``--model``, ``--timeout``, ...);
2. an environment variable ``SUMMARIZE_<NAME>`` (``SUMMARIZE_MODEL``, ``SUMMARIZE_TIMEOUT``);
3. ``summarize.toml`` in the working directory;
4. ``summarize.toml`` in the user's config directory (``$XDG_CONFIG_HOME/summarize/``, else
   ``~/.config/summarize/``);
5. the built-in default.

``$SUMMARIZE_CONFIG`` names one file to read instead of 3 and 4. A file holds top-level keys
named like the settings (``model = "litellm:openai/gpt-4o-mini"``); a relative path in a file
is relative to that file's folder. Unknown keys and bad values are errors naming their
source. Built on pydantic-settings; ``explain`` says where each effective value came from
(``summarize config``) and never shows a secret's value.
"""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from pydantic import BaseModel, Field, SecretStr, ValidationError
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from summarize.errors import ConfigError

FILE_NAME = "summarize.toml"
ENV_PREFIX = "SUMMARIZE_"
CONFIG_ENV = "SUMMARIZE_CONFIG"

# Setting -> the `summarize run` flag that overrides it (None: no flag).
FLAGS: dict[str, str | None] = {
    "model": "--model",
    "fallback_model": "--fallback-model",
    "api_base": "--api-base",
    "api_key": "--api-key",
    "timeout": "--timeout",
    "max_retries": "--max-retries",
    "seed": "--seed",
    "cache_dir": None,
    "response_cache": "--cache-dir",
    "no_cache": "--no-cache",
    "outlets": "--outlets",
}
_PATHS = ("cache_dir", "response_cache", "outlets")


class Settings(BaseSettings):
    """The effective settings of one ``summarize run``."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, extra="forbid", env_ignore_empty=True, validate_default=True
    )

    model: str | None = Field(
        default=None,
        description="model string (extractive | local[:FILE.gguf] | litellm:<model> | "
        "fake:<script>); unset: the embedded model when installed, else extractive",
    )
    fallback_model: str | None = Field(
        default=None, description="model string asked when the model's endpoint fails"
    )
    api_base: str | None = Field(
        default=None, description="base URL of an OpenAI-compatible server (litellm:...)"
    )
    api_key: SecretStr | None = Field(
        default=None,
        description="API key for litellm:... models (else the provider's own variable, "
        "e.g. OPENAI_API_KEY); never shown",
    )
    timeout: float = Field(default=120.0, gt=0, description="seconds to wait for one answer")
    max_retries: int = Field(
        default=3, ge=1, description="attempts per model call on transient errors"
    )
    seed: int = Field(default=0, description="seed passed to the model")
    cache_dir: Path | None = Field(
        default=None,
        description="the user cache folder: assembled embedded model, server logs, responses/ "
        "(unset: $XDG_CACHE_HOME/summarize, else ~/.cache/summarize)",
    )
    response_cache: Path | None = Field(
        default=None, description="model answer cache (unset: <cache_dir>/responses)"
    )
    no_cache: bool = Field(default=False, description="neither read nor write the answer cache")
    outlets: Path | None = Field(
        default=None,
        description="file mapping outlet -> leaning (TOML or JSON) for the HTML report",
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        files = [_TomlFile(settings_cls, p) for p in config_files() if p.is_file()]
        return (init_settings, env_settings, *files)


class _TomlFile(TomlConfigSettingsSource):
    """One ``summarize.toml``: relative paths are taken from the file's folder; a file that is
    not TOML, or names a key that is no setting, is a ``ConfigError`` naming the file."""

    def __init__(self, settings_cls: type[BaseSettings], path: Path) -> None:
        self.path = path
        super().__init__(settings_cls, toml_file=path)

    def _read_file(self, file_path: Any) -> dict[str, Any]:
        path = Path(file_path)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as e:
            raise ConfigError(f"{path}: not valid TOML ({e})") from e
        except (OSError, UnicodeDecodeError) as e:
            raise ConfigError(f"{path}: cannot read ({getattr(e, 'strerror', None) or e})") from e
        unknown = sorted(set(data) - set(Settings.model_fields))
        if unknown:
            known = ", ".join(Settings.model_fields)
            raise ConfigError(f"{path}: unknown setting {unknown[0]!r}; known: {known}")
        for key in _PATHS:
            value = data.get(key)
            if isinstance(value, str) and value and not Path(value).expanduser().is_absolute():
                data[key] = str(path.parent / value)
        return data


def user_config_dir() -> Path:
    """``$XDG_CONFIG_HOME/summarize``, else ``~/.config/summarize``."""
    xdg = os.environ.get("XDG_CONFIG_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".config"
    return base / "summarize"


def config_files() -> list[Path]:
    """The files read, highest priority first (whether or not they exist)."""
    explicit = os.environ.get(CONFIG_ENV)
    if explicit:
        return [Path(explicit).expanduser()]
    return [Path.cwd() / FILE_NAME, user_config_dir() / FILE_NAME]


def _given(flags: dict[str, Any] | None) -> dict[str, Any]:
    """Flags the user actually gave (None and a False switch mean "not given")."""
    return {k: v for k, v in (flags or {}).items() if v is not None and v is not False}


def load_settings(flags: dict[str, Any] | None = None) -> Settings:
    """The effective settings; ``flags`` are the command line's values by setting name."""
    explicit = os.environ.get(CONFIG_ENV)
    if explicit and not Path(explicit).expanduser().is_file():
        raise ConfigError(f"${CONFIG_ENV}={explicit}: no such file")
    given = _given(flags)
    try:
        return Settings(**given)
    except ValidationError as e:
        first = e.errors(include_url=False)[0]
        name = str(first["loc"][0]) if first["loc"] else "?"
        where = _source_of(name, given)
        raise ConfigError(f"setting {name} from {where}: {first['msg']}") from None


class Explained(BaseModel):
    """One line of ``summarize config``."""

    name: str
    value: str  # as shown: secrets are "set" / "unset"
    source: str  # "flag --model", "environment SUMMARIZE_MODEL", "file ./summarize.toml", ...
    flag: str | None
    env: str
    description: str


def _source_of(name: str, given: dict[str, Any]) -> str:
    if name in given:
        return f"flag {FLAGS.get(name) or name}"
    env = EnvSettingsSource(Settings, env_prefix=ENV_PREFIX, env_ignore_empty=True)
    if env.get_field_value(Settings.model_fields[name], name)[0] is not None:
        return f"environment {ENV_PREFIX}{name.upper()}"
    for path in config_files():
        if path.is_file():
            try:
                data = tomllib.loads(path.read_text(encoding="utf-8"))
            except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
                continue
            if name in data:
                return f"file {path}"
    return "default"


def explain(settings: Settings, flags: dict[str, Any] | None = None) -> list[Explained]:
    """Every setting's effective value and where it came from. Secret values are never
    shown, only whether they are set."""
    given = _given(flags)
    out = []
    for name, field in Settings.model_fields.items():
        value = getattr(settings, name)
        if isinstance(value, SecretStr):
            shown = "set" if value.get_secret_value() else "unset"
        elif value is None:
            shown = "unset"
        elif name == "api_base":
            shown = without_password(str(value))
        else:
            shown = str(value)
        out.append(
            Explained(
                name=name,
                value=shown,
                source=_source_of(name, given),
                flag=FLAGS.get(name),
                env=f"{ENV_PREFIX}{name.upper()}",
                description=field.description or "",
            )
        )
    return out


def without_password(url: str) -> str:
    """A URL as it may be shown: a password in it (``https://user:pw@host``) replaced."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    netloc = f"{parts.username or ''}:***@{host}{port}"
    return urlunsplit(parts._replace(netloc=netloc))


def provider_keys() -> list[str]:
    """Names (never values) of provider API-key variables set in the environment."""
    return sorted(k for k, v in os.environ.items() if k.endswith("_API_KEY") and v)


def describe(settings: Settings, resolved: dict[str, str], *, as_json: bool = False) -> str:
    """What ``summarize config`` prints: every effective setting, where it came from and what
    it does (``resolved`` fills in defaults computed elsewhere), the files read, and which
    provider keys are set (names only)."""
    rows = explain(settings)
    resolved = {
        **resolved,
        "response_cache": str((settings.cache_dir or Path(resolved["cache_dir"])) / "responses"),
    }
    for r in rows:
        if r.value == "unset" and r.name in resolved:
            r.value = resolved[r.name]
    files = [(str(f), f.is_file()) for f in config_files()]
    if as_json:
        payload = {
            "files": [{"path": f, "found": ok} for f, ok in files],
            "settings": [r.model_dump() for r in rows],
            "provider_keys_set": provider_keys(),
        }
        return json.dumps(payload, indent=2)
    chain = " > ".join(
        ["flags", "environment (SUMMARIZE_*)"]
        + [f"{f} ({'found' if ok else 'not found'})" for f, ok in files]
        + ["defaults"]
    )
    lines = [f"# effective settings of `summarize run`; first found wins: {chain}"]
    width = max(len(r.name) for r in rows)
    for r in rows:
        lines.append(f"{r.name:<{width}}  {r.value}    [{r.source}]")
        how = ", ".join(x for x in (r.flag and f"flag {r.flag}", f"env {r.env}") if x)
        lines.append(f"{'':<{width}}    {r.description}; set by {how} or `{r.name} = …` in a file")
    keys = provider_keys()
    lines.append(
        "# provider API keys in the environment (values never shown): "
        + (", ".join(keys) if keys else "none")
    )
    return "\n".join(lines)
