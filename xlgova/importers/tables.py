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
from .fragments import rejoin
from .lines import Cell, Line, blank_separated, blank_separated_tokens
from .reading_order import disorder
from .local_rows import header_words, joined_label, local_labels, prefer_exact, subtotal_of, subtotal_values, values_follow
from .normalize import fold, is_value_text, label_keys, matches_label, matches_label_gap, matches_label_start, matches_label_typo

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
    sub_rows: list[str] = field(default_factory=list)  # local sub-rows printed under its label instead of its own values
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
    local_rows: list = field(default_factory=list)  # (label, Source) of rows the agency added (not read)


def _row_keys(table: Table) -> list[tuple[str, tuple[str, ...]]]:
    return [(r.id, label_keys(r.label)) for r in table.rows]


# -- anchors and regions ------------------------------------------------------------------------------
def find_anchors(lines: list[Line], fmt: Format, spans: dict[str, tuple[int, int]]) -> dict[str, int]:
    """table id -> line index where the table begins (its title line, corner line or section heading)."""
    anchors: dict[str, int] = {}
    titled = _titled(lines, fmt, spans)  # tables printed under their own title, in whatever order
    for table in fmt.tables:
        idx = titled.get(table.id)
        if idx is None:
            idx = _anchor(lines, fmt, table, spans, after=max(anchors.values(), default=-1))
        if idx is not None:
            anchors[table.id] = idx
    return anchors


def _titled(lines, fmt: Format, spans) -> dict[str, int]:
    """table id -> the line of its own title (第二十条第（五）项) in its section, when every title found is
    there once: the 第二十条 blocks may come in another order than the format's."""
    found: dict[str, list[int]] = {}
    for table in fmt.tables:
        span, title = spans.get(table.section), fold(table.title)
        if span is None or not title or table.title == fmt.section(table.section).title:
            continue
        found[table.id] = [i for i in range(span[0], span[1]) if title in lines[i].key and len(lines[i].text) < 60]
    if any(len(v) > 1 for v in found.values()):
        return {}
    return {tid: v[0] for tid, v in found.items() if v}


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
    if not rows_mode and blank_separated(lines):
        return blank_separated_tokens(lines), "cell-per-line-spaced"
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


def read_grid(table: Table, toks: list[Cell | None]):
    """Rows read, row ids missing, (label, source) of local rows (rows the agency added, not read), and the
    ids of their label cells."""
    keys = _row_keys(table)
    pos_label: list[tuple[int, int]] = []  # (token index, row index)
    local_start: dict[int, str] = {}  # a label run into its first local sub-row's label ("行政许可 行政确认 25")
    nxt = 0
    for i, tok in enumerate(toks):
        if tok is ROW_END or not tok.text or is_value_text(tok.text):
            continue
        j = _label_row(tok.key, keys, nxt)
        if j is None and (joined := joined_label(tok.key, keys, nxt, table)) is not None:
            j, local_start[i] = joined
        if j is not None:
            pos_label.append((i, j))
            nxt = j + 1
    pos_label, demoted = prefer_exact(toks, keys, pos_label)
    local = local_labels(table, toks, {i for i, _ in pos_label})
    local.update({i: toks[i].text.strip() for i in demoted if values_follow(toks, i + 1)} | local_start)
    reads = []
    for n, (i, j) in enumerate(pos_label):
        stop = pos_label[n + 1][0] if n + 1 < len(pos_label) else len(toks)
        cells = subtotal_values(toks, i + 1, stop, local, _row_values) if i in local_start else _row_values(toks, i + 1, stop, local)
        row = table.rows[j]
        rr = RowRead(table, [f"{table.id}.{row.id}.{c.id}" for c in table.cols], cells or [], toks[i])
        if cells is None:  # only local sub-rows under its label: its own values were not printed
            rr.sub_rows = [local[k] for k in range(i, stop) if k in local]
        reads.append(rr)
    found = {j for _, j in pos_label}
    missing = [r.id for j, r in enumerate(table.rows) if j not in found]
    for group_read in _group_rows(table, toks, missing, {i for i, _ in pos_label} | set(local)):
        reads.append(group_read)
        done = {*group_read.merged, group_read.cell_ids[0].split(".")[1]}
        missing = [r for r in missing if r not in done]
    first = {}
    for i, label in sorted(local.items()):
        first.setdefault(label, toks[i])
    return reads, missing, [(label, cell.src) for label, cell in first.items()], frozenset(id(toks[i]) for i in local)


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
    """The row a label cell names: exactly (or with 小计 after it: its line over local sub-rows), else
    (close ahead) by its wrapped beginning, with one typo, or with a word left out or added."""
    base = subtotal_of(key)
    for j in range(nxt, len(keys)):
        if matches_label(key, keys[j][1]) or (base and matches_label(base, keys[j][1])):
            return j
    for test in (matches_label_start, matches_label_typo, matches_label_gap):
        for j in range(nxt, min(nxt + NEAR, len(keys))):
            if test(key, keys[j][1]):
                return j
    return None


