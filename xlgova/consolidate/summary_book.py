"""The summary workbook: the six tables filled with the totals, then the consolidator's own sheets.

The tables are the standard template filled by :func:`xlgova.workbook.write_workbook` — so the template's
check formulas work on the summary, and a summary can be consolidated again (roll-up into a city). The
cover says 报表类型 汇总报告 and 汇总单位数.
"""
from __future__ import annotations

import datetime as _dt
import io
import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl

from .. import __version__
from ..safeio import atomic_output, safe_text
from ..workbook import layout as L
from ..workbook import cell_styles as S
from ..ooxml.compact import rezip
from .charts import add_chart_sheet
from ..ooxml.add_sheets import add_sheets
from ..ooxml.sheet_rows import Rows, _sheet_part, fill_rows
from ..rules import title_of
from .coverage import NOT_RUN, PARTLY
from .coverage import counts as coverage_counts
from .record import REVIEW_RULES, STATUS_ORDER
from .review_rules import RULE_SHORT, YOY_FACTOR
from .review_sheets import add_coverage_sheet, add_subtotal_sheet, add_yoy_sheet
from .status_sheets import STATUS_HEADERS, WRAPPED, add_detail_sheet, add_missing_sheet, add_status_sheet, detail_rows, row_heights

OVERVIEW_SHEET = "汇总说明"
SHEET_GUIDE = (
    (L.COVER, "汇总表封面：地区、年度、格式版本、报表类型（汇总报告）和汇总单位数"),
    (L.SECTION_TWO, "二、主动公开政府信息情况（各单位合计）"),
    (L.APPS, "三、收到和处理政府信息公开申请情况（各单位合计）"),
    (L.REVIEW, "四、政府信息公开行政复议、行政诉讼情况（各单位合计）"),
    ("校验情况", "每个单位的校验状态、错误和警告数、主要问题和文件"),
    ("未提交", "汇总名单中未提交报告的单位"),
    ("同比", f"每个单位主要数据的本年、上年、增减和增减率，变化达到 {YOY_FACTOR} 倍的标红"),
    ("分类汇总", "按单位层级、按上级单位（节点汇总）分别合计"),
    ("覆盖情况", "每个单位哪些校验已核对、哪些未能核对及原因"),
    ("图表", "办理结果、申请数量分布、本年与上年对比"),
    ("明细", "每个单位一行、每个单元格一列的全部数据（下一年度汇总和预填模板时使用）"),
)


def write_summary(result, path: str | Path, *, inputs=()) -> Path:
    """The template filled with the totals, the consolidator's sheets spliced in, the big rows streamed."""
    from ..workbook.writer import writer_for

    path = Path(path)
    base = label_tables(writer_for(result.summary.format_id).to_bytes(result.summary), result)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    add_overview(wb, result)
    status = add_status_sheet(wb, result)
    add_missing_sheet(wb, result)
    yoy = add_yoy_sheet(wb, result)
    add_subtotal_sheet(wb, result)
    cover = add_coverage_sheet(wb, result)
    add_chart_sheet(wb, result)
    detail = add_detail_sheet(wb, result)
    extra = io.BytesIO()
    wb.save(extra)
    data = add_sheets(base, extra.getvalue(), first=(OVERVIEW_SHEET,))
    with atomic_output(path, inputs=tuple(inputs)) as tmp:
        tmp.write_bytes(data)
        sheet, first, rows = status
        detail_sheet, detail_first, width = detail
        fill_rows(tmp, [Rows(sheet, first, rows, len(STATUS_HEADERS), row_heights(rows, {i: 30 if i == 8 else 22 for i in WRAPPED})),
                        Rows(detail_sheet, detail_first, detail_rows(result), width),
                        Rows(yoy[0], yoy[1], yoy[2], yoy[3], row_heights(yoy[2], {yoy[3] - 1: 30})),
                        Rows(*cover)])
    return path


def _label(result) -> str:
    return f"{result.area} {result.year or ''}年度 · 汇总 {result.agencies} 个单位"


_A1 = re.compile(rb'(<c r="A1"[^>]*>\s*<is>\s*<t[^>]*>)(.*?)(</t>)', re.S)


def label_tables(data: bytes, result) -> bytes:
    """Each table sheet's title line names the area, year and number of agencies."""
    label = escape(f"（{_label(result)}）").encode("utf-8")
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        parts = set()
        for name in (L.SECTION_TWO, L.APPS, L.REVIEW):
            try:
                parts.add(_sheet_part(src, name))
            except KeyError:
                continue

    def edit(name: str, xml: bytes) -> bytes:
        return _A1.sub(lambda m: m.group(1) + m.group(2) + label + m.group(3), xml, count=1) if name in parts else xml

    return rezip(data, edit)


