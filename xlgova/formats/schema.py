"""The vocabulary the official formats are written in.

A format is data: sections, tables, rows, columns. Cell ids are ``table.row.col``; they are the
project's vocabulary (JSON, messages, defined names ``gova.<cell id>``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Iterator

# Value kinds: what a cell may hold.
COUNT = "count"  # non-negative whole number (件, 个, 项)
AMOUNT = "amount"  # non-negative decimal, 万元 (2021 art20_8)
AMOUNT_FREE = "amount_free"  # non-negative decimal, unit not fixed (2019 art20_9 procurement)
SIGNED = "signed"  # whole number that may be negative (2019 本年增/减)

KIND_LABELS = {
    COUNT: "非负整数",
    AMOUNT: "非负数（万元，可带小数）",
    AMOUNT_FREE: "非负数（可带小数）",
    SIGNED: "整数（可为负数）",
}

# Table layouts: how rows and columns are drawn.
GRID = "grid"  # one line per row, one column per column (art20_*, apps)
SPREAD = "spread"  # every row laid side by side on one line under group headers (review)


@dataclass(frozen=True)
class Column:
    id: str
    label: str
    groups: tuple[str, ...] = ()  # spanning headers above the label, outermost first
    kind: str = COUNT
    total: bool = False  # the column is the sum of the other columns of its row


@dataclass(frozen=True)
class Row:
    id: str
    label: str
    groups: tuple[str, ...] = ()  # group labels to the left of the label, outermost first
    total: bool = False  # the row is the sum of the result rows (apps.handled_total)
    result: bool = False  # one of the 本年度办理结果 rows summed into the handled total


@dataclass(frozen=True)
class Cell:
    id: str
    table: "Table"
    row: Row
    col: Column

    @property
    def kind(self) -> str:
        return self.col.kind

    @property
    def is_total(self) -> bool:
        return self.row.total or self.col.total

    @property
    def is_input(self) -> bool:
        return not self.is_total

    @property
    def label(self) -> str:
        """How a clerk names the cell: table, row and column as printed."""
        if self.table.layout == SPREAD:
            return f"{self.table.short}「{self.col_label}」"
        return f"{self.table.short}「{self.row_label}」「{self.col_label}」"

    @property
    def row_label(self) -> str:
        """Numbered sub-rows (1.属于国家秘密) are named with their group: （三）不予公开 1.属于国家秘密."""
        if self.row.label[:1].isdigit() and self.row.groups:
            return f"{self.row.groups[-1]} {self.row.label}"
        return self.row.label

    @property
    def col_label(self) -> str:
        if self.table.layout == SPREAD:
            return "".join(g + "›" for g in self.row.groups) + self.row.label + "›" + self.col.label
        return self.col.label

    def __repr__(self) -> str:  # dataclass repr would recurse through the table
        return f"Cell({self.id!r})"


@dataclass(frozen=True)
class Table:
    id: str
    title: str  # as printed above the table, e.g. 第二十条第（一）项
    short: str  # how messages name the table
    section: str  # 一..六
    rows: tuple[Row, ...]
    cols: tuple[Column, ...]
    corner: str = "信息内容"  # the top-left header cell
    layout: str = GRID
    row_header: str = ""  # spanning header over the columns (申请人情况)
    unit: str = ""

    @cached_property
    def cells(self) -> tuple[Cell, ...]:
        return tuple(Cell(f"{self.id}.{r.id}.{c.id}", self, r, c) for r in self.rows for c in self.cols)

    def row(self, row_id: str) -> Row:
        return next(r for r in self.rows if r.id == row_id)

    def col(self, col_id: str) -> Column:
        return next(c for c in self.cols if c.id == col_id)

    def cell(self, row_id: str, col_id: str) -> Cell:
        return next(c for c in self.cells if c.row.id == row_id and c.col.id == col_id)

    @property
    def header_depth(self) -> int:
        return 1 + max((len(c.groups) for c in self.cols), default=0)

    def __repr__(self) -> str:
        return f"Table({self.id!r})"


@dataclass(frozen=True)
class Section:
    key: str  # 一 .. 六
    heading: str  # exact heading, e.g. 一、总体情况
    variants: tuple[str, ...] = ()  # other headings seen in published reports (without numbering)
    tables: tuple[str, ...] = ()  # table ids in this section
    narrative: bool = False

    @property
    def title(self) -> str:
        """The heading without its numbering (总体情况)."""
        return self.heading.split("、", 1)[1]


@dataclass(frozen=True)
class Format:
    id: str  # "2021" / "2019"
    notice: str  # 国办公开办函〔2021〕30号
    years: tuple[int, int]  # first and last statistics year the format is used for (inclusive)
    sections: tuple[Section, ...]
    tables: tuple[Table, ...]
    detection_keys: tuple[str, ...] = field(default=())

    @cached_property
    def cells(self) -> dict[str, Cell]:
        """Every cell, keyed by id, in display order."""
        return {c.id: c for t in self.tables for c in t.cells}

    def cell(self, cell_id: str) -> Cell:
        try:
            return self.cells[cell_id]
        except KeyError:
            raise KeyError(f"格式 {self.id} 中没有单元格 {cell_id}") from None

    def table(self, table_id: str) -> Table:
        return next(t for t in self.tables if t.id == table_id)

    def has_table(self, table_id: str) -> bool:
        return any(t.id == table_id for t in self.tables)

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)

    def iter_cells(self, *, inputs: bool | None = None) -> Iterator[Cell]:
        for c in self.cells.values():
            if inputs is None or c.is_input == inputs:
                yield c

    @property
    def narrative_sections(self) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if s.narrative)

    def covers(self, year: int) -> bool:
        return self.years[0] <= year <= self.years[1]

    def __repr__(self) -> str:
        return f"Format({self.id!r})"
