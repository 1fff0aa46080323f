"""Add sheets made by openpyxl to a workbook package without loading that workbook into openpyxl.

The summary is the standard template filled by the writer (milliseconds) plus the consolidator's own
sheets. Loading and saving the template with openpyxl costs about two seconds — most of a 1,000-agency
run — so the extra sheets are built in a small separate workbook and spliced into the template's package:
their cell styles, conditional-format styles and number formats are appended to the template's
``styles.xml`` and renumbered, shared strings become inline strings, drawings and charts are copied under
fresh names, and the workbook's sheet list, relationships, defined names and content types are extended.
"""
from __future__ import annotations

import io
import posixpath
import re
import zipfile

from lxml import etree

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
WORKSHEET = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
PREFIX = "xlgova_"
_STYLE_ORDER = ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs", "tableStyles", "colors", "extLst")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def _q(tag: str, ns: str = NS) -> str:
    return f"{{{ns}}}{tag}"


def _xml(data: bytes):
    return etree.fromstring(data, _PARSER)


def _bytes(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _child(root, tag: str):
    node = root.find(_q(tag))
    if node is None:
        node = etree.Element(_q(tag))
        later = _STYLE_ORDER[_STYLE_ORDER.index(tag) + 1 :]
        anchor = next((root.find(_q(t)) for t in later if root.find(_q(t)) is not None), None)
        if anchor is not None:
            anchor.addprevious(node)
        else:
            root.append(node)
    return node


def merge_styles(base: bytes, extra: bytes) -> tuple[bytes, int, int]:
    """Append ``extra``'s styles to ``base``; returns (styles.xml, cellXfs offset, dxfs offset)."""
    a, b = _xml(base), _xml(extra)
    offsets = {}
    for tag in ("fonts", "fills", "borders"):
        target, source = _child(a, tag), b.find(_q(tag))
        offsets[tag] = len(target)
        for node in list(source if source is not None else ()):
            target.append(node)
        target.set("count", str(len(target)))
    fmt_map = _merge_numfmts(a, b)
    xfs, bxfs = _child(a, "cellXfs"), b.find(_q("cellXfs"))
    xf_offset = len(xfs)
    for xf in list(bxfs if bxfs is not None else ()):
        for attr, tag in (("fontId", "fonts"), ("fillId", "fills"), ("borderId", "borders")):
            xf.set(attr, str(int(xf.get(attr, "0")) + offsets[tag]))
        xf.set("numFmtId", fmt_map.get(xf.get("numFmtId", "0"), xf.get("numFmtId", "0")))
        xf.set("xfId", "0")
        xfs.append(xf)
    xfs.set("count", str(len(xfs)))
    dxfs, bdxfs = _child(a, "dxfs"), b.find(_q("dxfs"))
    dxf_offset = len(dxfs)
    for node in list(bdxfs if bdxfs is not None else ()):
        dxfs.append(node)
    dxfs.set("count", str(len(dxfs)))
    return _bytes(a), xf_offset, dxf_offset


def _merge_numfmts(a, b) -> dict[str, str]:
    source = b.find(_q("numFmts"))
    if source is None or not len(source):
        return {}
    target = _child(a, "numFmts")
    by_code = {n.get("formatCode"): n.get("numFmtId") for n in target}
    next_id = max([163] + [int(n.get("numFmtId")) for n in target]) + 1
    out = {}
    for n in source:
        code = n.get("formatCode")
        if code not in by_code:
            etree.SubElement(target, _q("numFmt"), numFmtId=str(next_id), formatCode=code)
            by_code[code], next_id = str(next_id), next_id + 1
        out[n.get("numFmtId")] = by_code[code]
    target.set("count", str(len(target)))
    return out


_S_ATTR = re.compile(rb'(<(?:c|row)\b[^>]*?\bs=")(\d+)(")')
_COL_STYLE = re.compile(rb'(<col\b[^>]*?\bstyle=")(\d+)(")')
_DXF = re.compile(rb'(\bdxfId=")(\d+)(")')
_SHARED = re.compile(rb'<c\b([^>]*?)\bt="s"([^>]*)><v>(\d+)</v></c>')
_TAB_SELECTED = re.compile(rb'\btabSelected="1"')


def _renumber(xml: bytes, xf_offset: int, dxf_offset: int, strings: list[bytes]) -> bytes:
    shift = lambda k: lambda m: m.group(1) + str(int(m.group(2)) + k).encode() + m.group(3)  # noqa: E731
    xml = _S_ATTR.sub(shift(xf_offset), xml)
    xml = _COL_STYLE.sub(shift(xf_offset), xml)
    xml = _DXF.sub(shift(dxf_offset), xml)
    return _SHARED.sub(lambda m: b"<c" + m.group(1) + b't="inlineStr"' + m.group(2) + b"><is>" + strings[int(m.group(3))] + b"</is></c>", xml)


def _shared_strings(z: zipfile.ZipFile) -> list[bytes]:
    if "xl/sharedStrings.xml" not in z.namelist():
        return []
    root = _xml(z.read("xl/sharedStrings.xml"))
    ns = f' xmlns="{NS}"'.encode()
    return [b"".join(etree.tostring(child).replace(ns, b"") for child in si) for si in root.findall(_q("si"))]


def _rels_of(part: str) -> str:
    return posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")


def _workbook_sheets(z: zipfile.ZipFile) -> list[tuple[str, str, object]]:
    """(name, part, sheet element) in workbook order."""
    wb = _xml(z.read("xl/workbook.xml"))
    rels = _xml(z.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels}
    out = []
    for s in wb.find(_q("sheets")):
        target = targets[s.get(_q("id", R_NS))]
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        out.append((s.get("name"), part, s))
    return out


def _collect_parts(zb: zipfile.ZipFile, sheet_parts: list[str]) -> dict[str, str]:
    """Every part the extra sheets need (drawings, charts, ...) -> its new name in the merged package."""
    names = set(zb.namelist())
    rename: dict[str, str] = {}
    todo = list(sheet_parts)
    while todo:
        part = todo.pop()
        if part in rename or part not in names:
            continue
        rename[part] = posixpath.join(posixpath.dirname(part), PREFIX + posixpath.basename(part))
        rels = _rels_of(part)
        if rels in names:
            for r in _xml(zb.read(rels)):
                if r.get("TargetMode") != "External":
                    todo.append(_resolve(part, r.get("Target")))
    return rename


def _resolve(part: str, target: str) -> str:
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(posixpath.dirname(part), target))


