"""The parts of an .xlsx/.xlsm package the reader needs besides cell values, read cheaply from the zip.

python-calamine gives the cell values; it does not expose defined names or tell a formula from a typed
value. Those come from here: ``xl/workbook.xml`` (sheets, defined names) and one regex pass over the sheet
XML of the sheets that hold total formulas.

Every workbook is opened through :func:`open_package`, which passes it through ``xlgova.ooxml.guard`` (the
one gate for untrusted OOXML: file kind, zip bombs, entity declarations) before anything is parsed.
"""
from __future__ import annotations

import html
import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..errors import XlgovaError
from ..inputs import read_input_bytes
from ..limits import SHEET_MAX_COLS, SHEET_MAX_ROWS, ZIP
from .extent import Outside  # noqa: F401  (named in bound_sheets' annotation)


_REF = re.compile(r"^(?:'((?:[^']|'')+)'|([^'!]+))!\$?([A-Za-z]{1,3})\$?([0-9]{1,7})$")
_FORMULA = re.compile(rb"\s*<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")
_CELL_HEAD = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c\s")
_FORMULA_CELL = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?c\s[^>]*?\br="([A-Z]{1,3}[0-9]{1,7})"[^>]*>\s*<(?:[A-Za-z_][\w.-]*:)?f[\s/>]')


@dataclass(frozen=True, eq=False)
class WorkbookInfo:
    """What ``xl/workbook.xml`` says: the sheets and the defined names with their targets.

    Read once per distinct workbook.xml: every workbook filled from one template shares one object (it
    is cached by content), so whatever is derived from it — where each cell sits — can be cached with it.
    Treat it as immutable.
    """

    sheets: dict[str, str]  # sheet name -> part name (xl/worksheets/sheet1.xml), in workbook order
    names: dict[str, str]  # workbook-level defined name, lower-cased -> its formula text ('依申请公开'!$D$6)
    targets: dict[str, tuple[str, str] | None]  # the same names -> (sheet, "D6"), None when not one cell
    # Names given twice (Excel names ignore case; only a hand-edited file has GOVA.x beside gova.x):
    # (name as kept, its formula, name as ignored, its formula). The template's lower-case spelling is kept.
    duplicates: tuple[tuple[str, str, str, str], ...] = ()


class NamedBook:
    """What the reader asks of any workbook source (a package, grids from Excel, an .xls/.ods): its sheets
    and defined names, from ``self.info``."""

    info: WorkbookInfo

    @property
    def sheets(self) -> dict[str, str]:
        return self.info.sheets

    @property
    def names(self) -> dict[str, str]:
        return self.info.names

    def name_target(self, name: str) -> tuple[str, str] | None:
        """(sheet, "D6") a single-cell defined name points at; None when absent, broken (#REF!) or a range."""
        return self.info.targets.get(name.lower())


@dataclass
class Package(NamedBook):
    """An opened workbook package: the raw bytes (for python-calamine), sheets and defined names."""

    path: Path
    data: bytes
    zip: zipfile.ZipFile
    info: WorkbookInfo
    _parts: dict[str, bytes] = field(default_factory=dict)  # XML parts the guard already inflated and checked

    def member(self, name: str) -> bytes:
        cached = self._parts.get(name)
        if cached is not None:
            return cached
        info = _info(self.zip, name, self.path)
        _check_member(info, self.path)
        try:
            return self.zip.read(info)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as e:
            raise XlgovaError(f"工作簿内部文件 {name} 已损坏（{e}）", path=self.path) from None

    def formula_cells(self, sheet: str, rows) -> set[str]:
        """Which cells of ``rows`` (``((6, ("D6", "J6")), (7, ("J7",)), ...)``, ascending) on ``sheet`` hold a
        formula (an ``<f>`` element).

        Looks the cells up with ``bytes.find`` instead of parsing the sheet (well under a millisecond).
        """
        part = self.sheets.get(sheet)
        return _formula_addresses(self.member(part) if part is not None else b"", rows)

    def bound_sheets(self, rows: int = SHEET_MAX_ROWS, cols: int = SHEET_MAX_COLS) -> dict[str, "Outside"]:
        """Cut every sheet's cells beyond ``rows`` × ``cols`` out of the package python-calamine will see.

        Returns sheet name -> what was left out, for the reader's findings. Normal workbooks are untouched
        (a sub-millisecond check per sheet); a cut sheet is rezipped into ``data`` before any grid exists.
        """
        from .compact import rezip
        from .extent import bound_sheet

        cut, outside = {}, {}
        for sheet, part in self.sheets.items():
            if part not in self.zip.NameToInfo:
                continue
            xml = self.member(part)
            bounded, out = bound_sheet(xml, rows, cols)
            if bounded is not xml:
                cut[part] = self._parts[part] = bounded
            if out is not None:
                outside[sheet] = out
        if cut:
            self.data = rezip(self.data, lambda name, body: cut.get(name, body))
            self.zip = zipfile.ZipFile(io.BytesIO(self.data))
        return outside


