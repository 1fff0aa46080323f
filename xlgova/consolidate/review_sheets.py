"""The review's sheets in the summary: 同比 (year over year), 分类汇总 (subtotals), 覆盖情况 (coverage).

同比 and 覆盖情况 have a row per agency and are streamed like 明细 (:mod:`.sheetxml`); 分类汇总 is small.
The 同比 highlighting is a conditional format generated from the thresholds of :mod:`.review`, so the
sheet marks exactly what ``hint.yoy_jump`` reports.
"""
from __future__ import annotations

from decimal import Decimal

from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from ..safeio import safe_text
from ..workbook import cell_styles as S
from .coverage import GROUPS, NOT_RUN, PARTLY, RAN
from .review_rules import FIGURES, YOY_FACTOR, YOY_FLOOR, figures
from .status_sheets import _header, _print_setup, _sample_row, _title, row_heights

YOY_SHEET = "同比"
SUBTOTAL_SHEET = "分类汇总"
COVERAGE_SHEET = "覆盖情况"
YOY_FIXED = (("序号", 6), ("单位名称", 28), ("单位层级", 12))
YOY_PARTS = (("本年", 8), ("上年", 8), ("增减", 8), ("增减率", 9))
YOY_FIRST_ROW = 5
COVERAGE_FIRST_ROW = 4  # title, note, header
AREA_ROW_LABEL = "全部单位合计"
JUMP_FILL = PatternFill("solid", fgColor="F8CBAD", bgColor="F8CBAD")
HINT_FILL = PatternFill("solid", fgColor="FFEB9C", bgColor="FFEB9C")
STATE_COLOURS = {NOT_RUN: ("9C0006", "FFC7CE"), PARTLY: ("9C5700", "FFEB9C")}


def _change(this, last) -> tuple:
    """(增减, 增减率) — the rate only where last year was not 0."""
    if this is None or last is None:
        return None, None
    rate = None if last == 0 else (Decimal(this) - Decimal(last)) / Decimal(last)
    return this - last, rate.quantize(Decimal("0.0001")) if rate is not None else None


def _yoy_cells(this: tuple, last: tuple | None) -> tuple:
    out = []
    for i, _ in enumerate(FIGURES):
        a, b = this[i] if this else None, last[i] if last else None
        out += [a, b, *_change(a, b)]
    return tuple(out)


def yoy_rows(result) -> list[tuple]:
    """The area first, then every counted agency with last year's figures (none without last year)."""
    area_last = figures(result.format_id, result.previous_sums.get) if result.previous_sums else None
    rows = [("", AREA_ROW_LABEL, "", *_yoy_cells(figures(result.format_id, result.sums.get), area_last), "")]
    agencies = sorted((r for r in result.counted if r.last_figures is not None), key=lambda r: r.name)
    for n, r in enumerate(agencies, 1):
        hints = "\n".join(m for rule, m in r.hints if rule != "hint.same_as_last_year")
        rows.append((n, r.name, r.level, *_yoy_cells(r.figures, r.last_figures), hints))
    return rows


def _yoy_header(ws) -> int:
    width = len(YOY_FIXED) + len(FIGURES) * len(YOY_PARTS) + 1
    for i, (text, w) in enumerate(YOY_FIXED, 1):
        S.box(ws, 3, i, 4, i, text, font=S.HEADER, fill=S.LIST_HEADER_FILL)
        ws.column_dimensions[get_column_letter(i)].width = w
    col = len(YOY_FIXED) + 1
    for fig in FIGURES:
        S.box(ws, 3, col, 3, col + len(YOY_PARTS) - 1, fig.label, font=S.HEADER, fill=S.LIST_HEADER_FILL)
        for j, (text, w) in enumerate(YOY_PARTS):
            S.cell_style(ws.cell(4, col + j, text), font=S.HEADER, fill=S.LIST_HEADER_FILL)
            ws.column_dimensions[get_column_letter(col + j)].width = w
        col += len(YOY_PARTS)
    S.box(ws, 3, width, 4, width, "提示", font=S.HEADER, fill=S.LIST_HEADER_FILL)
    ws.column_dimensions[get_column_letter(width)].width = 60
    return width


def _jump_rule(ws, first_col: int, last_row: int) -> None:
    """Fill a figure's four cells where hint.yoy_jump fires: the same thresholds, as an Excel formula."""
    a = f"${get_column_letter(first_col)}{YOY_FIRST_ROW}"
    b = f"${get_column_letter(first_col + 1)}{YOY_FIRST_ROW}"
    formula = f"AND(COUNT({a},{b})=2,MAX({a},{b})>={YOY_FLOOR},MAX({a},{b})>={YOY_FACTOR}*MIN({a},{b}))"
    rng = f"{get_column_letter(first_col)}{YOY_FIRST_ROW}:{get_column_letter(first_col + 3)}{last_row}"
    ws.conditional_formatting.add(rng, FormulaRule(formula=[formula], fill=JUMP_FILL, font=Font(color="9C0006", bold=True)))