def _row(ws, row: int, values, *, header: bool = False, numbers: bool = False) -> None:
    for j, v in enumerate(values, 1):
        left = j == 1 or (j == 3 and not numbers)
        S.cell_style(ws.cell(row, j, safe_text(v)), font=S.HEADER if header else S.BODY,
                     align=S.LEFT if left else S.CENTER,
                     fill=S.LIST_HEADER_FILL if header else None)


def _review_overview(ws, r: int, result) -> int:
    """四、审核和覆盖情况: agencies flagged by each review rule, confirmed warnings, checks that could not run."""
    ws.cell(r, 1, "四、审核和覆盖情况").font = S.HEADING
    _row(ws, r + 1, ("项目", "单位数", "说明"), header=True)
    review = result.review_counts()
    lines = [(RULE_SHORT[rule], review[rule], f"{title_of(rule)}（{rule}），见“校验情况”的“审核提示”列") for rule in REVIEW_RULES]
    lines.append(("已确认的警告", review["confirmed_warnings"], "单位在“校验结果”中填写了已确认说明的警告（单独计数，不计入“警告”）"))
    for label, states in coverage_counts(result.counted).items():
        lines.append((f"{label}未核对", states[NOT_RUN], f"另有 {states[PARTLY]} 个单位部分核对；原因见“覆盖情况”工作表"))
    for i, line in enumerate(lines, r + 2):
        _row(ws, i, line)
    return r + len(lines) + 3


def _basics(result) -> tuple:
    """一、基本情况: what was summed, from what, over which agencies."""
    return (("汇总地区", result.area, ""), ("统计年度", result.year, ""), ("格式版本", result.format_id, result.summary.format.notice),
            ("汇总单位数", result.agencies, "计入合计的单位（下级汇总报告按其汇总单位数计）"), ("收到文件数", len(result.records), ""),
            ("上年数据", "已提供" if result.previous_source else "未提供",
             (Path(result.previous_source).name + "：") * bool(result.previous_source) + "用于跨年度核对、同比和图表中的对比"),
            ("汇总范围", "全部单位" if result.scope == "全部单位" else "选择汇总", result.scope))


def add_overview(wb, result) -> None:
    ws = wb.create_sheet(OVERVIEW_SHEET)
    for col, width in zip("ABC", (22, 16, 70)):
        ws.column_dimensions[col].width = width
    S.cell_style(ws.cell(1, 1, f"{result.area}{result.year or ''}年度政府信息公开工作年度报告汇总"), font=S.TITLE, border=None, align=S.LEFT)
    ws.merge_cells("A1:C1")
    ws.row_dimensions[1].height = 30
    now = _dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    ws.cell(2, 1, f"由 xlgova {__version__} 于 {now} 生成").font = S.SMALL
    r = 4
    ws.cell(r, 1, "一、基本情况").font = S.HEADING
    basics = _basics(result)
    for i, row in enumerate(basics, r + 1):
        _row(ws, i, row)
    r += len(basics) + 2
    ws.cell(r, 1, "二、报送和校验情况").font = S.HEADING
    _row(ws, r + 1, ("状态", "单位数", "说明"), header=True)
    meaning = {"无法读取": "文件损坏或不是报告模板，未计入汇总", "错误": "存在错误，须退回修改", "警告": "存在应核实的问题",
               "未提交": "名单中的单位未提交报告", "通过": "未发现问题"}
    counts = result.status_counts()
    for i, s in enumerate(STATUS_ORDER, r + 2):
        _row(ws, i, (s, counts[s], meaning[s]))
    r += len(STATUS_ORDER) + 3
    ws.cell(r, 1, "三、主要数据").font = S.HEADING
    last = dict(result.last_year or ())
    _row(ws, r + 1, ("项目", f"{result.year or ''}年", "上年" + ("" if result.last_year else "（未提供上年数据）")), header=True, numbers=True)
    for i, (label, n) in enumerate(result.this_year, r + 2):
        _row(ws, i, (label, n, last.get(label, "—") if result.last_year else "—"), numbers=True)
    r = _review_overview(ws, r + len(result.this_year) + 3, result)
    if result.notes:
        ws.cell(r, 1, "五、需要注意").font = S.HEADING
        for i, note in enumerate(result.notes, r + 1):
            S.cell_style(ws.cell(i, 1, safe_text(note)), border=None, align=S.LEFT)
            ws.merge_cells(start_row=i, start_column=1, end_row=i, end_column=3)
            ws.row_dimensions[i].height = 30
        r += len(result.notes) + 2
    ws.cell(r, 1, "工作表说明").font = S.HEADING
    for i, (sheet, text) in enumerate(SHEET_GUIDE, r + 1):
        _row(ws, i, (sheet, "", text))
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
