"""Consolidating 1,000 and 10,000 workbooks: `xlgova consolidate` against a naive openpyxl baseline.

The workbooks are generated once and cached under benchmarks/out/consolidate/<n>/ (the writer's batch API
in a process pool), and generated again whenever the committed template changes. Each run measures, on the same files:
  * the whole command (`xlgova consolidate DIR -o 汇总.xlsx --json`, a fresh process), wall time and the
    peak memory of the process tree (psutil, sampled every 50 ms, children included: PSS, and RSS
    which counts pages shared after fork() once per process);
  * the naive baseline: openpyxl `load_workbook(read_only=True, data_only=True)` per file, values
    collected into a pandas DataFrame and summed (no checks at all).
The command and the baseline run in interleaved rounds (3 for 1,000 workbooks, 1 for 10,000), each
reported by its best round: this VM's speed swings by up to ~70% between minutes.
Targets (2 cores): 1,000 workbooks <= 5 s, >= 10x the baseline; 10,000 workbooks <= 1 GB peak.
Usage: python benchmarks/consolidate.py [1000 10000] [--baseline-sample N] [--rounds R]
"""
from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "benchmarks" / "out" / "consolidate"
BASELINE_SAMPLE = 1000  # the baseline reads at most this many files; larger sets are extrapolated


def _generate_chunk(args) -> int:
    from xlgova.demo.county import narrative
    from xlgova.demo.samples import random_report
    from xlgova.workbook.writer import writer_for

    folder, start, stop = args
    writer = writer_for("2021")
    for i in range(start, stop):
        rng = random.Random(i)
        town = i % 5 == 0
        name = f"测试{i // 300:02d}县第{i:05d}" + ("镇人民政府" if town else "局")
        r = random_report(rng, "2021", agency=name, year=2024, scale=5 if town else 20)
        r.meta = {"level": "乡镇" if town else "县级部门", "kind": "单位报告"}
        r.sections = narrative(r, "重点领域信息公开", rng)
        (Path(folder) / f"{i:05d}.xlsx").write_bytes(writer.to_bytes(r))
    return stop - start


def _template_stamp() -> str:
    """The generated files are kept only while the template they were filled from is unchanged."""
    import hashlib

    from xlgova.workbook.writer import template_path

    return hashlib.sha256(template_path("2021").read_bytes()).hexdigest()[:16]


def generate(n: int) -> Path:
    folder = OUT / str(n)
    stamp = folder / ".complete"
    want = _template_stamp()
    if stamp.exists() and stamp.read_text().split()[-1:] == [want]:
        return folder
    if folder.exists():
        import shutil

        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    chunks = [(str(folder), i, min(n, i + 250)) for i in range(0, n, 250)]
    with ProcessPoolExecutor() as pool:
        done = sum(pool.map(_generate_chunk, chunks))
    stamp.write_text(f"{done} {want}")
    print(f"  generated {n} workbooks in {time.perf_counter() - t:.1f} s ({folder})", flush=True)
    return folder


def _tree_memory(proc) -> tuple[int, int]:
    """(sum of RSS, sum of PSS) over the process and its children. RSS counts pages shared after fork()
    once per process (an upper bound); PSS shares them out (the memory the run really takes)."""
    import psutil

    rss = pss = 0
    for p in [proc] + proc.children(recursive=True):
        try:
            info = p.memory_full_info()
            rss, pss = rss + info.rss, pss + getattr(info, "pss", info.rss)
        except psutil.Error:
            pass
    return rss, pss


def run_command(folder: Path, out: Path) -> tuple[float, float, float, int]:
    """(seconds, peak RSS and peak PSS in MB of the process tree, exit code)."""
    import psutil

    cmd = [sys.executable, "-m", "xlgova", "consolidate", str(folder), "-o", str(out), "--json"]
    t = time.perf_counter()
    proc = psutil.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    peak_rss = peak_pss = 0
    while proc.poll() is None:
        try:
            rss, pss = _tree_memory(proc)
            peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
        except psutil.Error:
            pass
        time.sleep(0.05)
    seconds = time.perf_counter() - t
    if proc.returncode not in (0, 1):
        raise SystemExit(f"consolidate failed ({proc.returncode}): {proc.stderr.read().decode()[-2000:]}")
    return seconds, peak_rss / 2**20, peak_pss / 2**20, proc.returncode


def baseline(files: list[Path]) -> tuple[float, dict]:
    """Naive: openpyxl per file, every input cell by its address, pandas sum."""
    import openpyxl
    import pandas as pd

    from xlgova.workbook.layout import cell_map

    cells = cell_map("2021")
    t = time.perf_counter()
    rows = []
    for f in files:
        wb = openpyxl.load_workbook(f, read_only=True, data_only=True)
        grids = {}
        for cid, (sheet, address) in cells.items():
            if sheet not in grids:
                grids[sheet] = {c.coordinate: c.value for row in wb[sheet].iter_rows() for c in row if hasattr(c, "coordinate")}
        rows.append({cid: grids[s].get(a) for cid, (s, a) in cells.items()})
        wb.close()
    sums = pd.DataFrame(rows).apply(pd.to_numeric, errors="coerce").sum()
    return time.perf_counter() - t, sums.to_dict()


def _option(argv: list[str], name: str, default: int) -> tuple[int, list[str]]:
    if name in argv:
        i = argv.index(name)
        return int(argv[i + 1]), argv[:i] + argv[i + 2 :]
    return default, argv


def measure(n: int, sample: int, rounds: int) -> None:
    """``rounds`` runs of the command, each followed by the baseline on its own slice of the sample.

    This VM's speed swings by up to ~70% from minute to minute, so the two are interleaved and each is
    reported by its best round (as ``timeit`` does): the ratio compares like with like.
    """
    folder = generate(n)
    files = sorted(folder.glob("*.xlsx"))
    k = min(len(files), sample)
    chunk = max(1, k // rounds)
    runs, per_file = [], []
    for r in range(rounds):
        seconds, rss, pss, code = run_command(folder, OUT / f"汇总-{n}.xlsx")
        part = files[r * chunk : (r + 1) * chunk] or files[:chunk]
        base, _ = baseline(part)
        runs.append((seconds, rss, pss, code))
        per_file.append(base / len(part))
        print(f"    round {r + 1}: xlgova consolidate {seconds:6.2f} s; baseline {base / len(part) * 1000:5.1f} ms per file", flush=True)
    best = min(s for s, *_ in runs)
    median = sorted(s for s, *_ in runs)[len(runs) // 2]
    rss, pss = max(r[1] for r in runs), max(r[2] for r in runs)
    base_full = min(per_file) * len(files)
    note = "" if k == len(files) else f" (measured on {chunk * rounds} files, scaled to {len(files)})"
    print(f"  {n:>6} workbooks: xlgova consolidate {best:6.2f} s best of {rounds} (median {median:.2f} s), "
          f"peak memory {pss:5.0f} MB PSS / {rss:5.0f} MB RSS (exit {runs[0][3]}); "
          f"naive openpyxl baseline {base_full:7.1f} s{note}; speed-up {base_full / best:5.1f}x", flush=True)


def main(argv: list[str]) -> int:
    sample, argv = _option(argv, "--baseline-sample", BASELINE_SAMPLE)
    rounds, argv = _option(argv, "--rounds", 0)
    sizes = [int(a) for a in argv if a.isdigit()] or [1000, 10000]
    print(f"machine: {os.cpu_count()} CPUs; python {sys.version.split()[0]}")
    for n in sizes:
        measure(n, sample, rounds or (3 if n <= 2000 else 1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
