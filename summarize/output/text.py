"""How source and model text is shown in a report: one line, invisible format characters
removed; and how an article's outlet is named when the input names none."""

from __future__ import annotations

import re

from summarize.contract import ArticleRecord
from summarize.text.words import visible


def shown(text: str | None) -> str:
    """Source or model text as it is shown (``text.words.visible``); "" for none."""
    return visible(text) if text else ""


def anchor(pid: str) -> str:
    """The fragment id of a passage, the same in the Markdown and the HTML output."""
    return "p-" + re.sub(r"[^a-z0-9]+", "-", pid.lower()).strip("-")


def outlet_label(article: ArticleRecord) -> str:
    """Who an article speaks for: its outlet, else its title, else its id (as summary.md)."""
    return shown(article.outlet) or shown(article.title) or article.id
