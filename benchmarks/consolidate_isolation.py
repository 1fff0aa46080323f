"""What reading every file in a worker process costs: `xlgova consolidate` of 1, 3, 8 and 1,000 workbooks,
this tree against another checkout of xlgova (e.g. the commit before the change), in interleaved rounds.

Each run is a fresh `python -m xlgova consolidate DIR -o 汇总.xlsx --json`; the figures are wall time and the
CPU time (user + system) of the whole process tree (the command and its workers, from RUSAGE_CHILDREN),
each the median of its rounds. The workbooks are benchmarks/consolidate.py's 1,000 (generated if missing).
Usage: python benchmarks/consolidate_isolation.py OTHER_CHECKOUT [--rounds R] [SIZES ...]
"""
from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))


def run(tree: Path, folder: Path, out: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the process tree) of one consolidation with xlgova from ``tree``."""
    env = dict(os.environ, PYTHONPATH=str(tree))
    cmd = [sys.executable, "-m", "xlgova", "consolidate", str(folder), "-o", str(out), "--json"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=tree)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"consolidate failed ({proc.returncode}): {proc.stderr.decode()[-2000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(argv: list[str]) -> int:
    from consolidate import generate

    rounds = 5
    if "--rounds" in argv:
        i = argv.index("--rounds")
        rounds, argv = int(argv[i + 1]), argv[:i] + argv[i + 2:]
    other, sizes = Path(argv[0]).resolve(), [int(a) for a in argv[1:]] or [1, 3, 8, 1000]
    files = sorted(generate(1000).glob("*.xlsx"))
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            folder = Path(tmp) / str(n)
            folder.mkdir()
            for f in files[:n]:
                shutil.copy(f, folder / f.name)
            times: dict[str, list[tuple[float, float]]] = {"this": [], "other": []}
            for _ in range(rounds):
                for name, tree in (("other", other), ("this", ROOT)):
                    times[name].append(run(tree, folder, Path(tmp) / f"{name}.xlsx"))
            line = [f"{n:>5} files:"]
            for name in ("other", "this"):
                wall = statistics.median(t[0] for t in times[name])
                cpu = statistics.median(t[1] for t in times[name])
                line.append(f"{name} {wall:5.2f} s wall, {cpu:5.2f} s CPU;")
            print(" ".join(line), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
