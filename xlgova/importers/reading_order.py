"""Text of a table in the page's reading order rather than row by row (pdftotext without -layout).

Kept apart from :mod:`tables` (which calls it on one-cell-per-line tables); tokens as there, None ending a row.
"""
from __future__ import annotations

from ..formats import Table
from .lines import Cell
from .normalize import fold, is_value_text


MAX_STRAY = 2  # words after the first row label or value that are no label: a note


def disorder(table: Table, toks: list[Cell | None], rows, local_ids: frozenset[int] = frozenset()) -> int | None:
    """One cell per line, but not each row's label followed by its values: text copied in the page's reading
    order (pdftotext without -layout reads a ruled table cell by cell, down a column where a group label
    spans rows, and wraps every cell over several lines). Column headers and label fragments then stand among
    the rows and values, where a real one-cell-per-line table has none (its headers come before the first
    value). The token where the order breaks down (a stray word, or values beyond the row's count), when
    there are more stray words than a note would bring; None for a table in order. The labels of rows the
    agency added (``local_ids``) are in order: each is followed by a row of values."""
    expected = {id(rr.label_cell): rr.expected for rr in rows} | {k: len(table.cols) for k in local_ids}
    groups = {fold(g) for r in table.rows for g in r.groups}
    first = next((i for i, t in enumerate(toks) if t is not None and (id(t) in expected or (t.text and is_value_text(t.text)))), None)
    if first is None or not expected:
        return None
    stray, point, want, run, tail = 0, None, None, 0, False
    for i in range(first, len(toks)):
        t = toks[i]
        if t is None:
            continue
        if id(t) in expected:
            want, run, tail = expected[id(t)], 0, True
        elif is_value_text(t.text):
            run, tail = run + 1, False
            if want is not None and run > want and point is None:
                point = i
        elif tail or t.key in groups:
            tail = False  # a wrapped label's rest, a group label
        else:
            stray += 1
            point = i if point is None else point
    if stray <= max(MAX_STRAY, len(rows) // 10):
        return None
    if not any(id(t) in expected for t in toks[point:] if t is not None):
        return first  # headers after the last row's values: no row was read in order
    return point
