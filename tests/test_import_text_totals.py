"""Totals read from text without positions (issue 15): single spaces, pdfplumber's ``extract_text()``.

Zeros printed blank leave no trace between single spaces, so the other cells of such rows stay doubtful;
table 三's 总计 column is read when every row's last number is the sum of the others and the column
identities hold, table 四's totals when every split of its numbers into the three groups agrees. Never a
number read for a 总计 printed blank, nothing read when the report's own sums are wrong.
"""
from __future__ import annotations

import random

import pytest

from pdf_support import glyph_pdf
from shape_support import blank_columns, render_layout, single_spaces, with_blanks, zeros_blank
from test_import_pdf_text import plumber_text
from xlgova.demo.samples import random_report
from xlgova.importers import import_text
from xlgova.model import BLANK_VALUE, parse_value
from xlgova.rules import validate

APPS_KEYS = ("apps.new.total", "apps.handled_total.total")  # never 0 in the sample reports
LEGAL = ("business", "research", "nonprofit", "legal", "other")
SHAPES = {
    "all-zeros": lambda r, seed: zeros_blank(r),
    "legal-persons": lambda r, seed: blank_columns(r, LEGAL),
    "totals-printed": lambda r, seed: zeros_blank(r, keep_totals=True),
    "random-zeros": lambda r, seed: with_blanks(r, random.Random(seed)),
}


def _report(shape: str, seed: int, fmt: str):
    return SHAPES[shape](random_report(seed, fmt, agency="红星镇人民政府"), seed)


def _wrong(got, want) -> dict:
    """Cells read otherwise than printed; a 0 for a printed blank is tolerated only outside the totals read
    here (the older repair of a row may give it, docs/import.md)."""
    w, g = want.to_json()["values"], got.to_json()["values"]
    return {c: (g[c], w[c]) for c in g if g[c] != w[c] and (c.endswith(".total") or (g[c], w[c]) != (0, None))}


def _doubtful(got) -> list:
    return [f for f in got.findings if f.rule == "doc.row_doubtful"]


@pytest.mark.parametrize("fmt", ["2021", "2019"])
@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_single_spaces_read_the_totals_and_nothing_wrong(shape, fmt):
    for seed in range(6):
        want = _report(shape, seed, fmt)
        got = import_text(single_spaces(want))
        assert _wrong(got, want) == {}
        assert not validate(got).rules("error")
        if shape != "random-zeros":  # (a row of zeros printed partly blank keeps its 总计 unread)
            for key in APPS_KEYS:
                assert got.to_json()["values"].get(key) == want.to_json()["values"][key], (seed, key)


def test_the_row_says_which_cells_were_read():
    want = zeros_blank(random_report(3, "2021"))
    got = import_text(single_spaces(want))
    assert got.number("apps.new.total") == want.number("apps.new.total") == 24
    row = next(f for f in _doubtful(got) if "apps.new.natural" in f.cells)
    assert "apps.new.total" not in row.cells and len(row.cells) == 6
    assert "已读取总计：24" in row.message and "最后一个数都等于本行其余各数之和" in row.message


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_extract_text_of_a_pdf_with_zeros_printed_blank(tmp_path, fmt):
    """pdfplumber's extract_text() of a PDF whose table has no rules: single spaces, page numbers and a running
    header between the rows, wrapped labels with their numbers on a line of their own ("67 67")."""
    for seed in range(3):
        want = blank_columns(random_report(seed, fmt, agency="红星镇人民政府"), LEGAL)
        lines = render_layout(want, footer_every=10**6).split("\n")
        pages = [lines[i:i + 33] for i in range(0, len(lines), 33)]
        got = import_text(plumber_text(glyph_pdf(tmp_path / "r.pdf", pages, header=want.agency, footer="{page}")))
        assert _wrong(got, want) == {}
        for key in APPS_KEYS:
            assert got.to_json()["values"].get(key) == want.to_json()["values"][key]


def _move_to(report, row: str, printed: dict) -> None:
    """Print ``row`` of table 三 as ``printed`` (column -> value, the rest blank), keeping every column's
    balance (一+二 = （七）+四) through the 本年新收 row: the report stays consistent (a blank 总计 is derived
    for the checks)."""
    t = report.format.table("apps")
    sign = -1 if row == "carried_in" else 1
    for c in t.cols:
        cid = f"apps.{row}.{c.id}"
        old = report.number(cid) or 0
        new = printed.get(c.id)
        report.values[cid] = BLANK_VALUE if new is None else parse_value(new)
        if c.total and new is None:
            new = sum(v for k, v in printed.items() if k != c.id)  # what the blank total stands for
        gain = sign * ((new or 0) - old)
        report.values[f"apps.new.{c.id}"] = parse_value(int((report.number(f"apps.new.{c.id}") or 0) + gain))


