"""Blank cells of tables drawn without rules, found by where the values stand on the page.

A row split at spaces (``pdftotext -layout``, a PDF page's text line) loses its blank cells: "3  5" may be
3|blank|5 or 3|5|blank. The other rows of the same table show where the columns are: the rows with the
most values give the columns' horizontal positions (character offsets in text, points on a PDF page), and
a shorter row's values are placed in the nearest columns, the rest printed blank. A row is placed only
when every value falls clearly into its own column; otherwise it is left to the table identities.

Lines carry the positions of their trailing values in ``extra["xs"]`` (centres, one per value cell).
"""
from __future__ import annotations

import re

from .document import Cell, Line

MAX_GAP_LINES = 4  # label-only lines (wrapped labels, group labels) a table's rows may have between them
_STRONG_PROSE = re.compile(r"[。；！？]")


def value_centres(raw: str, n: int) -> list[float] | None:
    """Centres (character offsets) of the last ``n`` whitespace-separated tokens of a layout text line."""
    spans = [(m.start(), m.end()) for m in re.finditer(r"\S+", raw)]
    if len(spans) < n or n == 0:
        return None
    return [(a + b - 1) / 2 for a, b in spans[-n:]]


def align_blocks(lines: list[Line], breaks) -> None:
    """Fill in the blank cells of short rows, block by block (``breaks(line)``: a line that ends a table)."""
    block: list[Line] = []
    gap = 0
    for ln in lines:
        if ln.extra.get("xs"):
            block.append(ln)
            gap = 0
            continue
        if ln.is_blank or not ln.text.strip():
            continue
        gap += 1
        if gap > MAX_GAP_LINES or breaks(ln) or _STRONG_PROSE.search(ln.text):
            _align(block)
            block, gap = [], 0
    _align(block)


def _align(block: list[Line]) -> None:
    if len(block) < 2:
        return
    widest = max(len(ln.extra["xs"]) for ln in block)
    full = [ln.extra["xs"] for ln in block if len(ln.extra["xs"]) == widest]
    if widest < 2:
        return
    columns = [sum(xs[k] for xs in full) / len(full) for k in range(widest)]
    if any(b <= a for a, b in zip(columns, columns[1:])):
        return
    tolerance = min(b - a for a, b in zip(columns, columns[1:])) / 2
    for ln in block:
        xs = ln.extra["xs"]
        if len(xs) < widest:
            _place(ln, xs, columns, tolerance)


def _place(ln: Line, xs: list[float], columns: list[float], tolerance: float) -> None:
    picks = [min(range(len(columns)), key=lambda k: abs(columns[k] - x)) for x in xs]
    if any(abs(columns[k] - x) >= tolerance for k, x in zip(picks, xs)) or any(b <= a for a, b in zip(picks, picks[1:])):
        return  # not clearly placed: the identities decide later
    values = ln.cells[len(ln.cells) - len(xs):]
    head = ln.cells[: len(ln.cells) - len(xs)]
    src = values[0].src
    placed: list[Cell] = [Cell("", src) for _ in columns]
    for k, cell in zip(picks, values):
        placed[k] = cell
    ln.cells = head + placed
    ln.extra["xs"] = list(columns)
    ln.extra["aligned"] = True
