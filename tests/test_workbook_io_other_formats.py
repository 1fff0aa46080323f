"""What clerks actually save: a filled template saved as .xls (Excel 97-2003, WPS 兼容模式) or .ods is read
through the same reader as the .xlsx — same values, same cells — with a note recommending .xlsx.

The .xls/.ods files are made by LibreOffice from filled workbooks, as a clerk's 另存为 would.
"""
from __future__ import annotations

import shutil
import zipfile

import pytest

from xlgova.cli import main
from xlgova.demo.samples import random_report
from xlgova.errors import XlgovaError
from xlgova.loaders import load_report
from xlgova.ooxml.parts import open_package
from xlgova.workbook import layout as L
from xlgova.workbook import read_workbook, write_workbook
from xlgova.workbook.other_formats import ODS, XLS, open_other, other_kind

FORMATS = ("2021", "2019")


@pytest.fixture(scope="module")
def saved_as(tmp_path_factory):
    """format id -> {".xlsx": filled workbook, ".xls": LibreOffice's save of it, ".ods": likewise}."""
    from conftest import need_libreoffice
    from xlgova.workbook import libreoffice

    need_libreoffice()
    out = {}
    for fid in FORMATS:
        folder = tmp_path_factory.mktemp(f"另存为 {fid}")
        previous = random_report(40, fid, year=2020 if fid == "2021" else 2019)
        report = random_report(41, fid, agency="示例县住房和城乡建设局", previous=previous if fid == "2019" else None)
        xlsx = write_workbook(report, folder / "报告.xlsx")
        out[fid] = {".xlsx": xlsx, **{f".{to}": libreoffice.convert(xlsx, to, folder) for to in ("xls", "ods")}}
    return out


def _same_reading(a, b) -> None:
    assert b.values == a.values
    assert b.sections == a.sections and b.meta == a.meta
    assert (b.agency, b.year, b.format_id) == (a.agency, a.year, a.format_id)
    assert (b.previous.values if b.previous else None) == (a.previous.values if a.previous else None)
    assert {c: (s.sheet, s.address) for c, s in b.provenance.items()} == {c: (s.sheet, s.address) for c, s in a.provenance.items()}


@pytest.mark.libreoffice
@pytest.mark.parametrize("fid", FORMATS)
@pytest.mark.parametrize("suffix", [".xls", ".ods"])
def test_saved_as_xls_or_ods_reads_like_the_xlsx(saved_as, fid, suffix):
    files = saved_as[fid]
    want = read_workbook(files[".xlsx"])
    assert want.findings == []
    got = read_workbook(files[suffix])
    _same_reading(want, got)
    rules = [f.rule for f in got.findings]
    assert rules[0] == "workbook.not_xlsx" and ".xlsx" in got.findings[0].message
    assert rules[1:] == []  # both formats keep the defined names (and the template revision): read by name
    kind = other_kind(files[suffix].read_bytes())
    assert kind == (ODS if suffix == ".ods" else XLS)
    pkg = open_other(files[suffix], files[suffix].read_bytes(), kind)
    assert pkg.name_target(L.defined_name("apps.new.natural")) == ("依申请公开", "D6")
    assert L.template_revision(pkg.names) == L.TEMPLATE_REVISION
    # every command that takes a report reads it too (validate, export, consolidate all use load_report)
    _same_reading(want, load_report(files[suffix]))


@pytest.mark.libreoffice
def test_validate_and_consolidate_take_xls_and_ods(saved_as, tmp_path, capsys):
    folder = tmp_path / "报送"
    folder.mkdir()
    for i, suffix in enumerate((".xlsx", ".xls", ".ods")):
        shutil.copy(saved_as["2021"][suffix], folder / f"单位{i}{suffix}")
    assert main(["validate", *map(str, sorted(folder.iterdir()))]) == 0
    text = capsys.readouterr().out
    assert text.count("通过") >= 3 and "另存为" in text
    assert main(["consolidate", str(folder), "-o", str(tmp_path / "汇总.xlsx"), "--workers", "1"]) in (0, 1)
    text = capsys.readouterr().out  # one agency's report three times: all three files found and read
    assert "共读取 3 个文件" in text and "无法读取 0" in text, text


