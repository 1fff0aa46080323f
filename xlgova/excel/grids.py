"""Sheet grids -> Report: the same cell map and rules as the CLI, from values already read in bulk.

A *grid* is a sheet's values as a list of rows starting at A1 (what ``sheet.range("A1:X40").value``
returns in xlwings, or what python-calamine reads). This module imports no xlwings, so the xlwings Lite
script (Pyodide) and the tests use it as is.
"""
from __future__ import annotations

import datetime as _dt
import re
from functools import lru_cache
from typing import Any, Mapping, Sequence

from ..formats import FORMATS, format_for_year, get_format
from ..model import Report, Source
from ..errors import XlgovaError
from ..workbook import layout
# The file reader's own cell conventions (safe_text escapes, dates, cover fields): the button and the CLI
# must read a cell the same way.
from ..workbook.reader_cells import cell_value, cover_field, unescape

Grid = Sequence[Sequence[Any]]
_CELL = re.compile(r"([A-Z]+)(\d+)")


@lru_cache(maxsize=4096)
def rc(address: str) -> tuple[int, int]:
    """'D6' -> (5, 3): zero-based row and column."""
    m = _CELL.fullmatch(address.replace("$", "").upper())
    if not m:
        raise ValueError(address)
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)) - 1, col - 1


def cell(grid: Grid | None, address: str) -> Any:
    """The value at ``address``; None outside the grid (xlwings trims trailing blank rows/columns)."""
    if not grid:
        return None
    r, c = rc(address)
    if r >= len(grid):
        return None
    row = grid[r]
    if not isinstance(row, (list, tuple)):  # a one-row range read without ndim=2
        return row if r == 0 and c == 0 else None
    return row[c] if c < len(row) else None


@lru_cache(maxsize=None)
def extent(format_id: str) -> dict[str, tuple[int, int]]:
    """sheet -> (rows, cols): the smallest A1-anchored block holding every cell xlgova reads there."""
    out: dict[str, tuple[int, int]] = {}

    def grow(sheet: str, address: str) -> None:
        r, c = rc(address)
        rows, cols = out.get(sheet, (1, 1))
        out[sheet] = (max(rows, r + 1), max(cols, c + 1))

    for sheet, address in layout.cell_map(format_id).values():
        grow(sheet, address)
    for sheet, address in layout.previous_map(format_id).values():
        grow(sheet, address)
    for _key, _label, address in layout.COVER_FIELDS:
        grow(layout.COVER, address)
    for address in layout.NARRATIVE_CELLS.values():
        grow(layout.NARRATIVE, address)
    return out


def _text(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, (_dt.datetime, _dt.date)):
        return raw.strftime("%Y-%m-%d")
    return str(raw).strip()


def _year(raw: Any) -> int | None:
    m = re.search(r"(19|20)\d\d", _text(raw))
    return int(m.group(0)) if m else None


def detect_format(cover: Grid | None, where: str = "") -> str:
    """The format version from the cover (格式版本, else 统计年度). Raises XlgovaError when neither says."""
    addresses = {key: address for key, _label, address in layout.COVER_FIELDS}
    stated = _text(cell(cover, addresses["format"]))
    for fid in FORMATS:
        if fid in stated:
            return fid
    year = _year(cell(cover, addresses["year"]))
    if year is not None:
        try:
            return format_for_year(year).id
        except Exception:  # a year no format covers: fall through to the error below
            pass
    raise XlgovaError(
        f"无法确定格式版本：封面 {addresses['format']} 格式版本为“{stated or '空白'}”，{addresses['year']} 统计年度也无法识别",
        path=where or None,
        hint="请在封面填写统计年度（如 2021）或格式版本（2021 或 2019）。",
    )


def report_from_grids(grids: Mapping[str, Grid], format_id: str | None = None, *, source: str = "") -> Report:
    """Build the Report the rules check from sheet grids; last year's values from the 上年数据 sheet.

    Every value carries its provenance (sheet and address), so findings name the cells the clerk sees.
    """
    missing = [s for s in (layout.COVER, *layout.TABLE_SHEETS.values()) if s not in grids]
    if missing:
        raise XlgovaError(f"工作簿缺少工作表「{'」「'.join(missing)}」，不是 xlgova 报表模板", path=source or None)
    fid = format_id or detect_format(grids.get(layout.COVER), source)
    fmt = get_format(fid)
    report = Report(agency="", year=None, format_id=fid, source=source or None)
    cover = grids.get(layout.COVER)
    for key, _label, address in layout.COVER_FIELDS:
        value = cover_field(key, cell(cover, address))
        if key == "agency":
            report.agency = value or ""
        elif key == "year":
            report.year = value
        elif value is not None and key != "format":
            report.meta[key] = value
    for cid, (sheet, address) in layout.cell_map(fid).items():
        report.values[cid] = cell_value(cell(grids.get(sheet), address))
        report.provenance[cid] = Source(file=source or None, sheet=sheet, address=address)
    narrative = grids.get(layout.NARRATIVE)
    for key, address in layout.NARRATIVE_CELLS.items():
        raw = cell(narrative, address)
        if isinstance(raw, str) and raw.strip() and key in {s.key for s in fmt.narrative_sections}:
            report.sections[key] = unescape(raw)
    report.previous = previous_from_grid(grids.get(layout.PREVIOUS), report, source)
    return report


def previous_from_grid(grid: Grid | None, report: Report, source: str = "") -> Report | None:
    """Last year's cells from the 上年数据 sheet. A blank cell is unknown (its cross-year check is skipped);
    a sheet left entirely blank means no last-year data at all."""
    prev = Report(agency=report.agency, year=report.year - 1 if report.year else None, format_id=report.format_id)
    for cid, (sheet, address) in layout.previous_map(report.format_id).items():
        value = cell_value(cell(grid, address))
        if not value.is_blank:
            prev.values[cid] = value
            prev.provenance[cid] = Source(file=source or None, sheet=sheet, address=address)
    return prev if prev.values else None
