"""Report -> the finished annual report as a Word document, in the official layout."""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from ..model import Report
from ..errors import XlgovaError
from ..safeio import atomic_output, shown
from .docx_table import LONG_TABLE, add_grid_table
from .grid import grids_for
from .docx_styles import (
    HEADING,
    STYLE_BODY,
    STYLE_DRAFT,
    STYLE_PREAMBLE,
    STYLE_TITLE,
    add_font_fallbacks,
    set_fonts,
    setup_page,
    setup_styles,
)

DRAFT_MARK = "草稿：存在校验错误"
REGULATION = "《中华人民共和国政府信息公开条例》（以下简称《条例》）"
NOTICE_TITLES = {
    "国办公开办函〔2021〕30号": "《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》",
    "国办公开办函〔2019〕60号": "《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式（试行）〉的通知》",
}
# （一）主动公开。 — the run-in second-level heading of a narrative paragraph, set in 楷体 as in 公文.
_SUBHEADING = re.compile(r"^（[一二三四五六七八九十]+）[^。；\n]{1,30}?(。|$)")


def title_text(report: Report) -> str:
    # Placeholders appear only in drafts: a final export refuses a report without agency or year.
    return f"{report.agency or '（单位名称）'}{report.year or '____'}年政府信息公开工作年度报告"


def preamble(report: Report) -> list[str]:
    """The usual opening: legal basis (the notice of this format version), contents, period, contact."""
    fmt = report.format
    notice = f"{NOTICE_TITLES.get(fmt.notice, '')}（{fmt.notice}）"
    parts = "、".join(s.title for s in fmt.sections)
    y = report.year
    first = f"本报告根据{REGULATION}和{notice}要求编制。报告全文包括{parts}。"
    first += f"本报告中所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。"
    out = [first]
    contact = contact_line(report)
    if contact:
        out.append(contact)
    return out


def contact_line(report: Report) -> str:
    meta = report.meta or {}
    phone = str(meta.get("phone") or "").strip()
    person = str(meta.get("preparer") or "").strip()
    if not phone and not person:
        return ""
    details = "；".join(x for x in (f"联系人：{person}" if person else "", f"联系电话：{phone}" if phone else "") if x)
    return f"如对本报告有任何疑问，请与{report.agency}联系（{details}）。"


def narrative_paragraphs(text: str) -> list[str]:
    """One paragraph per line; indentation a clerk typed (spaces, 全角空格) is typography, not text."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _check_printable(report: Report, draft: bool) -> None:
    missing = [name for name, v in (("单位名称", report.agency), ("统计年度", report.year)) if not v]
    if missing and not draft:
        raise XlgovaError(
            f"报告未填写{'、'.join(missing)}，无法生成报告标题",
            path=report.source,
            hint="请在工作簿“封面”工作表中填写后再导出。",
        )


def build_document(report: Report, *, draft: bool = False):
    """The python-docx Document (not yet saved)."""
    _check_printable(report, draft)
    report = _shown_report(report)
    doc = docx.Document()
    setup_page(doc)
    setup_styles(doc)
    body = doc.paragraphs[0] if doc.paragraphs else None
    if body is not None:  # the default template starts with no paragraph; be safe if it ever does
        body._p.getparent().remove(body._p)
    if draft:
        _draft_marks(doc)
    doc.add_paragraph(title_text(report), style=STYLE_TITLE)
    for text in preamble(report):
        doc.add_paragraph(text, style=STYLE_PREAMBLE)
    grids = grids_for(report)
    for section in report.format.sections:
        heading = doc.add_paragraph(section.heading, style=HEADING)
        if any(key == section.key and g.n_rows > LONG_TABLE for key, g in grids):
            # The applications table fills most of a page: start its section on a fresh page so the
            # table is printed whole, as in published reports (LibreOffice ignores keep-with-next rows).
            heading.paragraph_format.page_break_before = True
        for text in narrative_paragraphs(report.sections.get(section.key, "")):
            _narrative(doc, text)
        # Space between consecutive tables only: a spacer after a section's last table could spill onto a
        # page of its own when the next section starts on a fresh page.
        for i, grid in enumerate(g for key, g in grids if key == section.key):
            if i:
                _spacer(doc)
            add_grid_table(doc, grid)
    _properties(doc, report)
    add_font_fallbacks(doc)
    return doc


def _shown_report(report: Report) -> Report:
    """The report with every text that came from a file passed through ``safeio.shown`` (control characters
    would otherwise reach the document raw, or make python-docx refuse it)."""
    values = {cid: (dataclasses.replace(v, raw=shown(v.raw, lines=True)) if isinstance(v.raw, str) else v)
              for cid, v in report.values.items()}
    return dataclasses.replace(
        report, agency=shown(report.agency or ""), values=values,
        sections={k: shown(t, lines=True) for k, t in report.sections.items()},
        meta={k: shown(v) if isinstance(v, str) else v for k, v in report.meta.items()})


def render_docx(report: Report, out_path: str | Path, *, draft: bool = False) -> Path:
    """Write the report as .docx (atomically; never over the file it was read from)."""
    doc = build_document(report, draft=draft)
    inputs = (report.source,) if report.source else ()
    with atomic_output(out_path, inputs=inputs) as tmp:
        doc.save(str(tmp))
    return Path(out_path)


def _narrative(doc, text: str) -> None:
    p = doc.add_paragraph(style=STYLE_BODY)
    m = _SUBHEADING.match(text)
    if m:
        run = p.add_run(m.group(0))
        set_fonts(run._r, "subheading")
        text = text[m.end():]
    if text:
        p.add_run(text)


def _spacer(doc) -> None:
    p = doc.add_paragraph(style=STYLE_BODY)
    p.paragraph_format.first_line_indent = None
    p.paragraph_format.line_spacing = Pt(10)


def _draft_marks(doc) -> None:
    """At the top of the document and in every page header, so no printed page loses the warning."""
    doc.add_paragraph(DRAFT_MARK, style=STYLE_DRAFT)
    header = doc.sections[0].header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = header.add_run(DRAFT_MARK)
    set_fonts(run._r, "draft")
    run.font.size = Pt(12)
    run.font.bold = True
    run.font.color.rgb = doc.styles[STYLE_DRAFT].font.color.rgb


def _properties(doc, report: Report) -> None:
    props = doc.core_properties
    props.title = title_text(report)
    props.author = report.agency or "xlgova"
    props.last_modified_by = "xlgova"
    props.subject = "政府信息公开工作年度报告"
    props.keywords = f"xlgova;format={report.format_id}"
    props.comments = f"由 xlgova 按{report.format.notice}格式生成"