def _copied(zb: zipfile.ZipFile, rename: dict[str, str], xo: int, do: int, strings: list[bytes]) -> dict[str, bytes]:
    out = {}
    for old, new in rename.items():
        data = zb.read(old)
        if old.startswith("xl/worksheets/"):
            data = _renumber(data, xo, do, strings)
        out[new] = data
        rels = _rels_of(old)
        if rels in zb.namelist():
            root = _xml(zb.read(rels))
            for r in root:
                if r.get("TargetMode") != "External":
                    r.set("Target", "/" + rename[_resolve(old, r.get("Target"))])
            out[_rels_of(new)] = _bytes(root)
    return out


def _content_types(za: zipfile.ZipFile, zb: zipfile.ZipFile, rename: dict[str, str]) -> bytes:
    a, b = _xml(za.read("[Content_Types].xml")), _xml(zb.read("[Content_Types].xml"))
    defaults = {d.get("Extension") for d in a.findall(_q("Default", CT_NS))}
    for d in b.findall(_q("Default", CT_NS)):
        if d.get("Extension") not in defaults:
            a.insert(0, d)
    for o in b.findall(_q("Override", CT_NS)):
        part = o.get("PartName").lstrip("/")
        if part in rename:
            etree.SubElement(a, _q("Override", CT_NS), PartName="/" + rename[part], ContentType=o.get("ContentType"))
    return _bytes(a)


