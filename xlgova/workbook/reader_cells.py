"""Where the reader finds each cell: defined names first, the template's positions as the fallback."""
from __future__ import annotations

import datetime as _dt
import re
from functools import lru_cache
from decimal import Decimal
from typing import Any

from ..formats import SPREAD, get_format
from ..model import BLANK_VALUE, parse_value
from ..model.finding import Finding
from ..safeio import unescape
from . import layout as L

LAYOUT_MATCH = 0.9  # share of row labels that must sit where the template puts them
_SPACE = re.compile(r"\s+")


_SMALL = {float(n): parse_value(n) for n in range(1000)}  # Values are immutable: share the common ones


def cell_value(raw: Any):
    """A cell as found -> Value. Text loses safe_text's escape; dates become ISO text."""
    if type(raw) is float:
        small = _SMALL.get(raw)
        return small if small is not None else parse_value(raw)
    if raw == "":
        return BLANK_VALUE
    if isinstance(raw, str):
        return parse_value(unescape(raw))
    if isinstance(raw, (_dt.date, _dt.time, _dt.timedelta)):
        return parse_value(raw.isoformat() if not isinstance(raw, _dt.timedelta) else str(raw))
    return parse_value(raw)




def _labels(fmt, cells: list[str], n: int = 3) -> str:
    text = "、".join(fmt.cell(c).label for c in cells[:n])
    return text + (f"等 {len(cells)} 个单元格" if len(cells) > n else "")


def locate_cells(pkg, sheets, format_id: str, has_names: bool) -> tuple[dict[str, tuple[str, str]], list[Finding]]:
    """cell id -> (sheet, address) for every cell that can be found, and findings about the rest."""
    positions = L.cell_map(format_id)
    fmt = get_format(format_id)
    if not has_names:
        located = {cid: pos for cid, pos in positions.items() if sheets.has(pos[0])}
        return located, [Finding.of("workbook.names_missing", "工作簿中没有 gova.* 定义名称（可能被复制到新工作簿，或被其他软件另存），已按模板的单元格位置读取；请确认表格的行列没有被移动")]
    intact = None
    located, broken, absent, fallback = {}, [], [], []
    for cid, name, pos in _names(format_id):
        if name in pkg.names:
            target = pkg.name_target(name)
            if target is None or not sheets.has(target[0]):
                broken.append(cid)
            else:
                located[cid] = target
            continue
        intact = _intact_sheets(pkg, positions) if intact is None else intact
        if pos[0] in intact and sheets.has(pos[0]):
            located[cid] = pos
            fallback.append(cid)
        else:
            absent.append(cid)
    findings = []
    if broken:
        findings.append(Finding.of("workbook.cell_missing", f"{_labels(fmt, broken)}的定义名称已失效（#REF!，可能删除了所在的行、列或工作表），无法读取", broken))
    if absent:
        findings.append(Finding.of("workbook.cell_missing", f"缺少{_labels(fmt, absent)}的定义名称（gova.单元格编号），且表格位置已变动，无法读取", absent))
    if fallback:
        locs = [(c, f"{located[c][0]}!{located[c][1]}") for c in fallback]
        findings.append(Finding.of("workbook.names_missing", f"{_labels(fmt, fallback)}缺少定义名称，已按模板的单元格位置读取", fallback, locations=locs))
    return located, findings


@lru_cache(maxsize=None)
def _names(format_id: str) -> tuple[tuple[str, str, tuple[str, str]], ...]:
    return tuple((cid, L.defined_name(cid).lower(), pos) for cid, pos in L.cell_map(format_id).items())


@lru_cache(maxsize=None)
def format_names(format_id: str) -> frozenset[str]:
    """The lower-cased defined names of a format's cells (to tell the formats apart by their names)."""
    return frozenset(name for _cid, name, _pos in _names(format_id))


def _intact_sheets(pkg, positions: dict[str, tuple[str, str]]) -> set[str]:
    """Sheets where no defined name points away from the template position (rows were not moved)."""
    moved = set()
    for cid, pos in positions.items():
        target = pkg.name_target(L.defined_name(cid))
        if target is not None and target != pos:
            moved.add(pos[0])
    return {sheet for _cid, (sheet, _a) in positions.items()} - moved


def layout_problem(sheets, format_id: str) -> str | None:
    """Why the sheets do not look like the template (row labels not where they belong), or None."""
    for p in L.placements(format_id):
        if p.table.layout == SPREAD:  # the row labels are headers above the single data line
            block = _block_text(sheets, p.sheet, p.header_top, p.first_row - 1, None)
            checks = [(block, row.label, p.header_top) for row in p.table.rows]
        else:
            checks = [(_block_text(sheets, p.sheet, p.first_row + i, p.first_row + i, p.first_col - 1), row.label, p.first_row + i)
                      for i, row in enumerate(p.table.rows)]
        misses = [(r, label) for text, label, r in checks if _SPACE.sub("", label) not in text]
        if len(checks) - len(misses) < LAYOUT_MATCH * len(checks):
            row, label = misses[0]
            return f"工作表“{p.sheet}”第 {row} 行没有模板中的“{label}”"
    return None


def _block_text(sheets, sheet: str, first: int, last: int, cols: int | None) -> str:
    grid = sheets.grid(sheet)
    return "".join(_SPACE.sub("", v) for line in grid[first - 1:last] for v in line[:cols] if isinstance(v, str))


def cover_field(key: str, raw: Any) -> Any:
    """A cover cell as a meta value: text stripped, numbers as whole numbers, dates as ISO text; None if blank."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if key in ("year", "agencies") and isinstance(raw, (_dt.date, _dt.time, _dt.timedelta)):
        return None  # a date where a year or a count belongs (2021 typed into a date cell shows 1905-07-13)
    if isinstance(raw, _dt.datetime):
        return raw.date().isoformat() if raw.time() == _dt.time() else raw.isoformat(sep=" ")
    if isinstance(raw, _dt.date):
        return raw.isoformat()
    if key in ("year", "agencies"):
        v = parse_value(unescape(str(raw)).strip().removesuffix("年").removesuffix("家").removesuffix("个") if isinstance(raw, str) else raw)
        if v.is_number and v.number == int(v.number):
            return int(v.number)
        return None if key == "year" else str(raw).strip()
    if isinstance(raw, float):
        return str(int(raw)) if raw.is_integer() else str(Decimal(repr(raw)))
    if isinstance(raw, (int, bool)):
        return str(raw)
    return unescape(str(raw)).strip()
