"""The summary's own sheets: 校验情况 (status per agency), 未提交 (missing), 明细 (the archive).

The big sheets are laid out here with openpyxl — headers, widths, filters, colours, one styled sample row —
and their rows are streamed in afterwards by :mod:`xlgova.ooxml.sheet_rows`.
"""
from __future__ import annotations

import math

import os
from copy import copy
from pathlib import Path

from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Font, PatternFill

from ..rules import ERROR, INFO
from ..safeio import safe_text
from ..workbook import cell_styles as S
from .detail import DETAIL_SHEET, FIRST_DATA_ROW, SECTION_KEYS, SECTION_PREFIX, columns
from .record import ERRORS, MISSING, PASSED, STATUS_ORDER, UNREADABLE, WARNINGS
from ..ooxml.a1 import column_letter

STATUS_SHEET = "校验情况"
MISSING_SHEET = "未提交"
NOWRAP = Alignment(horizontal="left", vertical="top", wrap_text=False)
STATUS_FIRST_ROW = 4  # title, note (the counts), header
STATUS_HEADERS = (("序号", 6), ("单位名称", 28), ("单位层级", 10), ("状态", 9), ("错误", 6), ("警告", 6), ("已确认", 7), ("提示", 6),
                  ("主要问题", 60), ("已确认说明", 44), ("审核提示", 44), ("计入汇总", 22), ("文件", 30))
WRAPPED = (8, 9, 10)  # 主要问题, 已确认说明, 审核提示 (zero-based columns of a row)
STATUS_COLOURS = {
    UNREADABLE: ("9C0006", "FFC7CE"), ERRORS: ("9C0006", "FFC7CE"), WARNINGS: ("9C5700", "FFEB9C"),
    MISSING: ("7F7F7F", "E7E6E6"), PASSED: ("006100", "C6EFCE"),
}


def _title(ws, text: str, width: int, note: str = "") -> None:
    ws.cell(1, 1, text).font = S.TITLE
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.row_dimensions[1].height = 28
    if note:
        ws.cell(2, 1, note).font = S.SMALL


def _styled(cell, like, **style):
    """Style ``cell`` as ``like`` (a cell styled before) when given, else with ``S.cell_style(**style)``;
    returns the cell to copy from next time."""
    if like is None:
        S.cell_style(cell, **style)
        return cell
    cell._style = copy(like._style)
    return like


def _header(ws, row: int, headers) -> None:
    for i, (text, width) in enumerate(headers, 1):
        S.cell_style(ws.cell(row, i, text), font=S.HEADER, fill=S.LIST_HEADER_FILL)
        ws.column_dimensions[column_letter(i)].width = width


def _status_colours(ws, col: str, first: int, last: int) -> None:
    for status, (font, fill) in STATUS_COLOURS.items():
        ws.conditional_formatting.add(
            f"{col}{first}:{col}{max(first, last)}",
            CellIsRule(operator="equal", formula=[f'"{status}"'], font=Font(color=font, bold=True), fill=PatternFill("solid", fgColor=fill, bgColor=fill)),
        )


PRINT_WIDTH_PER_PAGE = 300  # column-width units on one landscape A4 page before the text grows too small to read


def _print_setup(ws, header_rows: str, title_cols: str | None = None) -> None:
    """Landscape A4, as many pages wide as the columns need to stay legible (a wide sheet such as 同比 repeats
    ``title_cols`` — the agency — on every page), as many pages down as the rows take."""
    width = sum(ws.column_dimensions[column_letter(i)].width or 8.43 for i in range(1, ws.max_column + 1))
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = max(1, math.ceil(width / PRINT_WIDTH_PER_PAGE)), 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = header_rows
    if title_cols and ws.page_setup.fitToWidth > 1:
        ws.print_title_cols = title_cols


def _sample_row(ws, row: int, aligns) -> None:
    for i, align in enumerate(aligns, 1):
        S.cell_style(ws.cell(row, i), align=align)


def status_rows(result) -> list[tuple]:
    """Rows of 校验情况: every file read, then the roster's agencies nobody submitted for."""
    order = {s: i for i, s in enumerate(STATUS_ORDER)}
    base = _common_folder([r.path for r in result.records])
    recs = sorted(result.records, key=lambda r: (order[r.status], not r.included and not r.unreadable, r.name or r.path))
    rows = []
    for r in recs:
        problems = r.unreadable or "\n".join(r.messages(3)) + ("\n……" if r.counts[ERROR] + r.open_warnings > 3 else "")
        counted = "是" if r.included else ("否（" + (r.excluded_why or "无法读取") + "）")
        rows.append((r.name or r.agency or "（未能识别）", r.level, r.status, r.counts[ERROR], r.open_warnings, r.confirmed,
                     r.counts[INFO], problems, _explained(r), "\n".join(m for _, m in r.hints), counted, _short(r.path, base)))
    for e in result.missing:
        rows.append((e.name, e.level, MISSING, None, None, None, None, "名单中的单位，未收到报告", "", "", "否", ""))
    return [(i,) + row for i, row in enumerate(rows, 1)]


def _explained(r) -> str:
    """What the clerk wrote beside each finding; an error stays an error whatever the explanation."""
    lines = []
    for severity, _, message, said in r.explained:
        tail = "（错误不能以说明代替修改）" if severity == ERROR else ""
        lines.append(f"{message}——单位说明：{said}{tail}")
    return "\n".join(lines)