def _formula_addresses(xml: bytes, rows) -> set[str]:
    """Which of the cells in ``rows`` are cells with an ``<f>`` child (the schema puts it first).

    Rows are ordered in the sheet XML, so one forward walk with ``bytes.find`` visits each wanted row once;
    a sheet whose rows carry no ``r`` attribute (allowed, rare) falls back to one regex pass.
    """
    found, pos = set(), 0
    for row, addresses in rows:
        start = xml.find(b'<row r="%d"' % row, pos)
        end = xml.find(b"</row>", start) if start != -1 else -1
        if end == -1:
            wanted = {a for _row, cells in rows for a in cells}
            return {m.group(1).decode("ascii") for m in _FORMULA_CELL.finditer(xml)} & wanted
        for a in addresses:
            at = xml.find(b' r="' + a.encode("ascii") + b'"', start, end)
            if at != -1 and _CELL_HEAD.match(xml, xml.rfind(b"<", start, at)):
                close = xml.find(b">", at)
                if xml[close - 1:close] != b"/" and _FORMULA.match(xml, close + 1):
                    found.add(a)
        pos = end
    return found


@lru_cache(maxsize=16384)  # workbooks from one template repeat the same name texts
def parse_reference(text: str) -> tuple[str, str] | None:
    """"'依申请公开'!$D$6" -> ("依申请公开", "D6"); None for ranges, #REF! and anything else."""
    sheet, bang, cell = text.rpartition("!")
    if bang and len(sheet) > 2 and sheet[0] == sheet[-1] == "'" and "''" not in sheet:
        address = cell.replace("$", "")
        if address[:1].isalpha() and address.isalnum() and address.isascii():
            return sheet[1:-1], address.upper()
    m = _REF.match(text.strip())
    if not m:
        return None
    sheet = m.group(1).replace("''", "'") if m.group(1) is not None else m.group(2)
    return sheet, f"{m.group(3).upper()}{m.group(4)}"


def open_package(path: str | Path, data: bytes | None = None) -> Package:
    """Open a workbook package, or raise :class:`XlgovaError` saying in Chinese why it cannot be read.

    ``data``: the file's bytes when they are already in memory (``path`` then only names it in messages).
    """
    p = Path(path)
    if data is None:
        data = _read_bytes(p)
    from .guard import check_workbook

    # The gate for untrusted input: names what the file really is (empty, .xls, encrypted, .ods, CSV, ...),
    # refuses zip bombs and DOCTYPE/ENTITY declarations before any parser sees the bytes.
    parts: dict[str, bytes] = {}
    try:
        zf = zipfile.ZipFile(io.BytesIO(data)) if data[:2] == b"PK" else None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        zf = None  # the guard says what the file is instead
    check_workbook(p, data=data, collect=parts, opened=zf)
    if zf is None:
        raise XlgovaError("不是有效的 .xlsx/.xlsm 工作簿（文件已损坏，或并不是 Excel 文件）", path=p)
    pkg = Package(p, data, zf, WorkbookInfo({}, {}, {}), _parts=parts)
    pkg.info = _workbook_info(pkg, _workbook_part(pkg))
    return pkg


def _read_bytes(p: Path) -> bytes:
    return read_input_bytes(p, "年度报告工作簿", max_bytes=ZIP.file_bytes)


def _info(zf: zipfile.ZipFile, name: str, path: Path) -> zipfile.ZipInfo:
    try:
        return zf.getinfo(name)
    except KeyError:
        raise XlgovaError(f"不是有效的 .xlsx/.xlsm 工作簿（缺少内部文件 {name}）", path=path) from None


