"""Layout text (a PDF viewer's copy, ``pdftotext -layout``) of tables with a column printed blank throughout.

Small agencies leave the 法律服务机构 and 其他 columns (or all five legal-person columns) of table 三 empty, or
print every 0 blank. The value positions then give fewer columns than the table has, and the identities hold
for any shift of the values, so the rows stay doubtful; the 总计 column is still placed (the rightmost group of
positions, under the header word 总计, every row's sum confirming it), so the key cells are read. Everything
is generated from the project's own random reports; nothing read may differ from what was printed.
"""
from __future__ import annotations

import shutil
import subprocess

import pytest
from hypothesis import given, settings, strategies as st

from shape_support import blank_columns, render_layout, zeros_blank
from xlgova.demo.samples import random_report
from xlgova.importers import import_text
from xlgova.model import BLANK
from xlgova.rules import validate

KEYS = ("apps.new.total", "apps.carried_in.total", "apps.handled_total.total", "apps.carried_out.total")
REVIEW_TOTALS = ("review.reconsideration.total", "review.suit_direct.total", "review.suit_after.total")
SHAPES = {
    "legal-other": lambda r: blank_columns(r),
    "legal-persons": lambda r: blank_columns(r, ("business", "research", "nonprofit", "legal", "other")),
    "all-zeros": lambda r: zeros_blank(r),
    "totals-printed": lambda r: zeros_blank(r, keep_totals=True),
}


def _counts(v):
    return 0 if v.kind == BLANK else v.to_json()


def assert_never_wrong(got, want):
    wrong = {c: (v.to_json(), want.values[c].to_json()) for c, v in got.values.items() if _counts(v) != _counts(want.values[c])}
    assert wrong == {}
    blanks = {c for c, v in got.values.items() if v.kind == BLANK}
    assert all(want.values[c].kind == BLANK for c in blanks), "a printed number read as blank"
    assert not validate(got).rules("error")


def _apps_rows_total(report):
    return [f"apps.{r.id}.total" for r in report.format.table("apps").rows]


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10**6), st.sampled_from(["2021", "2019"]), st.sampled_from(sorted(SHAPES)), st.sampled_from([5, 30, 400]), st.sampled_from([True, "total-alone"]))
def test_total_column_read_when_whole_columns_are_blank(seed, fmt, shape, scale, header):
    """Every row's 总计 read exactly as printed (blank stays blank); the rest doubtful, never wrong. The header
    word 总计 on the header line or on a line of its own."""
    want = SHAPES[shape](random_report(seed, fmt, scale=scale))
    got = import_text(render_layout(want, pdf_header=header))
    assert_never_wrong(got, want)
    if sum(1 for c in _apps_rows_total(want) if (want.number(c) or 0) > 0) >= 2:  # rows with sums confirming the column
        assert {c: got.values[c].to_json() for c in KEYS if c in got.values} == {c: want.values[c].to_json() for c in KEYS}
    assert all(got.values[c].to_json() == want.values[c].to_json() for c in REVIEW_TOTALS)


def test_doubtful_rows_say_the_total_was_read_and_name_only_the_rest():
    want = blank_columns(random_report(3, "2021"))
    got = import_text(render_layout(want, pdf_header=True))
    row = next(f for f in got.findings if f.rule == "doc.row_doubtful" and f.cells[0].startswith("apps.new."))
    assert "已读取总计：" in row.message and "apps.new.total" not in row.cells
    assert got.values["apps.new.total"].to_json() == want.values["apps.new.total"].to_json()


def test_without_the_total_header_over_the_values_nothing_is_placed():
    """The header printed without 总计 over its column (it is packed with the others): no column is known."""
    want = blank_columns(random_report(3, "2021"))
    got = import_text(render_layout(want))  # the plain header: labels packed at the left
    assert not any(c.startswith("apps.") for c in got.values if c.endswith(".total") and got.values[c].kind != BLANK)
    assert_never_wrong(got, want)


