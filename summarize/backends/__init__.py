"""Built-in generation backends; importing this package registers them."""

from __future__ import annotations
