"""The .docx itself: title, preamble, headings, narrative, tables with merges, typography, draft mark."""
from __future__ import annotations

from decimal import Decimal

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Cm, Length

from xlgova.export import DRAFT_MARK, render_docx
from xlgova.export.report_docx import narrative_paragraphs
from xlgova.export.grid import TEXT_WIDTH_CM, grids_for
from xlgova.formats import FORMAT_IDS, get_format
from xlgova.errors import XlgovaError
from xlgova.model import parse_value
from xlgova.demo.samples import random_report


def _export(tmp_path, report, **kw):
    return docx.Document(str(render_docx(report, tmp_path / "r.docx", **kw)))


def _texts(doc):
    return [p.text for p in doc.paragraphs]


def _unique_cells(row):
    out = []
    for cell in row.cells:  # python-docx repeats a merged cell once per grid column
        if not out or out[-1]._tc is not cell._tc:
            out.append(cell)
    return out


@pytest.mark.parametrize("format_id", FORMAT_IDS)
def test_title_preamble_and_headings(tmp_path, format_id):
    fmt = get_format(format_id)
    report = random_report(3, format_id, agency="示例县交通运输局", year=2020 if format_id == "2019" else 2022)
    doc = _export(tmp_path, report)
    texts = _texts(doc)
    assert texts[0] == f"示例县交通运输局{report.year}年政府信息公开工作年度报告"
    preamble = texts[1]
    assert f"（{fmt.notice}）" in preamble and "《中华人民共和国政府信息公开条例》" in preamble
    assert ("格式（试行）" in preamble) == (format_id == "2019")
    assert f"自{report.year}年1月1日起至{report.year}年12月31日止" in preamble
    assert "联系" not in "".join(texts[:3])  # no contact line without a phone or preparer
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == [s.heading for s in fmt.sections]
    assert DRAFT_MARK not in "".join(texts)


def test_contact_line_from_the_cover(tmp_path):
    report = random_report(3, "2021", agency="示例县民政局")
    report.meta = {"phone": "0571-8888 6666", "preparer": "李四"}
    texts = _texts(_export(tmp_path, report))
    assert texts[2] == "如对本报告有任何疑问，请与示例县民政局联系（联系人：李四；联系电话：0571-8888 6666）。"
    report.meta = {"phone": "12345"}
    assert _texts(_export(tmp_path, report))[2] == "如对本报告有任何疑问，请与示例县民政局联系（联系电话：12345）。"


@pytest.mark.parametrize("format_id", FORMAT_IDS)
def test_narrative_paragraphs_are_preserved_in_their_sections(tmp_path, format_id):
    fmt = get_format(format_id)
    report = random_report(4, format_id)
    report.sections["五"] = "　　存在的问题：一是……\n\n  改进措施：二是……  \n"
    doc = _export(tmp_path, report)
    texts = _texts(doc)
    for key in ("一", "五", "六"):
        start = texts.index(fmt.section(key).heading) + 1
        expected = narrative_paragraphs(report.sections[key])
        assert texts[start:start + len(expected)] == expected
    assert narrative_paragraphs(report.sections["五"]) == ["存在的问题：一是……", "改进措施：二是……"]


def test_subheading_lead_in_is_kaiti_and_text_unchanged(tmp_path):
    report = random_report(4, "2021")
    report.sections["一"] = "（一）主动公开。围绕重点领域发布信息。\n（二）依申请公开情况说明没有句号"
    doc = _export(tmp_path, report)
    p = next(p for p in doc.paragraphs if p.text.startswith("（一）"))
    assert p.text == "（一）主动公开。围绕重点领域发布信息。"
    assert p.runs[0].text == "（一）主动公开。"
    assert p.runs[0]._r.rPr.rFonts.get(qn("w:eastAsia")) == "楷体_GB2312"


