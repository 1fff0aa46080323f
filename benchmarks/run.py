"""Run every benchmark in this folder (``make bench``); each prints its figures next to its baseline."""
from __future__ import annotations

import runpy
import sys
from pathlib import Path

HERE = Path(__file__).parent


def main() -> int:
    wanted = set(sys.argv[1:])
    failed: list[str] = []
    for path in sorted(HERE.glob("*.py")):
        if path.name in ("run.py", "__init__.py", "_util.py") or (wanted and path.stem not in wanted):
            continue
        print(f"\n=== {path.stem} ===", flush=True)
        sys.argv = [str(path)]  # each benchmark parses its own options; the names given here are not for it
        try:
            runpy.run_path(str(path), run_name="__main__")
        except SystemExit as done:  # a benchmark ending with sys.exit() must not end the others
            if done.code not in (None, 0):
                failed.append(path.stem)
    if failed:
        print(f"\n未完成的基准测试：{'、'.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
