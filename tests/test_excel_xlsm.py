"""The macro-enabled templates: a small VBA module, a VBA project written as [MS-OVBA] asks, buttons
the clerk sees, the Chinese messages, and the same data as the .xlsx."""
from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from xlgova.workbook import layout as L
from xlgova.workbook.template import save_template
from xlgova.templates import TEMPLATE_DIR
from xlgova.workbook.xlsm import (
    BUTTON_SIZE, CONF, CONF_SHEET, MACROS_DIR, MESSAGES, MESSAGES_SHEET, build_xlsm, project_macros, vba_project_bin,
)

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ("2021", "2019")
MAX_SUSPICIOUS = 5
# A 1366×768 screen at 100 %: Excel's window minus the row headers and scroll bar (≈60 px) across, minus
# title bar, ribbon, formula bar and column headers (≈260 px) down; points are 3/4 of a pixel.
WINDOW_PT = ((1366 - 60) * 0.75, (768 - 260) * 0.75)


@pytest.fixture(scope="module", params=FORMATS)
def built(request, tmp_path_factory):
    out = tmp_path_factory.mktemp(f"xlsm{request.param}")
    return request.param, save_template(request.param, out / "t.xlsx"), build_xlsm(request.param, out / "t.xlsm")


def olevba(*args: str) -> str:
    exe = Path(sys.executable).with_name("olevba")
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=120).stdout


def test_olevba_finds_few_suspicious_keywords(built):
    text = olevba("-a", str(built[2]))
    suspicious = re.findall(r"^\|Suspicious\|(.+?)\s*\|", text, re.M)
    assert len(suspicious) <= MAX_SUSPICIOUS, suspicious
    for banned in ("Declare", "Lib", "Kill", "VBComponents", "Environ", "Chr", "ChrW", "Shell.Application"):
        assert banned not in suspicious


def test_olevba_shows_the_one_module_and_its_macros(built):
    text = olevba("--decode", str(built[2]))
    assert "VBA MACRO Xlgova.bas" in text and "VBA MACRO xlwings.bas" not in text
    assert "Public Sub ValidateReport()" in text and "Public Sub ExportWord()" in text
    assert '-m xlgova.excel.button' in text


def test_macro_source_has_no_dangerous_calls_and_is_ascii():
    for path in MACROS_DIR.glob("*.bas"):
        text = path.read_bytes().decode("ascii")
        for banned in (r"\bDeclare\b", r"\bLib\b", r"\bKill\b", r"VBComponents", r"\bChrW?\b", r"\bEnviron\b"):
            assert not re.search(banned, text), banned


def _dir_modules(project_bin: bytes):
    from pyopenvba.cfb import CFB
    from pyopenvba.vba import decompress, parse_dir_stream

    cfb = CFB.from_bytes(project_bin)
    _info, modules = parse_dir_stream(decompress(cfb.get_stream_in_storage("VBA", "dir")))
    return cfb, modules


def test_vba_project_stream_is_what_a_writer_must_store(built):
    from pyopenvba.vba import decompress

    cfb, modules = _dir_modules(vba_project_bin(built[2]))
    assert cfb.get_stream_in_storage("VBA", "_VBA_PROJECT") == bytes.fromhex("CC61FFFF000000")
    assert not [n for n in cfb.list_streams_in_storage("VBA") if n.startswith("__SRP_")]
    for m in modules:
        assert m.text_offset == 0, m.name  # no p-code before the source
        source = decompress(cfb.get_stream_in_storage("VBA", m.stream_name)).decode("cp1252")
        assert source.startswith(f'Attribute VB_Name = "{m.name}"'), m.name


def test_dir_project_and_projectwm_streams_agree(built):
    cfb, modules = _dir_modules(vba_project_bin(built[2]))
    project = cfb.get_stream("PROJECT").decode("cp1252")
    listed = re.findall(r"^(?:Module|Document|Class|BaseClass)=([^/\r\n]+)", project, re.M)
    in_dir = [m.name for m in modules]
    assert sorted(listed) == sorted(in_dir) and "Xlgova" in in_dir
    streams = set(cfb.list_streams_in_storage("VBA"))
    assert {m.stream_name for m in modules} <= streams
    assert streams - {m.stream_name for m in modules} == {"_VBA_PROJECT", "dir"}
    wm = cfb.get_stream("PROJECTwm")
    assert all(name.encode("cp1252") + b"\x00" in wm for name in in_dir)


