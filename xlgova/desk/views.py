"""The official tables for a page: :mod:`xlgova.export.grid`'s grids (the Word export's layout, derived from
``xlgova/formats``) as HTML rows, each value cell coloured with the fill the 校验 button would give it.

The colours come from the button's own plan (:func:`xlgova.excel.marks.plan`), laid on the template's
addresses, so a cell is red on the page exactly when the button would paint it red in the workbook.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path

from ..excel.marks import plan
from ..export.grid import VALUE, Grid, grids_for, value_text
from ..model import Report, Source, format_number
from ..rules import Result
from ..workbook import layout


@dataclass(frozen=True)
class HtmlCell:
    text: str
    role: str
    rowspan: int
    colspan: int
    cell_id: str | None
    fill: str | None
    tip: str


@dataclass(frozen=True)
class HtmlTable:
    section: str
    title: str
    head_rows: int
    rows: list[list[HtmlCell]]


def clerk_rows(path: Path) -> list:
    """What the last 校验 left on the workbook's 校验结果 sheet (the clerk's 已确认说明 among it), read by the
    workbook reader's own sheet access and parsed by the button's own parser; none for other files."""
    from ..excel import results as rs
    from ..ooxml.parts import open_package
    from ..workbook.reader import CalamineSheets

    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return []
    return rs.old_rows(CalamineSheets(open_package(path)).grid(layout.RESULTS))


def cell_fills(report: Report, result: Result, old: list = ()) -> tuple[dict[str, str], dict[str, str]]:
    """(this year's cell id -> fill, 上年数据 cell id -> fill), as the button paints them (``old``: the rows
    the last run left on 校验结果, whose 已确认说明 turn confirmed warnings green)."""
    cmap, pmap = layout.cell_map(report.format_id), layout.previous_map(report.format_id)
    shown = copy.copy(report)
    shown.provenance = {cid: Source(sheet=s, address=a) for cid, (s, a) in cmap.items()}
    fills = plan(shown, result, list(old)).fills
    this = {cid: fills[key] for cid, key in cmap.items() if key in fills}
    prev = {cid: fills[key] for cid, key in pmap.items() if key in fills}
    return this, prev


def _tips(result: Result) -> dict[str, str]:
    tips: dict[str, list[str]] = {}
    for f in result.findings:
        for cid in f.cells:
            tips.setdefault(cid, []).append(f"{f.severity_label}：{f.message}")
    return {k: "\n".join(v) for k, v in tips.items()}


def _rows(grid: Grid, fills: dict[str, str], tips: dict[str, str]) -> list[list[HtmlCell]]:
    rows: list[list[HtmlCell]] = [[] for _ in range(grid.n_rows)]
    for b in sorted(grid.blocks, key=lambda b: (b.row, b.col)):
        fill = fills.get(b.cell_id) if b.role == VALUE else None
        rows[b.row].append(HtmlCell(b.text, b.role, b.rowspan, b.colspan, b.cell_id, fill, tips.get(b.cell_id, "")))
    return rows


def html_tables(report: Report, result: Result, old: list = ()) -> list[HtmlTable]:
    fills, _ = cell_fills(report, result, old)
    tips = _tips(result)
    out = []
    for section, grid in grids_for(report):
        out.append(HtmlTable(section, grid.table.title, grid.header_rows, _rows(grid, fills, tips)))
    return out


def _side(report: Report, terms) -> tuple[str, object]:
    """A side of an identity in words with its figures, and its sum (None when a figure is not a number)."""
    words, total = [], 0
    for i, t in enumerate(terms):
        source = report.previous if t.prev else report
        value = source.values.get(t.cell)
        sign = ("－" if t.coef < 0 else "＋") if i else ("－" if t.coef < 0 else "")
        words.append(f"{sign}{t.label} {value_text(value) or '（空白）'}")
        number = source.number(t.cell)
        total = None if total is None or number is None else total + t.coef * number
    return " ".join(words), total


def previous_rows(report: Report, result: Result, old: list = ()) -> list[dict]:
    """The cross-year checks (the rule table's own identities) with last year's figures beside this year's,
    coloured as the button colours the 上年数据 cells of a failed one."""
    from ..rules.identities import identities_for

    if report.previous is None:
        return []
    _, fills = cell_fills(report, result, old)
    out = []
    for idt in identities_for(report.format_id):
        if not idt.cross_year:
            continue
        left, a = _side(report, idt.lhs)
        right, b = _side(report, idt.rhs)
        outcome = "—" if a is None or b is None else ("相符" if a == b else f"相差 {format_number(abs(a - b))}")
        out.append({"subject": idt.subject, "this": left, "previous": right, "outcome": outcome,
                    "fill": next((fills[c] for c in idt.cells(prev=True) if c in fills), None)})
    return out


def for_page(path: Path, report: Report | None, result: Result | None) -> tuple[list[HtmlTable] | None, list[dict] | None]:
    """The marked official tables and the cross-year rows of a stored file (None when it could not be read)."""
    if report is None or result is None:
        return None, None
    old = clerk_rows(path)
    return html_tables(report, result, old), previous_rows(report, result, old)
