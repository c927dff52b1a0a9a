"""The `summarize` command (typer): a thin shell over the library (parse -> call -> render).

Every SummarizeError becomes one line on stderr and a non-zero exit; no traceback for user
errors. Results go to stdout (Markdown) or, with --out, to files written atomically.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

import typer

from summarize.errors import ConfigError, SummarizeError
from summarize.eval.cli import eval_cmd, judge_cmd
from summarize.models.provider import ModelOptions

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Neutral, cited multi-document summaries of news events, with typed disagreements.",
)
F = TypeVar("F", bound=Callable[..., Any])


def _err(message: str) -> None:
    typer.echo(f"summarize: {message}", err=True)


STRATEGIES = ("auto", "stepwise", "single")


def _choice(option: str, value: str, allowed: tuple[str, ...]) -> Any:
    """``value`` when it is one of ``allowed``, else a ConfigError naming the choices."""
    if value not in allowed:
        raise ConfigError(f"{option} must be one of {', '.join(allowed)} (got {value!r})")
    return value


FORMATS = ("markdown", "json", "html")


def user_errors(fn: F) -> F:
    """Map the error root to one clear line and its exit code."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except SummarizeError as e:
            _err(f"error: {e}")
            raise typer.Exit(e.exit_code) from None
        except KeyboardInterrupt:
            _err("interrupted")
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


