"""write_workbook(report, path) -> Path: a fresh copy of the standard template, filled with a report.

The template is loaded once per format and kept in memory; filling it splices the report's values into the
sheet XML at the input cells (never the total or check formulas), so writing a workbook takes a few
milliseconds — the consolidator's benchmark writes 10,000 of them — and an .xlsm template keeps its VBA
project untouched. Text is written as inline strings through ``safe_text``.
"""
from __future__ import annotations

import datetime as _dt
import re
import threading
from decimal import Decimal
from pathlib import Path

from ..formats import get_format
from ..model import NUMBER, Report, Value, format_number
from ..errors import XlgovaError
from ..safeio import ESCAPE, atomic_output, safe_text, unescape
from . import layout as L
from ..ooxml.parts import open_package
from ..ooxml.zipwrite import assemble, deflate
from ..templates import TEMPLATE_DIR

_CELL = re.compile(rb'<c\s[^>]*?\br="([A-Z]{1,3}[0-9]{1,7})"[^>]*?(?:/>|>.*?</c>)', re.S)
_STYLE = re.compile(rb'\bs="([0-9]+)"')
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_EXCEL_EPOCH = _dt.date(1899, 12, 30)
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")


def template_path(format_id: str, suffix: str = ".xlsx") -> Path:
    """The committed template of a format (``xlgova/templates/xlgova-2021.xlsx``, shipped in the package)."""
    return TEMPLATE_DIR / f"xlgova-{format_id}{suffix}"


def write_workbook(report: Report, path: str | Path, *, template: str | Path | None = None, inputs=()) -> Path:
    """Fill a fresh copy of the report's template and write it atomically to ``path``."""
    return writer_for(report.format_id, template, suffix=Path(path).suffix.lower()).write(report, path, inputs=inputs)


_WRITERS: dict[tuple, "WorkbookWriter"] = {}
_LOCK = threading.Lock()


def writer_for(format_id: str, template: str | Path | None = None, *, suffix: str = ".xlsx") -> "WorkbookWriter":
    """A cached writer per (format, template): the template is read and indexed once per process."""
    key = (format_id, str(template) if template else None, suffix if not template else None)
    with _LOCK:
        if key not in _WRITERS:
            _WRITERS[key] = WorkbookWriter(format_id, template, suffix=suffix)
        return _WRITERS[key]


def _template_bytes(format_id: str, template: str | Path | None, suffix: str) -> tuple[bytes, str]:
    if template is not None:
        p = Path(template)
        if not p.is_file():
            raise XlgovaError("模板文件不存在", path=p)
        return p.read_bytes(), str(p)
    committed = template_path(format_id, ".xlsm" if suffix == ".xlsm" else ".xlsx")
    if committed.is_file():
        return committed.read_bytes(), str(committed)
    if suffix == ".xlsm":
        raise XlgovaError(f"没有 {format_id} 版的启用宏模板（{committed.name}）", path=committed,
                          hint="请输出为 .xlsx，或用 template= 指定一个 .xlsm 模板。")
    from .template import template_bytes  # the committed file is missing (fresh checkout): build it

    return template_bytes(format_id), f"build_template({format_id!r})"


class WorkbookWriter:
    """Fills many reports of one format from one template loaded once (thread-safe after construction)."""

    def __init__(self, format_id: str, template: str | Path | None = None, *, suffix: str = ".xlsx"):
        self.format_id = format_id
        data, self.origin = _template_bytes(format_id, template, suffix)
        self.macro = b"vbaProject.bin" in data
        members, self.sheets, self.locations = _index_template(data, self.origin, format_id)
        self.infos = [info for info, _content in members]
        self.parts = [deflate(i.filename, c, level=9, date_time=i.date_time, external_attr=i.external_attr) for i, c in members]

    def to_bytes(self, report: Report) -> bytes:
        if report.format_id != self.format_id:
            raise XlgovaError(f"报告格式为 {report.format_id} 版，模板为 {self.format_id} 版", path=report.source)
        edits = fill_plan(report, self.locations)
        parts = []
        for info, part in zip(self.infos, self.parts):
            sheet = self.sheets.get(info.filename)
            if sheet is not None and edits.get(sheet.name):
                part = deflate(info.filename, sheet.fill(edits[sheet.name]), level=1, date_time=info.date_time,
                               external_attr=info.external_attr)
            parts.append(part)
        return assemble(parts)

    def write(self, report: Report, path: str | Path, *, inputs=()) -> Path:
        p = Path(path)
        if p.suffix.lower() not in (".xlsx", ".xlsm"):
            raise XlgovaError("输出文件应以 .xlsx 或 .xlsm 结尾", path=p)
        if (p.suffix.lower() == ".xlsm") != self.macro:
            raise XlgovaError("输出文件扩展名与模板类型不符（.xlsm 需要启用宏的模板，.xlsx 需要普通模板）", path=p)
        data = self.to_bytes(report)
        with atomic_output(p, inputs=tuple(inputs) + ((report.source,) if report.source else ())) as tmp:
            tmp.write_bytes(data)
        return p


