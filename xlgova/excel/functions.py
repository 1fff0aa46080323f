"""The checks behind the worksheet functions (UDFs), as plain Python on range values.

One call checks a whole table — never one call per cell (recalculation storms, STYLE.md). Values arrive
as xlwings passes them: rows of floats, strings and None. ``udfs.py`` only decorates these.
"""
from __future__ import annotations

from typing import Any, Sequence

from ..formats import FORMATS, get_format, latest_format
from ..model import Report, Source
from ..errors import XlgovaError
from ..rules import Finding, Result, title_of, validate
from ..workbook import layout
from ..workbook.grid_book import read_grids
from ..workbook.reader_cells import cell_value

HEADER = ["级别", "规则", "单元格", "说明"]
PASSED = "通过"
# Not the tables' business: the cover is not passed, and a worksheet function never sees defined names.
_SKIP = {"report.agency_missing", "report.year_missing", "report.cells_missing", "format.year", "workbook.names_missing"}


def _rows(block: Any) -> list[list]:
    if block is None:
        return []
    if not isinstance(block, (list, tuple)):
        return [[block]]
    if block and not isinstance(block[0], (list, tuple)):
        return [list(block)]
    return [list(r) for r in block]


def _flat(block: Any) -> list:
    return [v for row in _rows(block) for v in row]


def _format_for_rows(table_id: str, n_rows: int, format_id: str | None) -> str:
    if format_id:
        fid = str(format_id).split(".")[0].strip()
        get_format(fid)
        return fid
    fits = [fid for fid in FORMATS if len(get_format(fid).table(table_id).rows) == n_rows]  # a data block has no labels
    return fits[0] if len(fits) == 1 else latest_format().id


def table_report(table_id: str, block: Any, format_id: str | None = None) -> Report:
    """A Report holding one table's cells, read by position from its data block (no labels)."""
    rows = _rows(block)
    fid = _format_for_rows(table_id, len(rows), format_id)
    table = get_format(fid).table(table_id)
    p = layout.placement(fid, table_id)
    want = (1, len(table.rows) * len(table.cols)) if p.table.layout == "spread" else (len(table.rows), len(table.cols))
    got = (len(rows), max((len(r) for r in rows), default=0))
    if got != want:
        raise XlgovaError(f"{table_id} 表的数据区域应为 {want[0]} 行 × {want[1]} 列（{layout.data_range(fid, table_id)}，不含标题），实际为 {got[0]} 行 × {got[1]} 列")
    flat = _flat(rows)
    report = Report(agency="", year=None, format_id=fid)
    for i, c in enumerate(table.cells if p.table.layout == "spread" else _grid_order(table)):
        report.values[c.id] = cell_value(flat[i])  # the file reader's cell conventions (escapes, dates)
        report.provenance[c.id] = Source(sheet=p.sheet, address=p.address(c.row.id, c.col.id))
    return report


def _grid_order(table):
    return [table.cell(r.id, c.id) for r in table.rows for c in table.cols]


def _previous(report: Report, cells: Sequence[str], values: Any) -> Report | None:
    flat = _flat(values)
    if not flat:
        return None
    prev = Report(agency="", year=None, format_id=report.format_id)
    for cid, raw in zip(cells, flat):
        v = cell_value(raw)
        if not v.is_blank:
            prev.values[cid] = v
    return prev if prev.values else None


def _table_result(report: Report, previous: Report | None) -> Result:
    result = validate(report, previous)
    return Result([f for f in result.findings if f.rule not in _SKIP])


def findings_array(result: Result) -> list[list]:
    """The findings as a spill range: a header row, then one row per finding; 通过 when there are none."""
    if not result.findings:
        return [[PASSED, "", "", ""]]
    return [HEADER] + [[f.severity_label, title_of(f.rule), _where(f), f.message] for f in result.findings]


def _where(f: Finding) -> str:
    return "、".join(loc for _, loc in f.locations) or "、".join(f.cells)


def check_apps(apps: Any, prev_carried_out: Any = None, format_id: str | None = None) -> list[list]:
    """GOVA_CHECK_APPS: the 依申请公开 table's data block, and optionally last year's 结转下年度 row."""
    try:
        report = table_report("apps", apps, format_id)
    except XlgovaError as e:
        return [[f"错误：{e}"]]
    cols = [c.id for c in report.format.table("apps").cols]
    previous = _previous(report, [f"apps.carried_out.{c}" for c in cols], prev_carried_out)
    return findings_array(_table_result(report, previous))


def check_table(table_id: str, block: Any, format_id: str | None = None) -> list[list]:
    """GOVA_CHECK: any one table (art20_1, art20_5, art20_6, art20_8, art20_9, apps, review)."""
    try:
        report = table_report(str(table_id).strip(), block, format_id)
    except (XlgovaError, StopIteration, KeyError) as e:
        return [[f"错误：{e if not isinstance(e, StopIteration) else f'没有 {table_id} 表'}"]]
    return findings_array(_table_result(report, None))


def book_result(section_two: Any, apps: Any, review: Any, previous: Any = None, format_id: str | None = None) -> Result:
    """Every rule over the three table sheets (each passed from A1) and, optionally, 上年数据 from A1."""
    fid = str(format_id).split(".")[0].strip() if format_id else None  # else the reader tells it from the labels
    if fid is not None and fid not in FORMATS:
        raise XlgovaError(f"未知的格式版本 {fid}（可用：{'、'.join(FORMATS)}）")
    grids = {layout.SECTION_TWO: _rows(section_two), layout.APPS: _rows(apps), layout.REVIEW: _rows(review)}
    if previous is not None:
        grids[layout.PREVIOUS] = _rows(previous)
    report = read_grids(grids, format_id=fid)  # the file reader's plan; no names reach a worksheet function
    return Result([f for f in validate(report).findings if f.rule not in _SKIP])


def status(section_two: Any, apps: Any, review: Any, previous: Any = None, format_id: str | None = None) -> str:
    """GOVA_STATUS: 通过 / 发现 N 个错误、M 个警告 over the whole workbook's tables."""
    try:
        return book_result(section_two, apps, review, previous, format_id).status_text()
    except XlgovaError as e:
        return f"错误：{e}"


def findings(section_two: Any, apps: Any, review: Any, previous: Any = None, format_id: str | None = None) -> list[list]:
    """GOVA_FINDINGS: the same check as GOVA_STATUS, every finding as rows."""
    try:
        return findings_array(book_result(section_two, apps, review, previous, format_id))
    except XlgovaError as e:
        return [[f"错误：{e}"]]
