"""Where every cell of a format lives in the standard workbook — derived from ``xlgova.formats``.

The template builder draws this layout; the readers, the writer, the xlwings button and the consolidator
look cells up in it. Defined names (``gova.<cell id>``) are the primary key when reading; these positions
are the fallback for workbooks whose names were lost.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..formats import SPREAD, Table, get_format
from ..ooxml.a1 import column_letter as get_column_letter
from ..ooxml.a1 import sheet_absolute as absolute  # noqa: F401 - '依申请公开'!$D$6, the form defined names use
from ..rules import identities_for

COVER = "封面"
SECTION_TWO = "主动公开"
APPS = "依申请公开"
REVIEW = "复议诉讼"
NARRATIVE = "正文"
PREVIOUS = "上年数据"
RESULTS = "校验结果"
SHEET_ORDER = (COVER, SECTION_TWO, APPS, REVIEW, NARRATIVE, PREVIOUS, RESULTS)
TABLE_SHEETS = {"二": SECTION_TWO, "三": APPS, "四": REVIEW}



NAME_PREFIX = "gova."
PREV_PREFIX = "gova.prev."
STATUS_NAME = "xlgova_status"

# Cover fields: key, label, defined name, cell. Keys become Report.meta keys (agency/year/format are fields).
COVER_FIELDS = (
    ("agency", "单位名称", "B3"),
    ("year", "统计年度", "B4"),
    ("format", "格式版本", "B5"),
    ("level", "单位层级", "B6"),
    ("preparer", "填报人", "B7"),
    ("phone", "联系电话", "B8"),
    ("date", "填报日期", "B9"),
    # Filled only in county/city summaries written by the consolidator; a summary can be consolidated again.
    ("kind", "报表类型", "B10"),  # 单位报告 / 汇总报告
    ("agencies", "汇总单位数", "B11"),
)
KIND_AGENCY = "单位报告"
KIND_SUMMARY = "汇总报告"
LEVELS = ("省级政府", "省级部门", "市级政府", "市级部门", "县级政府", "县级部门", "乡镇", "街道", "其他")

# Narrative sections: key -> cell on the 正文 sheet (the heading sits in column A of the row above).
NARRATIVE_CELLS = {"一": "A3", "五": "A5", "六": "A7"}


@dataclass(frozen=True)
class TablePlacement:
    table: Table
    sheet: str
    title_row: int  # the table's title (第二十条第（一）项)
    header_top: int  # first header row
    first_row: int  # first data row
    label_cols: int  # how many columns the row labels take (apps: 3)
    first_col: int  # first data column (1-based)

    @property
    def header_rows(self) -> int:
        return self.first_row - self.header_top

    def address(self, row_id: str, col_id: str) -> str:
        t = self.table
        if t.layout == SPREAD:
            ri = [r.id for r in t.rows].index(row_id)
            ci = [c.id for c in t.cols].index(col_id)
            return f"{get_column_letter(self.first_col + ri * len(t.cols) + ci)}{self.first_row}"
        ri = [r.id for r in t.rows].index(row_id)
        ci = [c.id for c in t.cols].index(col_id)
        return f"{get_column_letter(self.first_col + ci)}{self.first_row + ri}"

    @property
    def last_row(self) -> int:
        return self.first_row if self.table.layout == SPREAD else self.first_row + len(self.table.rows) - 1

    @property
    def last_col(self) -> int:
        t = self.table
        n = len(t.cols) * (len(t.rows) if t.layout == SPREAD else 1)
        return self.first_col + n - 1


@lru_cache(maxsize=None)
def placements(format_id: str) -> tuple[TablePlacement, ...]:
    fmt = get_format(format_id)
    out = []
    row = 3  # row 1: sheet title, row 2: blank / note
    for table in [fmt.table(t) for t in fmt.section("二").tables]:
        out.append(TablePlacement(table, SECTION_TWO, row, row + 1, row + 2, 1, 2))
        row += 2 + len(table.rows) + 1
    apps = fmt.table("apps")
    out.append(TablePlacement(apps, APPS, 2, 3, 6, 3, 4))
    out.append(TablePlacement(fmt.table("review"), REVIEW, 2, 3, 6, 0, 1))
    return tuple(out)


def placement(format_id: str, table_id: str) -> TablePlacement:
    return next(p for p in placements(format_id) if p.table.id == table_id)


@lru_cache(maxsize=None)
def cell_map(format_id: str) -> dict[str, tuple[str, str]]:
    """cell id -> (sheet, address), in display order."""
    out = {}
    for p in placements(format_id):
        for c in p.table.cells:
            out[c.id] = (p.sheet, p.address(c.row.id, c.col.id))
    return out


@lru_cache(maxsize=None)
def previous_cells(format_id: str) -> tuple[str, ...]:
    """Last year's cells the cross-year rules read, in display order (held on the 上年数据 sheet)."""
    wanted = {t.cell for ident in identities_for(format_id) for t in ident.terms if t.prev}
    return tuple(c for c in get_format(format_id).cells if c in wanted)


