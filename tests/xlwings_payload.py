"""A workbook file as the request an xlwings client sends (xlwings Server / remote engine payload).

Used by the tests and the benchmark to drive ``validate_book`` through xlwings' remote engine on any OS,
and by anyone serving the button from xlwings Server. Values come from python-calamine (cached values,
as Excel would send them); names from the workbook part.
"""
from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any

CLIENTS = ("Microsoft Office Scripts", "Google Apps Script", "VBA", "Office.js")


def _json_value(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, _dt.datetime):
        return v.isoformat(timespec="milliseconds") + "Z"
    if isinstance(v, _dt.date):
        return _dt.datetime(v.year, v.month, v.day).isoformat(timespec="milliseconds") + "Z"
    if isinstance(v, (_dt.time, _dt.timedelta)):
        return str(v)
    return v


def _names(path: Path, sheet_index: dict[str, int]) -> list[dict]:
    """Workbook-level names as a client sends them; a broken name (#REF!) has no sheet and no address."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    try:
        out = [_name(name, next(iter(dn.destinations), None), sheet_index) for name, dn in wb.defined_names.items()]
    finally:
        wb.close()
    return out


def _name(name: str, destination, sheet_index: dict[str, int]) -> dict:
    sheet, ref = destination if destination is not None and destination[0] in sheet_index else (None, None)
    return {"name": name, "sheet_index": sheet_index.get(sheet), "address": ref,
            "scope_sheet_name": None, "scope_sheet_index": None, "book_scope": True}


def payload_from_xlsx(path: str | Path, *, client: str = "Microsoft Office Scripts", names: bool = True) -> dict:
    """The JSON an xlwings client would post for this workbook (all sheets, values from A1)."""
    import python_calamine
    import xlwings

    path = Path(path)
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    sheets = []
    for name in book.sheet_names:
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        width = max((len(r) for r in rows), default=0)
        values = [[_json_value(v) for v in r] + [""] * (width - len(r)) for r in rows] or [[]]
        sheet = {"name": name, "values": values, "pictures": [], "tables": []}
        if client == "Office.js":
            sheet.update(notes=[], notes_supported=True)
        sheets.append(sheet)
    index = {s["name"]: i for i, s in enumerate(sheets)}
    _recalculated_totals(path, {s["name"]: s["values"] for s in sheets})
    return {
        "client": client,
        "version": xlwings.__version__,
        "book": {"name": path.name, "active_sheet_index": 0, "selection": "A1"},
        "names": _names(path, index) if names else [],
        "sheets": sheets,
    }


def _recalculated_totals(path: Path, values: dict[str, list[list]]) -> None:
    """Excel sends every formula's result. A file written by openpyxl keeps none, so the totals whose
    formula has no cached value get what the reader derives for them (the sum of their parts), as Excel
    would show after opening the file. A total without a formula stays as it is (blank if it is blank)."""
    from xlgova.errors import XlgovaError
    from xlgova.rules import defining_identity
    from xlgova.ooxml.a1 import zero_based
    from xlgova.workbook.reader import read_workbook

    try:
        report = read_workbook(path)
    except XlgovaError:
        return  # not a workbook the reader accepts: nothing to recalculate
    for cid in defining_identity(report.format_id):
        src, v = report.provenance.get(cid), report.values.get(cid)
        if src is None or v is None or not v.is_number or src.sheet not in values:
            continue
        r, c = zero_based(src.address)
        grid = values[src.sheet]
        if r < len(grid) and c < len(grid[r]) and grid[r][c] == "":
            grid[r][c] = float(v.number)


def payload_from_grids(grids: dict[str, list[list]], *, name: str = "report.xlsx", client: str = "Microsoft Office Scripts",
                       names: dict[str, tuple[str, str]] | None = None) -> dict:
    """A payload from sheet grids directly (rows from A1; None for an empty cell); ``names``: defined name
    -> (sheet, address), e.g. ``layout.data_names(format_id)`` for a workbook filled from the template."""
    import xlwings

    sheets = []
    for sheet, rows in grids.items():
        width = max((len(r) for r in rows), default=0)
        entry = {"name": sheet, "values": [[_json_value(v) for v in r] + [""] * (width - len(r)) for r in rows] or [[]],
                 "pictures": [], "tables": []}
        if client == "Office.js":
            entry.update(notes=[], notes_supported=True)
        sheets.append(entry)
    index = {s["name"]: i for i, s in enumerate(sheets)}
    return {"client": client, "version": xlwings.__version__,
            "book": {"name": name, "active_sheet_index": 0, "selection": "A1"}, "sheets": sheets,
            "names": [_name(n, pos, index) for n, pos in (names or {}).items()]}
