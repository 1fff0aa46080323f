"""The desk's marked copy is the 校验 button's marking: the same fills on the same cells and the same
校验结果 rows as validate_book run through xlwings' remote engine and replayed into the file; the upload is
never changed; the page colours the same cells."""
from __future__ import annotations

import datetime as dt
import hashlib

import pytest
import xlwings as xw
from openpyxl import load_workbook

from desk_support import agencies, desk, files, workbook  # noqa: F401
from xlgova.excel.book import validate_book
from xlgova.excel.filebook import mark_copy
from xlgova.loaders import load_report
from xlgova.rules import validate

from xlwings_payload import payload_from_xlsx
from xlwings_replay import replay

NOW = dt.datetime(2024, 2, 1, 10, 0)


def _cells(path):
    """(sheet, address) -> (value, fill) of every cell that holds either, and the notes' cells."""
    wb = load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                fill = c.fill.fgColor.rgb if c.fill is not None and c.fill.fill_type else None
                if c.value is not None or fill:
                    out[(ws.title, c.coordinate)] = (c.value, fill)
    return out


def _as_excel_sends(path):
    """The file's payload with the formula totals computed, as Excel sends them (openpyxl-written files carry
    no cached values; the reader computes the same totals)."""
    from xlgova.ooxml.a1 import zero_based as rc
    from xlgova.workbook.layout import cell_map

    payload, report = payload_from_xlsx(path), load_report(path)
    sheets = {s["name"]: s["values"] for s in payload["sheets"]}
    for cid, (sheet, address) in cell_map(report.format_id).items():
        r, c = rc(address)
        grid = sheets[sheet]
        if grid[r][c] in ("", None) and report.values.get(cid) is not None and report.format.cell(cid).is_total:
            grid[r][c] = report.values[cid].to_json()
    return payload


@pytest.mark.parametrize("broken", [False, True])
def test_marked_copy_equals_the_button_replayed_into_the_file(tmp_path, broken):
    src = workbook(tmp_path, agencies()[1][0], broken=broken)
    before = hashlib.sha256(src.read_bytes()).hexdigest()
    book = xw.Book(json=_as_excel_sends(src))
    assert validate_book(book, now=NOW) is not None
    button = load_workbook(src)
    replay(button, book.json()["actions"])
    button.save(tmp_path / "button.xlsx")

    report = load_report(src)
    ours = mark_copy(src, tmp_path / "desk.xlsx", report, validate(report), now=NOW)
    assert _cells(ours) == _cells(tmp_path / "button.xlsx")
    assert hashlib.sha256(src.read_bytes()).hexdigest() == before
    marked = {k for k, (_, fill) in _cells(ours).items() if fill in ("FFFFC7CE", "FFFFEB9C")}
    assert bool(marked) is broken


def test_the_page_colours_the_cells_the_button_colours(desk, tmp_path):
    from xlgova.workbook.layout import cell_map

    src = workbook(tmp_path, agencies()[1][0], broken=True)
    page = desk.post("/check", files=files(src), follow_redirects=True)
    assert page.status_code == 200 and "发现 " in page.text
    marked = desk.get(str(page.url).replace("?", "/marked?"))
    assert marked.status_code == 200
    (tmp_path / "m.xlsx").write_bytes(marked.content)
    fills = {k: f for k, (_, f) in _cells(tmp_path / "m.xlsx").items() if f in ("FFFFC7CE", "FFFFEB9C")}
    by_address = {v: k for k, v in cell_map("2021").items()}
    want = {by_address[k]: "#" + f[2:] for k, f in fills.items() if k in by_address}
    import re

    shown = dict(re.findall(r'data-cell="([^"]+)" style="background:(#[0-9A-F]{6})"', page.text))
    assert want and shown == want


def test_a_warning_the_clerk_explained_is_green_on_the_page_as_in_the_button(desk, tmp_path):
    """The clerk typed an 已确认说明 beside a warning on 校验结果 after the last 校验: the page shows that warning's
    cell green, exactly as the next button run (and the marked copy) colours it."""
    from excel_fixtures import reports
    from xlgova.excel import results as rs
    from xlgova.workbook import write_workbook

    src = write_workbook(reports("2021", broken=True), tmp_path / "有说明.xlsx")
    report = load_report(src)
    first = mark_copy(src, tmp_path / "第一次.xlsx", report, validate(report), now=NOW)
    wb = load_workbook(first)
    sheet = wb["校验结果"]
    row = next(r for r in range(rs.first_row(), sheet.max_row + 1) if sheet.cell(r, 3).value and "xyear.carried_in" in sheet.cell(r, 3).value)
    sheet.cell(row, rs.EXPLANATION_COL + 1).value = "上年数据有误，已与上年报告核实"
    wb.save(tmp_path / "已说明.xlsx")
    page = desk.post("/check", files=files(tmp_path / "已说明.xlsx"), follow_redirects=True).text
    assert 'data-mark="#E2EFDA"' in page
    again = mark_copy(tmp_path / "已说明.xlsx", tmp_path / "第二次.xlsx", load_report(tmp_path / "已说明.xlsx"),
                      validate(load_report(tmp_path / "已说明.xlsx")), now=NOW)
    green = {k for k, (_, f) in _cells(again).items() if f == "FFE2EFDA" and k[0] != "校验结果"}
    import re

    shown = {k for k, v in re.findall(r'data-cell="([^"]+)" style="background:(#E2EFDA)"', page)}
    from xlgova.workbook.layout import cell_map

    by_address = {v: k for k, v in cell_map("2021").items()}
    assert shown and shown == {by_address[k] for k in green if k in by_address}


def test_a_confirmed_warning_is_not_returned_in_the_notice(desk, tmp_path):
    from excel_fixtures import reports
    from xlgova.excel import results as rs
    from xlgova.workbook import write_workbook

    src = write_workbook(reports("2021", broken=True), tmp_path / "原稿.xlsx")
    report = load_report(src)
    wb = load_workbook(mark_copy(src, tmp_path / "校验后.xlsx", report, validate(report), now=NOW))
    sheet = wb["校验结果"]
    row = next(r for r in range(rs.first_row(), sheet.max_row + 1) if "xyear.carried_in" in str(sheet.cell(r, 3).value))
    sheet.cell(row, rs.EXPLANATION_COL + 1).value = "上年数据有误，已核实"
    wb.save(tmp_path / "已说明.xlsx")
    from xlgova.model import title_of

    def notice_on_page(path):
        (sub,) = desk.post("/api/submissions", files=files(path)).json()["submissions"]
        return desk.get(f"/agency/{sub['agency_id']}").text.split("退回通知将列明以下问题")[1].split("</ol>")[0]

    title = title_of("xyear.carried_in")
    assert title in notice_on_page(tmp_path / "校验后.xlsx")  # not explained: named
    explained = notice_on_page(tmp_path / "已说明.xlsx")  # the same agency's next version, explained
    assert title not in explained and "【错误】" in explained
