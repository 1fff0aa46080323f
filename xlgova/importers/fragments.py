"""Row labels wrapped into short fragments over several lines (narrow label columns in layout text).

A Word table with narrow label columns, printed to PDF and copied with ``pdftotext -layout``, prints each
row's values on one line and its labels two or three characters a line, one column of fragments per label
column (the group column （三）不予公开 beside the item column 1.属于国家秘密)::

    （三  1.属   3    0   0   0   0   0   3
    ）不  于国
    予公  家秘
    开   密

With cells centred vertically the values' line stands in the middle of the fragments (some above, some
below). The lines without values between two lines of values are shared out between the two rows: the
split that makes every row's label, its fragments joined column by column, match the format's label for
that row in order (labels from :mod:`xlgova.formats` and the usual matching in :mod:`.normalize`). A
table is rejoined only when all its rows match so; otherwise nothing changes.
"""
from __future__ import annotations

import re

from ..formats import Table
from .columns import value_centres
from .lines import Cell, Line
from .normalize import fold, is_value_text, label_keys, matches_label

MAX_EDGE = 12  # lines above the first (below the last) row of values that may hold its label's fragments
_TOKEN = re.compile(r"\S+")

Frag = tuple[int, str]  # (character position on its line, text)


def rejoin(table: Table, region: list[Line]) -> list[Line] | None:
    """The region with each row's label fragments joined onto its line of values (and their own lines
    dropped), or None when the rows' labels do not all match the format's rows in order this way."""
    frags, values = _fragments(region)
    numbered = [i for i, v in enumerate(values) if v]
    if len(numbered) != len(table.rows):
        return None
    lead = list(range(max(numbered[0] - MAX_EDGE, 0), numbered[0]))
    tail = list(range(numbered[-1] + 1, min(numbered[-1] + 1 + MAX_EDGE, len(region))))
    gaps = [list(range(a + 1, b)) for a, b in zip(numbered, numbered[1:])] + [tail]
    splits = _splits(table, numbered, lead, gaps, frags)
    if splits is None:
        return None
    return _rebuilt(region, [(n, values[n]) for n in numbered], splits, frags)


def _values(ln: Line) -> list[Cell]:
    """The value cells ending a row of layout text (none for a line of label fragments)."""
    if not (ln.table_row and ln.extra.get("spaced")):
        return []
    k = len(ln.cells)
    while k > 0 and is_value_text(ln.cells[k - 1].text):
        k -= 1
    return ln.cells[k:] if any(c.text for c in ln.cells[k:]) else []


MIN_VALUES = 3  # values ending a line read as one piece of text (a fragment with a comma looks like prose)


def _fragments(region: list[Line]) -> tuple[list[list[Frag]], list[list[Cell]]]:
    """Each line's label fragments at their character positions and its values (a physical line split into
    parts: all on the part with the values). A page's positions are shifted so that its rightmost label
    column stands where it stands on the table's first page (pdftotext lays out each page on its own: a
    page whose first label column is empty starts further left)."""
    pages, page = [], 0
    frags: list[list[Frag]] = []
    values: list[list[Cell]] = []
    for run in _physical(region):
        raw = next((ln.extra.get("raw") or ln.extra.get("line") for ln in run if "raw" in ln.extra or "line" in ln.extra), None)
        raw = raw or " ".join(ln.text for ln in run)
        page += "\f" in raw
        found = [(m.start(), m.group()) for m in _TOKEN.finditer(raw.replace("\f", ""))]
        owner = next((k for k, ln in enumerate(run) if _values(ln)), None)
        n = next((k for k, (_, t) in enumerate(reversed(found)) if not is_value_text(t)), len(found))
        cells = _values(run[owner]) if owner is not None else []
        if owner is None and n >= MIN_VALUES and len(run) == 1:
            owner, cells = 0, [Cell(t, run[0].src) for _, t in found[len(found) - n :]]
        if owner is not None:
            del found[len(found) - n :]
        for k in range(len(run)):
            frags.append(found if k == (owner or 0) else [])
            values.append(cells if k == owner else [])
            pages.append(page)
    shift = _page_shifts(frags, pages, [bool(v) for v in values])
    return [[(p + shift.get(pg, 0), t) for p, t in fr] for fr, pg in zip(frags, pages)], values