def _apps_totals(got) -> dict:
    """Totals of table 三 read by the rows' sums (rows the older repair settles whole are not counted)."""
    return {c: v for c, v in got.to_json()["values"].items() if c.startswith("apps.") and c.endswith(".total") and _by_sums(got, c)}


def _by_sums(got, cid: str) -> bool:
    row = cid.rsplit(".", 1)[0]
    return any("最后一个数都等于本行其余各数之和" in f.message and f"{row}.natural" in f.cells for f in _doubtful(got))


def test_a_total_printed_blank_is_never_given_a_number():
    """四、结转 printed "3 2" (自然人 3, 商业企业 2, 总计 blank): the last number is no sum, nothing is read."""
    want = blank_columns(random_report(1, "2021"), LEGAL)
    _move_to(want, "carried_out", {"natural": 3, "business": 2, "total": None})
    assert not validate(want).rules("error")  # the report itself is consistent
    text = single_spaces(want)
    assert "四、结转下年度继续办理 3 2\n" in text
    got = import_text(text)
    assert "apps.carried_out.total" not in got.values
    assert _apps_totals(got) == {}
    assert _wrong(got, want) == {}


def test_a_blank_total_whose_parts_look_like_a_sum_is_caught_by_the_column_identities():
    """"3 3": 自然人 3 and 商业企业 3 under a blank 总计 (6) reads as 总计 3 by the row alone; 一+二 = （七）+四
    then fails, so the whole column stays unread."""
    want = blank_columns(random_report(1, "2021"), LEGAL)
    _move_to(want, "carried_out", {"natural": 3, "business": 3, "total": None})
    text = single_spaces(want)
    assert "四、结转下年度继续办理 3 3\n" in text
    got = import_text(text)
    assert _apps_totals(got) == {}
    assert _wrong(got, want) == {}


def test_a_lone_number_and_zeros_keep_their_total_unread():
    """"3" alone may stand under 总计 (parts blank) or under 自然人 (总计 blank): unread; so is "0 0"."""
    want = blank_columns(random_report(1, "2021"), LEGAL)
    _move_to(want, "carried_out", {"natural": 3, "total": None})
    _move_to(want, "carried_in", {"natural": 0, "total": 0})
    text = single_spaces(want)
    assert "四、结转下年度继续办理 3\n" in text and "二、上年结转政府信息公开申请数量 0 0\n" in text
    got = import_text(text)
    assert "apps.carried_out.total" not in got.values and "apps.carried_in.total" not in got.values
    assert got.number("apps.handled_total.total") == want.number("apps.handled_total.total")
    assert _wrong(got, want) == {}


def test_a_report_whose_own_sums_are_wrong_gets_nothing_from_the_hypothesis():
    """Every row adds up but 一+二 ≠ （七）+四 (a misprinted 本年新收): no 总计 is read, the defect stays doubtful."""
    want = blank_columns(random_report(1, "2021"), LEGAL)
    for col in ("natural", "total"):
        want.values[f"apps.new.{col}"] = parse_value(int(want.number(f"apps.new.{col}")) + 1)
    got = import_text(single_spaces(want))
    assert _apps_totals(got) == {}
    assert any("apps.new.total" in f.cells for f in _doubtful(got))


def test_review_totals_read_when_every_split_agrees():
    want = zeros_blank(random_report(3, "2021"))
    for cid, v in zip([c.id for c in want.format.table("review").cells],
                      [2, None, None, 1, 3, 1, 1, None, None, 2, None, None, 4, None, 4]):
        want.values[cid] = BLANK_VALUE if v is None else parse_value(v)
    got = import_text(single_spaces(want))
    assert "2 1 3 1 1 2 4 4\n" in single_spaces(want)
    assert [got.number(k) for k in ("review.reconsideration.total", "review.suit_direct.total", "review.suit_after.total")] == [3, 2, 4]
    row = next(f for f in _doubtful(got) if "review.reconsideration.upheld" in f.cells)
    assert "review.reconsideration.total" not in row.cells and len(row.cells) == 12
    assert _wrong(got, want) == {}


@pytest.mark.parametrize("printed", [
    [2, None, None, None, 2, None, None, None, None, None, 3, None, None, None, 3],  # "2 2 3 3": groups 1+3, 1+2 or 2+3
    [None, None, None, None, None, 0, None, None, None, 0, None, None, None, None, None],  # "0 0": 0 or blank
])
def test_review_totals_left_unread_when_the_splits_disagree(printed):
    want = zeros_blank(random_report(3, "2021"))
    ids = [c.id for c in want.format.table("review").cells]
    for cid, v in zip(ids, printed):
        want.values[cid] = BLANK_VALUE if v is None else parse_value(v)
    got = import_text(single_spaces(want))
    assert _wrong(got, want) == {}
    assert not any(k in got.values for k in ("review.reconsideration.total", "review.suit_direct.total", "review.suit_after.total"))