def add_yoy_sheet(wb, result) -> tuple[str, int, list, int]:
    ws = wb.create_sheet(YOY_SHEET)
    rows = yoy_rows(result)
    width = _yoy_header(ws)
    if result.previous_source:
        note = (f"主要数据的本年数、上年数、增减和增减率；增减超过 {YOY_FACTOR} 倍（两年均小于 {YOY_FLOOR} 的除外）的标为红色，"
                "“提示”列为同比和同级比较的审核提示。可用筛选按钮排序。")
    else:
        note = "未提供上年数据（--previous），只列出本年合计；提供上年汇总表后逐个单位列出同比。"
    _title(ws, f"{result.area}{result.year or ''}年度主要数据同比", width, note)
    aligns = [S.CENTER, S.LEFT, S.CENTER] + [S.CENTER] * (width - 4) + [S.LEFT]
    _sample_row(ws, YOY_FIRST_ROW, aligns)
    for k in range(len(FIGURES)):
        ws.cell(YOY_FIRST_ROW, len(YOY_FIXED) + 4 * k + 4).number_format = "0.0%"
    last = YOY_FIRST_ROW + len(rows) - 1
    for k in range(len(FIGURES)):
        _jump_rule(ws, len(YOY_FIXED) + 4 * k + 1, last)
    ws.conditional_formatting.add(f"{get_column_letter(width)}{YOY_FIRST_ROW}:{get_column_letter(width)}{last}",
                                  FormulaRule(formula=[f'LEN(${get_column_letter(width)}{YOY_FIRST_ROW})>0'], fill=HINT_FILL))
    ws.auto_filter.ref = f"A4:{get_column_letter(width)}{max(last, YOY_FIRST_ROW)}"
    ws.freeze_panes = f"D{YOY_FIRST_ROW}"
    _print_setup(ws, "3:4", title_cols="A:C")
    return YOY_SHEET, YOY_FIRST_ROW, rows, width


def _subtotal_table(ws, row: int, heading: str, first: str, subtotals, format_id: str, total=None) -> int:
    ws.cell(row, 1, heading).font = S.HEADING
    headers = (first, "单位数") + tuple(f.label for f in FIGURES)
    for j, text in enumerate(headers, 1):
        S.cell_style(ws.cell(row + 1, j, text), font=S.HEADER, fill=S.LIST_HEADER_FILL)
    ws.row_dimensions[row + 1].height = 30
    r = row + 2
    lines = [("　" * s.depth + s.label, s.agencies, *figures(format_id, s.sums.get)) for s in subtotals]
    if total is not None:
        lines.append(total)
    for line in lines:
        for j, v in enumerate(line, 1):
            bold = total is not None and line is total
            S.cell_style(ws.cell(r, j, safe_text(v)), align=S.LEFT if j == 1 else S.CENTER, font=S.HEADER if bold else S.BODY)
        r += 1
    return r + 1


def add_subtotal_sheet(wb, result) -> None:
    ws = wb.create_sheet(SUBTOTAL_SHEET)
    width = 2 + len(FIGURES)
    _title(ws, f"{result.area}{result.year or ''}年度分类汇总", width,
           "按单位层级和按汇总名单的上级单位（节点汇总）分别合计；各层级之和等于全部单位合计，节点为其下属单位（含本单位）之和。")
    ws.column_dimensions["A"].width = 34
    for j in range(2, width + 1):
        ws.column_dimensions[get_column_letter(j)].width = 11
    total = (AREA_ROW_LABEL, result.agencies, *figures(result.format_id, result.sums.get))
    r = _subtotal_table(ws, 3, "一、按单位层级", "单位层级", result.levels, result.format_id, total)
    if result.nodes:
        _subtotal_table(ws, r, "二、按上级单位（节点汇总）", "上级单位 / 单位", result.nodes, result.format_id)
    else:
        ws.cell(r, 1, "二、按上级单位（节点汇总）").font = S.HEADING
        ws.cell(r + 1, 1, "汇总名单没有“上级单位”列，未做节点汇总。").font = S.BODY
    _print_setup(ws, "1:1")


def coverage_rows(result) -> list[tuple]:
    rows = []
    for n, r in enumerate(sorted((r for r in result.counted), key=lambda r: r.name), 1):
        cells = []
        for key, _ in GROUPS:
            state, why = r.coverage.get(key, (NOT_RUN, "未核对"))
            cells.append(state if state == RAN else f"{state}：{why}")
        rows.append((n, r.name, r.level, *cells))
    return rows


def add_coverage_sheet(wb, result) -> tuple[str, int, list, int, list]:
    ws = wb.create_sheet(COVERAGE_SHEET)
    headers = (("序号", 6), ("单位名称", 28), ("单位层级", 12)) + tuple((label, 30) for _, label in GROUPS)
    _title(ws, f"{result.area}{result.year or ''}年度各单位校验覆盖情况", len(headers),
           "每个单位哪些校验已经核对，哪些未能核对及原因（统计表缺失或不完整、未提供上年数据、未填写正文、同级单位不足）。")
    _header(ws, COVERAGE_FIRST_ROW - 1, headers)
    _sample_row(ws, COVERAGE_FIRST_ROW, [S.CENTER, S.LEFT, S.CENTER] + [S.LEFT] * len(GROUPS))
    rows = coverage_rows(result)
    last = COVERAGE_FIRST_ROW + max(len(rows), 1) - 1
    first_col, last_col = get_column_letter(4), get_column_letter(len(headers))
    for state, (font, fill) in STATE_COLOURS.items():
        ws.conditional_formatting.add(f"{first_col}{COVERAGE_FIRST_ROW}:{last_col}{last}", FormulaRule(
            formula=[f'LEFT({first_col}{COVERAGE_FIRST_ROW},{len(state)})="{state}"'],
            font=Font(color=font), fill=PatternFill("solid", fgColor=fill, bgColor=fill)))
    ws.auto_filter.ref = f"A{COVERAGE_FIRST_ROW - 1}:{last_col}{last}"
    ws.freeze_panes = f"D{COVERAGE_FIRST_ROW}"
    _print_setup(ws, f"{COVERAGE_FIRST_ROW - 1}:{COVERAGE_FIRST_ROW - 1}")
    return COVERAGE_SHEET, COVERAGE_FIRST_ROW, rows, len(headers), row_heights(rows, {3 + i: 20 for i in range(len(GROUPS))})
