"""The worksheet functions, called as Python with the values xlwings passes (floats, None, text)."""
from __future__ import annotations

from excel_fixtures import grids_for, rc, reports
from xlgova.excel import udfs
from xlgova.excel.functions import HEADER, PASSED
from xlgova.workbook import layout as L


def block(grid, first: str, last: str):
    (r0, c0), (r1, c1) = rc(first), rc(last)
    return [[(float(v) if isinstance(v, int) else v) for v in row[c0:c1 + 1]] for row in grid[r0:r1 + 1]]


def apps_block(report):
    p = L.placement(report.format_id, "apps")
    g = grids_for(report)[L.APPS]
    first = p.address(p.table.rows[0].id, p.table.cols[0].id)
    last = p.address(p.table.rows[-1].id, p.table.cols[-1].id)
    return block(g, first, last)


def prev_row(report):
    return [float(report.previous.number(f"apps.carried_out.{c.id}")) for c in report.format.table("apps").cols]


def test_apps_check_passes_on_a_consistent_table():
    for fid in ("2021", "2019"):
        rep = reports(fid, broken=False)
        assert udfs.GOVA_CHECK_APPS(apps_block(rep), prev_row(rep)) == [[PASSED, "", "", ""]]


def test_apps_check_names_the_broken_cells():
    rep = reports("2021", broken=False)
    data = apps_block(rep)
    data[0][0] += 3  # 一、本年新收 / 自然人
    out = udfs.GOVA_CHECK_APPS(data, prev_row(rep))
    assert out[0] == HEADER
    rules = {row[1] for row in out[1:]}
    assert any("总计列等于各类申请人之和" in r for r in rules)
    assert any("依申请公开!D6" in row[2] for row in out[1:])
    assert all(row[0] == "错误" for row in out[1:])


def test_apps_check_cross_year_with_last_years_row():
    rep = reports("2021", broken=False)
    prev = prev_row(rep)
    prev[1] += 2
    out = udfs.GOVA_CHECK_APPS(apps_block(rep), prev)
    assert [row[0] for row in out[1:]] == ["警告"] and "上年" in out[1][3]


def test_blank_and_text_cells_as_excel_passes_them():
    rep = reports("2021", broken=False)
    data = apps_block(rep)
    data[2][1] = None
    data[3][2] = "若干"
    out = udfs.GOVA_CHECK_APPS(data)
    levels = sorted(row[0] for row in out[1:])
    assert "警告" in levels and "错误" in levels


def test_wrong_range_says_what_range_is_expected():
    out = udfs.GOVA_CHECK_APPS([[1.0, 2.0], [3.0, 4.0]])
    assert out[0][0].startswith("错误：") and "依申请公开!D6" in out[0][0]


def test_any_table_and_the_whole_book_status():
    rep = reports("2021", broken=False)
    g = grids_for(rep)
    p = L.placement("2021", "review")
    review = block(g[L.REVIEW], p.address(p.table.rows[0].id, p.table.cols[0].id), p.address(p.table.rows[-1].id, p.table.cols[-1].id))
    assert udfs.GOVA_CHECK("review", review) == [[PASSED, "", "", ""]]
    args = (g[L.SECTION_TWO], g[L.APPS], g[L.REVIEW], g[L.PREVIOUS])
    assert udfs.GOVA_STATUS(*args) == "通过"
    bad = reports("2021", broken=True)
    gb = grids_for(bad)
    status = udfs.GOVA_STATUS(gb[L.SECTION_TWO], gb[L.APPS], gb[L.REVIEW], gb[L.PREVIOUS])
    assert status.startswith("发现 ") and "个错误" in status
    rows = udfs.GOVA_FINDINGS(gb[L.SECTION_TWO], gb[L.APPS], gb[L.REVIEW], gb[L.PREVIOUS])
    assert rows[0] == HEADER and len(rows) > 2
    assert udfs.GOVA_CHECK("nosuch", review)[0][0].startswith("错误：")


def test_2019_status_with_explicit_format():
    rep = reports("2019", broken=False)
    g = grids_for(rep)
    assert udfs.GOVA_STATUS(g[L.SECTION_TWO], g[L.APPS], g[L.REVIEW], g[L.PREVIOUS], "2019") == "通过"


def test_ranges_in_the_docs_and_the_udf_help_come_from_the_layout():
    """Every range written in docs/excel.md is one the layout gives, for the format the line is about;
    the worksheet functions' help texts are built from the layout."""
    import re
    from pathlib import Path

    ranges = {fid: {L.data_range(fid, p.table.id) for p in L.placements(fid)}
              | {L.sheet_range(fid, s) for s in (L.SECTION_TWO, L.APPS, L.REVIEW, L.PREVIOUS)} for fid in ("2021", "2019")}
    text = (Path(__file__).resolve().parent.parent / "docs" / "excel.md").read_text(encoding="utf-8")
    seen = 0
    for line in text.splitlines():
        for sheet, cells in re.findall(r"([\u4e00-\u9fff]+)!([A-Z]+\d+:[A-Z]+\d+)", line):
            fid = "2019" if '"2019"' in line else "2021"
            assert f"{sheet}!{cells}" in ranges[fid], line
            seen += 1
        for cells in re.findall(r"2019 版 `([A-Z]+\d+:[A-Z]+\d+)`", line):  # "(2019 版 `D6:J28`)" after a 2021 range
            assert f"{L.APPS}!{cells}" in ranges["2019"], line
            seen += 1
    assert seen >= 10
    assert udfs.APPS_DATA == L.data_range("2021", "apps") == "依申请公开!D6:J30"
    assert udfs.FROM_A1[L.SECTION_TWO] == "主动公开!A1:D19" and udfs.FROM_A1[L.PREVIOUS] == "上年数据!A1:B12"
    source = Path(udfs.__file__).read_text(encoding="utf-8")
    assert not re.findall(r"!\$?[A-Z]+\$?\d+", source), "a range typed into udfs.py by hand"
