"""Finding the statistics tables in a published report and reading their rows.

Tables are found by their own words from ``xlgova.formats`` (title, corner, row labels), never by a
label list kept here. Rows are recognised by their labels in format order, whatever the layout:
tab-separated rows, ``|``-separated rows, or one cell per line (blank lines between rows). Headers split
over several lines need no special care: only row labels and values are read, headers are skipped.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..formats import GRID, Format, Table
from .columns import header_placed, last_value, page_header_columns, placed, table_columns, total_placed
from .lines import Cell, Line
from .normalize import fold, is_value_text, label_keys, matches_label, matches_label_start, matches_label_typo

ROW_END = None  # token: end of a physical row (line end in row layouts, blank line in cell-per-line)


@dataclass
class RowRead:
    """The cells read for one table row (GRID) or for a whole SPREAD table (review)."""

    table: Table
    cell_ids: list[str]
    cells: list[Cell]
    label_cell: Cell | None = None
    spaced: bool = False  # its cells were split at spaces: a blank cell left no trace
    merged: list[str] = field(default_factory=list)  # rows of a group printed as this one row (2019 habit)
    cache: dict = field(default_factory=dict)  # readings tried in the repair passes

    @property
    def expected(self) -> int:
        return len(self.cell_ids)


@dataclass
class TableRead:
    table: Table
    anchor: int | None  # line index, None when the table was not found
    rows: list[RowRead] = field(default_factory=list)
    missing_rows: list[str] = field(default_factory=list)  # row ids absent from the document
    layout: str = ""
    positions: bool = False  # its rows' values carry their positions (layout text, a PDF page)


def _row_keys(table: Table) -> list[tuple[str, tuple[str, ...]]]:
    return [(r.id, label_keys(r.label)) for r in table.rows]


# -- anchors and regions ------------------------------------------------------------------------------
def find_anchors(lines: list[Line], fmt: Format, spans: dict[str, tuple[int, int]]) -> dict[str, int]:
    """table id -> line index where the table begins (its title line, corner line or section heading)."""
    anchors: dict[str, int] = {}
    for table in fmt.tables:
        idx = _anchor(lines, fmt, table, spans, after=max(anchors.values(), default=-1))
        if idx is not None:
            anchors[table.id] = idx
    return anchors


def _anchor(lines, fmt: Format, table: Table, spans, after: int) -> int | None:
    span = spans.get(table.section)
    title = fold(table.title)
    start = max(after + 1, 0)
    sec_start = span[0] - 1 if span else None
    candidates = []
    if sec_start is not None and sec_start >= start:
        candidates.append(range(sec_start, span[1]))
    candidates.append(range(start, len(lines)))
    for rng in candidates:
        for i in rng:
            if title and title in lines[i].key and len(lines[i].text) < 60:
                return i
    section = fmt.section(table.section)
    if span and len(section.tables) == 1 and section.tables[0] == table.id and sec_start >= start - 1:
        return sec_start
    corner = fold(table.corner)
    if len(corner) > 8:
        for i in range(start, len(lines)):
            if corner[:12] in lines[i].key:
                return i
    return _first_row_label(lines, table, start)


def _first_row_label(lines, table: Table, start: int) -> int | None:
    if table.layout != GRID:
        return _spread_header(lines, table, start)
    keys = label_keys(table.rows[0].label)
    for i in range(start, len(lines)):
        if any(matches_label(c.key, keys) for c in lines[i].cells):
            return max(i - 1, start)
    return None


def _spread_header(lines, table: Table, start: int) -> int | None:
    """A SPREAD table without its heading: its first group label, then its column labels close below."""
    group, col = fold(table.rows[0].label), fold(table.cols[0].label)
    for i in range(start, len(lines)):
        if group in lines[i].key and len(lines[i].text) < 80:
            if any(col in ln.key for ln in lines[i : i + 40]):
                return max(i - 1, start)
    return None


def region_end(anchor: int, anchors: dict[str, int], heading_lines: set[int], n: int) -> int:
    later = [a for a in anchors.values() if a > anchor] + [h for h in heading_lines if h > anchor]
    return min(later, default=n)


# -- tokens ----------------------------------------------------------------------------------------
def tokens(lines: list[Line]) -> tuple[list[Cell | None], str]:
    """The region as a stream of cells and ROW_END marks, and the layout recognised."""
    nonblank = [ln for ln in lines if not ln.is_blank]
    multi = sum(1 for ln in nonblank if ln.table_row and len(ln.nonempty()) >= 2)
    rows_mode = nonblank and multi * 10 >= 3 * len(nonblank)
    if not rows_mode and _blank_separated(lines):
        return _blank_separated_tokens(lines), "cell-per-line-spaced"
    out: list[Cell | None] = []
    for ln in lines:
        if ln.is_blank:
            out.append(ROW_END)
        elif rows_mode:
            out.extend(ln.cells)
            out.append(ROW_END)
        else:
            out.extend(ln.cells[:1] if len(ln.cells) == 1 else ln.cells)
    layout = ("pipes" if any("|" in (ln.src.text or "") for ln in nonblank) else "tabs") if rows_mode else "cell-per-line"
    return out, layout


def _blank_separated(lines: list[Line]) -> bool:
    """One cell per line with a blank line after every cell (a scraped page's paragraphs)."""
    nonblank = [i for i, ln in enumerate(lines) if not ln.is_blank]
    followed = sum(1 for i in nonblank if i + 1 < len(lines) and lines[i + 1].is_blank)
    return len(nonblank) >= 6 and followed >= 0.8 * len(nonblank)


def _blank_separated_tokens(lines: list[Line]) -> list[Cell | None]:
    """Blank lines separate cells; a longer run of them stands for empty cells (two more per empty cell)."""
    out: list[Cell | None] = []
    run = 0
    for ln in lines:
        if ln.is_blank:
            run += 1
            continue
        out.extend(Cell("", ln.src) for _ in range(max(run - 1, 0) // 2))
        run = 0
        out.extend(ln.cells)
    return out


# -- GRID tables -----------------------------------------------------------------------------------
def read_grid(table: Table, toks: list[Cell | None]) -> tuple[list[RowRead], list[str]]:
    keys = _row_keys(table)
    pos_label: list[tuple[int, int]] = []  # (token index, row index)
    nxt = 0
    for i, tok in enumerate(toks):
        if tok is ROW_END or not tok.text or is_value_text(tok.text):
            continue
        j = _label_row(tok.key, keys, nxt)
        if j is not None:
            pos_label.append((i, j))
            nxt = j + 1
    reads = []
    for n, (i, j) in enumerate(pos_label):
        stop = pos_label[n + 1][0] if n + 1 < len(pos_label) else len(toks)
        cells = _row_values(toks, i + 1, stop)
        row = table.rows[j]
        reads.append(RowRead(table, [f"{table.id}.{row.id}.{c.id}" for c in table.cols], cells, toks[i]))
    found = {j for _, j in pos_label}
    missing = [r.id for j, r in enumerate(table.rows) if j not in found]
    for group_read in _group_rows(table, toks, missing, {i for i, _ in pos_label}):
        reads.append(group_read)
        done = {*group_read.merged, group_read.cell_ids[0].split(".")[1]}
        missing = [r for r in missing if r not in done]
    return reads, missing


def _group_rows(table: Table, toks, missing: list[str], used: set[int]):
    """A group printed as one row (2019 habit: a single （六）其他处理 row where 2021 has three): read into
    the group's last row, the others named in ``merged`` (the reader says so in a finding)."""
    groups: dict[str, list[str]] = {}
    for r in table.rows:
        if r.groups and r.label[:1].isdigit():
            groups.setdefault(r.groups[-1], []).append(r.id)
    for group, rows in groups.items():
        if len(rows) < 2 or not all(r in missing for r in rows):
            continue
        keys = label_keys(group)
        for i, tok in enumerate(toks):
            if i in used or tok is ROW_END or not tok.text or not matches_label(tok.key, keys):
                continue
            cells = _row_values(toks, i + 1, len(toks))
            if any(c.text for c in cells):
                last = rows[-1]
                yield RowRead(table, [f"{table.id}.{last}.{c.id}" for c in table.cols], cells, tok, merged=rows[:-1])
                break


NEAR = 3  # rows ahead of the last one read where a wrapped or misprinted label is looked for


def _label_row(key: str, keys, nxt: int) -> int | None:
    """The row a label cell names: exactly, else (close ahead) by its wrapped beginning or with one typo."""
    for j in range(nxt, len(keys)):
        if matches_label(key, keys[j][1]):
            return j
    for test in (matches_label_start, matches_label_typo):
        for j in range(nxt, min(nxt + NEAR, len(keys))):
            if test(key, keys[j][1]):
                return j
    return None


def _row_values(toks: list[Cell | None], start: int, stop: int) -> list[Cell]:
    """Value cells after a row label: to the end of its line, or (label alone on its line) the next lines."""
    out: list[Cell] = []
    saved: list[Cell] = []  # a line of blanks after the label: kept unless values follow on the next line
    for tok in toks[start:stop]:
        if tok is ROW_END:
            if any(c.text for c in out):
                break
            saved, out = (out or saved), []
            continue
        if is_value_text(tok.text):
            out.append(tok)
        elif any(c.text for c in out):
            break  # prose or a group label after the values: the row is over
        else:
            out = []  # text between label and values (a second label cell): values start after it
    return out if any(c.text for c in out) else (saved or out)


MAX_STRAY = 2  # words after the first row label or value that are no label: a local row, a note


def _disorder(table: Table, toks: list[Cell | None], rows: list[RowRead]) -> int | None:
    """One cell per line, but not each row's label followed by its values: text copied in the page's reading
    order (pdftotext without -layout reads a ruled table cell by cell, down a column where a group label
    spans rows, and wraps every cell over several lines). Column headers and label fragments then stand among
    the rows and values, where a real one-cell-per-line table has none (its headers come before the first
    value). The token where the order breaks down (a stray word, or values beyond the row's count), when
    there are more stray words than a local row or a note would bring; None for a table in order."""
    expected = {id(rr.label_cell): rr.expected for rr in rows}
    groups = {fold(g) for r in table.rows for g in r.groups}
    first = next((i for i, t in enumerate(toks) if t is not ROW_END and (id(t) in expected or (t.text and is_value_text(t.text)))), None)
    if first is None or not expected:
        return None
    stray, point, want, run, tail = 0, None, None, 0, False
    for i in range(first, len(toks)):
        t = toks[i]
        if t is ROW_END:
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
    if not any(id(t) in expected for t in toks[point:] if t is not ROW_END):
        return first  # headers after the last row's values: no row was read in order
    return point


# -- SPREAD tables (review: one data row under group headers) ----------------------------------------
def _header_words(table: Table) -> set[str]:
    words = [r.label for r in table.rows] + [g for r in table.rows for g in r.groups] + [c.label for c in table.cols]
    return {fold(w) for w in words}


def read_spread(table: Table, toks: list[Cell | None]) -> list[RowRead]:
    """The data row: the values after the last header word's line, up to the next text (a note, say)."""
    words = _header_words(table)
    last = max((i for i, t in enumerate(toks) if t is not ROW_END and t.key in words), default=-1)
    if last < 0:
        last = max((i for i, t in enumerate(toks) if t is not ROW_END and t.text and not is_value_text(t.text)), default=-1)
    start = last + 1
    nxt_end = next((i for i in range(start, len(toks)) if toks[i] is ROW_END), None)
    if nxt_end is not None and any(t is not ROW_END and t.text for t in toks[nxt_end:]):
        start = nxt_end + 1
    cells: list[Cell] = []
    for tok in toks[start:]:
        if tok is ROW_END:
            continue
        if tok.text and not is_value_text(tok.text):
            if any(c.text for c in cells):
                break
            cells = []
            continue
        cells.append(tok)
    while cells and not cells[-1].text and len(cells) > len(table.cells):
        cells.pop()
    if not cells:
        return []
    return [RowRead(table, [c.id for c in table.cells], cells)]


def _blank_spread(table: Table, region: list[Line]) -> list[RowRead]:
    """Layout text of a review table whose every cell was printed blank: its header (each group label and
    总计) and then nothing at all, not even a digit, up to the next part. Its data row is read as blank."""
    if any(ln.table_row and not ln.extra.get("spaced") for ln in region):
        return []  # a real table keeps its empty cells: nothing was lost
    text = "".join(ln.key for ln in region)
    words = [fold(r.label) for r in table.rows] + [fold(table.cols[-1].label)]
    if any(ch.isdigit() for ln in region for ch in ln.text) or not all(w in text for w in words):
        return []
    last = next(ln for ln in reversed(region) if ln.text.strip())
    return [RowRead(table, [c.id for c in table.cells], [], Cell(last.text, last.src))]


def read_table(table: Table, lines: list[Line], anchor: int, end: int) -> TableRead:
    region = lines[anchor + 1 : end]
    toks, layout = tokens(region)
    result = TableRead(table, anchor, layout=layout, positions=any(ln.extra.get("xs") for ln in region))
    if table.layout == GRID:
        result.rows, result.missing_rows = read_grid(table, toks)
    else:
        result.rows = read_spread(table, toks)
        if not any(c.text for rr in result.rows for c in rr.cells):  # nothing, or a line of spaces
            result.rows = _blank_spread(table, region) or result.rows
        if not result.rows:
            result.missing_rows = [r.id for r in table.rows]
    spaced = {id(c) for ln in region if ln.extra.get("spaced") for c in ln.cells}
    plain = not any(ln.table_row and not ln.extra.get("spaced") for ln in region)  # no cell is ever lost in a real table
    # A label alone on its line was printed with blank cells only where other rows print their values on their
    # label's line (``labelled``); text in reading order (pdftotext without -layout) stacks labels and values apart.
    # (The review table has no row labels: its data row left empty is blank, as before.)
    labelled = any(ln.extra.get("spaced") and len(ln.cells) > 1 and not is_value_text(ln.cells[0].text) for ln in region)
    point = _disorder(table, toks, result.rows) if not labelled and layout.startswith("cell-per-line") and table.layout == GRID else None
    if point is not None:
        at = {id(t): i for i, t in enumerate(toks) if t is not ROW_END}
        for rr in result.rows:
            if max((at.get(id(c), 0) for c in (rr.label_cell, *rr.cells)), default=0) >= point:
                rr.cells = []  # read after the order broke down: its values cannot be trusted, it is left doubtful
                rr.cache["unordered"] = True
    for rr in result.rows:
        rr.spaced = any(id(c) in spaced for c in rr.cells) or (not any(c.text for c in rr.cells) and plain and (labelled or table.layout != GRID))
    if table.layout == GRID:
        _place_by_columns(result.rows, region, len(table.cols))
    elif result.rows and result.rows[0].spaced and 0 < len(result.rows[0].cells) < result.rows[0].expected:
        cells = header_placed(region, result.rows[0].cells)
        if cells is not None:
            result.rows[0].cache["placed"] = cells
    return result


def _place_by_columns(rows: list[RowRead], region: list[Line], width: int) -> None:
    """Short rows of a table drawn with spaces: their values put in the columns all the rows' values show
    (``rr.cache["placed"]``), a reading the repair accepts only when the identities confirm it. Placed
    under the header words of a PDF page (``rr.cache["sure"]``), a row no identity checks is read so."""
    short = [rr for rr in rows if rr.spaced and 0 < len(rr.cells) < rr.expected]
    columns = table_columns(region, width) if short else None
    header = page_header_columns(region, [c.label for c in short[0].table.cols]) if short else None
    sure = header is not None and (columns is None or _agree(columns, header))
    if columns is None and short:  # a column blank throughout: the header words on a PDF page, else only 总计
        table = short[0].table
        columns = header
        if table.cols[-1].total:
            _place_totals(short, total_placed(region, width, table.cols[-1].label))
    if columns is None:
        return
    owner = {id(last_value(ln.cells)): ln for ln in region if ln.extra.get("xs")}
    for rr in short:
        ln = owner.get(id(last_value(rr.cells)))
        cells = placed(ln, rr.cells, columns) if ln is not None else None
        if cells is not None:
            rr.cache["placed"], rr.cache["sure"] = cells, sure


def _agree(columns: list[float], header: list[float]) -> bool:
    """The columns the values show stand under the header words (a quarter of a column's width at most)."""
    tolerance = min(b - a for a, b in zip(header, header[1:])) / 4
    return all(abs(a - b) < tolerance for a, b in zip(columns, header))


def _place_totals(short: list[RowRead], totals: dict | None) -> None:
    """A column printed blank throughout: only the 总计 column is placed (``rr.cache["totals"]``: its cell, or
    None when printed blank), read by the repair when the row itself stays doubtful. A row whose one value
    stands under 总计 is whole: every other cell was printed blank (a reading the identities still check)."""
    for rr in short if totals is not None else ():
        key = id(last_value(rr.cells))
        if key in totals:
            total = totals[key]
            rr.cache["totals"], rr.cache["totals_why"] = {rr.cell_ids[-1]: total}, "各行总计都印在“总计”列名下、等于各项之和"
            values = [c for c in rr.cells if c.text]
            if total is not None and len(values) == 1 and values[0] is total:
                rr.cache.setdefault("placed", [Cell("", total.src) for _ in range(rr.expected - 1)] + [total])
