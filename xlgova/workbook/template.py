"""The standard Excel template, built from ``xlgova.formats`` and drawn where ``layout`` says.

>>> wb = build_template("2021")
>>> wb.sheetnames[:3]
['封面', '主动公开', '依申请公开']
"""
from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from ..formats import AMOUNT, AMOUNT_FREE, FORMATS, KIND_LABELS, SIGNED, get_format
from ..errors import XlgovaError
from ..safeio import atomic_output
from . import layout as L
from . import side_sheets
from . import cell_styles as S
from . import table_sheets as T
from ..ooxml.a1 import absolute
from .check_formulas import BLANKISH, FAIL, PASS, _runs, check_cells, join, marks_for, mirror, range_ref, split

FORMAT_IDS = tuple(FORMATS)


def build_template(format_id: str) -> Workbook:
    """The empty template for one format version, in memory."""
    if format_id not in FORMATS:
        raise XlgovaError(f"未知的格式版本 {format_id!r}（可用：{'、'.join(FORMATS)}）")
    wb = Workbook()
    wb.remove(wb.active)
    for name in L.SHEET_ORDER:
        wb.create_sheet(name)
    side_sheets.cover(wb[L.COVER], format_id)
    _section_two(wb[L.SECTION_TWO], format_id)
    _apps(wb[L.APPS], format_id)
    _review(wb[L.REVIEW], format_id)
    side_sheets.narrative(wb[L.NARRATIVE], format_id)
    side_sheets.previous(wb[L.PREVIOUS], format_id)
    err_ref, warn_ref = side_sheets.results(wb[L.RESULTS], format_id)
    _validation(wb, format_id)
    _marks(wb, format_id)
    _names(wb, format_id, err_ref, warn_ref)
    for ws in wb.worksheets:
        ws.sheet_view.zoomScale = 100
        S.protect(ws)
    wb.active = 0
    return wb


def template_bytes(format_id: str) -> bytes:
    """The template as an .xlsx file's bytes, its XML compacted (``compact.py``: UTF-8, shared formulas)."""
    from ..ooxml.compact import compact_xlsx

    buf = io.BytesIO()
    build_template(format_id).save(buf)
    return compact_xlsx(buf.getvalue())


def save_template(format_id: str, path: str | Path) -> Path:
    data = template_bytes(format_id)
    with atomic_output(path) as tmp:
        Path(tmp).write_bytes(data)
    return Path(path)


# -- table sheets ----------------------------------------------------------------------------------------
def _section_two(ws, format_id: str) -> None:
    fmt = get_format(format_id)
    places = [p for p in L.placements(format_id) if p.sheet == L.SECTION_TWO]
    last_col = max(p.last_col for p in places)
    check_col = last_col + 2
    S.set_widths(ws, {1: 26, **{c: 16 for c in range(2, last_col + 1)}, check_col: 34})
    S.box(ws, 1, 1, 1, last_col, fmt.section("二").heading, font=S.TITLE, border=None)
    for p in places:
        T.draw_grid_table(ws, p)
        T.draw_cells(ws, format_id, p.table)
        ws.row_dimensions[p.header_top].height = 30
        if any(c.sheet == L.SECTION_TWO and split(c.address)[0] in range(p.first_row, p.last_row + 1) for c in check_cells(format_id)):
            rule = next(c.ident.rule for c in check_cells(format_id) if c.sheet == L.SECTION_TWO and split(c.address)[0] == p.first_row)
            from ..rules import title_of

            S.box(ws, p.header_top, check_col, p.header_top, check_col, "核对：" + title_of(rule), font=S.SMALL)
    T.draw_check_cells(ws, format_id, L.SECTION_TWO)
    T.hide_mirror(ws, 2, last_col)
    S.page_setup(ws, landscape=False, print_area=f"A1:{join(max(p.last_row for p in places), last_col)}")