def test_a_row_contradicting_the_sums_keeps_every_total_unread():
    """A row whose value under 总计 is not the sum of its others (a defect, or not the column): no total is read."""
    want = blank_columns(random_report(3, "2021"))
    text = render_layout(want, pdf_header=True).split("\n")
    k = next(i for i, ln in enumerate(text) if ln.startswith("三、") and "予以公开" in ln)
    head, *values = text[k].rsplit(" ", 1)
    text[k] = head + " " + str(int(values[0]) + 1)
    got = import_text("\n".join(text))
    assert not [c for c in _apps_rows_total(want) if c in got.values and got.values[c].kind != BLANK]


def test_a_value_right_of_the_total_group_keeps_every_total_unread():
    """Positions that do not end at one group under 总计 (a row shifted right): nothing is placed."""
    want = blank_columns(random_report(3, "2021"))
    text = render_layout(want, pdf_header=True).split("\n")
    k = next(i for i, ln in enumerate(text) if ln.startswith("三、") and "予以公开" in ln)
    text[k] = text[k] + "      1"
    got = import_text("\n".join(text))
    assert not [c for c in _apps_rows_total(want) if c in got.values and got.values[c].kind != BLANK]


def test_a_review_table_printed_all_blank_reads_blank_not_missing():
    want = zeros_blank(random_report(11, "2021", scale=1))
    assert all(want.values[c.id].kind == BLANK for c in want.format.table("review").cells)
    got = import_text(render_layout(want, pdf_header=True))
    assert all(got.values[c].kind == BLANK for c in REVIEW_TOTALS)
    assert "doc.table_missing" not in validate(got).rules()


def test_a_review_table_with_digits_but_no_data_row_is_not_called_blank():
    """Something numeric under the header (a note, a damaged row): the table is not assumed blank."""
    want = random_report(11, "2021")
    text = render_layout(want).split("\n")
    k = max(i for i, ln in enumerate(text) if "维持" in ln)
    text[k + 1] = "注：本表数据截至2021年12月31日"
    got = import_text("\n".join(text))
    assert not any(c.startswith("review.") for c in got.values)


@pytest.mark.libreoffice
@pytest.mark.parametrize("shape,seed,fmt", [("all-zeros", 3, "2019"), ("legal-other", 0, "2021"), ("totals-printed", 5, "2021")])
def test_word_export_pdf_pdftotext_with_whole_blank_columns(libreoffice, tmp_path, shape, seed, fmt):
    """The real chain (Word export -> LibreOffice PDF -> pdftotext -layout): key cells right, nothing wrong."""
    export = pytest.importorskip("xlgova.export")
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed: run `make system-deps`")
    want = SHAPES[shape](random_report(seed, fmt, agency="红星镇人民政府"))
    pdf = libreoffice.convert(export.render_docx(want, tmp_path / "r.docx"), "pdf", tmp_path)
    subprocess.run(["pdftotext", "-layout", str(pdf), str(tmp_path / "r.txt")], check=True)
    got = import_text((tmp_path / "r.txt").read_text(encoding="utf-8"))
    assert_never_wrong(got, want)
    assert {c: got.values[c].to_json() for c in KEYS + REVIEW_TOTALS} == {c: want.values[c].to_json() for c in KEYS + REVIEW_TOTALS}


def _page_lines(words_by_line, xs):
    from xlgova.importers.lines import Cell, Line
    from xlgova.model import Source

    src = Source(file="x.pdf", page=1)
    lines = [Line([Cell(" ".join(w for w, _ in ws), src)], src, " ".join(w for w, _ in ws), extra={"words": [(w, x, 20.0) for w, x in ws]}) for ws in words_by_line]
    values = [Cell("1", src) for _ in xs]
    return lines + [Line([Cell("一、本年新收政府信息公开申请数量", src), *values], src, "", table_row=True, extra={"spaced": True, "xs": xs})]


APPS_LABELS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]