def _row_values(toks: list[Cell | None], start: int, stop: int, local: dict[int, str] | None = None) -> list[Cell] | None:
    """Value cells after a row label: to the end of its line, or (label alone on its line) the next lines.
    None: the label stands over local sub-rows only (their values are not this row's)."""
    out: list[Cell] = []
    saved: list[Cell] = []  # a line of blanks after the label: kept unless values follow on the next line
    for i in range(start, stop):
        tok = toks[i]
        if tok is ROW_END:
            if any(c.text for c in out):
                break
            saved, out = (out or saved), []
            continue
        if is_value_text(tok.text):
            out.append(tok)
        elif any(c.text for c in out):
            break  # prose or a group label after the values: the row is over
        elif local and i in local:  # its own cells printed blank, or none: its values are on a 小计 line, if any
            return (out or saved) if (out or saved) else subtotal_values(toks, i, stop, local, _row_values)
        else:
            out = []  # text between label and values (a second label cell): values start after it
    return out if any(c.text for c in out) else (saved or out)


# -- SPREAD tables (review: one data row under group headers) ----------------------------------------
def read_spread(table: Table, toks: list[Cell | None]) -> list[RowRead]:
    """The data row: the values after the last header word's line, up to the next text (a note, say)."""
    words = header_words(table)
    groups = {fold(w) for r in table.rows for w in (r.label, *r.groups)}
    # the data row printed as labelled rows (行政复议 0 0 0 2 2 / 行政诉讼 …): their labels are no header
    labels = {i for i, t in enumerate(toks) if t is not ROW_END and t.key in groups and values_follow(toks, i + 1)}
    last = max((i for i, t in enumerate(toks) if t is not ROW_END and t.key in words and i not in labels), default=-1)
    if last < 0:
        last = max((i for i, t in enumerate(toks) if t is not ROW_END and t.text and not is_value_text(t.text)), default=-1)
    start = last + 1
    nxt_end = next((i for i in range(start, len(toks)) if toks[i] is ROW_END), None)
    if nxt_end is not None and any(t is not ROW_END and t.text for t in toks[nxt_end:]):
        start = nxt_end + 1
    cells: list[Cell] = []
    for i in range(start, len(toks)):
        tok = toks[i]
        if tok is ROW_END or i in labels:
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


def read_table(table: Table, lines: list[Line], anchor: int, end: int, *, wrapped: bool = True) -> TableRead:
    region = lines[anchor + 1 : end]
    toks, layout = tokens(region)
    result = TableRead(table, anchor, layout=layout, positions=any(ln.extra.get("xs") for ln in region))
    local_ids: frozenset[int] = frozenset()
    if table.layout == GRID:
        result.rows, result.missing_rows, result.local_rows, local_ids = read_grid(table, toks)
        if wrapped and result.missing_rows and (joined := rejoin(table, region)) is not None:
            again = read_table(table, joined, -1, len(joined), wrapped=False)  # labels wrapped in narrow columns
            if not again.missing_rows:
                again.anchor = anchor
                return again
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
    point = disorder(table, toks, result.rows, local_ids) if not labelled and layout.startswith("cell-per-line") and table.layout == GRID else None
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
