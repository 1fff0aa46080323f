"""The sheets around the tables: 封面, 正文, 上年数据, 校验结果."""
from __future__ import annotations

from ..formats import get_format
from ..ooxml.a1 import column_letter
from . import layout as L
from . import cell_styles as S
from .check_formulas import split
from .results_formulas import write_summary

LEVEL_HELP = "、".join(L.LEVELS)


def _heading(ws, width: int, title: str, note: str = "", *, note_height: float | None = None) -> None:
    """A sheet's title across ``width`` columns in row 1, and its explanatory note in row 2."""
    S.box(ws, 1, 1, 1, width, title, font=S.TITLE, border=None)
    if note:
        S.box(ws, 2, 1, 2, width, note, font=S.SMALL, border=None, align=S.LEFT)
    if note_height:
        ws.row_dimensions[2].height = note_height


def cover(ws, format_id: str) -> None:
    fmt = get_format(format_id)
    S.set_widths(ws, {1: 16, 2: 46, 3: 40})
    _heading(ws, 3, "政府信息公开工作年度报告 · 填报封面", f"格式：{fmt.notice}。浅蓝色单元格为填报项，其余单元格已保护（无密码）。")
    notes = {
        "agency": "填写单位全称，如：某某县人民政府办公室",
        "year": f"四位数字；本模板适用于 {fmt.years[0]} 年度" + ("及以后" if fmt.years[1] > 3000 else f"至 {fmt.years[1]} 年度"),
        "format": "模板自带，请勿修改",
        "level": f"下拉选择：{LEVEL_HELP}",
        "date": "如：2022-01-15",
        "kind": "单位填报选“单位报告”；汇总时由 xlgova 写为“汇总报告”",
        "agencies": "仅汇总报告填写",
    }
    for key, label, address in L.COVER_FIELDS:
        row, col = split(address)
        S.box(ws, row, col - 1, row, col - 1, label, font=S.HEADER)
        editable = key != "format"
        S.box(ws, row, col, row, col, None, fill=S.INPUT_FILL if editable else S.TOTAL_FILL, locked=not editable, align=S.LEFT)
        S.box(ws, row, col + 1, row, col + 1, notes.get(key, ""), font=S.SMALL, border=None, align=S.LEFT)
        ws.row_dimensions[row].height = 22
    fields = {k: a for k, _, a in L.COVER_FIELDS}
    ws[fields["format"]] = format_id
    ws[fields["kind"]] = L.KIND_AGENCY
    ws[fields["year"]].number_format = "0"
    ws[fields["date"]].number_format = "yyyy-mm-dd"
    S.page_setup(ws, landscape=False, print_area=f"A1:C{max(split(a)[0] for a in fields.values())}")


def narrative(ws, format_id: str) -> None:
    fmt = get_format(format_id)
    width = 12
    ncols = 8
    S.set_widths(ws, {c: width for c in range(1, ncols + 1)})
    _heading(ws, ncols, "正文（报告第一、五、六部分）")
    hints = {
        "一": "（主动公开、依申请公开、政府信息管理、政府信息公开平台建设、监督保障）",
        "五": "（含上年度问题的整改情况）" if format_id == "2021" else "",
        "六": "（含信息处理费收取情况，如“未收取”）" if format_id == "2021" else "",
    }
    last = 1
    for key, address in L.NARRATIVE_CELLS.items():
        row, col = split(address)
        section = fmt.section(key)
        S.box(ws, row - 1, col, row - 1, ncols, f"{section.heading}{hints[key]}", font=S.HEADING, border=None, align=S.LEFT)
        ws.row_dimensions[row - 1].height = 24
        S.box(ws, row, col, row, ncols, None, font=S.BODY, align=S.TEXT_BLOCK, fill=S.INPUT_FILL, locked=False)
        ws.row_dimensions[row].height = 320 if key == "一" else 200
        last = row
    S.page_setup(ws, landscape=False, print_area=f"A1:{column_letter(ncols)}{last}")


def previous(ws, format_id: str) -> None:
    fmt = get_format(format_id)
    S.set_widths(ws, {1: 62, 2: 14, 3: 34})
    _heading(ws, 3, "上年数据（跨年度核对用）",
             "请照抄上年度报告中的下列数值（或由汇总单位预填）。留空表示未提供，相关跨年度核对不进行；填写后，"
             "表内“跨年核对”会立即比较本年与上年数据。", note_height=30)
    for i, text in enumerate(("项目（上年度报告）", "上年数值", "单元格编号"), 1):
        S.box(ws, L.PREVIOUS_FIRST_ROW - 1, i, L.PREVIOUS_FIRST_ROW - 1, i, text, font=S.HEADER)
    for cid, (_, address) in L.previous_map(format_id).items():
        row, col = split(address)
        cell = fmt.cell(cid)
        S.box(ws, row, col - 1, row, col - 1, cell.label, align=S.LEFT)
        S.box(ws, row, col, row, col, None, fill=S.INPUT_FILL, locked=False)
        S.box(ws, row, col + 1, row, col + 1, cid, font=S.SMALL, align=S.LEFT)
    last = L.PREVIOUS_FIRST_ROW + len(L.previous_map(format_id)) - 1
    S.page_setup(ws, landscape=False, print_area=f"A1:C{last}")


def results(ws, format_id: str) -> tuple[str, str]:
    S.set_widths(ws, {1: 6, 2: 8, 3: 22, 4: 18, 5: 56, 6: 30, 7: 8, 8: 8, 9: 8})
    _heading(ws, 9, "校验结果",
             "上半部分由表内公式即时计算（不需要宏，Excel、WPS、LibreOffice 均可）；下半部分为“校验”按钮"
             "（或命令 xlgova validate）给出的详细结果，可在“已确认说明”列注明已核实的情况。", note_height=30)
    status_row, status_col = split(L.RESULTS_STATUS_CELL)
    S.box(ws, status_row, 1, status_row, status_col - 1, "总体状态", font=S.HEADING)
    errors, warnings = write_summary(ws, format_id, S)
    err_ref, warn_ref = f"G{status_row}", f"H{status_row}"
    S.box(ws, status_row, 6, status_row, 6, "错误数 / 警告数", font=S.HEADER)
    S.box(ws, status_row, 7, status_row, 7, "=" + errors, font=S.STATUS)
    S.box(ws, status_row, 8, status_row, 8, "=" + warnings, font=S.STATUS)
    S.box(ws, status_row, status_col, status_row, 5,
          f'=IF({err_ref}=0,"通过","错误："&{err_ref}&" 项检查不符")', font=S.STATUS)
    ws.row_dimensions[status_row].height = 26
    head = L.RESULTS_HEADER_ROW
    S.box(ws, head - 1, 1, head - 1, 6, "详细结果（由“校验”按钮或 xlgova validate 写入）", font=S.HEADING, border=None, align=S.LEFT)
    for i, text in enumerate(L.RESULTS_COLUMNS, 1):
        S.box(ws, head, i, head, i, text, font=S.HEADER)
    # Column-level style: every cell not drawn above (the findings rows) is unlocked for the button and the
    # clerk's 已确认说明, without writing thousands of empty styled cells.
    for c in range(1, len(L.RESULTS_COLUMNS) + 1):
        ws.column_dimensions[column_letter(c)].protection = S.UNLOCKED
    S.page_setup(ws, landscape=True, print_area=f"A1:I{head}", title_rows=None)
    return err_ref, warn_ref