def test_olefile_reads_every_stream(built):
    import olefile

    with olefile.OleFileIO(vba_project_bin(built[2])) as ole:
        names = ["/".join(p) for p in ole.listdir()]
        assert "VBA/Xlgova" in names and "PROJECT" in names
        for name in names:
            assert ole.openstream(name).read() is not None


def test_messages_sheet_has_every_text_the_macro_asks_for(built):
    bas = (MACROS_DIR / "Xlgova.bas").read_text(encoding="ascii")
    asked = set(re.findall(r'Tell "([a-z_]+)"', bas))
    wb = load_workbook(built[2], keep_vba=True)
    ws = wb[MESSAGES_SHEET]
    assert ws.sheet_state == "veryHidden"
    stored = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1)}
    assert asked == set(stored) == {k for k, _ in MESSAGES}
    assert all(re.search(r"[\u4e00-\u9fff]", text) for text in stored.values())


def test_data_cells_names_and_protection_equal_the_xlsx(built):
    _fid, xlsx, xlsm = built
    a, b = load_workbook(xlsx), load_workbook(xlsm, keep_vba=True)
    assert b.sheetnames == a.sheetnames + [CONF_SHEET, MESSAGES_SHEET]
    for ws in a.worksheets:
        other = b[ws.title]
        assert [[c.value for c in row] for row in ws.iter_rows()] == [[c.value for c in row] for row in other.iter_rows(max_row=ws.max_row, max_col=ws.max_column)]
        assert other.protection.sheet == ws.protection.sheet
        assert (other.protection.objects, other.protection.scenarios) == (ws.protection.objects, ws.protection.scenarios)
        assert len(other.conditional_formatting) == len(ws.conditional_formatting)
    assert {n: d.attr_text for n, d in a.defined_names.items()} == {n: d.attr_text for n, d in b.defined_names.items()}
    conf = b[CONF_SHEET]
    rows = [(conf.cell(i, 1).value, conf.cell(i, 2).value) for i in range(1, conf.max_row + 1)]
    assert rows == [(k, v) for k, v, _ in CONF]
    assert all(v not in (None, "") for _k, v in rows)  # a blank row would override the user's xlwings settings


def _anchors(xlsm: Path) -> dict[str, list[tuple[str, float, float, float, float]]]:
    """sheet -> (macro, left, top, width, height) in points, from the VML of each sheet's buttons."""
    out: dict[str, list] = {}
    with zipfile.ZipFile(xlsm) as z:
        wb = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
        targets = {m.group(2): m.group(1) for m in re.finditer(r'Target="/?(?:xl/)?([^"]+)" Id="(rId\d+)"', rels)}
        for tag in re.findall(r"<sheet [^>]*>", wb):
            name, rid = re.search(r' name="([^"]+)"', tag).group(1), re.search(r' r:id="([^"]+)"', tag).group(1)
            sheet_part = "xl/" + targets[rid]
            srels = sheet_part.replace("worksheets/", "worksheets/_rels/") + ".rels"
            if srels not in z.namelist():
                continue
            vml = re.findall(r'Target="\.\./drawings/(vmlDrawing\d+\.vml)"', z.read(srels).decode())
            for part in vml:
                text = z.read("xl/drawings/" + part).decode()
                for style, macro in re.findall(r"style='([^']+)'[^>]*>.*?<x:FmlaMacro>\[0\]!(\w+)<", text, re.S):
                    px = dict(re.findall(r"(margin-left|margin-top|width|height):([\d.]+)pt", style))
                    out.setdefault(name, []).append((macro, *(float(px[k]) for k in ("margin-left", "margin-top", "width", "height"))))
    return out


def test_buttons_at_the_top_left_inside_a_small_laptop_window(built):
    anchors = _anchors(built[2])
    assert set(anchors) == {L.SECTION_TWO, L.APPS, L.REVIEW, L.RESULTS}
    for sheet, buttons in anchors.items():
        assert sorted(m for m, *_ in buttons) == ["ExportWord", "ValidateReport"], sheet
        for _m, left, top, width, height in buttons:
            assert (width, height) == BUTTON_SIZE
            assert left + width <= WINDOW_PT[0] / 2 and top + height <= 60, (sheet, left, top)