class _SheetTemplate:
    """One sheet's XML split at the cells the writer fills, so filling is a join, not an XML parse."""

    def __init__(self, name: str, xml: bytes, addresses: set[str], origin: str):
        self.name = name
        self.pieces: list[bytes] = []
        self.slots: dict[str, tuple[int, bytes]] = {}  # address -> (index in pieces, style attribute)
        pos = 0
        if len(set(m.group(1).decode("ascii") for m in _CELL.finditer(xml)) & addresses) < len(addresses):
            xml = _ensure_cells(xml, addresses)
        for m in _CELL.finditer(xml):
            address = m.group(1).decode("ascii")
            if address not in addresses:
                continue
            self.pieces.append(xml[pos:m.start()])
            style = _STYLE.search(xml, m.start(), xml.index(b">", m.start()))
            self.slots[address] = (len(self.pieces), b' s="' + style.group(1) + b'"' if style else b"")
            self.pieces.append(m.group(0))
            pos = m.end()
        self.pieces.append(xml[pos:])
        missing = addresses - set(self.slots)
        if missing:
            raise XlgovaError(f"模板工作表“{name}”缺少单元格 {'、'.join(sorted(missing)[:5])}", path=origin)

    def fill(self, values: dict[str, object]) -> bytes:
        pieces = list(self.pieces)
        for address, value in values.items():
            index, style = self.slots[address]
            pieces[index] = _cell_xml(address, style, value)
        return b"".join(pieces)


def _ensure_cells(xml: bytes, addresses: set[str]) -> bytes:
    """Add empty <c> elements for target cells a template left out (tools drop empty unstyled cells)."""
    from lxml import etree

    from ..ooxml.a1 import split as split_address

    root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False))
    ns = root.nsmap.get(None, "http://schemas.openxmlformats.org/spreadsheetml/2006/main")
    data = root.find(f"{{{ns}}}sheetData")
    rows = {int(r.get("r")): r for r in data.findall(f"{{{ns}}}row")}
    for address in sorted(addresses, key=split_address):
        row_no, col_no = split_address(address)
        row = rows.get(row_no)
        if row is None:
            row = etree.Element(f"{{{ns}}}row", r=str(row_no))
            later = [r for n, r in rows.items() if n > row_no]
            (min(later, key=lambda r: int(r.get("r"))).addprevious(row) if later else data.append(row))
            rows[row_no] = row
        cells = {c.get("r"): c for c in row.findall(f"{{{ns}}}c")}
        if address in cells:
            continue
        new = etree.Element(f"{{{ns}}}c", r=address)
        after = [c for r, c in cells.items() if split_address(r)[1] > col_no]
        (min(after, key=lambda c: split_address(c.get("r"))[1]).addprevious(new) if after else row.append(new))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _index_template(data: bytes, origin: str, format_id: str):
    pkg = open_package(origin, data)
    locations = _locations(pkg, format_id)
    wanted: dict[str, set[str]] = {}
    for sheet, address in locations.values():
        wanted.setdefault(sheet, set()).add(address)
    sheets = {}
    for sheet, addresses in wanted.items():
        part = pkg.sheets.get(sheet)
        if part is None:
            raise XlgovaError(f"模板缺少工作表“{sheet}”", path=origin)
        sheets[part] = _SheetTemplate(sheet, pkg.member(part), addresses, origin)
    members = [(info, pkg.zip.read(info)) for info in pkg.zip.infolist()]
    return members, sheets, locations


