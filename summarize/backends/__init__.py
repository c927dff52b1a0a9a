"""Built-in generation backends; importing this package registers them."""

from __future__ import annotations

from summarize.backends import clients, extractive

__all__ = ["clients", "extractive"]
