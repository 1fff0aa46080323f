"""The official tables as grids of merged blocks, derived from ``xlgova.formats`` (no docx here).

A :class:`Grid` says what goes where — title row, multi-level headers, merged row labels, value cells —
and how wide each column is. The Word writer only draws it, so the layout is testable without Word and
every label comes from the format data, never from this module.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Iterable

from ..formats import SPREAD, Format, Table
from ..model import Report, Value, format_number

TEXT_WIDTH_CM = 15.6  # A4 minus the 公文 margins (28 mm left, 26 mm right)

# Roles decide typography and alignment in the writer.
TITLE, HEAD, GROUP, LABEL, VALUE = "title", "head", "group", "label", "value"


@dataclass(frozen=True)
class Block:
    row: int
    col: int
    text: str
    role: str
    rowspan: int = 1
    colspan: int = 1
    cell_id: str | None = None


@dataclass
class Grid:
    table: Table
    widths: tuple[float, ...]  # cm, one per grid column
    header_rows: int  # rows repeated at the top of every page the table runs onto
    blocks: list[Block] = field(default_factory=list)

    @property
    def n_cols(self) -> int:
        return len(self.widths)

    @property
    def n_rows(self) -> int:
        return max(b.row + b.rowspan for b in self.blocks)

    def block_at(self, row: int, col: int) -> Block | None:
        """The block covering a grid position (merged areas included)."""
        for b in self.blocks:
            if b.row <= row < b.row + b.rowspan and b.col <= col < b.col + b.colspan:
                return b
        return None


def value_text(value: Value | None) -> str:
    """What a value cell shows: numbers as numbers (0 is "0", 万元 keep their decimals); anything else
    exactly as found — a blank stays blank, "/" stays "/" (validation has already warned about it)."""
    if value is None or value.is_blank:
        return ""
    if value.is_number:
        return format_number(value.number)
    return (value.raw or "").strip()


def _header(items: Iterable[tuple[tuple[str, ...], int]], depth: int, top: int, first_col: int) -> list[Block]:
    """Multi-level headers: consecutive items sharing a prefix merge across; a path shorter than
    ``depth`` lets its last label stretch down to the bottom header row (自然人, 总计, 行政复议)."""
    items = list(items)
    out: list[Block] = []
    starts = [first_col]
    for _, span in items:
        starts.append(starts[-1] + span)
    for level in range(depth):
        i = 0
        while i < len(items):
            path, _ = items[i]
            if len(path) <= level:
                i += 1
                continue
            j = i + 1
            if len(path) > level + 1:  # a group: merge the run of items under the same prefix
                while j < len(items) and len(items[j][0]) > level + 1 and items[j][0][: level + 1] == path[: level + 1]:
                    j += 1
            rowspan = depth - level if len(path) == level + 1 else 1
            out.append(Block(top + level, starts[i], path[level], HEAD, rowspan, starts[j] - starts[i]))
            i = j
    return out


def _header_path(table: Table, groups: tuple[str, ...], label: str) -> tuple[str, ...]:
    # row_header (申请人情况) spans every column in the official table, 总计 included.
    inner = tuple(g for g in groups if g != table.row_header)
    return ((table.row_header,) if table.row_header else ()) + inner + (label,)


def _body_labels(table: Table, label_cols: int, top: int) -> list[Block]:
    """Row labels: a group label merges down over its run of rows; a leaf label stretches right."""
    out: list[Block] = []
    rows = table.rows
    for level in range(label_cols - 1):
        i = 0
        while i < len(rows):
            g = rows[i].groups
            if len(g) <= level:
                i += 1
                continue
            j = i + 1
            while j < len(rows) and rows[j].groups[: level + 1] == g[: level + 1]:
                j += 1
            out.append(Block(top + i, level, g[level], GROUP, j - i, 1))
            i = j
    for i, r in enumerate(rows):
        d = len(r.groups)
        out.append(Block(top + i, d, r.label, LABEL, 1, label_cols - d))
    return out


def _label_widths(label_cols: int) -> list[float]:
    # Outer group labels run vertically over many rows and can be narrow; the leaf labels are long.
    return {1: [4.2], 2: [1.6, 4.6], 3: [1.0, 1.7, 4.5]}.get(label_cols, [1.2] * (label_cols - 1) + [3.6])


def grid_table(table: Table, report: Report | None) -> Grid:
    """apps-like tables: corner, multi-level column headers, grouped row labels, one value per cell."""
    label_cols = 1 + max((len(r.groups) for r in table.rows), default=0)
    paths = [(_header_path(table, c.groups, c.label), 1) for c in table.cols]
    depth = max(len(p) for p, _ in paths)
    labels_w = _label_widths(label_cols)
    value_w = (TEXT_WIDTH_CM - sum(labels_w)) / len(table.cols)
    grid = Grid(table, tuple(labels_w + [value_w] * len(table.cols)), depth)
    grid.blocks.append(Block(0, 0, table.corner, HEAD, depth, label_cols))
    grid.blocks += _header(paths, depth, 0, label_cols)
    grid.blocks += _body_labels(table, label_cols, depth)
    for i, r in enumerate(table.rows):
        for k, c in enumerate(table.cols):
            cid = f"{table.id}.{r.id}.{c.id}"
            grid.blocks.append(Block(depth + i, label_cols + k, _text(report, cid), VALUE, cell_id=cid))
    return grid


def spread_table(table: Table, report: Report | None) -> Grid:
    """review-like tables: every row side by side under its group headers, one line of values."""
    n = len(table.cols)
    paths = [(r.groups + (r.label,), n) for r in table.rows]
    depth = max(len(p) for p, _ in paths)
    grid = Grid(table, tuple([TEXT_WIDTH_CM / (n * len(table.rows))] * (n * len(table.rows))), depth + 1)
    grid.blocks += _header(paths, depth, 0, 0)
    for i, r in enumerate(table.rows):
        for k, c in enumerate(table.cols):
            cid = f"{table.id}.{r.id}.{c.id}"
            grid.blocks.append(Block(depth, i * n + k, c.label, HEAD))
            grid.blocks.append(Block(depth + 1, i * n + k, _text(report, cid), VALUE, cell_id=cid))
    return grid


def section_two_units(fmt: Format) -> int:
    """Value sub-columns shared by section 二's tables, so they stack to one width like the official form."""
    return math.lcm(*(len(fmt.table(t).cols) for t in fmt.section("二").tables))


