"""Hostile and huge inputs: how long a fresh ``xlgova validate`` process takes to refuse or read them.

The tests check the outcome and the memory of these runs (tests/test_hardening_guard.py, test_hardening_cli.py);
time is measured here, where a slow or busy machine cannot fail the build. Every case is timed side by side
with its baseline: the same command, in a fresh process, on one correct filled workbook.
Targets from the hardening issue: a zip bomb refused within 2 s (the check itself) / 5 s (the whole CLI run,
interpreter start included); a 15 MB workbook of pasted junk read within 30 s.
"""
from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RUNS = 5
TARGETS = {"zip_bomb": 5.0, "zip_bomb_lying": 5.0, "entity_expansion": 5.0, "many_members": 5.0, "big_junk": 30.0}
BOUNDS_TARGET = 10.0  # issue 13's kinds (scripts/_bad_input_cases_bounds.py): answered within 10 s each


def generator():
    sys.path.insert(0, str(ROOT / "scripts"))
    import make_bad_inputs

    return make_bad_inputs


def cli_seconds(path: Path, runs: int = RUNS) -> float:
    """Median wall time of ``python -m xlgova validate path`` in a fresh process (start and imports included)."""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "xlgova", "validate", str(path)], capture_output=True, cwd=ROOT,
                       env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, timeout=600)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    from xlgova.demo.samples import random_report
    from xlgova.workbook import write_workbook

    gen = generator()
    cases = {c.name: c for c in gen.CASES}
    bounds = [c.name for c in gen.CASES if c.build is not None and c.build.__module__ == "_bad_input_cases_bounds"]
    targets = {**TARGETS, **{name: BOUNDS_TARGET for name in bounds}}
    with tempfile.TemporaryDirectory(prefix="xlgova-bench-hostile-") as tmp:
        out = Path(tmp)
        gen.generate(out, big=True, only=set(targets))
        good = write_workbook(random_report(1, "2021"), out / "good.xlsx")
        base = cli_seconds(good)
        print(f"baseline: validate one correct workbook, fresh process: {base:.2f} s (median of {RUNS})")
        print(f"{'case':<18}{'seconds':>9}{'ratio':>8}{'target':>9}")
        for name, target in targets.items():
            seconds = cli_seconds(out / cases[name].filename, runs=1 if name == "big_junk" or name in bounds else RUNS)
            verdict = "ok" if seconds <= target else "SLOW"
            print(f"{name:<18}{seconds:>9.2f}{seconds / base:>8.1f}{target:>8.0f}s  {verdict}")


if __name__ == "__main__":
    main()