def _apps(ws, format_id: str) -> None:
    fmt = get_format(format_id)
    p = L.placement(format_id, "apps")
    S.set_widths(ws, {1: 5, 2: 9, 3: 38, **{c: 8.5 for c in range(p.first_col, p.last_col + 1)}, p.last_col + 1: 2, p.last_col + 2: 16})
    S.box(ws, 1, 1, 1, p.last_col, fmt.section("三").heading, font=S.TITLE, border=None)
    T.draw_apps_headers(ws, p)
    T.draw_apps_labels(ws, p)
    T.draw_cells(ws, format_id, p.table)
    for r, h in zip(range(p.header_top, p.first_row), (24, 22, 36)):
        ws.row_dimensions[r].height = h
    for i, row in enumerate(p.table.rows):
        width = 38 if row.groups and len(row.groups) > 1 else 47 if row.groups else 52
        T.row_height(ws, p.first_row + i, row.label, width)
    S.box(ws, p.header_top, p.last_col + 2, p.first_row - 1, p.last_col + 2, "核对：总计＝各类申请人之和", font=S.SMALL)
    from ..rules import title_of
    from .check_formulas import apps_check_rows

    note = p.last_row + 2
    S.box(ws, note, 1, note, p.last_col, "以下为自动核对（不打印）：“√”相符，“×”不符，“—”未核对（总计为空、含文字或未填上年数据）。",
          font=S.SMALL, border=None, align=S.LEFT)
    for rule, row in apps_check_rows(format_id).items():
        S.box(ws, row, 1, row, 3, "核对：" + title_of(rule), font=S.SMALL, align=S.LEFT)
        ws.row_dimensions[row].height = 27
    T.draw_check_cells(ws, format_id, L.APPS)
    T.hide_mirror(ws, p.first_col, p.last_col)
    S.page_setup(ws, landscape=False, print_area=f"A1:{join(p.last_row, p.last_col)}", title_rows=f"{p.header_top}:{p.first_row - 1}")


def _review(ws, format_id: str) -> None:
    fmt = get_format(format_id)
    p = L.placement(format_id, "review")
    S.set_widths(ws, {c: 8 for c in range(p.first_col, p.last_col + 1)})
    S.box(ws, 1, 1, 1, p.last_col, fmt.section("四").heading, font=S.TITLE, border=None)
    T.draw_review_headers(ws, p)
    T.draw_cells(ws, format_id, p.table)
    ws.row_dimensions[p.first_row].height = 24
    S.box(ws, p.first_row + 1, 1, p.first_row + 1, p.last_col, "自动核对（不打印）：总计＝结果维持＋结果纠正＋其他结果＋尚未审结", font=S.SMALL, border=None, align=S.LEFT)
    T.draw_check_cells(ws, format_id, L.REVIEW)
    T.hide_mirror(ws, p.first_col, p.last_col)
    S.page_setup(ws, landscape=True, print_area=f"A1:{join(p.last_row, p.last_col)}")


# -- validation, marks, names ----------------------------------------------------------------------------
_RULES = {
    "count": dict(type="whole", operator="greaterThanOrEqual", formula1="0"),
    AMOUNT: dict(type="decimal", operator="greaterThanOrEqual", formula1="0"),
    AMOUNT_FREE: dict(type="decimal", operator="greaterThanOrEqual", formula1="0"),
    SIGNED: dict(type="whole", operator="between", formula1="-999999999", formula2="999999999"),
}
_PROMPTS = {
    "count": "请填写非负整数；没有发生的填 0。",
    AMOUNT: "请填写金额，单位万元，可带小数；没有收费的填 0。",
    AMOUNT_FREE: "请填写金额（可带小数）；没有的填 0。",
    SIGNED: "请填写整数：增加为正数，减少为负数（如减少 4 项填 -4）。",
}


def _dv(kind: str) -> DataValidation:
    return DataValidation(
        **_RULES[kind], allow_blank=True, showErrorMessage=True, showInputMessage=True, errorStyle="stop",
        errorTitle="数值无效", error=f"此处应填写{KIND_LABELS[kind]}。", promptTitle="填报说明", prompt=_PROMPTS[kind],
    )