@pytest.mark.parametrize("format_id", FORMAT_IDS)
def test_tables_match_the_grids_cell_by_cell(tmp_path, format_id):
    report = random_report(8, format_id)
    doc = _export(tmp_path, report)
    grids = [g for _, g in grids_for(report)]
    assert len(doc.tables) == len(grids) == len(get_format(format_id).tables)
    for table, grid in zip(doc.tables, grids):
        assert (len(table.rows), len(table.columns)) == (grid.n_rows, grid.n_cols)
        cells = table._cells  # table.cell() rebuilds this list on every call

        def at(r, c):
            return cells[r * grid.n_cols + c]

        for b in grid.blocks:
            cell = at(b.row, b.col)
            assert cell.text == b.text, (grid.table.id, b)
            if b.colspan > 1:
                assert cell._tc.tcPr.find(qn("w:gridSpan")).get(qn("w:val")) == str(b.colspan)
            if b.rowspan > 1:
                assert cell._tc.vMerge == "restart"
                assert at(b.row + b.rowspan - 1, b.col)._tc is cell._tc
        grid_w = [int(g.get(qn("w:w"))) for g in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert sum(grid_w) <= Cm(TEXT_WIDTH_CM).twips + 5


def test_values_zeros_decimals_and_blanks_as_found(tmp_path):
    report = random_report(9, "2021")
    for cid in report.format.cells:
        report.values[cid] = parse_value(0)
    report.values["art20_8.fees.amount"] = parse_value(Decimal("12.50"))
    report.values["art20_5.licensing.decisions"] = parse_value(None)
    report.values["art20_6.coercion.decisions"] = parse_value("/")
    doc = _export(tmp_path, report)
    grids = [g for _, g in grids_for(report)]
    shown = {}
    for table, grid in zip(doc.tables, grids):
        cells = table._cells
        for b in grid.blocks:
            if b.cell_id:
                shown[b.cell_id] = cells[b.row * grid.n_cols + b.col].text
    assert shown.pop("art20_8.fees.amount") == "12.50"
    assert shown.pop("art20_5.licensing.decisions") == ""
    assert shown.pop("art20_6.coercion.decisions") == "/"
    assert set(shown.values()) == {"0"}
    assert len(shown) == len(report.format.cells) - 3


def test_header_rows_repeat_and_rows_never_split(tmp_path):
    report = random_report(8, "2021")
    doc = _export(tmp_path, report)
    grids = [g for _, g in grids_for(report)]
    for table, grid in zip(doc.tables, grids):
        for i, row in enumerate(table.rows):
            tr_pr = row._tr.trPr
            assert tr_pr.find(qn("w:cantSplit")) is not None
            assert (tr_pr.find(qn("w:tblHeader")) is not None) == (i < grid.header_rows)
        assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"


def test_page_and_typography(tmp_path):
    doc = _export(tmp_path, random_report(1, "2021"))
    s = doc.sections[0]
    assert (round(s.page_width.cm, 1), round(s.page_height.cm, 1)) == (21.0, 29.7)
    assert round(Length(s.page_width - s.left_margin - s.right_margin).cm, 1) == TEXT_WIDTH_CM
    east = {st.name: st.element.rPr.rFonts.get(qn("w:eastAsia")) for st in doc.styles if st.type == 1 and st.element.rPr is not None and st.element.rPr.rFonts is not None}
    assert east["xlgova 标题"] == "方正小标宋简体"
    assert east["xlgova 正文"] == "仿宋_GB2312"
    assert east["Heading 1"] == "黑体"
    assert doc.styles["xlgova 正文"].font.size.pt == 16
    fonts = next(p for p in doc.part.package.iter_parts() if p.partname.endswith("fontTable.xml")).blob.decode()
    assert 'w:name="仿宋_GB2312"' in fonts and 'w:val="仿宋"' in fonts  # fallback for Word without the 公文 fonts
    assert "PAGE" in s.footer._element.xml
    assert doc.core_properties.title.endswith("年政府信息公开工作年度报告")


def test_draft_is_marked_at_the_top_and_on_every_page(tmp_path):
    doc = _export(tmp_path, random_report(1, "2021"), draft=True)
    assert doc.paragraphs[0].text == DRAFT_MARK
    assert doc.sections[0].header.paragraphs[0].text == DRAFT_MARK
    assert doc.paragraphs[1].text.endswith("年政府信息公开工作年度报告")


def test_a_report_without_agency_or_year_is_refused_unless_draft(tmp_path):
    report = random_report(1, "2021", agency="")
    with pytest.raises(XlgovaError, match="单位名称"):
        render_docx(report, tmp_path / "r.docx")
    assert not (tmp_path / "r.docx").exists()
    doc = _export(tmp_path, report, draft=True)
    assert doc.paragraphs[1].text == "（单位名称）2021年政府信息公开工作年度报告"


def test_never_overwrites_the_source(tmp_path):
    src = tmp_path / "r.docx"
    src.write_bytes(b"original")
    report = random_report(1, "2021")
    report.source = str(src)
    with pytest.raises(XlgovaError, match="输出文件与输入文件相同"):
        render_docx(report, src)
    assert src.read_bytes() == b"original"


@pytest.mark.parametrize("format_id", ["2021", "2019"])
def test_no_empty_paragraph_before_a_section_that_starts_a_page(format_id):
    """An empty spacer before a page break spills onto a blank page of its own when the page is full."""
    from docx.oxml.ns import qn

    from xlgova.export.report_docx import build_document
    from xlgova.demo.samples import random_report

    body = build_document(random_report(3, format_id)).element.body
    children = list(body.iterchildren())
    for i, el in enumerate(children):
        if el.tag == qn("w:p") and el.find(f"{qn('w:pPr')}/{qn('w:pageBreakBefore')}") is not None:
            before = children[i - 1]
            assert before.tag == qn("w:tbl") or "".join(before.itertext()).strip(), "empty paragraph before a page break"
