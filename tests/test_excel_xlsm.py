"""The macro-enabled templates: VBA modules, the xlwings version, buttons bound to macros, same data as .xlsx."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import xlwings
from openpyxl import load_workbook

from xlgova.workbook import layout as L
from xlgova.workbook.template import save_template
from xlgova.templates import TEMPLATE_DIR
from xlgova.workbook.xlsm import CONF, CONF_SHEET, MACROS_DIR, build_xlsm, vba_version, xlwings_modules

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ("2021", "2019")


@pytest.fixture(scope="module", params=FORMATS)
def built(request, tmp_path_factory):
    out = tmp_path_factory.mktemp(f"xlsm{request.param}")
    return request.param, save_template(request.param, out / "t.xlsx"), build_xlsm(request.param, out / "t.xlsm")


def olevba(path: Path) -> str:
    exe = Path(sys.executable).with_name("olevba")
    return subprocess.run([str(exe), "--decode", str(path)], capture_output=True, text=True, timeout=120).stdout


def test_olevba_shows_the_modules_and_the_macros(built):
    _fid, _xlsx, xlsm = built
    text = olevba(xlsm)
    for module in ("xlwings.bas", "Dictionary.cls", "Xlgova.bas"):
        assert f"VBA MACRO {module}" in text
    assert "Public Sub ValidateReport()" in text and "Public Sub ExportWord()" in text
    assert 'RunPython "import xlgova.excel; xlgova.excel.validate_caller()"' in text
    assert 'RunPython "import xlgova.excel; xlgova.excel.export_caller()"' in text
    assert "xlwings is distributed under a BSD 3-clause license" in text  # licence notice kept


def test_xlwings_vba_module_matches_the_installed_package(built):
    from pyopenvba import ExcelFile

    with ExcelFile(built[2]) as book:
        modules = book.vba_modules()
    assert vba_version(modules["xlwings"]) == xlwings.__version__
    assert vba_version(xlwings_modules()["xlwings"]) == xlwings.__version__
    pinned = re.search(r'"xlwings==([^"]+)"', (ROOT / "pyproject.toml").read_text()).group(1)
    assert pinned == xlwings.__version__


def test_data_cells_names_and_protection_equal_the_xlsx(built):
    _fid, xlsx, xlsm = built
    a, b = load_workbook(xlsx), load_workbook(xlsm, keep_vba=True)
    assert b.sheetnames == a.sheetnames + [CONF_SHEET]
    for ws in a.worksheets:
        other = b[ws.title]
        assert [[c.value for c in row] for row in ws.iter_rows()] == [[c.value for c in row] for row in other.iter_rows(max_row=ws.max_row, max_col=ws.max_column)]
        assert other.protection.sheet == ws.protection.sheet
        assert len(other.conditional_formatting) == len(ws.conditional_formatting)
    assert {n: d.attr_text for n, d in a.defined_names.items()} == {n: d.attr_text for n, d in b.defined_names.items()}
    conf = b[CONF_SHEET]
    assert [(conf.cell(i, 1).value, conf.cell(i, 2).value) for i in range(1, len(CONF) + 1)] == [
        (k, v if v != "" else None) for k, v, _ in CONF]


def test_buttons_on_the_table_sheets_and_results(built):
    import zipfile

    _fid, _xlsx, xlsm = built
    with zipfile.ZipFile(xlsm) as z:
        vml = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/drawings/vmlDrawing")]
        sheets = [z.read(n) for n in z.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)]
    macros = [m for text in vml for m in re.findall(r"<x:FmlaMacro>\[0\]!(\w+)</x:FmlaMacro>", text)]
    assert macros.count("ValidateReport") == 4 and macros.count("ExportWord") == 4
    assert all(b'xmlns:r="' in s[:600] for s in sheets if b"r:id=" in s)


@pytest.mark.libreoffice
def test_libreoffice_sees_the_buttons_bound_to_the_macros(built, libreoffice, tmp_path):
    fods = libreoffice.convert(built[2], "fods", tmp_path)
    text = fods.read_text(encoding="utf-8")
    bound = re.findall(r'xlink:href="vnd\.sun\.star\.script:VBAProject\.Xlgova\.(\w+)\?', text)
    assert sorted(set(bound)) == ["ExportWord", "ValidateReport"] and len(bound) == 8
    assert "校验" in text and L.RESULTS in text


def test_committed_templates_are_macro_enabled_and_current():
    from pyopenvba import ExcelFile

    for fid in FORMATS:
        path = TEMPLATE_DIR / f"xlgova-{fid}.xlsm"
        assert path.exists(), f"run `make templates` ({path.name} missing)"
        with ExcelFile(path) as book:
            modules = book.vba_modules()
        assert vba_version(modules["xlwings"]) == xlwings.__version__
        assert modules["Xlgova"].replace("\r\n", "\n").strip() == (MACROS_DIR / "Xlgova.bas").read_text(encoding="ascii").strip()


def test_macro_sources_are_ascii():
    for path in MACROS_DIR.glob("*.bas"):
        path.read_bytes().decode("ascii")
