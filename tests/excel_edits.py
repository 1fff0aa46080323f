"""Edit a workbook file the way Excel edits it: rows inserted or deleted, a sheet renamed.

Excel moves everything that points at the moved rows: cells, merges, conditional formats and validations,
every formula on every sheet and the defined names (a reference into deleted rows becomes ``#REF!``,
a range loses the deleted rows). These helpers do the same on the package's XML, so tests can check that
every reader follows the names. Cached values stay as they are: inserted rows are blank, and the rows the
tests delete hold no numbers, so no total changes.
"""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Callable

from xlgova.ooxml.parts import open_package

# A reference in a formula: optional sheet, a cell or a cell range. Not inside a name (LOG10, _xlfn.X1)
# and not a function call.
_REF = re.compile(
    r"(?<![\w.$\u4e00-\u9fff])((?:'(?:[^']|'')+'|[\w\u4e00-\u9fff.]+)!)?"
    r"(\$?)([A-Z]{1,3})(\$?)(\d+)(?::(\$?)([A-Z]{1,3})(\$?)(\d+))?(?![\w(])")
_STRING = re.compile(r'("(?:[^"]|"")*"|&quot;.*?&quot;)')
_FORMULA_TEXT = re.compile(r"(<(?:\w+:)?(?:f|formula|formula1|formula2|definedName)\b[^>]*>)([^<]*)(</)")
_REF_ATTR = re.compile(r'\b((?:ref|sqref|topLeftCell|activeCell)=")([^"]*)(")')
Shift = Callable[[int], int | None]  # old row -> new row, None when the row is gone


def _sheet_of(prefix: str | None) -> str | None:
    if not prefix:
        return None
    name = prefix[:-1]
    return name[1:-1].replace("''", "'") if name.startswith("'") else name


def _shift_refs(text: str, sheet: str, here: str | None, shift: Shift, first: int, last: int) -> str:
    """Every reference to ``sheet`` in ``text`` moved; unqualified ones count when ``here`` is ``sheet``."""
    def one(m: re.Match) -> str:
        target = _sheet_of(m.group(1)) or here
        if target != sheet:
            return m.group(0)
        prefix = m.group(1) or ""
        top, bottom = int(m.group(5)), int(m.group(9) or m.group(5))
        new_top, new_bottom = shift(top), shift(bottom)
        if m.group(9) is None:
            return f"{prefix}#REF!" if new_top is None else f"{prefix}{m.group(2)}{m.group(3)}{m.group(4)}{new_top}"
        if new_top is None and new_bottom is None and first <= top and bottom <= last:
            return f"{prefix}#REF!"
        new_top = new_top if new_top is not None else shift(last + 1)
        new_bottom = new_bottom if new_bottom is not None else first - 1
        return f"{prefix}{m.group(2)}{m.group(3)}{m.group(4)}{new_top}:{m.group(6)}{m.group(7)}{m.group(8)}{new_bottom}"

    parts = _STRING.split(text)
    return "".join(p if i % 2 else _REF.sub(one, p) for i, p in enumerate(parts))


def _shift_sheet_xml(xml: str, shift: Shift, drop: set[int]) -> str:
    """The moved sheet itself: its rows, cells and every ``ref``/``sqref`` attribute."""
    xml = re.sub(r'<row r="(\d+)"[^>]*?(?:/>|>.*?</row>)', lambda m: "" if int(m.group(1)) in drop else m.group(0), xml, flags=re.S)
    xml = re.sub(r'(<row r=")(\d+)(")', lambda m: f"{m.group(1)}{shift(int(m.group(2)))}{m.group(3)}", xml)
    xml = re.sub(r'(<c r="[A-Z]+)(\d+)(")', lambda m: f"{m.group(1)}{shift(int(m.group(2)))}{m.group(3)}", xml)
    return xml


def _edit(data: bytes, change: Callable[[str, str], str]) -> bytes:
    """Apply ``change(part name, xml text)`` to the workbook part and every sheet part."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "xl/workbook.xml" or info.filename.startswith("xl/worksheets/sheet"):
                body = change(info.filename, body.decode("utf-8")).encode("utf-8")
            dst.writestr(info, body)
    return out.getvalue()


def _parts(path: Path) -> dict[str, str]:
    """part name -> sheet name."""
    return {part: name for name, part in open_package(path).sheets.items()}


def _move_rows(path: Path, out: Path, sheet: str, shift: Shift, drop: set[int], first: int, last: int) -> Path:
    parts = _parts(path)

    def change(part: str, xml: str) -> str:
        here = parts.get(part)
        if here == sheet:
            xml = _shift_sheet_xml(xml, shift, drop)
            xml = _REF_ATTR.sub(lambda m: m.group(1) + " ".join(
                _shift_refs(r, sheet, here, shift, first, last) for r in m.group(2).split()) + m.group(3), xml)
            xml = re.sub(r'<mergeCell ref="#REF!"/>', "", xml)
        return _FORMULA_TEXT.sub(lambda m: m.group(1) + _shift_refs(m.group(2), sheet, here, shift, first, last) + m.group(3), xml)

    out.write_bytes(_edit(path.read_bytes(), change))
    return out


def insert_rows(path: Path, out: Path, sheet: str, at: int, n: int = 1) -> Path:
    """``n`` blank rows inserted above row ``at`` of ``sheet``, as Excel's 插入行 does."""
    return _move_rows(path, out, sheet, lambda r: r + n if r >= at else r, set(), at, at - 1)


def delete_rows(path: Path, out: Path, sheet: str, at: int, n: int = 1) -> Path:
    """Rows ``at`` .. ``at + n - 1`` of ``sheet`` deleted, as Excel's 删除行 does."""
    last = at + n - 1
    return _move_rows(path, out, sheet, lambda r: r if r < at else (None if r <= last else r - n), set(range(at, last + 1)), at, last)


def rename_sheet(path: Path, out: Path, old: str, new: str) -> Path:
    """A sheet renamed: its tab, and every defined name and formula that points at it."""
    quoted = "'" + new.replace("'", "''") + "'!"
    pattern = re.compile(r"(?<![\w\u4e00-\u9fff])(?:'%s'|%s)!" % (re.escape(old.replace("'", "''")), re.escape(old)))

    def change(part: str, xml: str) -> str:
        if part == "xl/workbook.xml":
            xml = xml.replace(f'name="{old}"', f'name="{new}"')
        return _FORMULA_TEXT.sub(lambda m: m.group(1) + pattern.sub(quoted, m.group(2)) + m.group(3), xml)

    out.write_bytes(_edit(path.read_bytes(), change))
    return out


def drop_names(path: Path, out: Path) -> Path:
    """Every defined name gone, as when the sheets are copied into a new workbook."""
    def change(part: str, xml: str) -> str:
        return re.sub(r"<definedNames>.*?</definedNames>", "", xml, flags=re.S) if part == "xl/workbook.xml" else xml

    out.write_bytes(_edit(path.read_bytes(), change))
    return out
