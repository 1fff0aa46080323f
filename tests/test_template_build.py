"""The template's structure: committed files equal a fresh build; names, protection, validation, layout."""
from __future__ import annotations

import re
import subprocess
import sys

import openpyxl
import pytest

from template_support import FORMATS
from xlgova.formats import get_format
from xlgova.workbook import layout as L
from xlgova.workbook.build_templates import template_path
from xlgova.workbook.check_formulas import check_map
from xlgova.workbook.template import build_template

ALLOWED = {"IF", "AND", "OR", "ISNUMBER", "TRIM", "INT", "ABS", "ROUND", "SUM", "COUNT", "COUNTIF", "LEFT", "LEN", "FIND"}


def snapshot(wb) -> dict:
    """Everything that matters about a workbook except bytes: values, formulas, styles, names, rules."""
    out = {"sheets": wb.sheetnames, "names": {n: d.attr_text for n, d in wb.defined_names.items()}}
    for ws in wb.worksheets:
        cells = {c.coordinate: (c.value, c.protection.locked, c.fill.fgColor.rgb, c.number_format, c.font.b)
                 for row in ws.iter_rows() for c in row if c.value is not None or not c.protection.locked}
        out[ws.title] = {
            "cells": cells,
            "merges": sorted(str(m) for m in ws.merged_cells.ranges),
            "validation": sorted((dv.type, dv.operator, dv.formula1, str(dv.sqref), dv.prompt) for dv in ws.data_validations.dataValidation),
            "cf": sorted((str(r.sqref), tuple(x.formula[0] for x in r.rules)) for r in ws.conditional_formatting),
            "protected": (ws.protection.sheet, ws.protection.password),
            "print": (ws.page_setup.orientation, ws.page_setup.paperSize, ws.print_area, ws.print_title_rows),
            "hidden": sorted(k for k, d in ws.column_dimensions.items() if d.hidden),
        }
    return out


@pytest.fixture(scope="module", params=FORMATS)
def built(request):
    return request.param, build_template(request.param)


def test_committed_templates_equal_a_fresh_build(built, tmp_path):
    format_id, wb = built
    committed = template_path(format_id)
    assert committed.is_file(), "run `make templates` and commit xlgova/templates/"
    wb.save(tmp_path / "fresh.xlsx")  # compare file against file: what a reader of either would see
    fresh = snapshot(openpyxl.load_workbook(tmp_path / "fresh.xlsx"))
    assert snapshot(openpyxl.load_workbook(committed)) == fresh, "committed template is stale: run `make templates`"


def test_every_cell_has_its_name_and_place(built):
    format_id, wb = built
    fmt = get_format(format_id)
    names = {n: d.attr_text for n, d in wb.defined_names.items()}
    for cid, (sheet, address) in L.cell_map(format_id).items():
        assert names[L.defined_name(cid)] == L.absolute(sheet, address)
        cell = wb[sheet][address]
        if fmt.cell(cid).is_input:
            assert cell.value is None and not cell.protection.locked and cell.fill.fgColor.rgb.endswith("DDEBF7")
        else:
            assert str(cell.value).startswith("=SUM(") and cell.protection.locked
    for cid, (sheet, address) in L.previous_map(format_id).items():
        assert names[L.previous_name(cid)] == L.absolute(sheet, address)
        assert wb[sheet][f"C{address[1:]}"].value == cid
    for key, _, address in L.COVER_FIELDS:
        assert names[L.cover_name(key)] == L.absolute(L.COVER, address)
    assert names[L.STATUS_NAME] == L.absolute(L.RESULTS, L.RESULTS_STATUS_CELL)
    assert wb[L.COVER]["B5"].value == format_id and wb[L.COVER]["B5"].protection.locked
    assert wb.sheetnames == list(L.SHEET_ORDER)


def test_sheets_protected_without_password(built):
    _, wb = built
    for ws in wb.worksheets:
        assert ws.protection.sheet and not ws.protection.password, ws.title