@app.command()
@user_errors
def run(
    path: Annotated[
        Path, typer.Argument(help="Folder of articles, or a .jsonl of event clusters.")
    ],
    model: Annotated[
        str | None,
        typer.Option(
            "--model",
            "-m",
            help="extractive | local[:FILE.gguf] | litellm:<provider/model> | fake:<script>. "
            "Default: the embedded local model when installed, else extractive.",
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="Write summary.json and summary.md here (+ summary.html)."
        ),
    ] = None,
    api_base: Annotated[
        str | None, typer.Option(help="Base URL of an OpenAI-compatible server (litellm:…).")
    ] = None,
    api_key: Annotated[
        str | None, typer.Option(help="API key (else the provider's environment variable).")
    ] = None,
    seed: Annotated[int | None, typer.Option(help="Seed passed to the model (default 0).")] = None,
    resume: Annotated[
        bool, typer.Option(help="With --out: skip events whose summary.json already exists.")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSON instead of Markdown (= --format json).")
    ] = False,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="markdown | json | html. With --out, html adds summary.html beside "
            "summary.json and summary.md; without, the format printed.",
        ),
    ] = "markdown",
    outlets: Annotated[
        Path | None,
        typer.Option(help="Outlet -> leaning file (TOML or JSON) for the HTML report's coverage."),
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Only warnings and errors on stderr.")
    ] = False,
    verbose: Annotated[
        int,
        typer.Option(
            "--verbose", "-v", count=True, help="A line per event and slow model call; -vv: debug."
        ),
    ] = 0,
    cache_dir: Annotated[
        Path | None,
        typer.Option(help="Response cache (default: the user cache dir, responses/)."),
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Do not read or write the response cache.")
    ] = False,
    fallback_model: Annotated[
        str | None, typer.Option(help="Model string to ask when the model's endpoint fails.")
    ] = None,
    accept_fallback: Annotated[
        bool,
        typer.Option(
            help="Write the deterministic fallback output even when the model gave no "
            "usable answer at all (otherwise exit 4)."
        ),
    ] = False,
    strategy: Annotated[
        str,
        typer.Option(
            help="auto | stepwise (one short call per fact and conflict; small models) | single "
            "(one call over the whole event, map-reduce beyond the context). auto: stepwise "
            "for local and fake, single for litellm models."
        ),
    ] = "auto",
    context_tokens: Annotated[
        int | None,
        typer.Option(help="The model's context window (default: litellm's table, else 8192)."),
    ] = None,
    judge: Annotated[
        str,
        typer.Option(
            help="What the verifier keeps sentences and claims by: auto (the backend's own "
            "model as a faithfulness judge; lexical support for extractive and fake) | "
            "lexical | offline (the calibrated embedded-model judge) | a model string."
        ),
    ] = "auto",
    timeout: Annotated[
        float | None, typer.Option(help="Seconds to wait for one model answer (default 120).")
    ] = None,
    max_retries: Annotated[
        int | None, typer.Option(help="Attempts per model call on transient errors (default 3).")
    ] = None,
    concurrency: Annotated[
        int,
        typer.Option(
            help="Events of a batch run at once (their model calls wait on the network); "
            "with --engine ray, at once per Ray worker."
        ),
    ] = 1,
    engine: Annotated[
        str,
        typer.Option(
            help="local (this process) | ray (a Ray cluster, one worker per CPU; "
            "pip install 'summarize[ray]')."
        ),
    ] = "local",
    ray_address: Annotated[
        str | None,
        typer.Option(
            help="With --engine ray: the cluster to use (auto, HEAD:6379). "
            "Default: a local Ray instance started for the run."
        ),
    ] = None,
) -> None:
    """Summarise one event folder (or every event of a .jsonl) with citations.

    Settings not given as flags come from SUMMARIZE_* environment variables, then
    summarize.toml (see `summarize config`)."""
    from summarize.config import load_settings
    from summarize.files import user_cache_dir, write_atomic
    from summarize.generate.registry import default_model
    from summarize.output.files import check_out_dir, safe_dirname, write_document
    from summarize.output.html import load_outlets, to_html
    from summarize.output.markdown import to_markdown
    from summarize.output.progress import QUIET, RunProgress
    from summarize.pipeline import ENGINES, EventFailure, iter_run

    fmt = _choice("--format", "json" if as_json else fmt.lower(), FORMATS)
    engine = _choice("--engine", engine, ENGINES)
    if concurrency < 1:
        raise ConfigError(f"--concurrency must be at least 1 (got {concurrency})")
    if ray_address is not None and engine != "ray":
        raise ConfigError("--ray-address needs --engine ray")
    settings = load_settings(
        {
            "model": model,
            "fallback_model": fallback_model,
            "api_base": api_base,
            "api_key": api_key,
            "timeout": timeout,
            "max_retries": max_retries,
            "seed": seed,
            "response_cache": cache_dir,
            "no_cache": no_cache,
            "outlets": outlets,
        }
    )
    if settings.cache_dir is not None:  # the embedded model and its logs follow it too
        os.environ["SUMMARIZE_CACHE_DIR"] = str(settings.cache_dir)
    leanings = load_outlets(settings.outlets) if settings.outlets and fmt == "html" else None
    if out is not None:
        check_out_dir(out)  # before any work: a bad --out is a bad option (exit 2)
    chosen = settings.model or default_model()
    progress = RunProgress(QUIET if quiet else verbose, model=chosen)
    progress.info(f"summarize: model: {chosen}" + ("" if settings.model else " (default)"))
    batch = path.suffix == ".jsonl"

    def target(event_id: str) -> Path | None:
        if out is None:
            return None
        return out / safe_dirname(event_id) if batch else out

    skipped: list[str] = []

    def skip(event_id: str) -> bool:
        t = target(event_id)
        done = resume and t is not None and (t / "summary.json").exists()
        if done:
            skipped.append(event_id)
        return done

    options = ModelOptions(
        api_base=settings.api_base,
        api_key=settings.api_key.get_secret_value() if settings.api_key else None,
        seed=settings.seed,
        timeout_s=settings.timeout,
        max_retries=settings.max_retries,
        cache_dir=None
        if settings.no_cache
        else (settings.response_cache or user_cache_dir() / "responses"),
        fallback_model=settings.fallback_model,
        strategy=_choice("--strategy", strategy, STRATEGIES),
        context_tokens=context_tokens,
        judge=judge,
    )
    exit_code = 0
    said: set[str] = set()

    def warn(message: str) -> None:
        said.add(message)
        progress.say(f"summarize: warning: {message}")

    with progress.running(), progress.logging():
        events = iter_run(
            path,
            chosen,
            options,
            on_warning=warn,
            skip=skip,
            accept_fallback=accept_fallback,
            progress=progress,
            concurrency=concurrency,
            engine=engine,
            ray_address=ray_address,
            # Files are written as each event completes; printed results keep input order.
            ordered=out is None,
        )
        for item in events:
            if isinstance(item, EventFailure):
                exit_code = max(exit_code, item.exit_code)
                progress.event_finished(item.event_id, failed=True)
                progress.say(f"summarize: error: event {item.event_id}: {item.error}")
                continue
            progress.event_finished(item.event.id, usage=item.run.usage, cost_usd=item.run.cost_usd)
            for warning in item.run.warnings:
                if warning not in said:  # the loader's warnings were said as they came
                    progress.say(f"summarize: warning: event {item.event.id}: {warning}")
            if item.run.usage.cache_hits:
                progress.info(
                    f"summarize: event {item.event.id}: "
                    f"{item.run.usage.cache_hits} answers from the cache"
                )
            where = target(item.event.id)
            if where is not None:
                written = []
                if fmt == "html":  # before the pair: summary.json, last, marks the event done
                    written.append(where / "summary.html")
                    write_atomic(written[0], to_html(item, outlets=leanings))
                for path_written in [*written, *write_document(item, where)]:
                    progress.info(f"summarize: wrote {path_written}")
                continue
            if fmt == "json":
                result = item.model_dump_json(indent=2)
            elif fmt == "html":
                result = to_html(item, outlets=leanings)
            else:
                result = to_markdown(item)
            with progress.paused():
                typer.echo(result)
    if skipped:
        progress.info(
            f"summarize: resume: skipped {len(skipped)} events already written: "
            f"{', '.join(skipped)}"
        )
    progress.close()
    if exit_code:
        raise typer.Exit(exit_code)