def _validation(wb, format_id: str) -> None:
    fmt = get_format(format_id)
    groups: dict[tuple[str, str], list[str]] = {}
    for cid, (sheet, address) in L.cell_map(format_id).items():
        if fmt.cell(cid).is_input:
            groups.setdefault((sheet, fmt.cell(cid).kind), []).append(address)
    for cid, (sheet, address) in L.previous_map(format_id).items():
        groups.setdefault((sheet, fmt.cell(cid).kind), []).append(address)
    for (sheet, kind), addresses in groups.items():
        dv = _dv(kind)
        dv.sqref = " ".join(addresses)
        wb[sheet].add_data_validation(dv)
    cover = wb[L.COVER]
    fields = {k: a for k, _, a in L.COVER_FIELDS}
    levels = DataValidation(type="list", formula1='"' + ",".join(L.LEVELS) + '"', allow_blank=True,
                            showErrorMessage=True, errorTitle="单位层级", error="请从下拉列表中选择单位层级。",
                            promptTitle="单位层级", prompt="请从下拉列表中选择。", showInputMessage=True)
    kinds = DataValidation(type="list", formula1=f'"{L.KIND_AGENCY},{L.KIND_SUMMARY}"', allow_blank=True, showErrorMessage=True)
    first, last = fmt.years[0], min(fmt.years[1], 2100)
    year = DataValidation(type="whole", operator="between", formula1="2019", formula2="2100", allow_blank=True,
                          showErrorMessage=True, errorTitle="统计年度", error="请填写四位数字年份，如 2021。",
                          promptTitle="统计年度", prompt=f"本模板适用于 {first}–{last} 年度。", showInputMessage=True)
    agencies = _dv("count")
    for dv, key in ((levels, "level"), (kinds, "kind"), (year, "year"), (agencies, "agencies")):
        dv.sqref = fields[key]
        cover.add_data_validation(dv)


def _mark(ws, sqref: str, formula: str, fill, font=None) -> None:
    ws.conditional_formatting.add(sqref, FormulaRule(formula=[formula], fill=fill, font=font, stopIfTrue=False))


def _marks(wb, format_id: str) -> None:
    """Conditional formats: invalid values red, blanks yellow (once a table is started), broken identities orange."""
    for p in L.placements(format_id):
        ws = wb[p.sheet]
        area = f"{join(p.first_row, p.first_col)}:{join(p.last_row, p.last_col)}"
        m = mirror(join(p.first_row, p.first_col))
        n_inputs = sum(1 for c in p.table.cells if c.is_input)
        block = _absolute_range(mirror(join(p.first_row, p.first_col)), mirror(join(p.last_row, p.last_col)))
        _mark(ws, area, f'OR({m}="负数",{m}="小数",{m}="文字")', S.ERROR_FILL, S.ERROR_FONT)
        _mark(ws, area, f'AND({m}="{BLANKISH}",COUNTIF({block},"{BLANKISH}")<{n_inputs})', S.WARNING_FILL)
    by_sheet: dict[tuple[str, tuple], list[str]] = {}
    cmap = L.cell_map(format_id)
    for cid, checks in marks_for(format_id).items():
        sheet, address = cmap[cid]
        same = tuple(sorted(a for s, a in checks if s == sheet))
        if same:
            by_sheet.setdefault((sheet, same), []).append(address)
    for (sheet, checks), addresses in by_sheet.items():
        cond = ",".join(f'LEFT({absolute(a)},1)="{FAIL}"' for a in checks)
        _mark(wb[sheet], " ".join(addresses), f"OR({cond})", S.MISMATCH_FILL)
    # One rule per run of adjacent check cells (L6:L30), written for its first cell: Excel, WPS and
    # LibreOffice shift the relative reference to every cell of the range.
    for sheet, r1, c1, r2, c2 in _runs([(c.sheet, *split(c.address)) for c in check_cells(format_id)]):
        first = join(r1, c1)
        area = range_ref(sheet, first, join(r2, c2), sheet)
        _mark(wb[sheet], area, f'LEFT({first},1)="{FAIL}"', S.ERROR_FILL, S.ERROR_FONT)
        _mark(wb[sheet], area, f'{first}="{PASS}"', None, S.PASS_FONT)


def _absolute_range(a: str, b: str) -> str:
    return f"{absolute(a)}:{absolute(b)}"


def _names(wb, format_id: str, err_ref: str, warn_ref: str) -> None:
    def add(name: str, sheet: str, address: str) -> None:
        wb.defined_names[name] = DefinedName(name, attr_text=L.absolute(sheet, address))

    for name, (sheet, address) in L.data_names(format_id).items():
        add(name, sheet, address)
    add(L.STATUS_NAME, L.RESULTS, L.RESULTS_STATUS_CELL)
    add("xlgova_errors", L.RESULTS, err_ref)
    add("xlgova_warnings", L.RESULTS, warn_ref)
