"""The validate button (xlwings) on a broken, hostile workbook: its recorded actions never change an input cell."""
from __future__ import annotations

import os

import pytest

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")


def _input_addresses(format_id: str) -> set[tuple[str, str]]:
    from xlgova.formats import get_format
    from xlgova.workbook import layout as L

    fmt = get_format(format_id)
    cells = {v for cid, v in L.cell_map(format_id).items() if fmt.cell(cid).is_input}
    cells |= {(L.COVER, a) for _, _, a in L.COVER_FIELDS}
    cells |= {(L.NARRATIVE, a) for a in L.NARRATIVE_CELLS.values()}
    cells |= set(L.previous_map(format_id).values())
    return cells


def test_button_actions_never_touch_an_input_cell(tmp_path):
    try:
        import xlwings as xw

        from xlgova.excel.book import validate_book
        from xlwings_payload import payload_from_xlsx
        from xlwings_replay import replay
    except ImportError as e:  # pragma: no cover - the xlwings part is another issue's
        pytest.skip(f"validate button not available: {e}")
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    from xlgova.model import parse_value
    from xlgova.demo.samples import random_report
    from xlgova.workbook import write_workbook

    report = random_report(21, "2021", agency='=HYPERLINK("http://evil.example","x")', year=2021)
    report.values["apps.new.natural"] = parse_value("十二")
    report.values["review.reconsideration.upheld"] = parse_value(-3)
    report.values["art20_5.licensing.decisions"] = parse_value("1,234")
    report.sections = {"一": "+cmd|' /C calc'!A0", "五": "@SUM(1)", "六": "-1"}
    path = tmp_path / "按钮.xlsx"
    write_workbook(report, path)

    book = xw.Book(json=payload_from_xlsx(path))
    validate_book(book)
    actions = book.json()["actions"]
    assert actions, "the button should at least write the results sheet"
    names = [s.name for s in book.sheets]
    inputs = _input_addresses("2021")
    for a in actions:
        if a["func"] not in ("setValues", "rangeClear", "rangeClearContents", "addHyperlink"):
            continue
        sheet = names[a["sheet_position"]]
        rows = len(a.get("values") or [[None]]) if a["func"] == "setValues" else a["row_count"]
        cols = max((len(r) for r in a.get("values") or [[None]]), default=1) if a["func"] == "setValues" else a["column_count"]
        for r in range(a["start_row"], a["start_row"] + rows):
            for c in range(a["start_column"], a["start_column"] + cols):
                assert (sheet, f"{get_column_letter(c + 1)}{r + 1}") not in inputs, (a["func"], sheet, r, c)

    before = load_workbook(path)
    wb = load_workbook(path)
    replay(wb, actions)
    for sheet, address in inputs:
        if sheet in wb.sheetnames:
            assert wb[sheet][address].value == before[sheet][address].value, (sheet, address)
