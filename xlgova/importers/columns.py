"""Blank cells of tables drawn without rules, found by where the values stand on the page.

A row split at spaces (``pdftotext -layout``, a PDF page's text line) loses its blank cells: "3  5" may be
3|blank|5 or 3|5|blank. The other rows of the same table show where the columns are: the rows with the
most values give the columns' horizontal positions (character offsets in text, points on a PDF page), and
a shorter row's values are placed in the nearest columns, the rest printed blank. A row is placed only
when every value falls clearly into its own column; otherwise it is left to the table identities.

When no row fills every column (many blank cells), :func:`table_columns` takes the columns from all the
table's values together and :func:`placed` / :func:`header_placed` offer each short row's placement as a
reading that the repair (``assemble``) accepts only when the table identities confirm it.

Lines carry the positions of their trailing values in ``extra["xs"]`` (centres, one per value cell).
"""
from __future__ import annotations

import re
from functools import lru_cache
from itertools import combinations
from math import comb

from ..formats import FORMATS, GRID
from .lines import Cell, Line
from .normalize import fold

MAX_CHOICES = 2000  # ways of choosing a short row's columns tried; beyond that the identities decide
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
        if "\f" in (ln.extra.get("raw") or ln.extra.get("line") or ""):  # a new page: pdftotext's own scale
            _align(block)
            block, gap = [], 0
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


MIN_HEADER_WORDS = 3  # a header line above a lone data row names at least this many columns
MAX_HEADER_LINES = 4


def align_under_headers(lines: list[Line]) -> None:
    """A lone data row of values (the review table's) placed under its header words (layout text only):
    the column headers printed over several lines ("结果 / 维持", "总计") give the columns' positions."""
    for i, ln in enumerate(lines):
        xs = ln.extra.get("xs")
        if not xs or ln.extra.get("aligned") or len(xs) != len(ln.cells):
            continue
        columns = _header_columns(lines, i)
        if len(columns) > len(xs):
            tolerance = min(b - a for a, b in zip(columns, columns[1:])) / 2
            picks = _nearest(xs, columns, tolerance)
            if picks is not None:
                _place(ln, picks, len(columns))


@lru_cache(maxsize=4096)
def _column_word(word: str) -> bool:
    """A word of a column header ("结果", "维持", "总计", "结果维持"), not a group label ("行政诉讼")."""
    key = fold(word)
    return len(key) >= 2 and any(key in label for label in _column_labels())


@lru_cache(maxsize=1)
def _column_labels() -> tuple[str, ...]:
    return tuple({fold(c.label) for f in FORMATS.values() for t in f.tables if t.layout != GRID for c in t.cols})


def _header_columns(lines: list[Line], i: int) -> list[float]:
    centres: list[float] = []
    taken = 0
    for ln in reversed(lines[max(0, i - 2 * MAX_HEADER_LINES) : i]):
        if ln.is_blank or not ln.text.strip():
            continue
        spans = [(x, w) for word, x, w in _words(ln) if _column_word(word)]
        if len(spans) < MIN_HEADER_WORDS or taken == MAX_HEADER_LINES:
            break
        centres += spans
        taken += 1
    columns: list[tuple[float, float]] = []
    for x, w in sorted(centres):  # the same column's words on several lines ("结果" over "维持") are one
        if columns and x - columns[-1][0] < min(w, columns[-1][1]) / 2:
            continue
        columns.append((x, w))
    return [x for x, _ in columns]


def _words(ln: Line) -> list[tuple[str, float, float]]:
    """A header line's words with their centres and widths: page points (PDF) or character offsets (text)."""
    if ln.extra.get("xs"):
        return []
    if "words" in ln.extra:
        return ln.extra["words"]
    raw = ln.extra.get("raw")
    return [(m.group(), (m.start() + m.end() - 1) / 2, m.end() - m.start()) for m in re.finditer(r"\S+", raw)] if raw else []


def _align(block: list[Line]) -> None:
    if len(block) < 2:
        return
    widest = max(len(ln.extra["xs"]) for ln in block)
    full = [ln.extra["xs"] for ln in block if len(ln.extra["xs"]) == widest]
    if widest < 2:
        return
    rel = [x - full[0][0] for x in full[0]]  # the columns relative to the first
    if any(b <= a for a, b in zip(rel, rel[1:])):
        return
    tolerance = min(b - a for a, b in zip(rel, rel[1:])) / 2
    if any(abs((xs[k] - xs[0]) - rel[k]) >= tolerance for xs in full for k in range(widest)):
        return  # the widest rows disagree about the columns
    # Rows drawn from one left edge (a real table) or shifted each by its label's width (text set in a
    # proportional font): then only the distances between values tell the columns.
    anchored = max(xs[0] for xs in full) - min(xs[0] for xs in full) < tolerance / 2
    columns = [sum(xs[k] for xs in full) / len(full) for k in range(widest)] if anchored else rel
    for ln in block:
        xs = ln.extra["xs"]
        if len(xs) < widest:
            picks = _nearest(xs, columns, tolerance) if anchored else _by_distances(xs, columns, tolerance / 3)
            if picks is not None:
                _place(ln, picks, len(columns))