@pytest.mark.libreoffice
def test_rows_moved_in_an_ods_or_xls_still_read_by_name(saved_as, tmp_path):
    """Names travel with their cells in .ods and .xls: a name pointing elsewhere is followed, not the position."""
    src = saved_as["2021"][".ods"]
    moved = tmp_path / "moved.ods"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(moved, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "content.xml":  # swap where two names point
                data = (data.replace(b'"$\xe4\xbe\x9d\xe7\x94\xb3\xe8\xaf\xb7\xe5\x85\xac\xe5\xbc\x80.$D$6"', b'"@TMP@"')
                        .replace(b'"$\xe4\xbe\x9d\xe7\x94\xb3\xe8\xaf\xb7\xe5\x85\xac\xe5\xbc\x80.$E$6"', b'"$\xe4\xbe\x9d\xe7\x94\xb3\xe8\xaf\xb7\xe5\x85\xac\xe5\xbc\x80.$D$6"')
                        .replace(b'"@TMP@"', b'"$\xe4\xbe\x9d\xe7\x94\xb3\xe8\xaf\xb7\xe5\x85\xac\xe5\xbc\x80.$E$6"'))
            zout.writestr(item, data, compress_type=zipfile.ZIP_STORED if item.filename == "mimetype" else zipfile.ZIP_DEFLATED)
    from xlgova.workbook import libreoffice

    as_xls = libreoffice.convert(moved, "xls", tmp_path)  # and the same names kept through a save as .xls
    base = read_workbook(src)
    for path in (moved, as_xls):
        got = read_workbook(path)
        assert got.location("apps.new.natural") == "依申请公开!E6" and got.location("apps.new.business") == "依申请公开!D6"
        assert got.values["apps.new.natural"] == base.values["apps.new.business"]
        assert [f.rule for f in got.findings] == ["workbook.not_xlsx"]


@pytest.mark.libreoffice
def test_an_xls_whose_names_cannot_be_read_is_read_by_position(saved_as, monkeypatch):
    import xlgova.workbook.other_formats as other

    monkeypatch.setattr(other, "xls_names", lambda data: [])
    got = read_workbook(saved_as["2021"][".xls"])
    assert [f.rule for f in got.findings] == ["workbook.not_xlsx", "workbook.names_missing"]
    assert "无法读取" in got.findings[0].message
    _same_reading(read_workbook(saved_as["2021"][".xlsx"]), got)


def test_wps_et_is_refused_with_the_steps_to_save_as_xlsx(tmp_path):
    et = tmp_path / "报告.et"
    et.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(XlgovaError) as e:
        load_report(et)
    assert "WPS 表格（.et）" in str(e.value) and "另存为" in e.value.hint and "*.xlsx" in e.value.hint


def test_not_really_xls_files_are_named_not_read(tmp_path):
    html = tmp_path / "网站导出.xls"
    html.write_text("<html><table><tr><td>1</td></tr></table></html>", encoding="utf-8")
    with pytest.raises(XlgovaError, match="网页"):
        read_workbook(html)
    doc = tmp_path / "其实是Word.xls"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100 + "WordDocument".encode("utf-16-le") + b"\x00\x00")
    with pytest.raises(XlgovaError, match="Word 97-2003"):
        read_workbook(doc)
    locked = tmp_path / "加密.xls"
    locked.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100 + "EncryptionInfo".encode("utf-16-le") + b"\x00\x00")
    with pytest.raises(XlgovaError, match="加密"):
        read_workbook(locked)
    junk = tmp_path / "坏.xls"
    junk.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100 + "Workbook".encode("utf-16-le") + b"\x00\x00")
    with pytest.raises(XlgovaError):
        read_workbook(junk)


def test_an_xlsx_named_xls_is_read_as_the_xlsx_it_is(tmp_path):
    report = random_report(3, "2021")
    xlsx = write_workbook(report, tmp_path / "r.xlsx")
    renamed = tmp_path / "r.xls"
    renamed.write_bytes(xlsx.read_bytes())
    assert open_package(renamed).names  # the content decides, not the suffix
    got = read_workbook(renamed)
    assert got.findings == [] and got.values == read_workbook(xlsx).values


@pytest.mark.libreoffice
@pytest.mark.parametrize("suffix", [".xls", ".ods"])
def test_damaged_xls_and_ods_are_refused_in_chinese_never_a_traceback(saved_as, tmp_path, suffix):
    """Bytes flipped and files cut short: python-calamine may even panic (Rust) on a damaged .xls; the reader
    turns every failure into an XlgovaError naming the file."""
    import random

    data = saved_as["2021"][suffix].read_bytes()
    rng = random.Random(7)
    for i in range(80):
        damaged = bytearray(data)
        for _ in range(rng.randint(1, 40)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        if i % 5 == 0:
            damaged = damaged[: rng.randrange(len(damaged))]
        path = tmp_path / f"坏{i}{suffix}"
        path.write_bytes(bytes(damaged))
        try:
            read_workbook(path)
        except XlgovaError as e:
            assert str(e).startswith(str(path)), e


@pytest.mark.libreoffice
def test_cells_far_outside_the_template_are_cut_and_reported_in_ods_and_xls(saved_as, tmp_path):
    """The same sheet bounds as for an .xlsx (limits.SHEET_MAX_ROWS × SHEET_MAX_COLS), row by row."""
    import openpyxl

    from xlgova import limits
    from xlgova.workbook import libreoffice

    wb = openpyxl.load_workbook(saved_as["2021"][".xlsx"])
    wb[L.APPS].cell(limits.SHEET_MAX_ROWS + 500, 2, "粘贴的无关内容")
    far = tmp_path / "far.xlsx"
    wb.save(far)
    want = read_workbook(saved_as["2021"][".xlsx"])
    for to in ("ods", "xls"):
        got = read_workbook(libreoffice.convert(far, to, tmp_path))
        assert [f.rule for f in got.findings] == ["workbook.not_xlsx", "workbook.out_of_range"], to
        assert f"{L.APPS}!B{limits.SHEET_MAX_ROWS + 500}" in got.findings[1].message
        assert got.values == want.values
