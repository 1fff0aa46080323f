"""Helpers for the workbook reading/writing tests: templates, openpyxl edits, report comparison."""
from __future__ import annotations

from pathlib import Path

import openpyxl
from openpyxl.workbook.defined_name import DefinedName

from xlgova.formats import SPREAD, get_format
from xlgova.workbook import layout as L


def real_template(format_id: str) -> Path | None:
    """The committed template, or one built by ``build_template`` when the committed file is missing."""
    from xlgova.workbook.writer import template_path

    p = template_path(format_id)
    return p if p.is_file() else None


def minimal_template(format_id: str, path: Path, *, names: bool = True, formulas: bool = True) -> Path:
    """A bare workbook with the layout's sheets, labels, names and SUM totals (no styling, no checks).

    Used to vary structure (no names, totals typed as values) independently of the real template.
    """
    from xlgova.rules import defining_identity

    fmt = get_format(format_id)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sheet in L.SHEET_ORDER:
        wb.create_sheet(sheet)
    for key, label, address in L.COVER_FIELDS:
        ws = wb[L.COVER]
        row = int(address[1:])
        ws.cell(row, 1, label)
        ws[address].number_format = "@"
        if names:
            _name(wb, L.cover_name(key), L.COVER, address)
    wb[L.COVER]["B5"] = format_id
    for p in L.placements(format_id):
        ws = wb[p.sheet]
        ws.cell(p.title_row, 1, p.table.title)
        if p.table.layout == SPREAD:
            for i, row in enumerate(p.table.rows):
                ws.cell(p.header_top, p.first_col + i * len(p.table.cols), row.label)
        else:
            for i, row in enumerate(p.table.rows):
                ws.cell(p.first_row + i, 1, row.label)
    cmap = L.cell_map(format_id)
    defining = defining_identity(format_id)
    for cid, (sheet, address) in cmap.items():
        cell = wb[sheet][address]
        if fmt.cells[cid].is_total and formulas:
            parts = [cmap[t.cell][1] for t in defining[cid].rhs]
            cell.value = "=SUM(" + ",".join(parts) + ")"
        else:
            cell.number_format = "0"
        if names:
            _name(wb, L.defined_name(cid), sheet, address)
    for key, address in L.NARRATIVE_CELLS.items():
        wb[L.NARRATIVE][address].number_format = "@"
    for cid, (sheet, address) in L.previous_map(format_id).items():
        wb[sheet][address].number_format = "0"
        if names:
            _name(wb, L.previous_name(cid), sheet, address)
    wb.save(path)
    return path


def _name(wb, name: str, sheet: str, address: str) -> None:
    wb.defined_names[name] = DefinedName(name, attr_text=L.absolute(sheet, address))


def edit(path: Path, out: Path, changes: dict[tuple[str, str], object], *, drop_names: bool = False) -> Path:
    """Re-save a workbook with openpyxl (dropping every cached value), changing some cells."""
    wb = openpyxl.load_workbook(path)
    for (sheet, address), value in changes.items():
        wb[sheet][address] = value
    if drop_names:
        for name in list(wb.defined_names):
            del wb.defined_names[name]
    wb.save(out)
    return out


def comparable(report) -> dict:
    """What must survive a write -> read round trip."""
    data = report.to_json()
    data.pop("meta", None)
    data.pop("findings", None)  # what the reader noticed (names missing, totals typed over) is not data
    data["sections"] = {k: v for k, v in data["sections"].items() if v}
    prev = data.pop("previous", None)
    if prev is not None:
        keep = set(L.previous_cells(report.format_id))
        data["previous"] = {k: v for k, v in prev["values"].items() if k in keep and v is not None}
    if not data.get("previous"):
        data.pop("previous", None)
    return data
