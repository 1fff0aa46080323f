"""The 明细 sheet: one row per agency, one column per cell id — the archive next year's run reads.

Row 1 holds the Chinese headers a supervisor reads, row 2 the machine keys (cell ids), data from row 3.
Reading goes by the keys in row 2, so columns may be reordered or hidden without harm.
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from .. import limits
from ..formats import get_format
from ..model import Report, parse_value
from ..errors import XlgovaError

DETAIL_SHEET = "明细"
FIRST_DATA_ROW = 3
FIXED = (
    ("no", "序号"), ("agency", "单位名称"), ("code", "单位代码"), ("level", "单位层级"), ("year", "统计年度"),
    ("format", "格式版本"), ("kind", "报表类型"), ("agencies", "汇总单位数"), ("status", "校验状态"), ("file", "来源文件"),
)
SECTION_KEYS = ("一", "五", "六")
SECTION_PREFIX = "section."
EXCEL_TEXT_LIMIT = 32767


def columns(format_id: str) -> list[tuple[str, str]]:
    """(key, Chinese header) for every column of the 明细 sheet."""
    fmt = get_format(format_id)
    cells = [(cid, c.label) for cid, c in fmt.cells.items()]
    sections = [(SECTION_PREFIX + k, fmt.section(k).heading) for k in SECTION_KEYS]
    return list(FIXED) + cells + sections


def _cell(v):
    if isinstance(v, float):
        return int(v) if v.is_integer() else Decimal(repr(v))
    if isinstance(v, str) and v == "":
        return None
    return v


def read_detail(path: str | Path) -> list[Report]:
    """Last year's reports from a summary workbook's 明细 sheet (values, narrative, cover fields)."""
    from ..workbook.reader import bounded_book

    p = Path(path)
    wb = bounded_book(p, limits.SUMMARY_MAX_ROWS, limits.SUMMARY_MAX_COLS)  # guarded, bounded, Chinese refusals
    if DETAIL_SHEET not in wb.sheet_names:
        raise XlgovaError(f"上年汇总表中没有“{DETAIL_SHEET}”工作表（只有 xlgova 生成的汇总表带有明细）", path=p, hint="也可以用 --previous 指定上年各单位工作簿所在的文件夹。")
    rows = wb.get_sheet_by_name(DETAIL_SHEET).to_python(skip_empty_area=False)
    if len(rows) < FIRST_DATA_ROW - 1 or "agency" not in rows[1]:
        raise XlgovaError(f"“{DETAIL_SHEET}”工作表的第2行不是单元格编号行，无法识别", path=p)
    keys = [str(k) for k in rows[1]]
    idx = {k: i for i, k in enumerate(keys) if k}
    reports = []
    for n, row in enumerate(rows[FIRST_DATA_ROW - 1 :], FIRST_DATA_ROW):
        get = lambda k: _cell(row[idx[k]]) if k in idx and idx[k] < len(row) else None  # noqa: E731
        if not get("agency"):
            continue
        reports.append(_report_from_row(get, p, n))
    return reports


def _report_from_row(get, path: Path, line: int) -> Report:
    year = get("year")
    fmt_id = str(get("format") or "")
    try:
        fmt = get_format(fmt_id)
    except KeyError:
        raise XlgovaError(f"“{DETAIL_SHEET}”第{line}行的格式版本“{fmt_id}”无法识别", path=path) from None
    values = {cid: parse_value(get(cid)) for cid in fmt.cells}
    sections = {k: str(t) for k in SECTION_KEYS if (t := get(SECTION_PREFIX + k))}
    meta = {k: get(k) for k in ("code", "level", "kind", "agencies") if get(k) is not None}
    return Report(agency=str(get("agency")), year=int(year) if isinstance(year, (int, Decimal)) else None, format_id=fmt.id, values=values, sections=sections, meta=meta, source=f"{path}（{DETAIL_SHEET}第{line}行）")
