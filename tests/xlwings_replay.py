"""Apply the actions an xlwings Book recorded (``book.json()["actions"]``) to an openpyxl workbook.

The remote engine only records what the code would do in Excel; replaying those actions into the file
shows the marks exactly as a clerk would see them (and lets LibreOffice open the result). Only the
actions ``validate_book`` emits are supported; any other raises, so nothing is silently skipped.
"""
from __future__ import annotations

from typing import Any

from openpyxl.styles import Alignment, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink


def _cells(ws, a: dict):
    for r in range(a["start_row"] + 1, a["start_row"] + a["row_count"] + 1):
        for c in range(a["start_column"] + 1, a["start_column"] + a["column_count"] + 1):
            yield ws.cell(r, c)


def _fill(colour: str | None) -> PatternFill:
    if colour is None:
        return PatternFill(fill_type=None)
    return PatternFill("solid", fgColor="FF" + colour.lstrip("#").upper())


def replay(wb, actions: list[dict[str, Any]]) -> None:
    sheets = wb.worksheets
    for a in actions:
        func, args = a["func"], a["args"]
        if func == "setScreenUpdating":
            continue  # the client's redraw, nothing in the file
        ws = sheets[a["sheet_position"]]
        if func == "setPrintArea":
            ws.print_area = args[0]
        elif func == "setValues":
            for i, row in enumerate(a["values"]):
                for j, v in enumerate(row):
                    ws.cell(a["start_row"] + 1 + i, a["start_column"] + 1 + j).value = v
        elif func == "setRangeColor":
            for cell in _cells(ws, a):
                cell.fill = _fill(args[0])
        elif func in ("rangeClear", "rangeClearContents"):
            for cell in _cells(ws, a):
                if type(cell).__name__ == "MergedCell":
                    continue
                cell.value = None
                if func == "rangeClear":
                    cell.hyperlink = None
                    cell.fill = PatternFill(fill_type=None)
        elif func == "addHyperlink":
            cell = ws.cell(a["start_row"] + 1, a["start_column"] + 1)
            cell.value = args[1]
            if args[0].startswith("#"):  # a place in this workbook, not a file
                cell.hyperlink = Hyperlink(ref=cell.coordinate, location=args[0][1:], tooltip=args[2] if len(args) > 2 else None)
            else:
                cell.hyperlink = args[0]
        elif func == "setWrapText":
            for cell in _cells(ws, a):
                cell.alignment = Alignment(wrap_text=bool(args[0]), vertical="top")
        elif func == "setColumnHidden":
            for c in range(a["start_column"] + 1, a["start_column"] + a["column_count"] + 1):
                ws.column_dimensions[get_column_letter(c)].hidden = bool(args[0])
        elif func in ("addNote", "deleteNote"):
            continue  # notes live in the client; the file check covers colours and rows
        else:
            raise ValueError(f"replay: unsupported xlwings action {func!r}")
