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
