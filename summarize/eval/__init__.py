"""Evaluation: the faithfulness judge, its meta-evaluation against human labels, summary
metrics and suites. ``evals/`` at the repo root holds the suites' data and baseline."""

from __future__ import annotations