def _common_folder(paths: list[str]) -> str:
    try:
        return os.path.commonpath([os.path.dirname(os.path.abspath(p)) for p in paths]) if paths else ""
    except ValueError:  # different drives on Windows
        return ""


def _short(path: str, base: str) -> str:
    """The file as the supervisor knows it: relative to the folder that was consolidated."""
    try:
        return os.path.relpath(os.path.abspath(path), base) if base else path
    except ValueError:
        return path


def row_heights(rows, columns: dict[int, int]) -> list[float]:
    """Heights for wrapped text (column -> characters per line): LibreOffice and Excel do not grow rows
    written without a height."""
    out = []
    for row in rows:
        lines = max(sum(max(1, -(-len(part) // chars)) for part in str(row[col] or "").split("\n")) for col, chars in columns.items())
        out.append(max(16.0, 13.5 * lines + 3))
    return out


def add_status_sheet(wb, result) -> tuple[str, int, list]:
    ws = wb.create_sheet(STATUS_SHEET)
    rows = status_rows(result)
    c = result.status_counts()
    note = "　".join(f"{s} {c[s]}" for s in STATUS_ORDER) + ("　（“主要问题”列出每个单位的前 3 条错误或未确认的警告；"
                                                           "“已确认说明”为单位在校验结果中填写的说明；“审核提示”为同比和同级比较的提示）")
    _title(ws, f"{result.area}{result.year or ''}年度各单位报告校验情况", len(STATUS_HEADERS), note)
    _header(ws, STATUS_FIRST_ROW - 1, STATUS_HEADERS)
    _sample_row(ws, STATUS_FIRST_ROW, (S.CENTER, S.LEFT) + (S.CENTER,) * 6 + (S.LEFT,) * 5)
    last = STATUS_FIRST_ROW + len(rows) - 1
    _status_colours(ws, "D", STATUS_FIRST_ROW, last)
    ws.auto_filter.ref = f"A{STATUS_FIRST_ROW - 1}:{column_letter(len(STATUS_HEADERS))}{max(last, STATUS_FIRST_ROW)}"
    ws.freeze_panes = f"C{STATUS_FIRST_ROW}"
    _print_setup(ws, f"{STATUS_FIRST_ROW - 1}:{STATUS_FIRST_ROW - 1}")
    return STATUS_SHEET, STATUS_FIRST_ROW, rows


def add_missing_sheet(wb, result) -> None:
    ws = wb.create_sheet(MISSING_SHEET)
    headers = (("序号", 6), ("单位名称", 36), ("单位代码", 22), ("单位层级", 12))
    if result.roster is None:
        _title(ws, f"{result.area}{result.year or ''}年度未提交报告的单位", len(headers), "未提供汇总名单（--roster），无法列出未提交报告的单位。")
        return
    _title(ws, f"{result.area}{result.year or ''}年度未提交报告的单位", len(headers),
           f"汇总名单共 {len(result.roster)} 个单位，未提交 {len(result.missing)} 个（名单：{Path(result.roster.source).name}）")
    _header(ws, 3, headers)
    for i, e in enumerate(result.missing, 1):
        for j, v in enumerate((i, e.name, e.code, e.level), 1):
            S.cell_style(ws.cell(3 + i, j, safe_text(v) or None), align=S.LEFT if j == 2 else S.CENTER)
    if not result.missing:
        ws.cell(4, 1, "名单中的单位均已提交报告。").font = S.BODY
    _print_setup(ws, "3:3")


def detail_rows(result):
    """The 明细 rows of the counted agencies, generated lazily (10,000 rows need not exist at once)."""
    n = 0
    base = _common_folder([r.path for r in result.records])
    for r in result.records:
        if not r.included:
            continue
        n += 1
        fixed = (n, r.name, r.code, r.level, r.year, r.format_id, "汇总报告" if r.summary else "单位报告", r.agencies, r.status, _short(r.path, base))
        yield fixed + tuple(r.raw) + tuple(r.sections.get(k) for k in SECTION_KEYS)


def add_detail_sheet(wb, result) -> tuple[str, int, int]:
    ws = wb.create_sheet(DETAIL_SHEET)
    cols = columns(result.format_id)
    # ~200 columns of three styled cells: styled once per kind, then copied (openpyxl hashes every style
    # object it is given, which would take most of the time of writing the sheet).
    label_style = key_style = None
    data_style: dict[bool, object] = {}
    for i, (key, label) in enumerate(cols, 1):
        label_style = _styled(ws.cell(1, i, label), label_style, font=S.HEADER, fill=S.LIST_HEADER_FILL)
        key_style = _styled(ws.cell(2, i, key), key_style, font=S.SMALL)
        wide = 30 if key == "agency" else 40 if key.startswith(SECTION_PREFIX) else 24 if key == "file" else 12
        ws.column_dimensions[column_letter(i)].width = wide
        text = key in ("agency", "file") or key.startswith(SECTION_PREFIX)
        data_style[text] = _styled(ws.cell(FIRST_DATA_ROW, i), data_style.get(text), align=NOWRAP if text else S.CENTER, border=None)
    ws.row_dimensions[1].height = 60
    ws.freeze_panes = f"C{FIRST_DATA_ROW}"
    ws.auto_filter.ref = f"A2:{column_letter(len(cols))}{FIRST_DATA_ROW + max(0, len(result.counted) - 1)}"
    return DETAIL_SHEET, FIRST_DATA_ROW, len(cols)
