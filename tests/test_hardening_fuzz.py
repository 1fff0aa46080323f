"""Fuzzing: hypothesis mutates valid workbooks (cell values and types, sheet structure, defined names, XML and
zip bytes) and the published seed reports. A crash is any exception other than XlgovaError escaping the
public API (load_report -> validate -> to_json -> render), or an acting character in what render shows.
2,300 cases, ~30-50 s on two workers (stray far cells and report JSON: tests/test_hardening_fuzz_bounds.py)."""
from __future__ import annotations

import io
import json
import os
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from _hardening import GEN, writer_available
from xlgova.errors import XlgovaError

SEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"
SCALE = float(os.environ.get("XLGOVA_FUZZ_SCALE", "1"))  # e.g. 20 for a deeper hunt outside CI


def scaled(n: int) -> int:
    return max(1, int(n * SCALE))


FUZZ = settings(deadline=None, database=None, suppress_health_check=list(HealthCheck), print_blob=False)

pytestmark = pytest.mark.skipif(not writer_available(), reason="needs the workbook writer")


class Book:
    """The base workbook as a dict of parts, rebuilt into a zip per example (compresslevel 1: fast)."""

    def __init__(self):
        self.base = GEN.Base()
        with zipfile.ZipFile(io.BytesIO(self.base.xlsx)) as z:
            self.parts = {i.filename: z.read(i) for i in z.infolist()}
        self.sheet_parts = {name: GEN._sheet_part(self.base.xlsx, name) for name in ("封面", "主动公开", "依申请公开", "复议诉讼", "正文")}

    @staticmethod
    def zip(parts: dict[str, bytes]) -> bytes:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
            for name, body in parts.items():
                z.writestr(name, body)
        return buf.getvalue()


@pytest.fixture(scope="module")
def book() -> Book:
    return Book()


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz 模糊")


ACTING = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def survive(path: Path) -> str:
    """The public path every command takes. Returns how it ended; raises on a crash."""
    from xlgova.loaders import load_report
    from xlgova.render import render_result
    from xlgova.rules import validate

    try:
        report = load_report(path)
    except XlgovaError as e:
        assert str(e).startswith(str(path)) or path.name in str(e), str(e)  # refusals name the file
        return "refused"
    result = validate(report)
    json.dumps(result.to_json(), ensure_ascii=False, default=str)
    report.dumps()
    shown = render_result(report, result, source=str(path))
    assert not ACTING.search(shown), repr(shown)  # nothing from the file reaches a terminal raw
    return "read"


# -- cell values and types ----------------------------------------------------------------------------------

AWKWARD_TEXT = ["十二", "12件", "1,234", "１２", " 3 ", "/", "—", "无", "-", "减4", "增5", "1.5", "-0", "0x10", "1e3", "1E+30",
                "=1/0", "+1", "@SUM(A1)", "#REF!", "TRUE", "NaN", "inf", "\u200b7", "７．５", "1 234", "1,23", "٣", "Ⅻ", "",
                "\t", "=", "'", "'=1+1", "12\n3", "&amp;", "]]>", "\ufeff5",
                "⑫", "²", "𝟓", "⑴", "_x001B_[2J", "_x0007_", "海城_x000D_结论：通过", "\u202e21", "9" * 5000]


def cell_xml(address: str, kind: str, value) -> str:
    from xml.sax.saxutils import escape

    if kind == "n":
        return f'<c r="{address}"><v>{escape(str(value))}</v></c>'
    if kind == "inline":
        return f'<c r="{address}" t="inlineStr"><is><t xml:space="preserve">{escape(str(value))}</t></is></c>'
    if kind == "shared":  # an index into sharedStrings, possibly out of range
        return f'<c r="{address}" t="s"><v>{value}</v></c>'
    if kind == "bool":
        return f'<c r="{address}" t="b"><v>{escape(str(value))}</v></c>'
    if kind == "error":
        return f'<c r="{address}" t="e"><v>{escape(str(value))}</v></c>'
    if kind == "date":
        return f'<c r="{address}" t="d"><v>{escape(str(value))}</v></c>'
    if kind == "formula":
        return f'<c r="{address}"><f>{escape(str(value))}</f></c>'
    return f'<c r="{address}" t="str"><v>{escape(str(value))}</v></c>'


numbers = st.one_of(st.integers(-10**25, 10**25), st.floats(allow_nan=True, allow_infinity=True),
                    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str),
                    st.sampled_from(["1e400", "-1e-400", "", "  ", "1.2.3", "--1", "0x1F", "1e30", "123456789012345678901234567890"]))
