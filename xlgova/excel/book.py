"""validate_book(book): the 校验 button, through the xlwings Book API only.

One bulk read per sheet, the same cell map and rules as the CLI, then the marks: template fills restored,
offending cells filled, 校验结果 rewritten (keeping the clerk's 已确认说明), notes where the client has
them, and the status line. Values the clerk typed are never written.
"""
from __future__ import annotations

import datetime as _dt
from contextlib import contextmanager
from typing import Any

from ..formats import FORMATS
from ..model import Report
from ..errors import XlgovaError
from ..rules import Result, validate
from ..workbook import layout
from . import results as rs
from .grids import extent, report_from_grids
from .marks import CONFIRMED_FILL, ERROR_FILL, WARNING_FILL, Plan, plan, rectangles

LABEL_FILLS = {"error": ERROR_FILL, "warning": WARNING_FILL, "confirmed": CONFIRMED_FILL}

COVER_RANGE = (11, 2)  # 封面 A1:B11 holds every cover field


def _sheets(book) -> dict[str, Any]:
    return {s.name: s for s in book.sheets}


def _read(sheet, rows: int, cols: int) -> list[list]:
    value = sheet.range((1, 1), (rows, cols)).options(ndim=2).value
    return value or []


def read_grids(book, sheets: dict[str, Any] | None = None) -> tuple[dict[str, list[list]], str | None]:
    """Sheet name -> values from A1, one read per sheet; and the format detected from the cover."""
    from .grids import detect_format

    sheets = sheets if sheets is not None else _sheets(book)
    grids: dict[str, list[list]] = {}
    if layout.COVER in sheets:
        grids[layout.COVER] = _read(sheets[layout.COVER], *COVER_RANGE)
    fid = None
    try:
        fid = detect_format(grids.get(layout.COVER), book.name)
    except XlgovaError:
        pass  # report_from_grids raises the same error with its full message
    sizes = extent(fid) if fid is not None else _largest_extent()
    for name, (rows, cols) in sizes.items():
        if name in sheets and name not in grids:
            grids[name] = _read(sheets[name], rows, cols)
    if layout.RESULTS in sheets:
        last = sheets[layout.RESULTS].used_range.last_cell.row
        grids[layout.RESULTS] = _read(sheets[layout.RESULTS], max(last, rs.header_row()), rs.WIDTH)
    return grids, fid


def _largest_extent() -> dict[str, tuple[int, int]]:
    """Read enough of every sheet for any format, so a workbook whose format is unclear still gets the
    right message (the format, not a missing sheet)."""
    out: dict[str, tuple[int, int]] = {}
    for fid in FORMATS:
        for name, (rows, cols) in extent(fid).items():
            r, c = out.get(name, (1, 1))
            out[name] = (max(r, rows), max(c, cols))
    return out


def validate_book(book, *, now: _dt.datetime | None = None) -> Result | None:
    """Check the workbook and mark it. Returns the Result (None when the workbook cannot be checked:
    the reason is written to the status line instead)."""
    return check_and_mark(book, now=now)[1]


def check_and_mark(book, *, now: _dt.datetime | None = None) -> tuple[Report | None, Result | None, str]:
    """Check and mark; returns the report, the result and the status line written (what the button says)."""
    with screen_updating_off(book):
        sheets = _sheets(book)
        grids, fid = read_grids(book, sheets)
        results_sheet = _results_sheet(book, sheets)
        try:
            report = report_from_grids(grids, fid, source=book.name)
        except XlgovaError as e:
            status = f"无法校验：{e}"
            results_sheet.range(rs.status_cell()).value = status
            return None, None, status
        result = validate(report)
        old = rs.old_rows(grids.get(layout.RESULTS))
        p = plan(report, result, old, now)
        apply_plan(sheets, results_sheet, p, rs.used_rows(grids.get(layout.RESULTS)), old)
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
