"""Workbooks a clerk saved in another format: Excel 97-2003 (.xls, also WPS's 兼容模式) and OpenDocument (.ods).

python-calamine reads their cells as it reads an .xlsx, so they go through the same reader
(:func:`xlgova.workbook.reader.read_workbook`); this module gives that reader what an .xlsx package gives
it besides values — the sheets' defined names — and the note recommending .xlsx:

* .ods keeps named ranges (``<table:named-range>`` in content.xml): the ``gova.*`` names are found as in an
  .xlsx, so moved rows still read right;
* .xls keeps them too (BIFF NAME records), but python-calamine does not expose them: they are read with xlrd
  (made for exactly this format; only the workbook globals are parsed, never the sheets). Where xlrd cannot
  read them (a damaged or unusual file) the reader falls back to the template's positions and says so.

A formula cannot be told from a typed value in either format here (``formula_cells`` is None, as for a
client that cannot say): a total's shown value is read and still compared with its parts (``reader_totals``). A WPS .et file is refused by the loader
with the steps to save it as .xlsx.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import XlgovaError
from ..ooxml.filekinds import OLE2_MAGIC, ole2_workbook_problem
from ..ooxml.guard import SAVE_AS_XLSX, check_ods
from ..limits import SHEET_CELLS_NAMED, SHEET_MAX_COLS, SHEET_MAX_ROWS
from ..ooxml.extent import Outside
from ..ooxml.parts import NamedBook, WorkbookInfo
from .reader_cells import calamine_failed
from ..ooxml.a1 import column_letter as get_column_letter

XLS = "xls"
ODS = "ods"
KIND_NAMES = {XLS: "Excel 97-2003 工作簿（.xls）", ODS: "OpenDocument 表格（.ods）"}
_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
_NAMED = re.compile(r"<table:named-(range|expression)\b([^>]*)/?>")
_ATTR = re.compile(r'table:([\w-]+)="([^"]*)"')
_ODS_CELL = re.compile(r"^\$?('(?:[^']|'')+'|[^.']+)\.\$?([A-Za-z]{1,3})\$?([0-9]{1,7})$")


def other_kind(data: bytes) -> str | None:
    """XLS or ODS when the bytes are an Excel 97-2003 or OpenDocument spreadsheet, else None (an .xlsx or junk)."""
    if data.startswith(OLE2_MAGIC):
        return XLS
    if data.startswith(b"PK\x03\x04") and _ODS_MIME in data[:200]:  # the stored "mimetype" member comes first
        return ODS
    return None


@dataclass(eq=False)
class OtherPackage(NamedBook):
    """What the reader asks of a package (``xlgova.ooxml.parts.Package``), for an .xls or .ods file."""

    path: Path
    data: bytes
    info: WorkbookInfo
    kind: str
    grids: dict[str, list[list]] | None = None  # every sheet's values, once bound_sheets has read them

    def bound_sheets(self, rows: int = SHEET_MAX_ROWS, cols: int = SHEET_MAX_COLS) -> dict[str, Outside]:
        """Read every sheet with python-calamine, keeping ``rows`` × ``cols`` (``self.grids``, for the reader's
        ``Sheets``); return sheet -> the cells left out, as ``Package.bound_sheets`` does for an .xlsx."""
        import io

        import python_calamine

        try:
            book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(self.data))
            self.grids, outside = {}, {}
            for name in book.sheet_names:
                self.grids[name], out = _bounded(book.get_sheet_by_name(name), rows, cols)
                if out is not None:
                    outside[name] = out
        except BaseException as e:  # CalamineError ... and Rust panics on damaged files
            calamine_failed(e)
            raise XlgovaError(f"无法读取工作簿内容（{type(e).__name__}），文件可能已损坏", path=self.path) from None
        return outside

    def formula_cells(self, sheet: str, rows) -> None:
        """None: formulas are not told from values in these formats (as for a client that cannot say)."""
        return None

    def note(self) -> str:
        how = "已按其中的定义名称读取" if self.names else "其中的定义名称无法读取"
        return (f"工作簿保存为 {KIND_NAMES[self.kind]}，{how}。建议另存为“Excel 工作簿（.xlsx）”再报送："
                "这种格式可能丢失模板的自动核对、数据验证和定义名称")


def _bounded(sheet, rows: int, cols: int) -> tuple[list[list], Outside | None]:
    """A sheet's values from A1 within ``rows`` × ``cols``, row by row (a far-away cell never makes a huge grid)."""
    grid, count, named, last_row, last_col = [], 0, [], 0, 0
    for r, line in enumerate(sheet.iter_rows()):
        if r < rows:
            grid.append(list(line[:cols]))
        beyond = line if r >= rows else line[cols:]
        first = 0 if r >= rows else cols
        for c, value in enumerate(beyond, first):
            if value not in (None, ""):
                count += 1
                if len(named) < SHEET_CELLS_NAMED:
                    named.append(f"{get_column_letter(c + 1)}{r + 1}")
                last_row, last_col = max(last_row, r + 1), max(last_col, c + 1)
    if not count:
        return grid, None
    return grid, Outside(count, tuple(named), f"{get_column_letter(last_col)}{last_row}")


