"""Writing a batch import's summary: an .xlsx with two sheets, two .csv files, or one .json."""
from __future__ import annotations

import csv
import json
from pathlib import Path

from ..safeio import atomic_output, safe_text

REPORTS_SHEET, FINDINGS_SHEET, CELLS_SHEET = "报告", "发现", "单元格"
WIDTHS = {REPORTS_SHEET: (36, 28, 8, 10, 22, 8, 8, 30, 60), FINDINGS_SHEET: (36, 28, 8, 8, 22, 30, 80, 60), CELLS_SHEET: (34, 10, 70)}
def write_xlsx(path: Path, reports: list[list], findings: list[list], cells: list[list], inputs: tuple) -> list[Path]:
    """报告, 发现, and 单元格 (what each cell-id column of 报告 is, as a clerk names it)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    for title, rows in ((REPORTS_SHEET, reports), (FINDINGS_SHEET, findings), (CELLS_SHEET, cells)):
        ws = wb.create_sheet(title)
        for k, w in enumerate(WIDTHS[title]):
            ws.column_dimensions[_column_letter(k)].width = w
        ws.freeze_panes = "B2"
        bold = Font(bold=True)
        from openpyxl.cell import WriteOnlyCell

        header = []
        for text in rows[0]:
            c = WriteOnlyCell(ws, value=text)
            c.font = bold
            header.append(c)
        ws.append(header)
        for row in rows[1:]:
            ws.append([safe_text(v) for v in row])
    with atomic_output(path, inputs=inputs) as tmp:
        wb.save(tmp)
    return [path]


def _column_letter(k: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(k + 1)


def findings_csv_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}_{FINDINGS_SHEET}{path.suffix}")


def write_csv(path: Path, reports: list[list], findings: list[list], cells: list[list], inputs: tuple) -> list[Path]:
    """UTF-8 with BOM, so that Excel and WPS open the Chinese text correctly."""
    out = []
    for target, rows in ((path, reports), (findings_csv_path(path), findings)):
        with atomic_output(target, inputs=inputs) as tmp:
            with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
                csv.writer(fh).writerows([[safe_text(v) for v in row] for row in rows])
        out.append(target)
    return out


def write_json(path: Path, reports: list[list], findings: list[list], cells: list[list], inputs: tuple) -> list[Path]:
    data = {
        "reports": [dict(zip(reports[0], row)) for row in reports[1:]],
        "findings": [dict(zip(findings[0], row)) for row in findings[1:]],
        "cells": {cid: label for cid, _, label in cells[1:]},
    }
    with atomic_output(path, inputs=inputs) as tmp:
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    return [path]
