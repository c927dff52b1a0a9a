"""``python -m summarize.eval``: see ``summarize.eval.command``."""

from __future__ import annotations

import sys

from summarize.eval.command import main

sys.exit(main())