def open_other(path: str | Path, data: bytes, kind: str) -> OtherPackage:
    """An .xls or .ods workbook for the reader, or :class:`XlgovaError` saying why it cannot be read."""
    p = Path(path)
    if kind == XLS:
        problem = ole2_workbook_problem(p, data)
        if problem:
            raise XlgovaError(problem, path=p, hint=SAVE_AS_XLSX)
        return OtherPackage(p, data, _info(tuple(xls_names(data))), XLS)
    parts: dict[str, bytes] = {}
    check_ods(p, data=data, collect=parts)  # bounds, zip bombs, DOCTYPE: the same gate as an .xlsx
    content = parts.get("content.xml", b"")
    return OtherPackage(p, data, _info(tuple(ods_names(content))), ODS)


def ods_names(content: bytes) -> list[tuple[str, str, tuple[str, str] | None]]:
    """(lower-cased name, text, (sheet, "D6") or None) of every named range and named expression of content.xml."""
    tail = content[content.find(b"<table:named-expressions"):] if b"<table:named-expressions" in content else b""
    out = []
    for kind, attr_text in _NAMED.findall(tail.decode("utf-8", "replace")):
        attrs = {k: html.unescape(v) for k, v in _ATTR.findall(attr_text)}
        name = attrs.get("name", "")
        if not name:
            continue
        if kind == "range":
            text = attrs.get("cell-range-address", "")
            out.append((name.lower(), text, _ods_target(text)))
        else:
            out.append((name.lower(), attrs.get("expression", "").removeprefix("of:").lstrip("="), None))
    return out


def xls_names(data: bytes) -> list[tuple[str, str, tuple[str, str] | None]]:
    """(lower-cased name, text, (sheet, "D6") or None) of the workbook-level names of an .xls; [] if unreadable."""
    import io

    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True, logfile=io.StringIO())
    except Exception:  # noqa: BLE001 - any failure only means "no names": positions are the fallback
        return []
    try:
        sheets = book.sheet_names()
        return [entry for n in book.name_obj_list if n.scope == -1 and (entry := _xls_name(n, sheets, xlrd))]
    except Exception:  # noqa: BLE001
        return []
    finally:
        book.release_resources()


def _xls_name(name, sheets: list[str], xlrd) -> tuple[str, str, tuple[str, str] | None] | None:
    result = name.result
    if result is None:
        return None
    if result.kind == xlrd.oNUM and isinstance(result.value, float):  # a constant: the template revision
        return name.name.lower(), str(int(result.value)) if result.value.is_integer() else str(result.value), None
    if result.kind != xlrd.oREF or len(result.value) != 1:
        return None
    s_lo, s_hi, r_lo, r_hi, c_lo, c_hi = result.value[0].coords
    if not (s_hi - s_lo == 1 and r_hi - r_lo == 1 and c_hi - c_lo == 1 and 0 <= s_lo < len(sheets)):
        return name.name.lower(), "", None  # a range: known, but not one cell
    address = f"{get_column_letter(c_lo + 1)}{r_lo + 1}"
    return name.name.lower(), f"'{sheets[s_lo]}'!{address}", (sheets[s_lo], address)


def _ods_target(text: str) -> tuple[str, str] | None:
    """"$依申请公开.$D$6" or "$'复议 诉讼'.$B$6" -> (sheet, "D6"); None for ranges and anything else."""
    m = _ODS_CELL.match(text.strip())
    if not m:
        return None
    sheet = m.group(1)
    if sheet.startswith("'"):
        sheet = sheet[1:-1].replace("''", "'")
    return sheet, f"{m.group(2).upper()}{m.group(3)}"


@lru_cache(maxsize=64)  # one object per distinct set of names, so the reader's plan cache serves all files alike
def _info(names: tuple[tuple[str, str, tuple[str, str] | None], ...]) -> WorkbookInfo:
    return WorkbookInfo({}, {n: text for n, text, _t in names}, {n: target for n, _text, target in names})
