"""validate_book(book): the 校验 button, through the xlwings Book API only.

One bulk read per sheet, read by the CLI's reader (defined names first, template positions as the
fallback) and checked by the same rules, then the marks: template fills restored,
offending cells filled, 校验结果 rewritten (keeping the clerk's 已确认说明), notes where the client has
them, and the status line. Values the clerk typed are never written.
"""
from __future__ import annotations

import datetime as _dt
from contextlib import contextmanager
from typing import Any

from ..errors import XlgovaError
from ..model import Report
from ..rules import Result, validate
from ..workbook import layout
from ..workbook.grid_book import GridBook, GridSheets
from ..workbook.reader import read_book
from . import results as rs
from .marks import CONFIRMED_FILL, ERROR_FILL, WARNING_FILL, Plan, plan, rectangles

LABEL_FILLS = {"error": ERROR_FILL, "warning": WARNING_FILL, "confirmed": CONFIRMED_FILL}


def _sheets(book) -> dict[str, Any]:
    return {s.name: s for s in book.sheets}


def _whole(sheet):
    """The sheet from A1 to the last used cell: one bulk read whatever rows were inserted or deleted."""
    last = sheet.used_range.last_cell
    return sheet.range((1, 1), (max(last.row, 1), max(last.column, 1)))


def _values(sheet) -> list[list]:
    return _whole(sheet).options(ndim=2).value or []


def _formulas(sheet) -> list[list] | None:
    """The sheet's formulas, where the engine reads them synchronously (desktop Excel); None elsewhere
    (xlwings' remote engine sends values only)."""
    try:
        return _whole(sheet).options(ndim=2).formula
    except NotImplementedError:
        return None


def _refers_to(name) -> str | None:
    try:
        return name.refers_to
    except Exception:  # noqa: BLE001 - a name some client cannot resolve is a broken name to the reader
        return None


def book_view(book, sheets: dict[str, Any] | None = None) -> tuple[GridBook, GridSheets]:
    """The xlwings Book as the reader sees a file: its defined names and, read on first use, each sheet."""
    sheets = sheets if sheets is not None else _sheets(book)
    names = [(n.name, _refers_to(n)) for n in book.names]
    return (GridBook(sheets, names, formulas=lambda s: _formulas(sheets[s]), path=book.name),
            GridSheets(sheets, lambda s: _values(sheets[s]), book.name))


def validate_book(book, *, now: _dt.datetime | None = None) -> Result | None:
    """Check the workbook and mark it. Returns the Result (None when the workbook cannot be checked:
    the reason is written to the status line instead)."""
    return check_and_mark(book, now=now)[1]


def check_and_mark(book, *, now: _dt.datetime | None = None) -> tuple[Report | None, Result | None, str]:
    """Check and mark; returns the report, the result and the status line written (what the button says)."""
    with screen_updating_off(book):
        sheets = _sheets(book)
        info, values = book_view(book, sheets)
        try:
            report = read_book(info, values)
        except XlgovaError as e:
            status = f"无法校验：{e}"
            _results_sheet(book, sheets).range(rs.status_cell()).value = status
            return None, None, status
        result = validate(report)
        old_grid = values.grid(layout.RESULTS)
        old = rs.old_rows(old_grid)
        p = plan(report, result, old, now)
        apply_plan(sheets, _results_sheet(book, sheets), p, rs.used_rows(old_grid), old)
        return report, result, p.status


@contextmanager
def screen_updating_off(book):
    """Excel redraws nothing while the marks are written (one redraw at the end instead of one per write)."""
    app = getattr(book, "app", None)
    try:
        app.screen_updating = False
    except Exception:  # noqa: BLE001 - a client without the setting (xlwings Lite) just redraws
        app = None
    try:
        yield
    finally:
        if app is not None:
            app.screen_updating = True


def _results_sheet(book, sheets: dict[str, Any]):
    if layout.RESULTS in sheets:
        return sheets[layout.RESULTS]
    sheet = book.sheets.add(layout.RESULTS, after=book.sheets[len(book.sheets) - 1])
    sheets[layout.RESULTS] = sheet
    return sheet


def apply_plan(sheets: dict[str, Any], results_sheet, p: Plan, old_used: int, old: list[rs.OldRow]) -> None:
    for sheet, rng, fill in p.colours:  # one write per same-colour rectangle, each data cell once
        if sheet in sheets:
            sheets[sheet].range(rng).color = fill
    _write_results(results_sheet, p, old_used)
    _notes(sheets, p, old)


def _write_results(sheet, p: Plan, old_used: int) -> None:
    """Rewrite the findings table in one block (A..L: the visible columns, 位置 as a HYPERLINK formula,
    and the hidden helpers). Only contents are cleared: the rows keep the template's formats (unlocked,
    so the clerk can type 已确认说明 on a protected sheet); the 级别 fills are reset."""
    first = rs.first_row()
    if old_used:
        last = first + old_used - 1
        sheet.range((first, 1), (last, rs.WIDTH)).clear_contents()
        sheet.range((first, 2), (last, 2)).color = None
    sheet.range((rs.header_row(), rs.FINGERPRINT_COL + 1)).value = [list(rs.HELPER_HEADERS.values())]
    sheet.range((1, rs.FINGERPRINT_COL + 1), (1, rs.NOTE_COL + 1)).column_hidden = True
    last = first + len(p.rows) - 1
    if p.rows:
        sheet.range((first, 1)).value = [rs.table_row(row.visible(), row.helpers()) for row in p.rows]
        sheet.range((first, 5), (last, len(rs.COLUMNS))).wrap_text = True
        levels = {(sheet.name, first - 1 + i, 1): _level_fill(row) for i, row in enumerate(p.rows)}
        for _s, rng, colour in rectangles(levels):
            if colour:
                sheet.range(rng).color = colour
    sheet.range(rs.status_cell()).value = p.status
    sheet.page_setup.print_area = rs.print_area(max(last, rs.header_row()))


def _level_fill(row) -> str | None:
    return LABEL_FILLS.get(row.severity if "已确认" not in row.label else "confirmed")


def _notes(sheets: dict[str, Any], p: Plan, old: list[rs.OldRow]) -> None:
    """Notes (批注) where the client supports them; colours and the results sheet carry everything anyway."""
    try:
        for row in old:
            if row.note_at and "!" in row.note_at:
                s, a = row.note_at.split("!", 1)
                if s in sheets and sheets[s].range(a).note is not None:
                    sheets[s].range(a).note.delete()
        for s, a, text in p.notes:
            cell = sheets[s].range(a)
            if cell.note is None:  # never overwrite a note the clerk wrote
                cell.add_note(text)
    except NotImplementedError:
        return
