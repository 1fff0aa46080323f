"""Run every benchmark in this folder (``make bench``); each prints its figures next to its baseline."""
from __future__ import annotations

import runpy
import sys
from pathlib import Path

HERE = Path(__file__).parent


def main() -> int:
    wanted = set(sys.argv[1:])
    for path in sorted(HERE.glob("*.py")):
        if path.name in ("run.py", "__init__.py", "_util.py") or (wanted and path.stem not in wanted):
            continue
        print(f"\n=== {path.stem} ===", flush=True)
        runpy.run_path(str(path), run_name="__main__")
    return 0


if __name__ == "__main__":
    sys.exit(main())
