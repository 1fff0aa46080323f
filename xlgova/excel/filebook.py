"""The 校验 button's marks written into a copy of a workbook file, without Excel.

The desk (and anything else that has only the file) must mark a workbook exactly as the button does. So it
does not re-implement the marks: it hands the button's own writer (:func:`xlgova.excel.book.apply_plan`) a
small stand-in for the part of the xlwings ``Book`` API that writer uses, backed by openpyxl. The values are
read by THE reader (:func:`xlgova.workbook.read_workbook`) and judged by :func:`xlgova.rules.validate` before,
so the marks follow the same findings as the CLI. The input file is never written.
"""
from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any

from ..errors import XlgovaError
from ..model import Report
from ..rules import Result
from ..safeio import atomic_output
from ..ooxml.a1 import split


def _fill(colour: str | None):
    from openpyxl.styles import PatternFill

    if colour is None:
        return PatternFill(fill_type=None)
    return PatternFill("solid", fgColor="FF" + colour.lstrip("#").upper())


class _Note:
    def __init__(self, cell):
        self._cell = cell

    def delete(self) -> None:
        self._cell.comment = None


class FileRange:
    """A rectangle of an openpyxl sheet with the xlwings ``Range`` members the button's writer calls."""

    def __init__(self, sheet: "FileSheet", r0: int, c0: int, r1: int, c1: int):
        self.sheet, self.r0, self.c0, self.r1, self.c1 = sheet, r0, c0, r1, c1
        self.ndim2 = False

    def _cells(self):
        ws = self.sheet.ws
        for r in range(self.r0, self.r1 + 1):
            for c in range(self.c0, self.c1 + 1):
                cell = ws.cell(r, c)
                if type(cell).__name__ != "MergedCell":
                    yield cell

    def options(self, ndim: int | None = None, **_kw) -> "FileRange":
        self.ndim2 = ndim == 2
        return self

    @property
    def value(self) -> Any:
        ws = self.sheet.ws
        rows = [[ws.cell(r, c).value for c in range(self.c0, self.c1 + 1)] for r in range(self.r0, self.r1 + 1)]
        return rows if self.ndim2 or (self.r0, self.c0) != (self.r1, self.c1) else rows[0][0]

    @value.setter
    def value(self, v: Any) -> None:
        rows = v if isinstance(v, list) and v and isinstance(v[0], list) else [v if isinstance(v, list) else [v]]
        for i, row in enumerate(rows):
            for j, x in enumerate(row):
                cell = self.sheet.ws.cell(self.r0 + i, self.c0 + j)
                if type(cell).__name__ != "MergedCell":
                    cell.value = x

    @property
    def color(self):  # pragma: no cover - the writer only sets colours
        return None

    @color.setter
    def color(self, colour: str | None) -> None:
        fill = _fill(colour)
        for cell in self._cells():
            cell.fill = fill

    def clear_contents(self) -> None:
        for cell in self._cells():
            cell.value = None

    def clear(self) -> None:
        for cell in self._cells():
            cell.value, cell.hyperlink, cell.fill = None, None, _fill(None)

    @property
    def column_hidden(self) -> bool:  # pragma: no cover
        return False

    @column_hidden.setter
    def column_hidden(self, hidden: bool) -> None:
        from openpyxl.utils import get_column_letter

        for c in range(self.c0, self.c1 + 1):
            self.sheet.ws.column_dimensions[get_column_letter(c)].hidden = bool(hidden)

    @property
    def wrap_text(self) -> bool:  # pragma: no cover
        return False

    @wrap_text.setter
    def wrap_text(self, wrap: bool) -> None:
        from openpyxl.styles import Alignment

        for cell in self._cells():
            cell.alignment = Alignment(wrap_text=bool(wrap), vertical="top")

    def add_hyperlink(self, address: str, text_to_display: str | None = None, screen_tip: str | None = None) -> None:
        from openpyxl.worksheet.hyperlink import Hyperlink

        cell = self.sheet.ws.cell(self.r0, self.c0)
        cell.value = text_to_display or address
        if address.startswith("#"):  # a place in this workbook
            cell.hyperlink = Hyperlink(ref=cell.coordinate, location=address[1:], tooltip=screen_tip)
        else:
            cell.hyperlink = address

    @property
    def note(self) -> _Note | None:
        cell = self.sheet.ws.cell(self.r0, self.c0)
        return _Note(cell) if cell.comment is not None else None

    def add_note(self, text: str) -> None:
        from openpyxl.comments import Comment

        self.sheet.ws.cell(self.r0, self.c0).comment = Comment(text, "xlgova")

    @property
    def last_cell(self) -> "FileRange":
        return FileRange(self.sheet, self.r1, self.c1, self.r1, self.c1)

    @property
    def row(self) -> int:
        return self.r0


