"""Totals are derived or checked, never trusted blindly; a total typed over its formula is named by sheet!cell."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from workbook_io_support import comparable, edit, minimal_template
from xlgova.model import parse_value
from xlgova.rules import defining_identity, validate
from xlgova.demo.samples import random_report
from xlgova.workbook import layout as L
from xlgova.workbook.reader import read_workbook
from xlgova.workbook.writer import WorkbookWriter, write_workbook

TOTAL = "apps.new.total"


def filled(tmp_path: Path, format_id: str = "2021", seed: int = 7) -> tuple:
    report = random_report(seed, format_id, agency="示例县人民政府办公室", year=2021 if format_id == "2021" else 2020)
    return report, write_workbook(report, tmp_path / "filled.xlsx")


def where(cid: str, format_id: str = "2021") -> tuple[str, str]:
    return L.cell_map(format_id)[cid]


def patch_sheet(path: Path, out: Path, sheet: str, fn) -> Path:
    """Rewrite one sheet's XML inside the zip (to plant cached values the way Excel would store them)."""
    from xlgova.ooxml.parts import open_package

    part = open_package(path).sheets[sheet]
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info, fn(data) if info.filename == part else data)
    return out


def cache(address: str, value: str):
    """Give a formula cell a cached value (its formula plain or shared, with or without an empty <v>)."""
    pattern = re.compile(rb'(<c r="' + address.encode() + rb'"[^>]*>(?:<f[^>]*/>|<f[^>]*>[^<]*</f>))(?:<v\s*/>|<v>[^<]*</v>)?(?=</c>)')
    return lambda xml: pattern.sub(lambda m: m.group(1) + b"<v>" + value.encode() + b"</v>", xml, count=1)


@pytest.mark.parametrize("format_id", ["2021", "2019"])
def test_openpyxl_resaved_file_reads_the_same(tmp_path, format_id):
    report, path = filled(tmp_path, format_id)
    resaved = edit(path, tmp_path / "resaved.xlsx", {})
    back = read_workbook(resaved)
    assert comparable(back) == comparable(read_workbook(path)) == comparable(report)
    assert back.findings == []


def test_total_typed_over_with_a_wrong_number(tmp_path):
    report, path = filled(tmp_path)
    sheet, address = where(TOTAL)
    typed = edit(path, tmp_path / "typed.xlsx", {(sheet, address): 12345})
    back = read_workbook(typed)
    assert back.number(TOTAL) == 12345  # kept as the clerk sees it
    [f] = [f for f in back.findings if f.rule == "workbook.total_overwritten"]
    assert f.cells == (TOTAL,) and f.location_of(TOTAL) == f"{sheet}!{address}"
    assert f"{sheet}!{address}" in f.message and "12345" in f.message and str(report.number(TOTAL)) in f.message
    assert f.expected == report.number(TOTAL) and f.severity == "warning"
    result = validate(back)
    assert not result.valid
    assert any(x.rule == "apps.row_total" and x.location_of(TOTAL) == f"{sheet}!{address}" for x in result.findings)


def test_total_typed_over_with_the_right_number_is_still_reported(tmp_path):
    report, path = filled(tmp_path)
    sheet, address = where(TOTAL)
    back = read_workbook(edit(path, tmp_path / "typed.xlsx", {(sheet, address): report.number(TOTAL)}))
    [f] = [f for f in back.findings if f.rule == "workbook.total_overwritten"]
    assert "不会自动更新" in f.message
    result = validate(back)
    assert result.valid and result.counts["warning"] >= 1


def test_total_formula_deleted(tmp_path):
    report, path = filled(tmp_path)
    sheet, address = where(TOTAL)
    back = read_workbook(edit(path, tmp_path / "deleted.xlsx", {(sheet, address): None}))
    assert back.values[TOTAL].is_blank
    [f] = [f for f in back.findings if f.rule == "workbook.total_overwritten"]
    assert "公式已被删除" in f.message
    assert any(x.rule == "value.blank" and TOTAL in x.cells for x in validate(back).findings)


def test_cached_value_that_agrees_is_used(tmp_path):
    report, path = filled(tmp_path)
    sheet, address = where(TOTAL)
    good = patch_sheet(path, tmp_path / "cached.xlsx", sheet, cache(address, str(report.number(TOTAL))))
    back = read_workbook(good)
    assert back.number(TOTAL) == report.number(TOTAL) and back.findings == []


def test_stale_or_edited_formula_is_reported(tmp_path):
    report, path = filled(tmp_path)
    sheet, address = where(TOTAL)
    shown = report.number(TOTAL) + 7
    stale = patch_sheet(path, tmp_path / "stale.xlsx", sheet, cache(address, str(shown)))
    back = read_workbook(stale)
    assert back.number(TOTAL) == shown
    [f] = [f for f in back.findings if f.rule == "workbook.total_overwritten"]
    assert f"{sheet}!{address}" in f.message and "不符" in f.message


def test_derived_totals_count_text_as_zero_like_sum(tmp_path):
    report, _ = filled(tmp_path)
    report.values["apps.new.natural"] = parse_value("十二")
    back = read_workbook(write_workbook(report, tmp_path / "text.xlsx"))
    parts = [t.cell for t in defining_identity("2021")[TOTAL].rhs]
    assert back.number(TOTAL) == sum(report.number(c) or 0 for c in parts)
    assert any(f.rule == "value.invalid" and "apps.new.natural" in f.cells for f in validate(back).findings)


def test_workbook_without_any_total_formulas_gets_one_finding(tmp_path):
    template = minimal_template("2021", tmp_path / "plain.xlsx", formulas=False)
    report = random_report(5, "2021", agency="甲", year=2021)
    path = WorkbookWriter("2021", template).write(report, tmp_path / "r.xlsx")
    # the writer never writes totals, so type them in the way a hand-made workbook would carry them
    changes = {L.cell_map("2021")[c]: report.number(c) for c in defining_identity("2021")}
    back = read_workbook(edit(path, tmp_path / "typed.xlsx", changes))
    overwritten = [f for f in back.findings if f.rule == "workbook.total_overwritten"]
    assert len(overwritten) == 1 and len(overwritten[0].cells) == len(defining_identity("2021"))
    assert comparable(back) == comparable(report)


@pytest.mark.libreoffice
def test_libreoffice_recalculated_file_reads_the_same(tmp_path, libreoffice):
    report, path = filled(tmp_path)
    sheet, address = where(TOTAL)
    typed = edit(path, tmp_path / "typed.xlsx", {(sheet, address): 4321})
    lo_dir = tmp_path / "lo"
    recalculated = libreoffice.recalculate(path, lo_dir)
    lo_typed = libreoffice.recalculate(typed, lo_dir)
    with zipfile.ZipFile(recalculated) as z:  # LibreOffice stores cached values: the reader uses them
        part = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert any(re.search(rb"<f[^>]*>[^<]*</f><v>\d", z.read(n)) for n in part)
    back = read_workbook(recalculated)
    assert comparable(back) == comparable(read_workbook(path))
    assert back.findings == []
    back_typed = read_workbook(lo_typed)
    assert back_typed.number(TOTAL) == 4321
    assert [f.location_of(TOTAL) for f in back_typed.findings if f.rule == "workbook.total_overwritten"] == [f"{sheet}!{address}"]
