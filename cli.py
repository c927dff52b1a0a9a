"""The `summarize` command. The typer app lives in the package (``summarize.app``) so that an
installed wheel and an editable checkout run the same code; this file keeps
``python cli.py …`` working from a source checkout."""

from __future__ import annotations

from summarize.app import app, main

__all__ = ["app", "main"]

if __name__ == "__main__":
    main()
