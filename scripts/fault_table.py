"""Print the fault-injection table of docs/RELIABILITY.md: every fault case of
tests/reliability/faults.py run through the real CLI against the local OpenAI-compatible test
server, and what the user got.

    python scripts/fault_table.py > /tmp/faults.md     # about 3 minutes on 2 cores
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.reliability.faults import FAULTS, describe, run_fault


def main() -> None:
    print("| case | the server | outcome | partial files |")
    print("|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for i, fault in enumerate(FAULTS):
            out = Path(tmp) / str(i)
            o = run_fault(fault, out)
            stray = [f for f in o.files if f not in ("summary.json", "summary.md")]
            print(
                f"| {fault.name} | {fault.server_does} | {describe(o)} | "
                f"{len(stray) if o.files else 0} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