def test_page_header_columns_give_each_column_from_its_own_words():
    from xlgova.importers.columns import page_header_columns

    header = [[("自然人", 301), ("总计", 505)], [("商业企", 335), ("科研机", 369), ("社会公", 402), ("法律服", 437)], [("其他", 471)], [("业", 335), ("构", 369), ("益组织", 403), ("务机构", 437)]]
    assert page_header_columns(_page_lines(header, [301, 505]), APPS_LABELS) == [301, 335, 369, 402.5, 437, 471, 505]


@pytest.mark.parametrize("damage", ["a column unnamed", "out of order", "one column's words apart", "layout text"])
def test_page_header_columns_refuse_doubtful_headers(damage):
    """Unless every column is named once, in order, its words together: no positions (the rows stay doubtful)."""
    from xlgova.importers.columns import page_header_columns

    header = [[("自然人", 301), ("总计", 505)], [("商业企", 335), ("科研机", 369), ("社会公", 402), ("法律服", 437)], [("其他", 471)], [("业", 335)]]
    if damage == "a column unnamed":
        header[2] = []
    elif damage == "out of order":
        header[2] = [("其他", 420)]
    elif damage == "one column's words apart":
        header[3] = [("益组织", 440)]
    lines = _page_lines(header, [301, 505])
    if damage == "layout text":
        for ln in lines[:-1]:
            ln.extra = {"raw": ln.text}
    assert page_header_columns(lines, APPS_LABELS) is None


@pytest.mark.libreoffice
@pytest.mark.parametrize("shape,seed,fmt", [("all-zeros", 3, "2019"), ("legal-other", 0, "2021")])
def test_unruled_pdf_with_whole_blank_columns_placed_under_its_header_words(libreoffice, tmp_path, shape, seed, fmt):
    """A PDF table without rules, whole columns blank: the header words' page positions place every value."""
    from import_support import without_rules
    from xlgova.importers import import_document

    export = pytest.importorskip("xlgova.export")
    want = SHAPES[shape](random_report(seed, fmt, agency="红星镇人民政府"))
    pdf = libreoffice.convert(without_rules(export.render_docx(want, tmp_path / "r.docx")), "pdf", tmp_path)
    got = import_document(pdf)
    assert_never_wrong(got, want)
    assert not [f.message for f in got.findings if f.rule == "doc.row_doubtful"]
    assert got.to_json()["values"] == want.to_json()["values"]  # 第二十条 rows too: their columns under the header words


def _no_applications(report):
    from xlgova.model import parse_value

    for cid in report.format.table("apps").cells:
        report.values[cid.id] = parse_value(0)
    return report


@pytest.mark.parametrize("keep", ["totals", "natural and totals"])
def test_no_application_at_all_reads_the_zeros_under_the_total_header(keep):
    """本年度未收到申请: every row a 0 under 总计 (and maybe under 自然人), nothing else. No sum can confirm the
    column, the position under the word 总计 does; a row with a second 0 stays doubtful but for its 总计."""
    from xlgova.model import BLANK_VALUE

    want = _no_applications(random_report(8, "2021"))
    for cid in want.format.table("apps").cells:
        if not (cid.id.endswith(".total") or (keep != "totals" and cid.id.endswith(".natural"))):
            want.values[cid.id] = BLANK_VALUE
    got = import_text(render_layout(want, pdf_header=True))
    assert_never_wrong(got, want)
    assert all(got.values[c].to_json() == 0 for c in _apps_rows_total(want) if c in got.values)
    assert all(got.values[c].to_json() == 0 for c in KEYS)
    if keep == "totals":  # a row's one value under 总计: the row is whole, its other cells printed blank
        apps = [c.id for c in want.format.table("apps").cells]
        assert {c: got.values[c].to_json() for c in apps if c in got.values} == {c: want.values[c].to_json() for c in apps}
    # the plain header (总计 not over its column): nothing placed
    assert not any(c in import_text(render_layout(want)).values for c in KEYS)