PREVIOUS_FIRST_ROW = 4  # rows 1-3: title, explanation, header (项目 / 上年数值 / 单元格编号)


@lru_cache(maxsize=None)
def previous_map(format_id: str) -> dict[str, tuple[str, str]]:
    """last year's cell id -> (上年数据, address of its value)."""
    return {cid: (PREVIOUS, f"B{PREVIOUS_FIRST_ROW + i}") for i, cid in enumerate(previous_cells(format_id))}


def data_range(format_id: str, table_id: str) -> str:
    """A table's data block without its headers, as a clerk selects it: '依申请公开!D6:J30'."""
    p = placement(format_id, table_id)
    return f"{p.sheet}!{get_column_letter(p.first_col)}{p.first_row}:{get_column_letter(p.last_col)}{p.last_row}"


def sheet_range(format_id: str, sheet: str) -> str:
    """A sheet from A1 to the last cell the reader reads there: '主动公开!A1:D19', '上年数据!A1:B12'."""
    if sheet == PREVIOUS:
        rows, cols = PREVIOUS_FIRST_ROW + len(previous_cells(format_id)) - 1, 2
    else:
        on = [p for p in placements(format_id) if p.sheet == sheet]
        rows, cols = max(p.last_row for p in on), max(p.last_col for p in on)
    return f"{sheet}!A1:{get_column_letter(cols)}{rows}"


def defined_name(cell_id: str) -> str:
    return NAME_PREFIX + cell_id


def previous_name(cell_id: str) -> str:
    return PREV_PREFIX + cell_id


def cover_name(key: str) -> str:
    return NAME_PREFIX + key


@lru_cache(maxsize=None)
def data_names(format_id: str) -> dict[str, tuple[str, str]]:
    """Every defined name the template gives a cell the reader reads -> (sheet, address): the cells, the
    上年数据 cells and the cover fields."""
    out = {defined_name(cid): pos for cid, pos in cell_map(format_id).items()}
    out.update((previous_name(cid), pos) for cid, pos in previous_map(format_id).items())
    out.update((cover_name(key), (COVER, address)) for key, _label, address in COVER_FIELDS)
    return out


# 校验结果 sheet: the native summary (formulas, works without Python) on top, the Python button's findings
# below. The status cell carries the name ``xlgova_status``.
RESULTS_STATUS_CELL = "B3"
RESULTS_SUMMARY_HEADER_ROW = 5  # 检查项目 / 规则 / 级别 / 检查数 / 通过 / 不符 / 未核对; one line per check group below
RESULTS_HEADER_ROW = 22  # the findings table header; the button writes findings from the row below (columns
# A-F are unlocked there, so the button and the clerk's 已确认说明 work on the protected sheet)
RESULTS_COLUMNS = ("序号", "级别", "规则", "位置", "说明", "已确认说明")
RESULTS_FINGERPRINT_COL = 10  # zero-based (K), hidden: the finding's fingerprint, which carries its 已确认说明

# Hidden helper columns on each table sheet: the cell at (row, col + MIRROR_OFFSET) holds the value check
# (空白 / 负数 / 小数 / 文字 / "") of the cell at (row, col). Nothing else may be written there.
MIRROR_OFFSET = 60
