"""Cells are found by defined names, else by the template's positions; unusable files give XlgovaError."""
from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.workbook.defined_name import DefinedName

from workbook_io_support import comparable, edit
from xlgova.errors import XlgovaError
from xlgova.rules import validate
from xlgova.demo.samples import random_report
from xlgova.workbook import layout as L
from xlgova.workbook.reader import read_workbook
from xlgova.workbook.writer import write_workbook

CELL = "apps.new.natural"


@pytest.fixture
def filled(tmp_path):
    report = random_report(21, "2021", agency="海城街道办事处", year=2021)
    report.previous = random_report(20, "2021", agency="海城街道办事处", year=2020)
    return report, write_workbook(report, tmp_path / "filled.xlsx")


def rename_names(path: Path, out: Path, change) -> Path:
    wb = openpyxl.load_workbook(path)
    change(wb.defined_names)
    wb.save(out)
    return out


def test_names_deleted_falls_back_to_positions(tmp_path, filled):
    report, path = filled
    back = read_workbook(edit(path, tmp_path / "nonames.xlsx", {}, drop_names=True))
    assert comparable(back) == comparable(report)
    [f] = back.findings
    assert f.rule == "workbook.names_missing" and f.severity == "info"
    assert back.location(CELL) == "{}!{}".format(*L.cell_map("2021")[CELL])


def test_one_name_deleted_reads_that_cell_by_position(tmp_path, filled):
    report, path = filled
    back = read_workbook(rename_names(path, tmp_path / "one.xlsx", lambda names: names.pop(L.defined_name(CELL))))
    assert back.number(CELL) == report.number(CELL)
    [f] = back.findings
    assert f.rule == "workbook.names_missing" and f.cells == (CELL,)


def test_names_are_followed_where_they_point(tmp_path, filled):
    _report, path = filled
    wb = openpyxl.load_workbook(path)
    wb[L.APPS]["Z40"] = 777
    wb.defined_names[L.defined_name(CELL)] = DefinedName(L.defined_name(CELL), attr_text=L.absolute(L.APPS, "Z40"))
    wb.save(tmp_path / "moved.xlsx")
    back = read_workbook(tmp_path / "moved.xlsx")
    assert back.number(CELL) == 777 and back.location(CELL) == f"{L.APPS}!Z40"


def test_broken_name_is_an_error_finding(tmp_path, filled):
    _report, path = filled

    def breaks(names):
        names[L.defined_name(CELL)] = DefinedName(L.defined_name(CELL), attr_text="#REF!")

    back = read_workbook(rename_names(path, tmp_path / "ref.xlsx", breaks))
    assert CELL not in back.values
    [f] = [f for f in back.findings if f.rule == "workbook.cell_missing"]
    assert f.cells == (CELL,) and "#REF!" in f.message
    assert not validate(back).valid


def test_format_detected_from_labels_when_names_and_cover_are_gone(tmp_path):
    for format_id, year in (("2019", 2020), ("2021", 2021)):
        report = random_report(2, format_id, agency="甲", year=year)
        path = write_workbook(report, tmp_path / f"{format_id}.xlsx")
        bare = edit(path, tmp_path / f"{format_id}-bare.xlsx", {(L.COVER, "B5"): None, (L.COVER, "B4"): None}, drop_names=True)
        back = read_workbook(bare)
        assert back.format_id == format_id and back.year is None


def test_cover_fields_typed_by_hand(tmp_path, filled):
    _report, path = filled
    typed = edit(path, tmp_path / "cover.xlsx", {(L.COVER, "B4"): "2021年", (L.COVER, "B9"): dt.datetime(2022, 1, 20), (L.COVER, "B8"): 13800000000})
    back = read_workbook(typed)
    assert back.year == 2021 and back.meta["date"] == "2022-01-20" and back.meta["phone"] == "13800000000"