def _nearest(xs: list[float], columns: list[float], tolerance: float) -> list[int] | None:
    picks = [min(range(len(columns)), key=lambda k: abs(columns[k] - x)) for x in xs]
    if any(abs(columns[k] - x) >= tolerance for k, x in zip(picks, xs)) or any(b <= a for a, b in zip(picks, picks[1:])):
        return None  # not clearly placed: the identities decide later
    return picks


def _by_distances(xs: list[float], columns: list[float], tolerance: float) -> list[int] | None:
    """The one choice of columns whose distances match the values' distances; None unless exactly one."""
    if comb(len(columns), len(xs)) > MAX_CHOICES:
        return None
    fits = []
    for picks in combinations(range(len(columns)), len(xs)):
        shift = xs[0] - columns[picks[0]]
        if all(abs(x - shift - columns[k]) < tolerance for k, x in zip(picks, xs)):
            fits.append(list(picks))
            if len(fits) > 1:
                return None
    return fits[0] if fits else None


def _place(ln: Line, picks: list[int], width: int) -> None:
    n = len(picks)
    values = ln.cells[len(ln.cells) - n :]
    head = ln.cells[: len(ln.cells) - n]
    placed: list[Cell] = [Cell("", values[0].src) for _ in range(width)]
    for k, cell in zip(picks, values):
        placed[k] = cell
    ln.cells = head + placed
    ln.extra["aligned"] = True


def table_columns(region: list[Line], width: int) -> list[float] | None:
    """A table's ``width`` column positions from every value of its rows, when no row fills them all (many
    blank cells): the values' positions fall into exactly ``width`` tight groups, each well apart from the
    next. None when they do not (a column blank throughout, positions drifting as much as the gaps)."""
    xs = sorted({x for ln in region for x in ln.extra.get("xs") or ()})
    if width < 2 or len(xs) < width:
        return None
    cuts = sorted(sorted(range(1, len(xs)), key=lambda k: xs[k] - xs[k - 1])[-(width - 1) :])
    groups = [xs[a:b] for a, b in zip([0, *cuts], [*cuts, len(xs)])]
    spread = max(g[-1] - g[0] for g in groups)
    apart = min(xs[k] - xs[k - 1] for k in cuts)
    if apart <= 2 * max(spread, 1):
        return None
    return [(g[0] + g[-1]) / 2 for g in groups]


def header_placed(region: list[Line], cells: list[Cell]) -> list[Cell] | None:
    """A lone data row's values (the review table's) under the nearest of its header words' columns, in
    order, blank cells between: a reading for the identities to confirm (the header words of layout text
    stand only roughly over the numbers)."""
    i = next((k for k, ln in enumerate(region) if ln.extra.get("xs") and last_value(ln.cells) is last_value(cells)), None)
    if i is None:
        return None
    columns = _header_columns(region, i)
    return placed(region[i], cells, columns, float("inf")) if len(columns) > 1 else None


def placed(ln: Line, cells: list[Cell], columns: list[float], tolerance: float | None = None) -> list[Cell] | None:
    """A short row's values (``cells``, the last cells of ``ln``) in their columns, blank cells between;
    None when the row has no positions or a value is not within ``tolerance`` (half a column) of one column."""
    xs = ln.extra.get("xs")
    cells = [c for c in cells if c.text]  # blanks put in by an earlier placement (:func:`align_blocks`)
    if not xs or len(xs) != len(cells) or len(cells) >= len(columns) or any(a is not b for a, b in zip(_values(ln)[-len(cells) :], cells)):
        return None
    picks = _nearest(xs, columns, tolerance or min(b - a for a, b in zip(columns, columns[1:])) / 2)
    if picks is None:
        return None
    out = [Cell("", cells[0].src) for _ in columns]
    for k, cell in zip(picks, cells):
        out[k] = cell
    return out


def last_value(cells: list[Cell]) -> Cell | None:
    return next((c for c in reversed(cells) if c.text), None)


def _values(ln: Line) -> list[Cell]:
    return [c for c in ln.cells if c.text]


