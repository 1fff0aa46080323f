"""compact.py: lighter template XML (UTF-8 characters, shared formulas) that means exactly the same."""
from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from openpyxl import Workbook

from template_support import FORMATS
from xlgova.workbook.build_templates import template_path
from xlgova.ooxml.compact import compact_xlsx, share_formulas, utf8_characters


def _formulas(data: bytes) -> dict:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return {(ws.title, c.coordinate): c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None}


def test_character_references_become_utf8_but_ascii_and_illegal_ones_stay():
    xml = b'<t a="&#20013;">&#25991;&#x5B57; &#10; &#38;&#60; &#65534;</t>'
    assert utf8_characters(xml) == '<t a="中">文字 &#10; &#38;&#60; &#65534;</t>'.encode()


def test_only_translations_of_the_first_formula_are_shared():
    sheet = (b'<sheetData><row r="1"><c r="B1"><f>A1+1</f><v></v></c><c r="C1"><f>SUM($A$1:A1)</f></c></row>'
             b'<row r="2"><c r="A2"><f>Z1+1</f></c><c r="B2" s="3"><f>A2+1</f><v></v></c><c r="C2"><f>SUM($A$1:A2)</f></c></row>'
             b'<row r="3"><c r="B3"><f>A3+2</f></c><c r="C3"><f>"A3"&amp;A3</f></c></row></sheetData>')
    out = share_formulas(sheet)
    assert b'<c r="B1"><f t="shared" ref="B1:B2" si="0">A1+1</f></c>' in out
    assert b'<c r="B2" s="3"><f t="shared" si="0"/></c>' in out
    assert b'<c r="C1"><f t="shared" ref="C1:C2" si="1">SUM($A$1:A1)</f></c>' in out and b'<c r="C2"><f t="shared" si="1"/></c>' in out
    assert b'<c r="A2"><f>Z1+1</f></c>' in out  # left of the block's first cell: never a member
    assert b'<c r="B3"><f>A3+2</f></c>' in out and b'<c r="C3"><f>"A3"&amp;A3</f></c>' in out


def test_a_compacted_workbook_reads_back_identically(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "依申请公开"
    for r in range(1, 30):
        ws[f"A{r}"] = r
        ws[f"B{r}"] = f'=IF(A{r}<0,"负数",IF(ISNUMBER(FIND("|"&TRIM(A{r})&"|","|—|无|")),"空白",A{r}*2))'
        ws[f"C{r}"] = f"=SUM($A$1:A{r})+'依申请公开'!$A$1"
    buf = io.BytesIO()
    wb.save(buf)
    compact = compact_xlsx(buf.getvalue())
    assert _formulas(compact) == _formulas(buf.getvalue())
    sheet = zipfile.ZipFile(io.BytesIO(compact)).read("xl/worksheets/sheet1.xml")
    assert sheet.count(b't="shared"') == 58 and b"&#" not in sheet and "负数".encode() in sheet


@pytest.mark.parametrize("format_id", FORMATS)
def test_committed_templates_are_compact(format_id):
    """What keeps reading fast: the per-cell checks are shared formulas and the text is plain UTF-8
    (the committed templates equal a fresh build: test_template_build)."""
    with zipfile.ZipFile(template_path(format_id)) as z:
        sheets = {n: z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/")}
    assert not any(b"&#" in xml for xml in sheets.values())
    assert sum(xml.count(b'<f t="shared" si=') for xml in sheets.values()) > 200


def _shared_refs(xml: bytes) -> list[tuple[int, int, int, int]]:
    import re

    from openpyxl.utils.cell import range_boundaries

    return [range_boundaries(ref.decode()) for ref in re.findall(rb'<f t="shared" ref="([A-Z0-9:]+)"', xml)]


def _overlaps(refs) -> list:
    return [(a, b) for i, a in enumerate(refs) for b in refs[i + 1:]
            if a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]]


def test_an_l_shaped_block_becomes_rectangles_that_do_not_overlap():
    cells = "".join(f'<c r="{c}{r}"><f>A{r}+{ord(c) - 64}*0+A{r}</f></c>' for r in range(1, 5) for c in "BC")
    cells += "".join(f'<c r="{c}4"><f>A4+{ord(c) - 64}*0+A4</f></c>' for c in "DE")  # the L's foot
    cells += '<c r="D2"><f>99</f></c>'  # another formula inside the L's bounding box
    out = share_formulas(f"<sheetData><row>{cells}</row></sheetData>".encode())
    refs = _shared_refs(out)
    assert refs and not _overlaps(refs)
    assert b'<c r="D2"><f>99</f></c>' in out


@pytest.mark.parametrize("format_id", FORMATS)
def test_committed_templates_share_formulas_in_disjoint_rectangles(format_id):
    for suffix in (".xlsx", ".xlsm"):
        with zipfile.ZipFile(template_path(format_id).with_suffix(suffix)) as z:
            for name in z.namelist():
                if name.startswith("xl/worksheets/sheet"):
                    assert not _overlaps(_shared_refs(z.read(name))), (suffix, name)