def titled_table(table: Table, report: Report | None, units: int) -> Grid:
    """Section 二 tables: a title row (第二十条第（一）项), the 信息内容 header row, one line per row."""
    label_w = _label_widths(1)[0]
    grid = Grid(table, tuple([label_w] + [(TEXT_WIDTH_CM - label_w) / units] * units), 2)
    span = units // len(table.cols)
    grid.blocks.append(Block(0, 0, table.title, TITLE, 1, units + 1))
    grid.blocks.append(Block(1, 0, table.corner, HEAD))
    for k, c in enumerate(table.cols):
        grid.blocks.append(Block(1, 1 + k * span, c.label, HEAD, 1, span))
    for i, r in enumerate(table.rows):
        grid.blocks.append(Block(2 + i, 0, r.label, LABEL))
        for k, c in enumerate(table.cols):
            cid = f"{table.id}.{r.id}.{c.id}"
            grid.blocks.append(Block(2 + i, 1 + k * span, _text(report, cid), VALUE, 1, span, cid))
    return grid


def _text(report: Report | None, cell_id: str) -> str:
    return value_text(report.values.get(cell_id)) if report is not None else ""


def grids_for(report: Report) -> list[tuple[str, Grid]]:
    """(section key, grid) for every table of the report's format, in document order."""
    fmt = report.format
    units = section_two_units(fmt)
    out = []
    for section in fmt.sections:
        for tid in section.tables:
            table = fmt.table(tid)
            if table.layout == SPREAD:
                grid = spread_table(table, report)
            elif section.key == "二":
                grid = titled_table(table, report, units)
            else:
                grid = grid_table(table, report)
            out.append((section.key, grid))
    return out
