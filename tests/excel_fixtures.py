"""Shared builders for the tests/test_excel_* files: filled workbooks, payloads, final cell colours."""
from __future__ import annotations

from xlgova.excel.grids import rc
from xlgova.model import parse_value
from xlgova.demo.samples import random_report
from xlgova.workbook import layout as L

AGENCY = "测试县人民政府办公室"


def reports(format_id: str, broken: bool):
    year = 2022 if format_id == "2021" else 2020
    prev = random_report(11, format_id, agency=AGENCY, year=year - 1)
    rep = random_report(12, format_id, agency=AGENCY, year=year, previous=prev)
    rep.previous = prev
    prev.sections = {}  # the workbook holds last year's numbers (上年数据), not last year's text
    if broken:
        n = rep.number("apps.new.natural") or 0
        rep.values["apps.new.natural"] = parse_value(n + 3)  # breaks apps.balance (and row_total where totals are typed)
        first_two = next(iter(c for c in rep.format.cells if c.startswith("art20_1.") and rep.format.cell(c).is_input))
        rep.values[first_two] = parse_value("若干")  # value.invalid
        rep.values["review.reconsideration.upheld"] = parse_value(None)  # value.blank (warning)
        n = prev.number("apps.carried_out.business") or 0
        prev.values["apps.carried_out.business"] = parse_value(n + 2)  # xyear.carried_in (warning)
    return rep


def grids_for(report) -> dict[str, list[list]]:
    """Sheet grids as Excel would send them: every cell (totals computed) at its template address."""
    size = (40, 20)
    grids = {s: [[None] * size[1] for _ in range(size[0])] for s in L.SHEET_ORDER}

    def put(sheet, address, value):
        r, c = rc(address)
        grids[sheet][r][c] = value

    fields = {k: a for k, _, a in L.COVER_FIELDS}
    put(L.COVER, fields["agency"], report.agency)
    put(L.COVER, fields["year"], report.year)
    put(L.COVER, fields["format"], report.format_id)
    for cid, (sheet, address) in L.cell_map(report.format_id).items():
        v = report.values.get(cid)
        put(sheet, address, None if v is None else v.to_json())
    for key, address in L.NARRATIVE_CELLS.items():
        if key in report.sections:
            put(L.NARRATIVE, address, report.sections[key])
    if report.previous is not None:
        for cid, (sheet, address) in L.previous_map(report.format_id).items():
            v = report.previous.values.get(cid)
            put(sheet, address, None if v is None else v.to_json())
    return grids


def final_fills(actions, sheet_names) -> dict[tuple[str, str], str | None]:
    """(sheet, address) -> colour after every setRangeColor action ran, last one winning."""
    from openpyxl.utils import get_column_letter

    out = {}
    for a in actions:
        if a["func"] != "setRangeColor":
            continue
        for r in range(a["start_row"], a["start_row"] + a["row_count"]):
            for c in range(a["start_column"], a["start_column"] + a["column_count"]):
                out[(sheet_names[a["sheet_position"]], f"{get_column_letter(c + 1)}{r + 1}")] = a["args"][0]
    return out