def add_sheets(base: bytes, extra: bytes, *, first: tuple[str, ...] = ()) -> bytes:
    """``base`` with every sheet of ``extra`` added: those named in ``first`` in front, the others after."""
    za, zb = zipfile.ZipFile(io.BytesIO(base)), zipfile.ZipFile(io.BytesIO(extra))
    styles, xo, do = merge_styles(za.read("xl/styles.xml"), zb.read("xl/styles.xml"))
    b_sheets = _workbook_sheets(zb)
    rename = _collect_parts(zb, [part for _, part, _ in b_sheets])
    new_parts = _copied(zb, rename, xo, do, _shared_strings(zb))
    new_parts["[Content_Types].xml"] = _content_types(za, zb, rename)
    new_parts["xl/styles.xml"] = styles
    workbook, rels = _workbook(za, zb, b_sheets, rename, first)
    new_parts["xl/workbook.xml"], new_parts["xl/_rels/workbook.xml.rels"] = workbook, rels
    a_sheet_parts = {part for _, part, _ in _workbook_sheets(za)}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        for info in za.infolist():
            data = new_parts.pop(info.filename, None)
            if data is None:
                data = za.read(info)
                if first and info.filename in a_sheet_parts:
                    data = _TAB_SELECTED.sub(b'tabSelected="0"', data)
            z.writestr(info.filename, data)
        for name in sorted(new_parts, key=lambda n: n != "[Content_Types].xml"):
            z.writestr(name, new_parts[name])
    return out.getvalue()


def _workbook(za, zb, b_sheets, rename, first) -> tuple[bytes, bytes]:
    wb, rels = _xml(za.read("xl/workbook.xml")), _xml(za.read("xl/_rels/workbook.xml.rels"))
    sheets = wb.find(_q("sheets"))
    a_names = [s.get("name") for s in sheets]
    next_id = max(int(s.get("sheetId")) for s in sheets) + 1
    lead = [x for name in first for x in b_sheets if x[0] == name]
    tail = [x for x in b_sheets if x[0] not in first]
    for pos, (name, part, _el) in [(i, x) for i, x in enumerate(lead)] + [(None, x) for x in tail]:
        rid = f"rId{PREFIX}{next_id}"
        el = etree.Element(_q("sheet"), nsmap={"r": R_NS})
        el.set("name", name)
        el.set("sheetId", str(next_id))
        el.set("state", "visible")
        el.set(_q("id", R_NS), rid)
        sheets.insert(pos, el) if pos is not None else sheets.append(el)
        etree.SubElement(rels, _q("Relationship", PKG_NS), Type=WORKSHEET, Target="/" + rename[part], Id=rid)
        next_id += 1
    order = [s.get("name") for s in sheets]
    _merge_names(wb, za, zb, a_names, [x[0] for x in b_sheets], order)
    if lead:
        view = wb.find(f"{_q('bookViews')}/{_q('workbookView')}")
        if view is not None:
            view.set("activeTab", "0")
            view.set("firstSheet", "0")
    return _bytes(wb), _bytes(rels)


def _merge_names(wb, za, zb, a_names: list[str], b_names: list[str], order: list[str]) -> None:
    names = wb.find(_q("definedNames"))
    if names is None:
        names = etree.Element(_q("definedNames"))
        wb.find(_q("sheets")).addnext(names)
    for n in names:
        if n.get("localSheetId") is not None:
            n.set("localSheetId", str(order.index(a_names[int(n.get("localSheetId"))])))
    b_root = _xml(zb.read("xl/workbook.xml")).find(_q("definedNames"))
    for n in list(b_root if b_root is not None else ()):
        if n.get("localSheetId") is not None:
            n.set("localSheetId", str(order.index(b_names[int(n.get("localSheetId"))])))
        names.append(n)
