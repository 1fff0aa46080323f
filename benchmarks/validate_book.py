"""validate_book (the 校验 button) through xlwings' remote engine, Python side, on a full workbook.

Baselines measured side by side in the same run:
  * the CLI path: read_workbook(file) + validate (python-calamine, from disk);
  * a naive button that reads every cell with its own ``sheet.range(address).value`` call (what a
    per-cell VBA/xlwings loop does; on desktop Excel each such call is a COM round trip of ~0.1–1 ms).
Target: validate_book ≤ 50 ms per workbook (median).
"""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")  # the remote engine, benchmark only

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # test-only payload builder

import xlwings as xw  # noqa: E402

from xlgova.excel.book import validate_book  # noqa: E402
from xlwings_payload import payload_from_xlsx  # noqa: E402
from xlgova.model import parse_value  # noqa: E402
from xlgova.rules import validate  # noqa: E402
from xlgova.demo.samples import random_report  # noqa: E402
from xlgova.workbook import layout as L  # noqa: E402
from xlgova.workbook import libreoffice, read_workbook, write_workbook  # noqa: E402

RUNS = 40


def median_ms(fn, runs: int = RUNS) -> float:
    fn()  # warm caches (format tables, identities)
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def workbook(tmp: Path, broken: bool) -> Path:
    prev = random_report(21, "2021", agency="示例县人民政府办公室", year=2021)
    rep = random_report(22, "2021", agency="示例县人民政府办公室", year=2022, previous=prev)
    rep.previous = prev
    if broken:
        rep.values["apps.new.natural"] = parse_value((rep.number("apps.new.natural") or 0) + 3)
        rep.values["review.reconsideration.upheld"] = parse_value(None)
    path = write_workbook(rep, tmp / f"{'broken' if broken else 'ok'}.xlsx")
    if libreoffice.available():  # cached formula values, as Excel would send them
        path = libreoffice.convert(path, "xlsx:Calc MS Excel 2007 XML", tmp / f"calc-{broken}")
    return path


def naive(payload) -> None:
    book = xw.Book(json=payload)
    from xlgova.model import Report

    rep = Report(agency="", year=2022, format_id="2021")
    for cid, (sheet, address) in L.cell_map("2021").items():
        rep.values[cid] = parse_value(book.sheets[sheet].range(address).value)
    validate(rep)


def main() -> None:
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        for broken in (False, True):
            path = workbook(tmp, broken)
            payload = payload_from_xlsx(path)

            def button():
                book = xw.Book(json=payload)
                validate_book(book)
                return book.json()

            n_actions = len(button()["actions"])
            ours = median_ms(button)
            cli = median_ms(lambda: validate(read_workbook(path)))
            per_cell = median_ms(lambda: naive(payload), runs=10)
            label = "有错误的工作簿" if broken else "一致的工作簿"
            print(f"{label}: validate_book {ours:.1f} ms（{n_actions} 个操作）  目标 ≤ 50 ms  {'OK' if ours <= 50 else '超出'}")
            print(f"  基线 read_workbook+validate（读文件）{cli:.1f} ms  → validate_book 为其 {ours / cli:.2f} 倍")
            print(f"  基线 逐个单元格读取 {per_cell:.1f} ms（远程引擎内；桌面 Excel 每次另需一次 COM 往返） → {ours / per_cell:.2f} 倍")


if __name__ == "__main__":
    main()