cell_values = st.one_of(
    st.tuples(st.just("n"), numbers),
    st.tuples(st.just("inline"), st.one_of(st.sampled_from(AWKWARD_TEXT), st.text(max_size=20))),
    st.tuples(st.just("shared"), st.one_of(st.integers(-5, 10**6), st.sampled_from(["x", "", "1.5"]))),
    st.tuples(st.just("bool"), st.sampled_from(["0", "1", "2", "true", ""])),
    st.tuples(st.just("error"), st.sampled_from(["#DIV/0!", "#N/A", "#REF!", "#VALUE!", "#NAME?", "garbage"])),
    st.tuples(st.just("date"), st.sampled_from(["2021-01-01", "2021-13-45", "x", "2021-02-29T25:61:00"])),
    st.tuples(st.just("formula"), st.sampled_from(["1/0", "D6*2", "SUM(D6:I6)", "'依申请公开'!D6", "INDIRECT(\"A1\")", "WEBSERVICE(\"http://x\")"])),
    st.tuples(st.just("str"), st.sampled_from(AWKWARD_TEXT)),
)


def set_cells(book: Book, edits: list[tuple[str, str, object]]) -> dict[str, bytes]:
    from xlgova.workbook.layout import COVER_FIELDS, COVER, NARRATIVE, NARRATIVE_CELLS, cell_map

    cmap = dict(cell_map("2021"))
    cmap.update({f"cover.{k}": (COVER, a) for k, _, a in COVER_FIELDS})
    cmap.update({f"narrative.{k}": (NARRATIVE, a) for k, a in NARRATIVE_CELLS.items()})
    keys = sorted(cmap)
    parts = dict(book.parts)
    for key_index, kind, value in edits:
        sheet, address = cmap[keys[key_index % len(keys)]]
        part = book.sheet_parts[sheet]
        xml = parts[part].decode("utf-8")
        new = cell_xml(address, kind, value)
        xml, n = re.subn(r'<c r="%s"[^>]*?(?:/>|>.*?</c>)' % address, lambda m: new, xml, count=1, flags=re.S)
        parts[part] = xml.encode("utf-8")
    return parts


@settings(FUZZ, max_examples=scaled(400))
@given(edits=st.lists(st.tuples(st.integers(0, 10**6), cell_values).map(lambda t: (t[0], *t[1])), min_size=1, max_size=6))
def test_fuzz_cell_values_and_types(book, scratch, edits):
    path = scratch / "cells.xlsx"
    path.write_bytes(book.zip(set_cells(book, edits)))
    survive(path)


# -- sheet structure and defined names -------------------------------------------------------------------

SHEETS = ["封面", "主动公开", "依申请公开", "复议诉讼", "正文", "上年数据", "校验结果"]
structure_ops = st.one_of(
    st.tuples(st.just("delete"), st.sampled_from(SHEETS), st.just("")),
    st.tuples(st.just("rename"), st.sampled_from(SHEETS), st.sampled_from(["Sheet1", "依申请公开 (2)", "复议诉讼", "", "a'b", "主动公开"])),
    st.tuples(st.just("drop_names"), st.sampled_from(["gova.apps", "gova.review", "gova.", "gova.prev", "xlgova", "gova.agency"]), st.just("")),
    st.tuples(st.just("retarget"), st.sampled_from(["gova.apps.new.total", "gova.agency", "gova.year", "gova.review.suit_direct.total",
                                                    "gova.format", "gova.art20_1.rules.issued"]),
              st.sampled_from(["#REF!", "'依申请公开'!$ZZZ$1048576", "'不存在'!$A$1", "1+1", "'依申请公开'!$D$6:$J$30", "", "'封面'!$B$3",
                               "'依申请公开'!D6", "OFFSET(A1,1,1)", "'依申请公开'!$A$0"])),
    st.tuples(st.just("insert_rows"), st.sampled_from(["依申请公开", "主动公开", "复议诉讼", "封面"]), st.integers(1, 40)),
    st.tuples(st.just("duplicate_name"), st.just("gova.apps.new.natural"), st.just("")),
)


