"""Text copied out of a PDF the other common ways (issue 15): pdfplumber's ``extract_text()`` (single spaces,
no layout), ``pdftotext`` without ``-layout`` (reading order: a ruled table column by column, one cell per
line), with the page numbers and running headers of every page. Read what is readable; what is not is
left doubtful, never read into the wrong cells."""
from __future__ import annotations

import random
import shutil
import subprocess

import pytest

from pdf_support import furnished_docx, glyph_pdf
from shape_support import render_layout
from xlgova.demo.samples import random_report
from xlgova.importers import import_text
from xlgova.importers.lines import text_lines
from xlgova.importers.shapes import page_furniture
from xlgova.model import parse_value
from xlgova.rules import validate


def plumber_text(pdf) -> str:
    import pdfplumber

    with pdfplumber.open(str(pdf)) as doc:
        return "\n".join(page.extract_text() or "" for page in doc.pages)


def not_wrong(got, want) -> dict:
    """Cells read with another value than printed (doubtful cells are left out, not wrong)."""
    w, g = want.to_json()["values"], got.to_json()["values"]
    return {c: (g[c], w.get(c)) for c in g if g[c] != w.get(c)}


@pytest.mark.parametrize("fmt", ["2021", "2019"])
@pytest.mark.parametrize("footer", ["{page}", "— {page} —"])
def test_extract_text_with_page_numbers_and_a_running_header(tmp_path, fmt, footer):
    """Each page's header and number land between table rows: a bare 6 after a row's numbers is no cell."""
    want = random_report(11, fmt, agency="长春市朝阳区人民政府办公室")
    lines = render_layout(want, footer_every=10**6).split("\n")
    pages = [lines[i:i + 33] for i in range(0, len(lines), 33)]
    text = plumber_text(glyph_pdf(tmp_path / "r.pdf", pages, header=want.agency, footer=footer))
    assert text.count(want.agency) >= len(pages)
    got = import_text(text)
    assert (got.agency, got.year, got.format_id) == (want.agency, want.year, fmt)
    assert got.to_json()["values"] == want.to_json()["values"] and not got.findings


def test_page_numbers_are_told_from_values():
    """Bare numbers counting up with a page between them are page numbers; in a one-cell-per-line table bare
    numbers are everywhere and none is dropped."""
    body = [f"正文第{k}行。" for k in range(10)]
    text = "\n".join(["示例单位"] + body + ["1", "示例单位"] + body + ["2", "示例单位"] + body + ["3"])
    lines = text_lines(text)
    dropped = {lines[i].text for i in page_furniture(lines)}
    assert dropped == {"1", "2", "3", "示例单位"}
    assert len(page_furniture(lines)) == 5  # the header after pages 1 and 2; the first one starts the text
    cells = text_lines("\n".join(["规章", "1", "2", "3", "行政规范性文件", "4", "5", "6"] * 3))
    assert not page_furniture(cells)


def test_a_number_wrapped_in_a_narrow_cell_is_one_number():
    want = random_report(2, "2021")
    want.values["art20_8.fees.amount"] = parse_value("315.5")
    text = render_layout(want).replace("315.5", "315\n.5", 1)
    assert "315\n.5" in text
    assert import_text(text).number("art20_8.fees.amount") == 315.5


@pytest.mark.libreoffice
@pytest.mark.parametrize("seed", [1000, 1003])
def test_text_in_reading_order_is_never_read_into_the_wrong_cells(libreoffice, tmp_path, seed):
    """pdftotext without -layout reads a ruled table cell by cell down its columns, labels apart from their
    values: rows are left doubtful (not read as blank rows, not given another row's numbers)."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed: run `make system-deps`")
    want = random_report(seed, "2021" if seed % 2 == 0 else "2019")
    pdf = libreoffice.convert(furnished_docx(want, tmp_path / "r.docx", random.Random(seed)), "pdf", tmp_path)
    raw = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    got = import_text(raw)
    assert (got.agency, got.year) == (want.agency, want.year)
    assert not not_wrong(got, want)
    assert "apps.new.total" not in got.values
    assert any(f.rule == "doc.row_doubtful" for f in got.findings)
    # rows that cannot be found in scrambled text are doubtful, not a cut-off table: no false error
    assert "doc.table_incomplete" not in {f.rule for f in got.findings}
    assert not validate(got).rules("error")
    got = import_text(plumber_text(pdf))  # the same PDF through extract_text(): nothing wrong either
    assert not not_wrong(got, want)
