"""Page furniture of published PDFs (issue 15): running headers, page-number footers, tables continued
over pages (header rows repeated or not, rows broken at the page break), table 四 on a landscape page."""
from __future__ import annotations

import random

import pytest

from pdf_support import FOOTERS, furnished_docx, glyph_pdf
from shape_support import render_layout, with_blanks
from xlgova.demo.samples import random_report
from xlgova.importers import import_document
from xlgova.rules import validate

FOOTER_TEXTS = [f.replace("{PAGE}", "{page}").replace("{NUMPAGES}", "{pages}") for f in FOOTERS]


def assert_read(got, want):
    assert (got.agency, got.year, got.format_id) == (want.agency, want.year, want.format_id)
    assert got.to_json()["values"] == want.to_json()["values"]
    assert not got.findings, [f.message for f in got.findings]
    assert not validate(got).rules("error")


@pytest.mark.parametrize("footer", FOOTER_TEXTS)
@pytest.mark.parametrize("header", ["agency", "title"])
@pytest.mark.parametrize("fmt,per_page", [("2021", 37), ("2019", 29)])
def test_running_header_and_page_numbers_of_an_unruled_pdf(tmp_path, header, footer, fmt, per_page):
    """Every page starts with the agency (or the title) and ends with a page number; the tables run on over
    the page breaks. Neither becomes a row, a value or the agency."""
    want = random_report(per_page, fmt, agency="长春市朝阳区人民政府办公室")
    lines = render_layout(want, footer_every=10**6).split("\n")
    pages = [lines[i:i + per_page] for i in range(0, len(lines), per_page)]
    top = want.agency if header == "agency" else f"{want.agency}{want.year}年政府信息公开工作年度报告"
    assert_read(import_document(glyph_pdf(tmp_path / "r.pdf", pages, header=top, footer=footer)), want)


def test_a_page_number_in_the_body_is_not_taken_for_furniture(tmp_path):
    """Only the margins hold furniture: a line of the body that looks like a number stays."""
    want = random_report(3, "2021")
    lines = render_layout(want, footer_every=10**6).split("\n")
    pages = [lines[i:i + 40] for i in range(0, len(lines), 40)]
    got = import_document(glyph_pdf(tmp_path / "r.pdf", pages, header="", footer="{page}"))
    assert_read(got, want)


@pytest.mark.libreoffice
@pytest.mark.parametrize("seed,fmt,footer,repeat", [
    (1004, "2021", FOOTERS[0], True),   # 第 N 页 共 M 页; header rows repeated; a row broken at the page break
    (1005, "2019", FOOTERS[1], False),  # — N —; the table simply runs on
    (1011, "2019", FOOTERS[2], True),
    (1018, "2021", FOOTERS[3], False),  # the page number alone
])
def test_word_pdf_with_headers_footers_and_a_landscape_review_page(libreoffice, tmp_path, seed, fmt, footer, repeat):
    rng = random.Random(seed)
    want = random_report(seed, fmt)
    if seed % 2:
        want = with_blanks(want, rng)
    docx = furnished_docx(want, tmp_path / "r.docx", rng, footer=footer, repeat=repeat)
    got = import_document(libreoffice.convert(docx, "pdf", tmp_path))
    assert_read(got, want)
    import pdfplumber

    with pdfplumber.open(str(tmp_path / "r.pdf")) as pdf:
        page = pdf.pages[got.provenance["review.reconsideration.total"].page - 1]
        assert page.width > page.height  # table 四 was on the landscape page
        assert len(pdf.pages) >= 4
    assert got.provenance["apps.carried_out.total"].page > got.provenance["apps.new.total"].page  # ran on


@pytest.mark.parametrize("heading", ["三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况", "第二十条第（八）项"])
def test_heading_at_the_bottom_of_a_page(tmp_path, heading):
    """A section heading or table title is the last line of its page: the table under it on the next page,
    after that page's running header, is still its table."""
    want = random_report(9, "2021", agency="长春市朝阳区人民政府办公室")
    lines = render_layout(want, footer_every=10**6).split("\n")
    k = next(i for i, ln in enumerate(lines) if ln.strip() == heading) + 1
    head, rest = lines[:k], lines[k:]
    pages = [head[i:i + 45] for i in range(0, len(head), 45)] + [rest[i:i + 45] for i in range(0, len(rest), 45)]
    assert any(page[-1].strip() == heading for page in pages)
    got = import_document(glyph_pdf(tmp_path / "r.pdf", pages, header=want.agency, footer="第 {page} 页 共 {pages} 页"))
    assert_read(got, want)


def test_a_wrapped_rows_lone_value_is_placed_by_its_position(tmp_path):
    """A long label wrapped above its numbers, the row printing one 0 among blanks: the 0 stands under its
    column on the page, so it is read there and the blanks stay blank (not 0, 0, 0 … by the sums)."""
    want = with_blanks(random_report(1011, "2019"), random.Random(1011))
    row = {c: want.to_json()["values"][c] for c in want.format.cells if c.startswith("apps.rejected_5.")}
    assert sorted(row.values(), key=str) == [0] + [None] * 6
    lines = render_layout(want, footer_every=10**6, wrap_middle=False).split("\n")
    pages = [lines[i:i + 37] for i in range(0, len(lines), 37)]
    got = import_document(glyph_pdf(tmp_path / "r.pdf", pages, header=want.agency, footer="{page}"))
    assert {c: got.to_json()["values"].get(c, "unread") for c in row} == row
    wrong = {c for c, v in got.to_json()["values"].items() if v != want.to_json()["values"][c]}
    assert not wrong
