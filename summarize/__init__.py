"""summarize: neutral, cited multi-document news summaries with typed disagreements."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
