"""Configuration: flags > SUMMARIZE_* environment > ./summarize.toml > the user's
summarize.toml > defaults; `summarize config` says where each value came from and never
prints a secret."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarize.app import app
from summarize.config import explain, load_settings, without_password
from summarize.errors import ConfigError
from tests.helpers.builders import REPO, SEED_EVENT

SECRET = "sk-do-not-print-0123456789"


@pytest.fixture
def place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """A working directory and a user config directory of the test's own, no SUMMARIZE_*
    setting inherited."""
    work, home = tmp_path / "work", tmp_path / "xdg"
    work.mkdir()
    (home / "summarize").mkdir(parents=True)
    monkeypatch.chdir(work)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    for name in ("MODEL", "TIMEOUT", "API_KEY", "API_BASE", "CONFIG", "SEED", "OUTLETS"):
        monkeypatch.delenv(f"SUMMARIZE_{name}", raising=False)
    return {"work": work / "summarize.toml", "user": home / "summarize" / "summarize.toml"}


def source(name: str, flags: dict[str, object] | None = None) -> tuple[str, str]:
    row = next(r for r in explain(load_settings(flags), flags) if r.name == name)
    return row.value, row.source


def test_precedence_flag_env_working_dir_user_default(
    place: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert source("timeout") == ("120.0", "default")
    place["user"].write_text("timeout = 10\n")
    assert source("timeout") == ("10.0", f"file {place['user']}")
    place["work"].write_text("timeout = 20\n")
    assert source("timeout") == ("20.0", f"file {place['work']}")
    monkeypatch.setenv("SUMMARIZE_TIMEOUT", "30")
    assert source("timeout") == ("30.0", "environment SUMMARIZE_TIMEOUT")
    assert source("timeout", {"timeout": 40.0}) == ("40.0", "flag --timeout")
    # A flag left out (None) or a switch not given (False) is not a flag.
    assert source("timeout", {"timeout": None}) == ("30.0", "environment SUMMARIZE_TIMEOUT")
    assert source("no_cache", {"no_cache": False}) == ("False", "default")


def test_explicit_config_file_and_relative_paths(
    place: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "elsewhere" / "mine.toml"
    other.parent.mkdir()
    other.write_text('model = "extractive"\noutlets = "outlets.toml"\n')
    place["work"].write_text('model = "local"\n')
    monkeypatch.setenv("SUMMARIZE_CONFIG", str(other))
    settings = load_settings()
    assert settings.model == "extractive"  # the named file replaces the search
    assert settings.outlets == other.parent / "outlets.toml"  # relative to the file
    monkeypatch.setenv("SUMMARIZE_CONFIG", str(tmp_path / "missing.toml"))
    with pytest.raises(ConfigError, match="no such file"):
        load_settings()


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ('modle = "x"\n', "unknown setting 'modle'"),
        ('timeout = "soon"\n', "setting timeout from file"),
        ("timeout = \n", "not valid TOML"),
        ("max_retries = 0\n", "setting max_retries"),
    ],
)
def test_bad_files_are_config_errors_naming_their_source(
    place: dict[str, Path], content: str, needle: str
) -> None:
    place["work"].write_text(content)
    with pytest.raises(ConfigError, match=needle) as err:
        load_settings()
    assert err.value.exit_code == 2


def test_bad_environment_value_names_the_variable(
    place: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SUMMARIZE_MAX_RETRIES", "many")
    with pytest.raises(ConfigError, match="environment SUMMARIZE_MAX_RETRIES"):
        load_settings()


def test_config_command_explains_every_setting_and_hides_secrets(
    place: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    place["work"].write_text(f'api_key = "{SECRET}"\nmodel = "extractive"\n')
    monkeypatch.setenv("SUMMARIZE_API_BASE", f"https://user:{SECRET}@llm.example/v1")
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    runner = CliRunner()
    text = runner.invoke(app, ["config"])
    data = runner.invoke(app, ["config", "--json"])
    assert text.exit_code == 0 and data.exit_code == 0, text.output
    assert SECRET not in text.output and SECRET not in data.output
    rows = {r["name"]: r for r in json.loads(data.output)["settings"]}
    assert set(rows) >= {"model", "api_base", "api_key", "timeout", "max_retries", "outlets"}
    assert rows["api_key"]["value"] == "set" and rows["api_key"]["source"].startswith("file ")
    assert rows["model"]["value"] == "extractive"
    assert rows["api_base"]["value"] == "https://user:***@llm.example/v1"
    assert rows["timeout"]["source"] == "default"
    assert "OPENAI_API_KEY" in json.loads(data.output)["provider_keys_set"]
    for name in rows:  # every setting: its value, where it came from, and what it does
        line = next(ln for ln in text.output.splitlines() if ln.startswith(name + " "))
        assert "[" in line and "]" in line
    assert "flags > environment (SUMMARIZE_*)" in text.output


def test_password_in_a_url_is_masked() -> None:
    assert without_password("http://localhost:8080/v1") == "http://localhost:8080/v1"
    assert without_password("https://u:p@h.example:443/x") == "https://u:***@h.example:443/x"


def test_run_takes_its_settings_from_the_file_and_flags_win(tmp_path: Path) -> None:
    """The real command: a summarize.toml in the working directory picks the model; a flag
    overrides it; a bad file is one error line and exit 2."""
    (tmp_path / "summarize.toml").write_text('model = "extractive"\nmax_retries = 2\n')
    env = {"PATH": "/usr/bin:/bin", "XDG_CONFIG_HOME": str(tmp_path / "none")}
    env["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"
    env["HOME"] = str(tmp_path)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, str(REPO / "cli.py"), *args],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env=env,
            timeout=300,
        )

    r = run("run", str(SEED_EVENT), "--no-cache")
    assert r.returncode == 0, r.stderr
    assert "summarize: model: extractive\n" in r.stderr  # from the file, not "(default)"
    r = run("run", str(SEED_EVENT), "--model", "fake:cite-first", "--no-cache", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["run"]["model"] == "fake:cite-first"
    (tmp_path / "summarize.toml").write_text("timeout = -1\n")
    r = run("run", str(SEED_EVENT))
    errors = [ln for ln in r.stderr.splitlines() if ln.startswith("summarize: error:")]
    assert r.returncode == 2 and len(errors) == 1 and "timeout" in errors[0], r.stderr