def _check_member(info: zipfile.ZipInfo, path: Path) -> None:
    if info.file_size > ZIP.member_bytes or (info.compress_size and info.file_size / info.compress_size > ZIP.ratio and info.file_size > ZIP.ratio_floor):
        raise XlgovaError(f"工作簿内部文件 {info.filename} 解压后过大，疑似恶意文件，拒绝读取", path=path)


_ELEMENT = re.compile(r"<(?:[\w.-]+:)?(sheet|definedName|Relationship)\b([^>]*?)(?:/>|>([^<]*)</(?:[\w.-]+:)?\1\s*>)", re.S)
_ATTR = re.compile(r"""(?:[\w.-]+:)?([\w.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_SIMPLE_NAME = re.compile(r'\s+name="([^"]*)"\s*')
_DOCTYPE = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.I)


def _unescape(text: str) -> str:
    return html.unescape(text) if "&" in text else text


def _checked(pkg: Package, name: str) -> bytes:
    data = pkg.member(name)
    if _DOCTYPE.search(data, 0, 4096):
        raise XlgovaError(f"工作簿内部文件 {name} 含有 DOCTYPE 声明，疑似恶意文件，拒绝读取", path=pkg.path)
    return data


def _scan_elements(data: bytes) -> list[tuple[str, dict[str, str], str]]:
    """(tag, attributes by local name, text) of the sheet / definedName / Relationship elements of a part.

    A regex pass instead of an XML parser: these parts are small and flat, this is several times faster
    than ElementTree, and with no DTD processing there is no entity expansion to defend against.
    """
    out = []
    for tag, attr_text, text in _ELEMENT.findall(data.decode("utf-8", "replace")):
        simple = _SIMPLE_NAME.fullmatch(attr_text)  # the common <definedName name="..."> needs no attribute scan
        attrs = {"name": _unescape(simple.group(1))} if simple else {k: _unescape(v1 or v2) for k, v1, v2 in _ATTR.findall(attr_text)}
        out.append((tag, attrs, _unescape(text)))
    return out


def _relationships(xml: bytes, base: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type, part name resolved against ``base``)."""
    out = {}
    for _tag, rel, _text in _scan_elements(xml):
        target = rel.get("Target", "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
        out[rel.get("Id", "")] = (rel.get("Type", ""), part)
    return out


def _workbook_part(pkg: Package) -> str:
    if "_rels/.rels" in pkg.zip.NameToInfo:
        for rtype, part in _relationships(_checked(pkg, "_rels/.rels"), "").values():
            if rtype.endswith("/officeDocument"):
                return part
    return "xl/workbook.xml"


def _workbook_info(pkg: Package, part: str) -> WorkbookInfo:
    base = posixpath.dirname(part)
    rels_name = posixpath.join(base, "_rels", posixpath.basename(part) + ".rels")
    rels = _checked(pkg, rels_name) if rels_name in pkg.zip.NameToInfo else b""
    return _parse_workbook(base, _checked(pkg, part), rels)


@lru_cache(maxsize=64)  # keyed by content: the workbooks of one template share their workbook.xml
def _parse_workbook(base: str, workbook: bytes, rels_xml: bytes) -> WorkbookInfo:
    rels = _relationships(rels_xml, base)
    sheets, names, spelled, duplicates = {}, {}, {}, []
    for tag, attrs, text in _scan_elements(workbook):
        if tag == "sheet":
            rel = rels.get(attrs.get("id", ""))
            if rel is not None and rel[0].endswith("/worksheet"):
                sheets[attrs.get("name", "")] = rel[1]
        elif tag == "definedName" and "localSheetId" not in attrs and text:
            name = attrs.get("name", "")
            key = name.lower()  # Excel names are case-insensitive
            if key in names:
                kept, other = _preferred((spelled[key], names[key]), (name, text))
                duplicates.append((*kept, *other))
                spelled[key], names[key] = kept
            else:
                spelled[key], names[key] = name, text
    return WorkbookInfo(sheets, names, {n: parse_reference(t) for n, t in names.items()}, tuple(duplicates))


def _preferred(first: tuple[str, str], second: tuple[str, str]) -> tuple[tuple[str, str], tuple[str, str]]:
    """Of two spellings of one name, (kept, ignored): the lower-case one the template writes, else the first."""
    if first[0] != first[0].lower() and second[0] == second[0].lower():
        return second, first
    return first, second
