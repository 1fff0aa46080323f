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
    frags, values, pages = _fragments(region)
    numbered = [i for i, v in enumerate(values) if v]
    if not numbered or len(numbered) > len(table.rows):
        return None
    spans = _spans(table, region, numbered, frags)
    if spans is None:
        return None
    rebuilt = _rebuilt(region, spans, values, frags)
    if rebuilt is not None:
        _one_scale(rebuilt[spans[0][0] : spans[0][0] + len(spans)], [pages[p] for p, _ in spans])
    return rebuilt


def _values(ln: Line) -> list[Cell]:
    """The value cells ending a row of layout text (none for a line of label fragments)."""
    if not (ln.table_row and ln.extra.get("spaced")):
        return []
    k = len(ln.cells)
    while k > 0 and is_value_text(ln.cells[k - 1].text):
        k -= 1
    return ln.cells[k:] if any(c.text for c in ln.cells[k:]) else []


def _fragments(region: list[Line]) -> tuple[list[list[Frag]], list[list[Cell]], list[int]]:
    """Each line's label fragments at their character positions and its values (a physical line split into
    parts: all on the part with the values). A page's positions are shifted so that its rightmost label
    column stands where it stands on the table's first page (pdftotext lays out each page on its own: a
    page whose first label column is empty starts further left)."""
    pages, page = [], 0
    frags: list[list[Frag]] = []
    values: list[list[Cell]] = []
    runs = [(run, _tokens(run)) for run in _physical(region)]
    at = _values_at(runs)
    for run, found in runs:
        page += any("\f" in (ln.extra.get("raw") or ln.extra.get("line") or "") for ln in run)
        n = next((k for k, (p, t) in enumerate(reversed(found)) if not is_value_text(t) or p < at), len(found))
        owner = next((k for k, ln in enumerate(run) if _values(ln)), None)
        cells = _values(run[owner]) if owner is not None and n else []  # blanks put back in their columns
        while cells and _ENUMERATION.fullmatch(cells[0].text):
            cells = cells[1:]  # "1." before the values: the start of an item's label
        owner = owner if cells else None
        if owner is None and n and len(run) == 1 and not run[0].table_row:  # values after a fragment read as prose
            owner, cells = 0, [Cell(t, run[0].src) for _, t in found[len(found) - n :]]
        if owner is not None:
            del found[len(found) - n :]
        for k in range(len(run)):
            frags.append(found if k == (owner or 0) else [])
            values.append(cells if k == owner else [])
            pages.append(page)
    shift = _page_shifts(frags, pages, [bool(v) for v in values])
    return [[(p + shift.get(pg, 0), t) for p, t in fr] for fr, pg in zip(frags, pages)], values, pages


def _tokens(run: list[Line]) -> list[Frag]:
    raw = next((ln.extra.get("raw") or ln.extra.get("line") for ln in run if "raw" in ln.extra or "line" in ln.extra), None)
    raw = raw or " ".join(ln.text for ln in run)
    return [(m.start(), m.group()) for m in _TOKEN.finditer(raw.replace("\f", ""))]


_ENUMERATION = re.compile(r"\d{1,2}[.、．]")  # "1." alone on a line: the start of an item label, no value


def _values_at(runs) -> int:
    """Where the values begin: the leftmost value ending a line (an item's lone "1." is no value)."""
    firsts = []
    for _, found in runs:
        n = next((k for k, (_, t) in enumerate(reversed(found)) if not is_value_text(t) or _ENUMERATION.fullmatch(t)), len(found))
        if n:
            firsts.append(found[len(found) - n][0])
    return min(firsts, default=1 << 30)


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
    if True not in numbered:
        return {}
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
    return "".join("".join(col) for col in parts)


MAX_SPAN = 24  # lines of one row (its label two characters a line)


def _spans(table: Table, region, numbered: list[int], frags) -> list[tuple[int, int]] | None:
    """Each row's lines (first, end), rows one after another in format order, or None. A row holds at most
    one line of values (none: all its cells printed blank) and its fragments joined match its label; the
    first row starts as late as it can (the header above is no label), the last ends as early as it can."""
    keys = [label_keys(r.label) for r in table.rows]
    is_numbered = set(numbered)
    lo, hi = max(numbered[0] - MAX_EDGE, 0), min(numbered[-1] + 1 + MAX_EDGE, len(region))
    reach: dict[int, int | None] = {p: None for p in range(numbered[0], lo - 1, -1)}  # row's first line -> parent's
    path: list[dict[int, int | None]] = []
    for k in range(len(keys)):
        nxt: dict[int, int | None] = {}
        for p in reach:
            seen, match = 0, False
            for q in range(p + 1, min(p + MAX_SPAN, hi) + 1):
                seen += (q - 1) in is_numbered
                if seen > 1:
                    break
                if frags[q - 1]:  # a line without fragments leaves the label as it was
                    match = matches_label(fold(_label(frags[p:q])), keys[k])
                if match and q not in nxt:
                    nxt[q] = p
        if not nxt:
            return None
        path.append(nxt)
        reach = nxt
    ends = [q for q in sorted(path[-1]) if q > numbered[-1]]
    return _walk(path, ends[0]) if ends else None


def _walk(path, end: int) -> list[tuple[int, int]]:
    out = []
    for k in range(len(path) - 1, -1, -1):
        start = path[k][end]
        out.append((start, end))
        end = start
    return out[::-1]


def _rebuilt(region: list[Line], spans, values, frags) -> list[Line] | None:
    """The rows' lines, each its joined label and its values (none: a row printed blank), between the lines
    before the first row and after the last; None when a line of values falls outside every row."""
    first, last = spans[0][0], spans[-1][1]
    if any(values[i] for i in [*range(first), *range(last, len(region))]):
        return None
    rows = [_row_line(region, range(p, q), values, frags) for p, q in spans]
    return region[:first] + rows + region[last:]


def _row_line(region: list[Line], lines: range, values, frags) -> Line:
    n = next((i for i in lines if values[i]), lines.start)
    ln, cells = region[n], values[n]
    label = Cell(_label([frags[i] for i in lines]), ln.src)
    extra = {k: v for k, v in ln.extra.items() if k not in ("line", "raw")} if cells else {}
    if not extra.get("spaced"):  # read as prose, or a row printed blank: the values' positions, if any
        raw = ln.extra.get("raw") or ln.extra.get("line") or ""
        extra.update(spaced=True, xs=value_centres(raw.replace("\f", ""), len(cells)))
    text = " ".join([label.text] + [c.text for c in cells])
    return Line([label, *cells], ln.src, text, table_row=True, extra=extra)


def _one_scale(rows: list[Line], pages: list[int]) -> None:
    """pdftotext lays out each page at its own scale and offset: the values' positions (which place the
    values of a row with blank cells) compare within one page only. When the rightmost values stand at
    different places on different pages, only the rows on the page with the most rows keep their positions
    (the others are judged by the identities alone)."""
    right: dict[int, float] = {}
    for ln, pg in zip(rows, pages):
        if ln.extra.get("xs"):
            right[pg] = max(right.get(pg, 0), ln.extra["xs"][-1])
    if max(right.values(), default=0) - min(right.values(), default=0) <= 1:
        return
    keep = max(right, key=pages.count)
    for ln, pg in zip(rows, pages):
        if pg != keep:
            ln.extra.pop("xs", None)
