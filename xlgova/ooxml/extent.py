"""How far a sheet's cells reach, decided from the sheet XML before python-calamine allocates its grid.

python-calamine turns a sheet into a dense grid from A1 to the farthest cell: a workbook whose one stray cell
sits at XFD1048576 makes it ask for 512 GiB and the process aborts where Python cannot catch it. So every
sheet's cell references are read here first (one pass of ``re`` over bytes the guard already inflated), and
cells beyond ``limits.SHEET_MAX_ROWS`` × ``limits.SHEET_MAX_COLS`` are cut out of the XML the parser sees;
the reader reports them (``workbook.out_of_range``) naming the sheet and the cells.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from .. import limits
from .a1 import column_index, column_letter

_ROW_OR_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)\b([^>]*?)(/?)>")
_R_ATTR = re.compile(rb'\sr="([A-Za-z]{0,4})([0-9]{1,9})"')
_SOME_R = re.compile(rb"\sr\s*=")
_HAS_VALUE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:v|is|f)[\s/>]")
_NEXT_ROW = re.compile(rb'\s*<(?:[A-Za-z_][\w.-]*:)?(?:row)\b[^>]*?\sr="([0-9]{1,9})"[^>]*?/?>')
_ROW_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?row\s*>")
_CELL_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?c\s*>")
_CELL_COLUMN = re.compile(rb'\sr="([A-Za-z]{1,4})[0-9]')  # a literal start: fast on tens of MB (only rows and cells have r)
_SHEETDATA_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?sheetData\s*>")
_DIMENSION = re.compile(rb'(<(?:[A-Za-z_][\w.-]*:)?dimension\b[^>]*?\sref=")([^"]*)(")')
_ROW_REF = re.compile(rb'<row\s[^>]*?(?<=\s)r="([0-9]{1,9})"')
_ANY_REF = re.compile(rb' r="([A-Za-z]{0,4})([0-9]{1,9})"')  # a literal start: scanned at C speed
_ANY_TAG = re.compile(rb"<(?:c|row)[\s>/]")


@dataclass(frozen=True)
class Outside:
    """The cells of one sheet beyond the bounds: how many held a value, and the first few of them."""

    count: int
    named: tuple[str, ...]  # A1 addresses, at most limits.SHEET_CELLS_NAMED
    farthest: str


def within_bounds(xml: bytes, rows: int = limits.SHEET_MAX_ROWS, cols: int = limits.SHEET_MAX_COLS) -> bool:
    """True when every row and cell carries its reference and all lie within bounds (every normal sheet).

    Patterns with literal starts (only rows and cells have an ``r`` attribute) and a loop over the distinct
    references: ~0.5 ms of CPU for a template workbook's seven sheets. Anything unusual (a reference written
    otherwise, a row or cell without one, namespace prefixes) makes the counts differ: the sheet is walked.
    """
    if b":c " in xml or b":row " in xml:
        return False
    refs = _ANY_REF.findall(xml)
    if len(refs) != len(_ANY_TAG.findall(xml)):
        return False
    if not refs:
        return True
    letters, numbers = zip(*refs)  # transposed at C speed
    if max(map(int, set(numbers))) > rows:
        return False
    return all(column_index(c) <= cols for c in set(letters) if c)


def bound_sheet(xml: bytes, rows: int = limits.SHEET_MAX_ROWS, cols: int = limits.SHEET_MAX_COLS) -> tuple[bytes, Outside | None]:
    """The sheet XML without its cells beyond ``rows`` × ``cols``, and what was left out (None: nothing).

    Rows beyond the bounds are cut whole, a run of them in one piece (40 MB of junk rows in ~1 s); cells
    beyond the last column one by one. Rows and cells without an ``r`` follow the one before, as in Excel.
    """
    if within_bounds(xml, rows, cols):
        return xml, None
    keep, pos, row, col, seen = [], 0, 0, 0, _Seen()
    m = _ROW_OR_CELL.search(xml)
    while m is not None:
        ref = _R_ATTR.search(m.group(2))
        odd = ref is None and _SOME_R.search(m.group(2)) is not None  # an r no reader can place: cut it
        if m.group(1) == b"row":
            row, col = (int(ref.group(2)) if ref else rows + 1 if odd else row + 1), 0
            tail = None if row <= rows else _rest_beyond(xml, m, rows)
            end = None if row <= rows else (tail[0] if tail else _end_of(xml, b"row", m))
            row = tail[1] if tail else row
            while end is not None and (n := _NEXT_ROW.match(xml, end)) is not None and int(n.group(1)) > rows:
                end, row = _end_of(xml, b"row", n), int(n.group(1))  # a run of rows beyond: one cut
        else:
            row, col = (int(ref.group(2)), column_index(ref.group(1))) if ref and ref.group(1) else (row, cols + 1 if odd else col + 1)
            end = None if row <= rows and col <= cols else _end_of(xml, b"c", m)
        if end is None:
            m = _ROW_OR_CELL.search(xml, m.end())
            continue
        seen.add(xml[m.start():end], row, col)
        keep.append(xml[pos:m.start()])
        pos = end
        m = _ROW_OR_CELL.search(xml, end)
    keep.append(xml[pos:])
    cut = _clamp_dimension(b"".join(keep), rows, cols)
    return cut, seen.outside()


class _Seen:
    """What the cut-out pieces held: cells with a value, counted at C speed, the first few by address."""

    def __init__(self):
        self.count, self.named, self.last_row, self.last_col = 0, [], 0, 0

    def add(self, piece: bytes, row: int, col: int) -> None:
        valued = sum(piece.count(t) for t in (b"<v>", b"<v ", b"<is>", b"<is "))
        if not valued:
            return
        self.count += valued
        self.last_row = max(self.last_row, row)
        letters = set(_CELL_COLUMN.findall(piece))
        self.last_col = max([self.last_col, col] + [column_index(c) for c in letters])
        if len(self.named) < limits.SHEET_CELLS_NAMED:
            self.named += _first_valued(piece, row, col, limits.SHEET_CELLS_NAMED - len(self.named))

    def outside(self) -> Outside | None:
        if not self.count:
            return None  # only empty (styled) cells beyond: nothing a reader would have seen
        return Outside(self.count, tuple(self.named), f"{column_letter(self.last_col)}{self.last_row}")


def _rest_beyond(xml: bytes, m: re.Match, rows: int) -> tuple[int, int] | None:
    """Where sheetData ends, when every row from ``m`` on carries an ``r`` beyond ``rows`` (junk pasted below the
    tables: rows ascend, so this is the usual case): the whole tail is cut in one piece, checked at C speed.
    Returns (where the tail ends, its last row)."""
    close = _SHEETDATA_END.search(xml, m.start())
    if close is None:
        return None
    refs = _ROW_REF.findall(xml, m.start(), close.start())
    if not refs or len(refs) != xml.count(b"<row", m.start(), close.start()):
        return None
    numbers = list(map(int, refs))
    return (close.start(), max(numbers)) if min(numbers) > rows else None


def _end_of(xml: bytes, tag: bytes, m: re.Match) -> int:
    """Where the element opened by ``m`` ends (a self-closing tag ends with itself)."""
    if m.group(0).endswith(b"/>"):
        return m.end()
    close = (_ROW_END if tag == b"row" else _CELL_END).search(xml, m.end())
    return close.end() if close else len(xml)


def _first_valued(piece: bytes, row: int, col: int, n: int) -> list[str]:
    """A1 addresses of the first ``n`` cells holding a value in a cut-out piece (rows or one cell)."""
    out, r, c = [], row, col
    starts = _ROW_OR_CELL.finditer(piece)  # lazily: a cut-out run of rows can be tens of MB
    first = next(starts, None)
    if first is None or first.group(1) == b"c":
        return [f"{column_letter(col)}{row}"] if first is not None and _HAS_VALUE.search(piece) else []
    for m in itertools.chain((first,), starts):
        ref = _R_ATTR.search(m.group(2))
        if m.group(1) == b"row":
            r, c = (int(ref.group(2)) if ref else r + 1), 0
            continue
        c = column_index(ref.group(1)) if ref and ref.group(1) else c + 1
        end = _end_of(piece, b"c", m)
        if end > m.end() and _HAS_VALUE.search(piece, m.end(), end):
            out.append(f"{column_letter(c)}{r}")
            if len(out) == n:
                break
    return out


def _clamp_dimension(xml: bytes, rows: int, cols: int) -> bytes:
    """The ``<dimension ref>`` cut to the bounds, so no reader sizes anything from the old extent."""
    m = _DIMENSION.search(xml)
    if m is None:
        return xml
    return xml[: m.start(2)] + f"A1:{column_letter(cols)}{rows}".encode() + xml[m.end(2):]
