"""The official tables for a page: :mod:`xlgova.export.grid`'s grids (the Word export's layout, derived from
``xlgova/formats``) as HTML rows, each value cell coloured with the fill the 校验 button would give it.

The colours come from the button's own plan (:func:`xlgova.excel.marks.plan`), laid on the template's
addresses, so a cell is red on the page exactly when the button would paint it red in the workbook.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass

from ..excel.marks import plan
from ..export.grid import VALUE, Grid, grids_for, value_text
from ..model import Report, Source
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


def cell_fills(report: Report, result: Result) -> tuple[dict[str, str], dict[str, str]]:
    """(this year's cell id -> fill, 上年数据 cell id -> fill), as the button paints them."""
    cmap, pmap = layout.cell_map(report.format_id), layout.previous_map(report.format_id)
    shown = copy.copy(report)
    shown.provenance = {cid: Source(sheet=s, address=a) for cid, (s, a) in cmap.items()}
    fills = plan(shown, result, []).fills
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


def html_tables(report: Report, result: Result) -> list[HtmlTable]:
    fills, _ = cell_fills(report, result)
    tips = _tips(result)
    out = []
    for section, grid in grids_for(report):
        out.append(HtmlTable(section, grid.table.title, grid.header_rows, _rows(grid, fills, tips)))
    return out


def previous_rows(report: Report, result: Result) -> list[dict]:
    """上年数据 used by the cross-year checks, beside this year's figure of the same cell, coloured like the
    button colours the 上年数据 sheet."""
    prev = report.previous
    if prev is None:
        return []
    _, fills = cell_fills(report, result)
    out = []
    for cid in layout.previous_map(report.format_id):
        cell = prev.format.cells.get(cid) if cid in prev.format.cells else report.format.cells.get(cid)
        out.append({"cell": cid, "label": cell.label if cell else cid, "previous": value_text(prev.values.get(cid)),
                    "current": value_text(report.values.get(cid)), "fill": fills.get(cid)})
    return out
