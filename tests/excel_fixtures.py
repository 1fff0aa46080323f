"""Shared builders for the tests/test_excel_* files: filled workbooks, payloads, final cell colours."""
from __future__ import annotations

from functools import lru_cache

from xlwings_payload import payload_from_grids
from xlgova.model import parse_value
from xlgova.demo.samples import random_report
from xlgova.workbook.grid_book import read_grids
from xlgova.ooxml.a1 import zero_based
from xlgova.workbook.writer import total_differences
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
        for cid, _typed, shown in total_differences(rep):  # the totals as Excel recalculates them
            rep.values[cid] = parse_value(shown)
    return rep


rc = zero_based  # 'D6' -> (5, 3): zero-based row and column


@lru_cache(maxsize=None)
def _template_grids(format_id: str) -> dict[str, list[list]]:
    import python_calamine

    from xlgova.workbook.writer import template_path

    book = python_calamine.CalamineWorkbook.from_path(str(template_path(format_id)))
    return {s: [[None if v == "" else v for v in row] for row in book.get_sheet_by_name(s).to_python(skip_empty_area=False)]
            for s in book.sheet_names}


def grids_for(report) -> dict[str, list[list]]:
    """Sheet grids as Excel would send them: the template's sheets (labels and all) with every cell of the
    report (totals computed) at its template address."""
    size = (40, 20)
    grids = {}
    for sheet, rows in _template_grids(report.format_id).items():
        width = max([size[1]] + [len(r) for r in rows])
        grids[sheet] = [list(r) + [None] * (width - len(r)) for r in rows] + [[None] * width for _ in range(size[0] - len(rows))]

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


def template_names(format_id: str) -> list[tuple[str, str]]:
    """The defined names of a workbook filled from the template, as xlwings' ``Name.refers_to`` shows them."""
    return [(n, "=" + L.absolute(sheet, address)) for n, (sheet, address) in L.data_names(format_id).items()]


def payload_for(report, grids=None, **kw) -> dict:
    """The payload of a workbook filled from the template (its defined names included)."""
    return payload_from_grids(grids if grids is not None else grids_for(report), names=L.data_names(report.format_id), **kw)


def read_payload(payload, format_id: str):
    """What the reader makes of a payload's sheets and the template's names."""
    return read_grids({s["name"]: s["values"] for s in payload["sheets"]}, template_names(format_id))
