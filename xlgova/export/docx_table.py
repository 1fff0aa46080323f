"""Draw a :class:`~xlgova.export.grid.Grid` as a Word table: merged cells, fixed column widths,
header rows repeated on every page, rows never split across a page break."""
from __future__ import annotations

import math

from docx.enum.table import WD_ALIGN_VERTICAL, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Twips

from .grid import LABEL, TITLE, Grid
from .docx_styles import SIZE_TABLE, SIZE_TABLE_SMALL, STYLE_TABLE, set_fonts

CELL_MARGIN_CM = 0.08
MIN_ROW_CM = 0.75
MIN_ROW_CM_LONG = 0.6  # the 28-row applications table fits one page with its heading
LONG_TABLE = 12
MANY_COLUMNS = 8  # tables wider than this get the smaller font so labels do not break mid-word


def add_grid_table(doc, grid: Grid):
    table = doc.add_table(rows=grid.n_rows, cols=grid.n_cols)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _fixed_widths(table, grid.widths)
    size = SIZE_TABLE_SMALL if grid.n_cols > MANY_COLUMNS else SIZE_TABLE
    style_id = doc.styles[STYLE_TABLE].style_id  # looking styles up by name per cell is slow
    cells = table._cells  # python-docx recomputes this list on every table.cell() call
    for block in grid.blocks:
        cell = cells[block.row * grid.n_cols + block.col]
        if block.rowspan > 1 or block.colspan > 1:
            last = cells[(block.row + block.rowspan - 1) * grid.n_cols + block.col + block.colspan - 1]
            cell = cell.merge(last)
        _fill(cell, block, size, style_id)
    _row_properties(table, grid)
    return table


def _fixed_widths(table, widths) -> None:
    tbl = table._tbl
    tbl_pr = tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(sum(_twips(w) for w in widths)))
    width.set(qn("w:type"), "dxa")
    existing = tbl_pr.find(qn("w:tblW"))
    if existing is not None:
        tbl_pr.remove(existing)
    tbl_pr.append(width)
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(int(Cm(CELL_MARGIN_CM).twips)))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    tbl_pr.append(margins)
    _sort_tbl_pr(tbl_pr)
    # Whole twips rounded down, so the columns never add up to more than the text width.
    twips = [Twips(_twips(w)) for w in widths]
    for grid_col, w in zip(tbl.tblGrid.findall(qn("w:gridCol")), twips):
        grid_col.set(qn("w:w"), str(int(w.twips)))
    for tr in tbl.tr_lst:
        for tc, w in zip(tr.tc_lst, twips):
            tc.width = w


def _twips(cm: float) -> int:
    return math.floor(cm * 1440 / 2.54)


# CT_TblPr children must appear in schema order or Word reports the file as damaged.
_TBL_PR_ORDER = [
    "tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize", "tblW", "jc",
    "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook",
]


def _sort_tbl_pr(tbl_pr) -> None:
    order = {qn(f"w:{n}"): i for i, n in enumerate(_TBL_PR_ORDER)}
    children = sorted(tbl_pr, key=lambda el: order.get(el.tag, len(order)))
    for el in children:
        tbl_pr.append(el)


def _fill(cell, block, size, style_id: str) -> None:
    cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
    p = cell.paragraphs[0]
    p._p.style = style_id
    p.alignment = WD_ALIGN_PARAGRAPH.LEFT if block.role == LABEL else WD_ALIGN_PARAGRAPH.CENTER
    if not block.text:
        return
    run = p.add_run(block.text)
    set_fonts(run._r, "heading" if block.role == TITLE else "table")
    run.font.size = size


def _row_properties(table, grid: Grid) -> None:
    min_height = MIN_ROW_CM_LONG if grid.n_rows > LONG_TABLE else MIN_ROW_CM
    for i, row in enumerate(table.rows):
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))
        height = OxmlElement("w:trHeight")
        height.set(qn("w:val"), str(int(Cm(min_height).twips)))
        height.set(qn("w:hRule"), "atLeast")
        tr_pr.append(height)
        if i < grid.header_rows:
            tr_pr.append(OxmlElement("w:tblHeader"))
        if i < grid.n_rows - 1:
            # Keep-with-next on every row moves a table that would straddle a page break to the next
            # page whole, like the published tables; a table taller than a page still breaks, between
            # rows, with its header rows repeated.
            for cell in row.cells:
                for p in cell.paragraphs:
                    p.paragraph_format.keep_with_next = True