@app.command()
@user_errors
def report(
    out_dir: Annotated[
        Path,
        typer.Argument(
            help="A `summarize run --out` folder (summary.json), or a batch's folder of them."
        ),
    ],
    eval_results: Annotated[
        list[Path] | None,
        typer.Option(
            "--eval",
            help="`summarize eval` results.json (or its folder) and/or `summarize eval --meta` "
            "meta.json: faithfulness figures beside the judge's measured accuracy.",
        ),
    ] = None,
    outlets: Annotated[
        Path | None,
        typer.Option(help="Outlet -> leaning file (TOML or JSON) for the coverage by leaning."),
    ] = None,
) -> None:
    """Write summary.html (the HTML report) beside each summary.json of an existing result."""
    from summarize.config import load_settings
    from summarize.contract import SummaryDocument
    from summarize.eval.report import eval_figures
    from summarize.output.files import write_reports
    from summarize.output.html import load_outlets, to_html

    settings = load_settings({"outlets": outlets})
    leanings = load_outlets(settings.outlets) if settings.outlets else None

    def render(doc: SummaryDocument) -> str:
        figures = eval_figures(doc, eval_results) if eval_results else None
        return to_html(doc, outlets=leanings, eval_figures=figures)

    for target in write_reports(out_dir, render):
        _err(f"wrote {target}")


@app.command("config")
@user_errors
def config_cmd(
    as_json: Annotated[bool, typer.Option("--json", help="Print the settings as JSON.")] = False,
) -> None:
    """Show every effective setting of `summarize run` and where it came from: flags >
    SUMMARIZE_* environment variables > ./summarize.toml > the user's summarize.toml >
    defaults. Secrets are shown only as set or unset."""
    from summarize.config import describe, load_settings
    from summarize.files import user_cache_dir
    from summarize.generate.registry import default_model

    resolved = {
        "model": f"{default_model()} (the default: embedded model when installed, else extractive)",
        "cache_dir": str(user_cache_dir()),
    }
    typer.echo(describe(load_settings(), resolved, as_json=as_json))


@app.command()
def schema() -> None:
    """Print the JSON Schema of summary.json."""
    from summarize.contract import SummaryDocument

    typer.echo(json.dumps(SummaryDocument.model_json_schema(), indent=2))


@app.command()
@user_errors
def models() -> None:
    """List the backends and whether each is ready (starts nothing)."""
    from summarize.generate.registry import availability

    for b in availability():
        mark = "ready" if b.ready else "not ready"
        typer.echo(f"{b.name:<28} {mark:<10} {b.detail}")


@app.command()
@user_errors
def doctor(
    model: Annotated[str, typer.Option("--model", "-m", help="local | local:FILE.gguf")] = "local",
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Start the embedded model, generate a few tokens; report its build, CPU features,
    threads, load time and tokens/s, or the exact failure (docs/LOCAL-MODEL.md#crashes)."""
    from summarize.models.local.doctor import run_doctor

    report = run_doctor(model)
    typer.echo(report.model_dump_json(indent=2) if as_json else "\n".join(report.lines()))
    if not report.ok:
        raise typer.Exit(report.exit_code)


# The eval room's commands, registered here like every command: one app, one error mapping.
app.command("judge")(user_errors(judge_cmd))
app.command("eval")(user_errors(eval_cmd))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
