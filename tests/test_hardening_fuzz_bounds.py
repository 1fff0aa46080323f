"""Fuzzing issue 13's classes: stray cells anywhere on a sheet (up to XFD1048576, with or without references),
and report JSON of any depth, number length and year. Same contract as tests/test_hardening_fuzz.py: only
XlgovaError may escape load_report -> validate -> to_json -> render, nothing acting reaches the terminal."""
from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from test_hardening_fuzz import FUZZ, Book, book, scaled, scratch, survive  # noqa: F401  (book, scratch: fixtures)
from xlgova import limits

SHEETS = ("封面", "主动公开", "依申请公开", "复议诉讼", "正文")
positions = st.tuples(st.one_of(st.integers(1, 40), st.integers(1, 3000), st.integers(1, 1_048_576)),
                      st.one_of(st.integers(1, 80), st.integers(1, 200), st.integers(1, 16_384)))


def _letters(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


@settings(FUZZ, max_examples=scaled(150))
@given(sheet=st.sampled_from(SHEETS), cells=st.lists(positions, min_size=1, max_size=5), with_refs=st.booleans(),
       value=st.sampled_from(["1", "x", "⑫", "_x001B_"]))
def test_fuzz_stray_cells_anywhere(book, scratch, sheet, cells, with_refs, value):
    parts = dict(book.parts)
    part = book.sheet_parts[sheet]
    rows = "".join(f'<row r="{r}"><c{f" r={chr(34)}{_letters(c)}{r}{chr(34)}" if with_refs else ""} t="inlineStr">'
                   f"<is><t>{value}</t></is></c></row>" for r, c in sorted(set(cells)))
    xml = parts[part].decode("utf-8")
    parts[part] = xml.replace("</sheetData>", rows + "</sheetData>", 1).encode("utf-8")
    path = scratch / "stray.xlsx"
    path.write_bytes(Book.zip(parts))
    survive(path)


json_values = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(-10**60, 10**60), st.text(max_size=8),
                                     st.sampled_from(["9" * 500, "⑫", "\x1b[2J"])),
                           lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=4), inner, max_size=3)),
                           max_leaves=12)


@settings(FUZZ, max_examples=scaled(200))
@given(year=st.one_of(st.integers(-10**40, 10**40), st.integers(2000, 2030)), depth=st.integers(0, 200),
       agency=st.text(max_size=12), value=json_values, digits=st.integers(1, 6000))
def test_fuzz_report_json(scratch, year, depth, agency, value, digits):
    body = json.dumps({"format": "2021", "year": year, "agency": agency, "values": {"apps.new.natural": value},
                       "meta": {"x": "[" * 0}}, ensure_ascii=False)
    if depth:
        body = body[:-1] + ', "deep": ' + "[" * depth + "]" * depth + "}"
    if digits > limits.NUMBER_MAX_CHARS:
        body = body[:-1] + ', "big": ' + "7" * digits + "}"
    path = scratch / "r.json"
    path.write_text(body, encoding="utf-8")
    survive(path)
