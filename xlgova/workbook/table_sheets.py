"""The table sheets (主动公开, 依申请公开, 复议诉讼) drawn like the official tables, positions from ``layout``."""
from __future__ import annotations


from ..formats import SPREAD, get_format
from ..formats.schema import Table
from ..ooxml.a1 import column_letter
from . import layout as L
from . import cell_styles as S
from .check_formulas import check_cells, join, mirror, split, total_formula, value_check_formula

SECTION_TITLE_ROW = 1


def _number_format(kind: str) -> str:
    return {"amount": S.AMOUNT_FORMAT, "amount_free": S.AMOUNT_FORMAT, "signed": S.SIGNED_FORMAT}.get(kind, S.COUNT_FORMAT)


def draw_cells(ws, format_id: str, table: Table) -> None:
    """Data cells: inputs unlocked and tinted, totals as locked formulas, a hidden value check for each."""
    cmap = L.cell_map(format_id)
    for cell in table.cells:
        sheet, address = cmap[cell.id]
        row, col = split(address)
        target = ws.cell(row, col)
        fmt = _number_format(cell.kind)
        if cell.is_total:
            S.cell_style(target, fill=S.TOTAL_FILL, number_format=fmt)
            target.value = total_formula(cell.id, format_id)
        else:
            S.cell_style(target, fill=S.INPUT_FILL, locked=False, number_format=fmt)
        check = ws[mirror(address)]
        check.value = value_check_formula(address, cell.kind)
        check.font = S.SMALL


def _header_label(text: str) -> str:
    return text


def draw_grid_table(ws, p: L.TablePlacement) -> None:
    """art20_* tables: a title row, one header row (信息内容 + column labels), one line per row."""
    t = p.table
    S.box(ws, p.title_row, 1, p.title_row, p.last_col, t.title, font=S.HEADER)
    S.box(ws, p.header_top, 1, p.first_row - 1, p.label_cols, t.corner, font=S.HEADER)
    for i, col in enumerate(t.cols):
        S.box(ws, p.header_top, p.first_col + i, p.first_row - 1, p.first_col + i, col.label, font=S.HEADER)
    for i, row in enumerate(t.rows):
        S.box(ws, p.first_row + i, 1, p.first_row + i, p.label_cols, row.label, font=S.BODY)


def draw_apps_headers(ws, p: L.TablePlacement) -> None:
    """The three header rows: corner note, 申请人情况 › 自然人 | 法人或其他组织 › … | 总计."""
    t = p.table
    S.box(ws, p.header_top, 1, p.first_row - 1, p.label_cols, t.corner, font=S.HEADER)
    S.box(ws, p.header_top, p.first_col, p.header_top, p.last_col, t.row_header, font=S.HEADER)
    top = p.header_top + 1
    col = p.first_col
    cols = list(t.cols)
    while cols:
        c = cols.pop(0)
        inner = tuple(g for g in c.groups if g != t.row_header)
        if not inner:
            S.box(ws, top, col, p.first_row - 1, col, c.label, font=S.HEADER)
            col += 1
            continue
        span = [c] + [x for x in cols if tuple(g for g in x.groups if g != t.row_header) == inner]
        cols = [x for x in cols if x not in span]
        S.box(ws, top, col, top, col + len(span) - 1, inner[0], font=S.HEADER)
        for i, x in enumerate(span):
            S.box(ws, top + 1, col + i, p.first_row - 1, col + i, x.label, font=S.HEADER)
        col += len(span)


def draw_apps_labels(ws, p: L.TablePlacement) -> None:
    """Row labels over three columns, with the vertical merges of 三、本年度办理结果 and （三）–（六）."""
    rows = list(p.table.rows)
    r = p.first_row
    i = 0
    while i < len(rows):
        row = rows[i]
        if not row.groups:
            S.box(ws, r, 1, r, 3, row.label, font=S.BODY, align=S.LEFT)
            i, r = i + 1, r + 1
            continue
        outer = row.groups[0]
        n = sum(1 for _ in _takewhile(rows[i:], lambda x: x.groups[:1] == (outer,)))
        S.box(ws, r, 1, r + n - 1, 1, outer, font=S.BODY, align=S.VERTICAL_STACKED)
        j = 0
        while j < n:
            sub = rows[i + j]
            if len(sub.groups) < 2:
                S.box(ws, r + j, 2, r + j, 3, sub.label, font=S.BODY, align=S.LEFT)
                j += 1
                continue
            m = sum(1 for _ in _takewhile(rows[i + j:i + n], lambda x: x.groups[1:2] == sub.groups[1:2]))
            S.box(ws, r + j, 2, r + j + m - 1, 2, sub.groups[1], font=S.BODY, align=S.VERTICAL)
            for k in range(m):
                S.box(ws, r + j + k, 3, r + j + k, 3, rows[i + j + k].label, font=S.BODY, align=S.LEFT)
            j += m
        i, r = i + n, r + n


def _takewhile(items, pred):
    for x in items:
        if not pred(x):
            return
        yield x


def draw_review_headers(ws, p: L.TablePlacement) -> None:
    """行政复议 (two rows high) | 行政诉讼 › 未经复议直接起诉 | 复议后起诉; then the five result columns each."""
    t = p.table
    n = len(t.cols)
    col = p.first_col
    groups: dict[str, list] = {}
    for row in t.rows:
        groups.setdefault(row.groups[0] if row.groups else row.label, []).append(row)
    for name, members in groups.items():
        width = n * len(members)
        if len(members) == 1 and not members[0].groups:
            S.box(ws, p.header_top, col, p.header_top + 1, col + n - 1, name, font=S.HEADER)
        else:
            S.box(ws, p.header_top, col, p.header_top, col + width - 1, name, font=S.HEADER)
            for k, row in enumerate(members):
                S.box(ws, p.header_top + 1, col + k * n, p.header_top + 1, col + (k + 1) * n - 1, row.label, font=S.HEADER)
        for k in range(len(members) * n):
            S.box(ws, p.first_row - 1, col + k, p.first_row - 1, col + k, t.cols[k % n].label, font=S.HEADER)
        col += width


def draw_check_cells(ws, format_id: str, sheet: str) -> None:
    from .check_formulas import identity_formula

    for c in check_cells(format_id):
        if c.sheet != sheet:
            continue
        row, col = split(c.address)
        S.box(ws, row, col, row, col + c.span - 1, identity_formula(c.ident, format_id, sheet), font=S.CHECK, border=S.GRID)


def hide_mirror(ws, first_col: int, last_col: int) -> None:
    a, b = column_letter(first_col + L.MIRROR_OFFSET), column_letter(last_col + L.MIRROR_OFFSET)
    ws.column_dimensions.group(a, b, hidden=True)


def row_height(ws, row: int, text: str, width: float, base: float = 15.0) -> None:
    ws.row_dimensions[row].height = max(base, 13.5 * S.lines_needed(text, width) + 3)


__all__ = ["draw_cells", "draw_grid_table", "draw_apps_headers", "draw_apps_labels", "draw_review_headers",
           "draw_check_cells", "hide_mirror", "row_height", "SPREAD", "get_format", "join"]
