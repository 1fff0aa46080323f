"""The 校验结果 sheet: where the button's part sits, and what the previous run left there.

The template (``xlgova.workbook.side_sheets.results``) puts the native formula summary and its status (the
``xlgova_status`` cell) on top — the button never writes there. The button owns the findings table from
``layout.RESULTS_HEADER_ROW`` down, the heading line just above it (its status line), and two hidden
helper columns far right of the printed area (the fingerprint that carries a clerk's 已确认说明 from run
to run, and where the run put its note).
"""
from __future__ import annotations

from typing import Any, Sequence

from ..workbook import layout
from ..workbook.results_rows import (  # noqa: F401  (what a previous run left: read by the reader and the button)
    COLUMNS, EXPLANATION_COL, FINGERPRINT_COL, NOTE_COL, WIDTH, OldRow, _cells, header_row, old_rows,
)

LOCATION_COL = COLUMNS.index("位置")
PRINT_LAST_COL = "I"  # the template's print area spans A..I (the summary is that wide)
HELPER_HEADERS = {FINGERPRINT_COL: "指纹（勿改）", NOTE_COL: "批注位置"}
GONE_LABEL = "已消除"  # a finding that no longer occurs but whose explanation is kept
STATUS_PREFIX = "详细结果（“校验”按钮）："


def table_row(visible: list, helpers: list) -> list:
    """One findings row A..L: the visible cells, 位置 as a link to its first cell, the hidden helpers.

    The link is a HYPERLINK formula written with the row (one write for the whole table, where a
    hyperlink object costs one call per row); Excel, WPS and LibreOffice all follow it."""
    row = list(visible) + [None] * (FINGERPRINT_COL - len(visible)) + list(helpers)
    row[LOCATION_COL] = link_formula(str(row[LOCATION_COL] or ""))
    return row


def link_formula(where: str) -> str:
    """'依申请公开!D6、依申请公开!D7' -> =HYPERLINK("#'依申请公开'!D6","依申请公开!D6、依申请公开!D7");
    text without a sheet (or too long for a formula string) stays text."""
    target = where.split("、", 1)[0]
    if "!" not in target or len(where) > 250:
        return where
    sheet, address = target.split("!", 1)
    text = where.replace('"', '""')
    return f'=HYPERLINK("#\'{sheet}\'!{address}","{text}")'


def print_area(last_row: int) -> str:
    """校验结果's print area: the summary and every findings row (grows with the findings)."""
    return f"A1:{PRINT_LAST_COL}{last_row}"


def first_row() -> int:
    return header_row() + 1


def status_cell() -> str:
    """The button's status line: the findings table's heading line (the formula status above is the template's)."""
    return f"A{header_row() - 1}"


def used_rows(grid: Sequence[Sequence[Any]] | None) -> int:
    """How many rows below the header hold anything (cleared before writing)."""
    rows = [_cells(r) for r in (grid or [])[header_row():]]
    while rows and not any(rows[-1]):
        rows.pop()
    return len(rows)