def test_validation_covers_exactly_the_inputs(built):
    format_id, wb = built
    fmt = get_format(format_id)
    covered = {}
    for ws in wb.worksheets:
        for dv in ws.data_validations.dataValidation:
            for rng in str(dv.sqref).split():
                covered[(ws.title, rng)] = (dv.type, dv.operator, dv.formula1)
    for cid, (sheet, address) in L.cell_map(format_id).items():
        kind = fmt.cell(cid).kind
        if fmt.cell(cid).is_total:
            assert (sheet, address) not in covered
            continue
        want = {"count": ("whole", "greaterThanOrEqual", "0"), "amount": ("decimal", "greaterThanOrEqual", "0"),
                "amount_free": ("decimal", "greaterThanOrEqual", "0"), "signed": ("whole", "between", "-999999999")}[kind]
        assert covered[(sheet, address)] == want, cid
    level = covered[(L.COVER, "B6")]
    assert level[0] == "list" and all(x in level[2] for x in L.LEVELS)


def test_official_headers_and_merges():
    wb = build_template("2021")
    apps, review = wb[L.APPS], wb[L.REVIEW]
    merges = {str(m): wb[L.APPS][str(m).split(":")[0]].value for m in apps.merged_cells.ranges}
    assert merges["A3:C5"].startswith("（本列数据的勾稽关系为")
    assert merges["D3:J3"] == "申请人情况" and merges["E4:I4"] == "法人或其他组织"
    assert merges["D4:D5"] == "自然人" and merges["J4:J5"] == "总计"
    assert merges["A8:A29"] == "三、本年度办理结果" and merges["B10:B17"] == "（三）不予公开"
    assert merges["A6:C6"] == "一、本年新收政府信息公开申请数量" and merges["B29:C29"] == "（七）总计"
    rm = {str(m): review[str(m).split(":")[0]].value for m in review.merged_cells.ranges}
    assert rm["A3:E4"] == "行政复议" and rm["F3:O3"] == "行政诉讼"
    assert rm["F4:J4"] == "未经复议直接起诉" and rm["K4:O4"] == "复议后起诉"
    assert [review.cell(5, c).value for c in range(1, 6)] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert apps.print_area and "$A$1:$J$30" in apps.print_area  # checks beside the table do not print


def test_check_cells_and_formulas_use_portable_functions(built):
    format_id, wb = built
    for key, (sheet, address) in check_map(format_id).items():
        assert str(wb[sheet][address].value).startswith("=IF("), key
    used = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value.startswith("="):
                    used |= set(re.findall(r"([A-Z][A-Z0-9.]*)\(", re.sub(r'"[^"]*"', "", c.value)))
    assert used <= ALLOWED, used - ALLOWED


def test_cli_writes_template(tmp_path):
    out = tmp_path / "模板.xlsx"
    p = subprocess.run([sys.executable, "-m", "xlgova", "template", "--format", "2019", "-o", str(out)], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    wb = openpyxl.load_workbook(out)
    assert wb[L.COVER]["B5"].value == "2019" and "gova.art20_9.procurement.amount" in wb.defined_names
    bad = subprocess.run([sys.executable, "-m", "xlgova", "template", "-o", str(tmp_path / "no" / "x.xlsx")], capture_output=True, text=True)
    assert bad.returncode == 2 and "输出文件夹不存在" in bad.stderr and "Traceback" not in bad.stderr


def test_make_templates_writes_the_same_bytes_every_time(tmp_path):
    """No clock reaches the files: zip entry dates and docProps/core.xml carry BUILD_TIME, so two builds match."""
    import zipfile

    from xlgova.workbook.build_templates import build_all
    from xlgova.ooxml.compact import BUILD_TIME

    first = {p.name: p.read_bytes() for p in build_all(tmp_path / "a")}
    second = {p.name: p.read_bytes() for p in build_all(tmp_path / "b")}
    assert sorted(first) == [f"xlgova-{f}.{x}" for f in sorted(FORMATS) for x in ("xlsm", "xlsx")]
    assert [n for n in first if first[n] != second[n]] == []
    stamp = "%04d-%02d-%02dT%02d:%02d:%02dZ" % BUILD_TIME
    for name, data in first.items():
        with zipfile.ZipFile(tmp_path / "a" / name) as zf:
            assert {i.date_time for i in zf.infolist()} == {BUILD_TIME}, name
            core = zf.read("docProps/core.xml").decode("utf-8")
        assert core.count(stamp) == 2, name  # created and modified