def test_previous_sheet_blank_cells_are_not_provided(tmp_path):
    report = random_report(3, "2021", agency="甲", year=2021)
    back = read_workbook(write_workbook(report, tmp_path / "r.xlsx"))
    assert back.previous is None
    prev_sheet, address = L.previous_map("2021")["apps.carried_out.natural"]
    one = read_workbook(edit(tmp_path / "r.xlsx", tmp_path / "p.xlsx", {(prev_sheet, address): 4}))
    assert list(one.previous.values) == ["apps.carried_out.natural"] and one.previous.number("apps.carried_out.natural") == 4
    assert one.previous.location("apps.carried_out.natural") == f"{prev_sheet}!{address}"


def _not_template(tmp_path: Path) -> Path:
    wb = openpyxl.Workbook()
    wb.active["A1"] = "随便一张表"
    wb.save(tmp_path / "other.xlsx")
    return tmp_path / "other.xlsx"


def _wrong_layout(tmp_path: Path, format_id: str | None = None) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name in L.SHEET_ORDER:
        wb.create_sheet(name)["A1"] = name
    if format_id:
        wb[L.COVER]["B5"] = format_id
        wb[L.APPS]["A6"] = "第一行"
    wb.save(tmp_path / "wrong.xlsx")
    return tmp_path / "wrong.xlsx"


def _truncated(tmp_path: Path, filled_path: Path) -> Path:
    data = filled_path.read_bytes()
    (tmp_path / "half.xlsx").write_bytes(data[: len(data) // 2])
    return tmp_path / "half.xlsx"


def _zip_without_workbook(tmp_path: Path) -> Path:
    with zipfile.ZipFile(tmp_path / "empty.xlsx", "w") as z:
        z.writestr("hello.txt", "hi")
    return tmp_path / "empty.xlsx"


def _bytes(tmp_path: Path, data: bytes) -> Path:
    (tmp_path / "bad.xlsx").write_bytes(data)
    return tmp_path / "bad.xlsx"


def _entity_workbook(tmp_path: Path, filled_path: Path) -> Path:
    """workbook.xml with an entity declaration (billion laughs / XXE): refused before anything expands."""
    out = tmp_path / "entity.xlsx"
    with zipfile.ZipFile(filled_path) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/workbook.xml":
                data = b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>' + data
            dst.writestr(info, data)
    return out


BAD = {
    "missing": (lambda t, f: t / "nope.xlsx", "文件不存在"),
    "directory": (lambda t, f: t, "文件夹"),
    "empty": (lambda t, f: _bytes(t, b""), "空的"),
    "text": (lambda t, f: _bytes(t, "单位,数量\n甲,1\n".encode("utf-8")), "CSV|文本"),
    "ole": (lambda t, f: _bytes(t, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600), "打开密码|xls"),
    "truncated": (lambda t, f: _truncated(t, f), "不是有效的|损坏"),
    "no workbook part": (lambda t, f: _zip_without_workbook(t), "ZIP 压缩包，不是 Excel 工作簿"),
    "entity declaration": (lambda t, f: _entity_workbook(t, f), "DOCTYPE|拒绝"),
    "other workbook": (lambda t, f: _not_template(t), "不是 xlgova 模板.*依申请公开"),
    "wrong layout": (lambda t, f: _wrong_layout(t), "不是 xlgova 模板.*格式版本"),
    "wrong layout, format stated": (lambda t, f: _wrong_layout(t, "2021"), "不是 xlgova 模板.*第 \\d+ 行没有模板中的"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_unusable_files_raise_xlgova_error_naming_the_file(tmp_path, filled, case):
    make, pattern = BAD[case]
    path = make(tmp_path, filled[1])
    with pytest.raises(XlgovaError, match=pattern) as info:
        read_workbook(path)
    assert str(path) in str(info.value) or path.name in str(info.value)


def test_defined_name_references():
    from xlgova.ooxml.parts import parse_reference

    assert parse_reference("'依申请公开'!$D$6") == ("依申请公开", "D6")
    assert parse_reference("依申请公开!D6") == ("依申请公开", "D6")
    assert parse_reference("'It''s'!$aa$12") == ("It's", "AA12")
    for bad in ("#REF!", "'依申请公开'!#REF!", "'依申请公开'!$D$6:$D$7", "SUM(A1)", "'x'!$D$6+1", ""):
        assert parse_reference(bad) is None, bad