class FileSheet:
    def __init__(self, ws):
        self.ws = ws

    @property
    def name(self) -> str:
        return self.ws.title

    def range(self, first, last=None) -> FileRange:
        r0, c0, r1, c1 = *_corner(first, 0), *_corner(last if last is not None else first, 1)
        return FileRange(self, r0, c0, r1, c1)

    @property
    def used_range(self) -> FileRange:
        return FileRange(self, 1, 1, max(self.ws.max_row, 1), max(self.ws.max_column, 1))

    @property
    def page_setup(self) -> "FilePageSetup":
        return FilePageSetup(self.ws)


class FilePageSetup:
    """``sheet.page_setup`` as the button's writer uses it (the print area)."""

    def __init__(self, ws):
        self.ws = ws

    @property
    def print_area(self):
        return self.ws.print_area

    @print_area.setter
    def print_area(self, value) -> None:
        self.ws.print_area = value


def _corner(ref, which: int) -> tuple[int, int]:
    """1-based (row, col) of a tuple or an A1 reference ("B3" or the start/end of "A1:C4")."""
    if isinstance(ref, tuple):
        return int(ref[0]), int(ref[1])
    part = str(ref).split(":")
    return split(part[min(which, len(part) - 1)])


class FileSheets(list):
    def add(self, name: str, after: FileSheet | None = None) -> FileSheet:
        wb = self[0].ws.parent
        ws = wb.create_sheet(name, index=wb.sheetnames.index(after.name) + 1 if after is not None else None)
        sheet = FileSheet(ws)
        self.insert(wb.sheetnames.index(name), sheet)
        return sheet


class FileBook:
    """An openpyxl workbook seen through the ``Book`` members ``xlgova.excel.book`` uses."""

    def __init__(self, wb, name: str):
        self.wb, self.name = wb, name
        self.sheets = FileSheets(FileSheet(ws) for ws in wb.worksheets)


def mark_copy(source: str | Path, target: str | Path, report: Report, result: Result, *, name: str | None = None,
              now: _dt.datetime | None = None) -> Path:
    """Write ``target``: the workbook at ``source`` with the button's marks for ``result`` (colours, 校验结果,
    notes, status line). ``source`` is only read."""
    from openpyxl import load_workbook

    from ..workbook import layout
    from . import results as rs
    from .book import _results_sheet, apply_plan
    from .marks import plan

    source = Path(source)
    try:
        wb = load_workbook(source, keep_vba=source.suffix.lower() == ".xlsm", keep_links=True)
    except Exception as e:  # openpyxl raises many types on damaged packages; the reader accepted this one
        raise XlgovaError(f"无法生成标注副本（{type(e).__name__}）", path=name or source) from None
    book = FileBook(wb, name or source.name)
    sheets = {s.name: s for s in book.sheets}
    done = sheets.get(layout.RESULTS)  # what a previous run wrote there (the clerk's 已确认说明)
    grid = done.range((1, 1), (max(done.ws.max_row, 1), rs.WIDTH)).options(ndim=2).value if done is not None else None
    results_sheet = _results_sheet(book, sheets)
    old = rs.old_rows(grid)
    apply_plan(sheets, results_sheet, plan(report, result, old, now), rs.used_rows(grid), old)
    with atomic_output(target, inputs=(source,)) as tmp:
        wb.save(tmp)
    return Path(target)