def _locations(pkg, format_id: str) -> dict[tuple[str, str], tuple[str, str]]:
    """What the writer fills -> (sheet, address), by the template's defined names where it has them."""
    def where(name: str, fallback: tuple[str, str]) -> tuple[str, str]:
        return pkg.name_target(name) or fallback

    out = {}
    for key, _label, address in L.COVER_FIELDS:
        if key != "format":  # the template states its own format
            out[("cover", key)] = where(L.cover_name(key), (L.COVER, address))
    for cid, pos in L.cell_map(format_id).items():
        if get_format(format_id).cell(cid).is_input:
            out[("cell", cid)] = where(L.defined_name(cid), pos)
    for key, address in L.NARRATIVE_CELLS.items():
        out[("section", key)] = where(L.NAME_PREFIX + "section." + key, (L.NARRATIVE, address))
    for cid, pos in L.previous_map(format_id).items():
        out[("prev", cid)] = where(L.previous_name(cid), pos)
    return out


def fill_plan(report: Report, locations: dict) -> dict[str, dict[str, object]]:
    """sheet -> {address: value to write} for everything the report holds (blanks stay blank)."""
    plan: dict[str, dict[str, object]] = {}

    def put(key, value) -> None:
        if value is not None and key in locations:
            sheet, address = locations[key]
            plan.setdefault(sheet, {})[address] = value

    put(("cover", "agency"), _text(report.agency))
    put(("cover", "year"), report.year)
    for key, _label, _a in L.COVER_FIELDS:
        if key not in ("agency", "year", "format") and report.meta.get(key) not in (None, ""):
            raw = report.meta[key]
            put(("cover", key), _cover_value(key, raw))
    for cid, value in report.values.items():
        put(("cell", cid), _writable(value))
    for key, text in report.sections.items():
        put(("section", key), _text(text) if text else None)
    if report.previous is not None:
        for cid in L.previous_cells(report.format_id):
            if cid in report.previous.values:
                put(("prev", cid), _writable(report.previous.values[cid]))
    return plan


def total_differences(report: Report) -> list[tuple[str, object, object]]:
    """(cell id, value in the report, what the template's formula will show) for totals that will change.

    The writer never writes totals: the template's SUM formulas show the sum of the inputs written.
    """
    from ..rules.identities import defining_identity, derive_totals

    defining = defining_identity(report.format_id)
    values = report.values
    shown = derive_totals(report.format_id, values, defining, missing=0)
    out = []
    for cid in defining:
        v = values.get(cid)
        if v is not None and not v.is_blank and not (v.is_number and v.number == shown[cid]):
            out.append((cid, v.to_json(), shown[cid]))
    return out


def _cover_value(key: str, raw) -> object:
    """Whole numbers stay numbers; an ISO date becomes an Excel date (the template formats 填报日期 as a date)."""
    if key == "agencies" and isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    text = str(raw)
    if key == "date" and _ISO_DATE.fullmatch(text):
        try:
            return (_dt.date.fromisoformat(text) - _EXCEL_EPOCH).days
        except ValueError:
            pass
    return _text(text)


def _text(text: str | None) -> str | None:
    if not text:
        return None
    if unescape(text) != text:
        return ESCAPE + text  # the reader drops one escape; keep a typed apostrophe
    return safe_text(text)


def _writable(value: Value) -> object:
    if value.kind == NUMBER and not value.normalised:
        return value.number
    if value.is_blank:
        return None
    return value.raw if value.kind != "text" else _text(value.raw)


def _cell_xml(address: str, style: bytes, value: object) -> bytes:
    ref = address.encode("ascii")
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return b'<c r="' + ref + b'"' + style + b"><v>" + format_number(value).encode("ascii") + b"</v></c>"
    text = _ILLEGAL.sub(lambda m: "_x%04X_" % ord(m.group(0)) if m.group(0) != "_" else "_x005F_", str(value))
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return (b'<c r="' + ref + b'"' + style + b' t="inlineStr"><is><t xml:space="preserve">' + text.encode("utf-8") + b"</t></is></c>")