def _physical(region: list[Line]) -> list[list[Line]]:
    """The region's lines grouped by the physical line they come from."""
    runs: list[list[Line]] = []
    for ln in region:
        if runs and ln.src.line is not None and runs[-1][-1].src.line == ln.src.line:
            runs[-1].append(ln)
        else:
            runs.append([ln])
    return runs


def _page_shifts(frags: list[list[Frag]], pages: list[int], numbered: list[bool]) -> dict[int, int]:
    """Page -> shift of its positions, judged by the label columns from the first row of values to the last
    (the header above stands elsewhere)."""
    first, last = numbered.index(True), len(numbered) - numbered[::-1].index(True)
    starts: dict[int, list[int]] = {}
    for fr, pg in zip(frags[first:last], pages[first:last]):
        starts.setdefault(pg, []).extend(p for p, _ in fr)
    columns = {pg: cols for pg, ps in starts.items() if len(cols := _columns(ps)) >= 2}
    ref = columns[min(columns)][-1] if columns else 0
    return {pg: ref - cols[-1] for pg, cols in columns.items()}


def _columns(positions) -> list[int]:
    """Starting positions of the columns: positions one apart are the same column."""
    out: list[int] = []
    prev = None
    for p in sorted(set(positions)):
        if prev is None or p > prev + 1:
            out.append(p)
        prev = p
    return out


def _label(lines: list[list[Frag]]) -> str:
    """A row's label: its fragments column by column (left to right), each column top to bottom."""
    flat = [f for fr in lines for f in fr]
    cols = _columns([p for p, _ in flat])
    parts: list[list[str]] = [[] for _ in cols]
    for fr in lines:
        for p, text in fr:
            parts[max(i for i, c in enumerate(cols) if c <= p)].append(text)
    return fold("".join("".join(col) for col in parts))


def _splits(table: Table, numbered, lead, gaps, frags) -> list[tuple[list[int], list[int]]] | None:
    """Each row's (lines above, lines below), or None. Rows in order: the lines between two rows of values
    go to the first (below it) up to a point, the rest to the second (above it); the first row takes the
    fewest lines above it, the last the fewest below it."""
    keys = [label_keys(r.label) for r in table.rows]
    reach = range(len(lead) + 1)  # lines above the row that may be its own
    path: list[dict[int, tuple[int, int]]] = []  # per row: lines left above the next row -> (lines above, lines below)
    for k, n in enumerate(numbered):
        gap, before, nxt = gaps[k], lead if k == 0 else gaps[k - 1], {}
        for a in sorted(reach):
            above = before[len(before) - a :] if a else []
            for b in range(len(gap) + 1):
                if len(gap) - b in nxt:
                    continue
                text = _label([frags[i] for i in [*above, n, *gap[:b]]])
                if matches_label(text, keys[k]):
                    nxt[len(gap) - b] = (a, b)
        if not nxt:
            return None
        path.append(nxt)
        reach = nxt.keys()
    return _walk(path, lead, gaps)


def _walk(path, lead, gaps) -> list[tuple[list[int], list[int]]]:
    rest = min(path[-1], key=lambda left: len(gaps[-1]) - left)  # the last row: fewest lines below
    out = []
    for k in range(len(path) - 1, -1, -1):
        a, b = path[k][rest]
        before = lead if k == 0 else gaps[k - 1]
        out.append((before[len(before) - a :] if a else [], gaps[k][:b]))
        rest = a
    return out[::-1]


def _rebuilt(region: list[Line], numbered: list[tuple[int, list[Cell]]], splits, frags) -> list[Line]:
    joined: dict[int, Line] = {}
    used: set[int] = set()
    for (n, values), (above, below) in zip(numbered, splits):
        ln = region[n]
        label = Cell(_label([frags[i] for i in [*above, n, *below]]), ln.src)
        extra = {k: v for k, v in ln.extra.items() if k not in ("line", "raw")}
        if not extra.get("spaced"):  # read as prose: the values' positions from the physical line
            raw = ln.extra.get("raw") or ln.extra.get("line") or ""
            extra.update(spaced=True, xs=value_centres(raw.replace("\f", ""), len(values)))
        text = " ".join([label.text] + [c.text for c in values])
        joined[n] = Line([label, *values], ln.src, text, table_row=True, extra=extra)
        used.update(above, below)
    return [joined.get(i, ln) for i, ln in enumerate(region) if i not in used]