def apply_structure(book: Book, ops) -> dict[str, bytes]:
    parts = dict(book.parts)
    wb = parts["xl/workbook.xml"].decode("utf-8")
    for op, a, b in ops:
        if op == "delete":
            wb = re.sub(r'<sheet [^>]*name="%s"[^>]*/>' % re.escape(a), "", wb)
        elif op == "rename":
            from xml.sax.saxutils import quoteattr

            wb = wb.replace(f'name="{a}"', f"name={quoteattr(b)}", 1)
        elif op == "drop_names":
            wb = re.sub(r'<definedName name="%s[^"]*"[^>]*>[^<]*</definedName>' % re.escape(a), "", wb)
        elif op == "retarget":
            from xml.sax.saxutils import escape

            wb = re.sub(r'(<definedName name="%s"[^>]*>)[^<]*(</definedName>)' % re.escape(a), lambda m: m.group(1) + escape(b) + m.group(2), wb)
        elif op == "duplicate_name":
            wb = re.sub(r'(<definedName name="%s"[^>]*>[^<]*</definedName>)' % re.escape(a), r"\1\1", wb, count=1)
        elif op == "insert_rows" and a in book.sheet_parts:
            part = book.sheet_parts[a]
            from _bad_input_cases import _insert_rows

            parts[part] = _insert_rows(int(b), 1 + int(b) % 3, "插入")(parts[part].decode("utf-8")).encode("utf-8")
    parts["xl/workbook.xml"] = wb.encode("utf-8")
    return parts


@settings(FUZZ, max_examples=scaled(300))
@given(ops=st.lists(structure_ops, min_size=1, max_size=4))
def test_fuzz_sheet_structure_and_names(book, scratch, ops):
    path = scratch / "structure.xlsx"
    path.write_bytes(book.zip(apply_structure(book, ops)))
    survive(path)


# -- bytes: broken XML inside a valid zip, and a broken zip ---------------------------------------------------

@settings(FUZZ, max_examples=scaled(300))
@given(data=st.data())
def test_fuzz_xml_bytes(book, scratch, data):
    parts = dict(book.parts)
    names = sorted(n for n in parts if n.endswith((".xml", ".rels")))
    for _ in range(data.draw(st.integers(1, 3))):
        name = data.draw(st.sampled_from(names))
        body = bytearray(parts[name])
        at = data.draw(st.integers(0, max(len(body) - 1, 0)))
        how = data.draw(st.sampled_from(["flip", "cut", "insert", "truncate", "empty"]))
        if how == "flip" and body:
            body[at] = data.draw(st.integers(0, 255))
        elif how == "cut":
            del body[at: at + data.draw(st.integers(1, 200))]
        elif how == "insert":
            body[at:at] = data.draw(st.sampled_from([b"<", b"&", b"<x>", b"]]>", b"\x00", b"\xff\xfe", b"&#0;", b"<!-- ", b'"', "十二".encode()]))
        elif how == "truncate":
            del body[at:]
        else:
            body = bytearray()
        parts[name] = bytes(body)
    path = scratch / "xml.xlsx"
    path.write_bytes(book.zip(parts))
    survive(path)


@settings(FUZZ, max_examples=scaled(300))
@given(data=st.data())
def test_fuzz_zip_bytes(book, scratch, data):
    raw = bytearray(book.base.xlsx)
    for _ in range(data.draw(st.integers(1, 8))):
        at = data.draw(st.integers(0, len(raw) - 1))
        if data.draw(st.booleans()):
            raw[at] = data.draw(st.integers(0, 255))
        else:
            del raw[at: at + data.draw(st.integers(1, 64))]
    path = scratch / "zip.xlsx"
    path.write_bytes(bytes(raw))
    survive(path)


# -- published reports (seed texts) -----------------------------------------------------------------------

def _seed_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))] if SEEDS.exists() else []


SEED_TEXTS = _seed_texts()
INSERTS = ["一、总体情况", "三、收到和处理政府信息公开申请情况", "四、", "（七）总计", "\t", "|", "||||", "0\t" * 20, "十二", "１２",
           "99999999999999999999", "-5", "1.5", "/", "\x00", "\ufeff", "尚 未 审 结", "第二十条第（一）项", "\n" * 50, "本年新收政府信息公开申请数量",
           "共收到政府信息公开申请19件", "共收到政府信息公开申请十二十件", "二十二十", "十十", "行政复议", "自然人\t商业企业\t科研机构", "=cmd|' /C calc'!A0", "�"]