MIN_TOTAL_CONFIRMATIONS = 2  # rows whose parts sum to the value under 总计 needed to trust that column


def total_placed(region: list[Line], width: int, total_label: str) -> dict[int, Cell | None] | None:
    """Where a table's columns cannot all be found (a column printed blank throughout), its 总计 column
    still can: the rightmost tight group of value positions, well apart from the rest, standing under the
    header word 总计, and in every row either holding the sum of the row's other values or (the row's values
    all 0) holding nothing. Returns {id(last value of a row): its 总计 cell, None when printed blank}; None
    unless all of that holds with at least ``MIN_TOTAL_CONFIRMATIONS`` rows summing to a non-zero total, or
    every value printed is 0 (no application at all: the sums cannot tell, the positions under 总计 do)."""
    rows = [ln for ln in region if ln.extra.get("xs") and len(ln.extra["xs"]) <= len(_values(ln))]
    group = _total_group(region, rows, width, total_label) if rows and width >= 3 else None
    if group is None:
        return None
    low, high = group
    out: dict[int, Cell | None] = {}
    confirmed = 0
    zeros = True
    for ln in rows:
        cells = _values(ln)[-len(ln.extra["xs"]) :]
        inside = [c for c, x in zip(cells, ln.extra["xs"]) if low <= x <= high]
        nums = [int(c.text) if c.text.isascii() and c.text.isdigit() else None for c in cells]
        if inside and inside[0] is not cells[-1]:
            return None  # a value right of the 总计 column: not this table's columns
        if None not in nums:
            parts = sum(nums[:-1]) if inside else sum(nums)
            if parts != (nums[-1] if inside else 0):
                return None  # the sums do not confirm the column (or the report is inconsistent): no guess
            confirmed += bool(inside and len(nums) > 1 and parts)
        zeros = zeros and all(n == 0 for n in nums)  # "/", "-" or a word: not a 0
        out[id(cells[-1])] = inside[0] if inside else None
    return out if confirmed >= MIN_TOTAL_CONFIRMATIONS or (zeros and len(out) >= MIN_TOTAL_CONFIRMATIONS) else None


def _total_group(region: list[Line], rows: list[Line], width: int, label: str) -> tuple[float, float] | None:
    """The value positions (low, high) of the 总计 column: apart from the others and under the word 总计."""
    xs = sorted({x for ln in rows for x in ln.extra["xs"]})
    pitch = (xs[-1] - xs[0]) / (width - 1)
    k = len(xs) - 1
    while k > 0 and xs[k] - xs[k - 1] <= pitch / 4:
        k -= 1
    low, high = xs[k], xs[-1]
    first = next(i for i, ln in enumerate(region) if ln is rows[0])
    key = fold(label)
    words = [(c, w) for ln in region[:first] for word, c, w in _words(ln) if fold(word) == key]
    if k == 0:  # one group: right under the word 总计 (within its width), and nothing else
        return (low, high) if any(abs(c - (low + high) / 2) <= w / 2 and high - low <= w for c, w in words) else None
    apart = xs[k] - xs[k - 1]
    if apart <= max(2 * (high - low), pitch / 2) or not any(abs(c - (low + high) / 2) < apart / 2 for c, _ in words):
        return None
    return low, high


def page_header_columns(region: list[Line], labels: list[str]) -> list[float] | None:
    """A grid table's column positions from its header words on the PDF page (``extra["words"]``: page
    coordinates, the words centred over their columns), when every column's header is found: each word is
    given to the one column whose label contains it ("商业企" over "业" is 商业企业), its position the mean
    of its words'. None for layout text, whose header words stand wherever their line pushes them
    (``pdftotext`` packs "自然人 商业企 科研机" one space apart), and whenever a column is not named once."""
    first = next((i for i, ln in enumerate(region) if ln.extra.get("xs")), None)
    keys = [fold(label) for label in labels]
    spots: list[list[float]] = [[] for _ in labels]
    for ln in region[:first]:
        for word, x, _ in ln.extra.get("words") or ():
            w = fold(word)
            owners = [k for k, key in enumerate(keys) if len(w) >= 2 and w in key] if len(w) < 8 else []
            if len(owners) == 1:
                spots[owners[0]].append(x)
    if first is None or not all(spots):
        return None
    columns = [sum(s) / len(s) for s in spots]
    if any(b <= a for a, b in zip(columns, columns[1:])) or any(max(s) - min(s) > (columns[-1] - columns[0]) / (4 * len(labels)) for s in spots):
        return None  # out of order, or one column's words far apart: not a header over its columns
    return columns
