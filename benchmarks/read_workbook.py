"""Reading workbooks: xlgova's reader against an openpyxl-based reader, measured side by side.

Targets (issue 3): ``read_workbook`` ≤ 5 ms per workbook; ``xlgova validate WORKBOOK`` ≤ 0.5 s as a whole
process. Writing (the consolidator's benchmark fills 10,000 workbooks) is measured against openpyxl too.

    .venv/bin/python benchmarks/read_workbook.py [--n 300]
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from xlgova.demo.samples import random_report  # noqa: E402
from xlgova.workbook import layout as L  # noqa: E402
from xlgova.workbook.reader import read_workbook  # noqa: E402
from xlgova.workbook.writer import template_path, writer_for  # noqa: E402


def openpyxl_read(path: Path, format_id: str) -> dict:
    """The baseline: openpyxl read-only, cached values, the same cells by position (no derivation, no checks)."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        grids = {}
        out = {}
        for cid, (sheet, address) in L.cell_map(format_id).items():
            if sheet not in grids:
                grids[sheet] = {(c.coordinate): c.value for row in wb[sheet].iter_rows() for c in row if hasattr(c, "coordinate")}
            out[cid] = grids[sheet].get(address)
        return out
    finally:
        wb.close()


def calamine_floor(path: Path) -> None:
    """The floor: python-calamine opening the file and parsing the six sheets the reader needs, nothing else."""
    import python_calamine

    book = python_calamine.CalamineWorkbook.from_path(str(path))
    for sheet in (L.COVER, L.SECTION_TWO, L.APPS, L.REVIEW, L.NARRATIVE, L.PREVIOUS):
        book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)


def openpyxl_write(report, path: Path) -> None:
    """The baseline writer: load the template with openpyxl, set the input cells, save."""
    import openpyxl

    wb = openpyxl.load_workbook(template_path(report.format_id))
    for cid, value in report.values.items():
        if report.format.cells[cid].is_input:
            sheet, address = L.cell_map(report.format_id)[cid]
            wb[sheet][address] = value.number if value.is_number else value.raw
    wb.save(path)


def per_item(fn, items) -> list[float]:
    times = []
    for item in items:
        t = time.perf_counter()
        fn(item)
        times.append(time.perf_counter() - t)
    return times


def process_time(argv: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(argv, capture_output=True, check=False)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.2f} ms"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=300, help="workbooks to read (default 300)")
    ap.add_argument("--runs", type=int, default=7, help="process runs for the whole-command timing")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="xlgova-bench-") as tmp:
        tmp = Path(tmp)
        reports = [random_report(i, ("2021", "2019")[i % 2], agency=f"单位{i}", year=(2021, 2020)[i % 2]) for i in range(args.n)]
        paths = [tmp / f"r{i}.xlsx" for i in range(args.n)]
        for r in reports[:2]:
            writer_for(r.format_id)  # load and index each template once, outside the timing
        write_times = per_item(lambda i: writer_for(reports[i].format_id).write(reports[i], paths[i]), range(args.n))
        k = min(20, args.n)
        base_write = per_item(lambda i: openpyxl_write(reports[i], tmp / f"o{i}.xlsx"), range(k))
        read_workbook(paths[0])  # imports and first-use caches outside the timing
        openpyxl_read(paths[0], "2021")
        ours = per_item(lambda i: read_workbook(paths[i]), range(args.n))
        base = per_item(lambda i: openpyxl_read(paths[i], reports[i].format_id), range(min(args.n, 100)))
        floor = per_item(lambda i: calamine_floor(paths[i]), range(args.n))
        cpu = time.process_time()
        for p in paths:
            read_workbook(p)
        cpu = (time.process_time() - cpu) / len(paths)

        size_kb = paths[0].stat().st_size // 1024
        py = sys.executable
        whole = process_time([py, "-m", "xlgova", "validate", str(paths[0])], args.runs)
        startup = process_time([py, "-c", "pass"], args.runs)
        base_proc = process_time([py, "-c", f"import openpyxl; openpyxl.load_workbook({str(paths[0])!r}, read_only=True, data_only=True)"], args.runs)

    mean_ours, mean_base = statistics.mean(ours), statistics.mean(base)
    print(f"reading one workbook ({args.n} workbooks, 2021 and 2019 formats, ~{size_kb} KB each)")
    print(f"  xlgova read_workbook       mean {ms(mean_ours)}   median {ms(statistics.median(ours))}   cpu {ms(cpu)}   target ≤ 5 ms")
    print(f"  openpyxl read-only (base)  mean {ms(mean_base)}   median {ms(statistics.median(base))}")
    print(f"  ratio                      {mean_base / mean_ours:6.1f}x faster than the baseline")
    print(f"  calamine alone (floor)     mean {ms(statistics.mean(floor))}   median {ms(statistics.median(floor))}   (parse the 6 sheets, nothing else)")
    print("writing one workbook (fresh template copy, filled)")
    print(f"  xlgova WorkbookWriter      mean {ms(statistics.mean(write_times))}   median {ms(statistics.median(write_times))}")
    print(f"  openpyxl load+fill+save    mean {ms(statistics.mean(base_write))}   ({k} workbooks)")
    print(f"  ratio                      {statistics.mean(base_write) / statistics.mean(write_times):6.1f}x faster than the baseline")
    print(f"whole process (median of {args.runs} runs)")
    print(f"  xlgova validate WORKBOOK   {ms(whole)}   target ≤ 500 ms")
    print(f"  python -c pass             {ms(startup)}")
    print(f"  python + openpyxl load     {ms(base_proc)}   ratio {base_proc / whole:4.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