@st.composite
def mutated_text(draw):
    text = draw(st.sampled_from(SEED_TEXTS))
    for _ in range(draw(st.integers(1, 6))):
        n = len(text)
        at = draw(st.integers(0, max(n - 1, 0)))
        how = draw(st.sampled_from(["delete", "duplicate", "insert", "digits", "swap_lines", "truncate", "random"]))
        if how == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 400)):]
        elif how == "duplicate":
            text = text[:at] + text[at: at + 300] + text[at:]
        elif how == "insert":
            text = text[:at] + draw(st.sampled_from(INSERTS)) + text[at:]
        elif how == "digits":
            text = re.sub(r"\d+", lambda m: str(draw(st.integers(-10**12, 10**20))) if m.start() >= at else m.group(0), text, count=5)
        elif how == "swap_lines":
            lines = text.splitlines()
            if len(lines) > 2:
                i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
                lines[i], lines[j] = lines[j], lines[i]
                text = "\n".join(lines)
        elif how == "truncate":
            text = text[:at]
        else:
            text = text[:at] + draw(st.text(max_size=30)) + text[at:]
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "gb18030", "utf-16", "utf-8-sig"]))
    return text.encode(encoding, errors="replace")


@pytest.mark.skipif(not SEED_TEXTS, reason="../shared/seeds not beside this checkout")
@settings(FUZZ, max_examples=scaled(600))
@given(raw=mutated_text())
def test_fuzz_seed_texts(scratch, raw):
    path = scratch / "报告.txt"
    path.write_bytes(raw)
    survive(path)


@pytest.mark.skipif(not SEED_TEXTS, reason="../shared/seeds not beside this checkout")
@settings(FUZZ, max_examples=scaled(200))
@given(raw=mutated_text(), wrap=st.sampled_from(["pre", "table", "p"]))
def test_fuzz_seed_texts_as_html(scratch, raw, wrap):
    text = raw.decode("utf-8", errors="replace")
    if wrap == "table":
        body = "<table>" + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in line.split("\t")) + "</tr>" for line in text.splitlines()) + "</table>"
    elif wrap == "pre":
        body = f"<pre>{text}</pre>"
    else:
        body = "".join(f"<p>{line}</p>" for line in text.splitlines())
    path = scratch / "报告.html"
    path.write_text(f"<html><head><meta charset='utf-8'></head><body>{body}</body></html>", encoding="utf-8")
    survive(path)


# -- published reports as .docx: XML and zip damage behind a valid-looking package ---------------------------

@pytest.fixture(scope="module")
def seed_docx() -> dict[str, bytes]:
    """A .docx of a seed report (paragraphs and its first table), as parts."""
    import docx

    text = SEED_TEXTS[1] if len(SEED_TEXTS) > 1 else "一、总体情况\n本年度共收到申请4件。"
    d = docx.Document()
    rows = []
    for line in text.splitlines():
        if "\t" in line:
            rows.append(line.split("\t"))
            continue
        if rows:
            width = max(len(r) for r in rows)
            table = d.add_table(rows=len(rows), cols=width)
            for i, r in enumerate(rows):
                for j, c in enumerate(r):
                    table.cell(i, j).text = c
            rows = []
        d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    with zipfile.ZipFile(buf) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


@pytest.mark.skipif(not SEED_TEXTS, reason="../shared/seeds not beside this checkout")
@settings(FUZZ, max_examples=scaled(200))
@given(data=st.data())
def test_fuzz_docx_xml(seed_docx, scratch, data):
    parts = dict(seed_docx)
    body = bytearray(parts["word/document.xml"])
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(body) - 1))
        how = data.draw(st.sampled_from(["flip", "cut", "insert", "tag"]))
        if how == "flip" and body:
            body[at] = data.draw(st.integers(0, 255))
        elif how == "cut":
            del body[at: at + data.draw(st.integers(1, 300))]
        elif how == "insert":
            body[at:at] = data.draw(st.sampled_from([b"<", b"&", b"\x00", "十二".encode(), b"<w:tbl>", b"</w:tr>", b"<w:gridSpan w:val=\"99999\"/>"]))
        else:
            body[at:at] = b'<w:tc><w:tcPr><w:vMerge w:val="restart"/><w:gridSpan w:val="-3"/></w:tcPr><w:p/></w:tc>'
    parts["word/document.xml"] = bytes(body)
    path = scratch / "报告.docx"
    path.write_bytes(Book.zip(parts))
    survive(path)


@pytest.mark.parametrize("numeral", ["十二十", "二十二十", "十十", "两十两", "一二", "十", "九十九", "百"])
def test_chinese_numerals_in_narrative_never_crash(scratch, numeral):
    """Found by fuzzing: 十二十 in a sentence the narrative checks read made str.index() raise."""
    text = ("海城街道办事处2021年政府信息公开工作年度报告\n一、总体情况\n"
            f"本年度共收到政府信息公开申请{numeral}件，行政复议{numeral}件。\n第{numeral}条\n")
    path = scratch / "数字.txt"
    path.write_text(text, encoding="utf-8")
    assert survive(path) in ("read", "refused")
