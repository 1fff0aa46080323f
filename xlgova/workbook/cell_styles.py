"""Look of the standard workbook: fonts that render Chinese, borders like the official tables, input marks.

The printed tables must read like the ones clerks paste into the published report: thin black borders,
宋体, centred headers. Input cells carry a light fill on screen; the print setup asks for black-and-white
output so the printout shows the bare official table.
"""
from __future__ import annotations

from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

from ..ooxml.a1 import column_letter

FONT_NAME = "宋体"  # present on every Chinese Windows/WPS install; LibreOffice falls back to a CJK font
TITLE = Font(name=FONT_NAME, size=14, bold=True)
HEADING = Font(name=FONT_NAME, size=12, bold=True)
HEADER = Font(name=FONT_NAME, size=10, bold=True)
BODY = Font(name=FONT_NAME, size=10)
SMALL = Font(name=FONT_NAME, size=9, color="595959")
CHECK = Font(name=FONT_NAME, size=10, bold=True)
STATUS = Font(name=FONT_NAME, size=14, bold=True)

INPUT_FILL = PatternFill("solid", fgColor="DDEBF7")  # light blue: type here
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")  # light grey: computed, do not type
HEADER_FILL = PatternFill("solid", fgColor="FFFFFF")
LIST_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")  # header rows of the summary's lists and tables

# Conditional-format marks (Excel dxf styles).
ERROR_FILL = PatternFill("solid", fgColor="FFC7CE", bgColor="FFC7CE")
ERROR_FONT = Font(color="9C0006", bold=True)
MISMATCH_FILL = PatternFill("solid", fgColor="F8CBAD", bgColor="F8CBAD")
WARNING_FILL = PatternFill("solid", fgColor="FFEB9C", bgColor="FFEB9C")
WARNING_FONT = Font(color="9C5700")
PASS_FONT = Font(color="006100", bold=True)

_THIN = Side(style="thin", color="000000")
GRID = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)

CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center")
TEXT_BLOCK = Alignment(horizontal="left", vertical="top", wrap_text=True)
VERTICAL = Alignment(horizontal="center", vertical="center", wrap_text=True)
VERTICAL_STACKED = Alignment(horizontal="center", vertical="center", wrap_text=True, text_rotation=255)

UNLOCKED = Protection(locked=False)
LOCKED = Protection(locked=True)

COUNT_FORMAT = "0"
AMOUNT_FORMAT = "0.00##"
SIGNED_FORMAT = "0;-0;0"


def cell_style(cell, *, font=BODY, align=CENTER, border=GRID, fill=None, locked=True, number_format=None) -> None:
    cell.font = font
    cell.alignment = align
    if border is not None:
        cell.border = border
    if fill is not None:
        cell.fill = fill
    cell.protection = LOCKED if locked else UNLOCKED
    if number_format:
        cell.number_format = number_format


def box(ws, top: int, left: int, bottom: int, right: int, value=None, **style) -> None:
    """Write ``value`` into a (merged) block and draw the grid on every cell of it.

    Borders go on each cell of a merge: Excel draws the merge's outline from its edge cells, and
    LibreOffice needs them there too.
    """
    if (top, left) != (bottom, right):
        ws.merge_cells(start_row=top, start_column=left, end_row=bottom, end_column=right)
    for r in range(top, bottom + 1):
        for c in range(left, right + 1):
            cell_style(ws.cell(r, c), **style)
    if value is not None:
        ws.cell(top, left).value = value


def text_width(text: str) -> int:
    """Display width in Excel column units: CJK and full-width characters count double."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in str(text))


def lines_needed(text: str, width: float) -> int:
    """How many wrapped lines ``text`` takes in a block ``width`` columns wide (rows never auto-fit on open)."""
    per_line = max(int(width * 0.95), 1)
    return max(1, -(-text_width(text) // per_line))


def set_widths(ws, widths: dict[int, float]) -> None:
    for col, width in widths.items():
        ws.column_dimensions[column_letter(col)].width = width


def page_setup(ws, *, landscape: bool, print_area: str, title_rows: str | None = None) -> None:
    """A4, fitted to one page wide, centred, with margins like a Word page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.page_setup.blackAndWhite = True
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.6
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.print_area = print_area
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.size = 9


def protect(ws) -> None:
    """Protected without a password: the layout cannot break by accident, anyone can unprotect on purpose."""
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # allowed: widen a column to read a long label
    ws.protection.formatRows = False
    ws.protection.selectLockedCells = False
    ws.protection.selectUnlockedCells = False