def test_buttons_cover_no_cell_with_content(built):
    wb = load_workbook(built[2], keep_vba=True)
    for sheet in (L.SECTION_TWO, L.APPS, L.REVIEW):
        ws = wb[sheet]
        assert all(c.value is None for c in ws[2]), sheet  # the button row under the title
        assert ws.row_dimensions[2].height >= BUTTON_SIZE[1]


@pytest.mark.libreoffice
def test_libreoffice_sees_the_modules_and_the_buttons(built, libreoffice, tmp_path):
    ods = libreoffice.convert(built[2], "ods", tmp_path)
    with zipfile.ZipFile(ods) as z:
        names = z.namelist()
        content = z.read("content.xml").decode()
    assert "Basic/VBAProject/Xlgova.xml" in names
    bound = re.findall(r'xlink:href="vnd\.sun\.star\.script:VBAProject\.Xlgova\.(\w+)\?', content)
    assert sorted(set(bound)) == ["ExportWord", "ValidateReport"] and len(bound) == 8


def test_committed_templates_carry_the_current_macro():
    from pyopenvba import ExcelFile

    for fid in FORMATS:
        path = TEMPLATE_DIR / f"xlgova-{fid}.xlsm"
        assert path.exists(), f"run `make templates` ({path.name} missing)"
        with ExcelFile(path) as book:
            modules = book.vba_modules()
        assert "xlwings" not in modules
        assert modules["Xlgova"].replace("\r\n", "\n").strip() == project_macros()["Xlgova"].strip()


# Worksheet.Protect's options (Password and UserInterfaceOnly aside) and the property that reads each.
PROTECT_OPTIONS = {
    "DrawingObjects": "ws.ProtectDrawingObjects", "Contents": "ws.ProtectContents", "Scenarios": "ws.ProtectScenarios",
    **{name: f"ws.Protection.{name}" for name in (
        "AllowFormattingCells", "AllowFormattingColumns", "AllowFormattingRows", "AllowInsertingColumns",
        "AllowInsertingRows", "AllowInsertingHyperlinks", "AllowDeletingColumns", "AllowDeletingRows",
        "AllowSorting", "AllowFiltering", "AllowUsingPivotTables")},
}


def test_protection_is_put_back_with_every_option_it_had():
    bas = (MACROS_DIR / "Xlgova.bas").read_text(encoding="ascii").replace(" _\n", " ")
    saved = re.search(r"states\.Add Array\(ws\.Name, (.+?)\)\n", bas).group(1)
    read = [x.strip() for x in saved.split(",")]
    restore = re.search(r"\.Protect (.+?)\n", bas).group(1)
    args = dict(re.findall(r"(\w+):=s\((\d+)\)", restore))
    assert set(args) == set(PROTECT_OPTIONS)  # every option Excel has, nothing left to its default
    for option, index in args.items():
        assert read[int(index) - 1] == PROTECT_OPTIONS[option], option
    assert 'ws.Unprotect Password:=""' in bas  # no password prompt; a clerk's password stops the run
    assert "RestoreProtection states" in bas.split("Failed:")[1]  # restored on the error path too


def test_template_protection_lets_the_clerk_add_notes(built):
    wb = load_workbook(built[2], keep_vba=True)
    for sheet in (L.SECTION_TWO, L.APPS, L.REVIEW, L.RESULTS):
        p = wb[sheet].protection
        assert p.sheet and not p.objects and not p.scenarios  # what the macro reads and puts back


def test_docs_list_every_message_and_promise_no_pip_install():
    docs = (ROOT / "docs" / "excel.md").read_text(encoding="utf-8")
    for _key, text in MESSAGES:
        first = text.split("{0}")[0].split("\n")[0].split("（")[0].split("。")[0]
        assert first in docs, first
    assert "不能用 `pip install xlgova` 安装" in docs
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "pip install xlgova`" not in readme.replace("不能用 `pip install", "")
