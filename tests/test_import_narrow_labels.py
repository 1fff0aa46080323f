"""Row labels wrapped two or three characters a line in narrow label columns (issue 15).

A Word table with narrow label columns, printed to PDF and copied with ``pdftotext -layout``, prints each
row's values on one line and its labels as short fragments over several lines, one column of fragments per
label column; with cells centred vertically the values stand in the middle of the fragments. The hand-made
blocks below have that shape (the format's own labels, made-up values); the LibreOffice tests make it from
the project's sample reports.
"""
from __future__ import annotations

import dataclasses
import shutil
import subprocess

import pytest

from shape_support import narrow_labels
from xlgova.demo.samples import random_report
from xlgova.formats import FORMATS
from xlgova.importers import import_document, import_text
from xlgova.importers.lines import text_lines
from xlgova.importers.shapes import reshape
from xlgova.importers.tables import read_table
from xlgova.rules import validate

TOP = """\
一、本年新收政府信息        48  9   1   0   3    3    64
公开申请数量
二、上年结转政府信息        0   0   0   0   2    1    3
公开申请数量
三、  （一）予以公    10   2   0   0   0   1   13
本年  开
度办  （二）部分公    11   3   0   0   0   0   14
理结  开（区分处理
果   的，只计这一
    情形，不计其
    他情形）
    （三  1.属   3    0   0   0   0   0   3
    ）不  于国
    予公  家秘
    开   密
        2.其   1    1   0   0   0   0   2
        他法
        律行
        政法
        规禁
        止公
        开
"""

CENTRED = """\
一、本年新收政府信息
                  48  9   1   0   3    3    64
公开申请数量
二、上年结转政府信息        0   0   0   0   2    1    3
公开申请数量
三、  （一）予以公
              10   2   0   0   0   1   13
本年  开
度办  （二）部分公
理结  开（区分处理
果   的，只计这一    11   3   0   0   0   0   14
    情形，不计其
    他情形）
    （三  1.属
    ）不  于国
              3    0   0   0   0   0   3
    予公  家秘
    开   密
        2.其
        他法
        律行
        政法    1    1   0   0   0   0   2
        规禁
        止公
        开
"""

WANT = {"new": "64", "carried_in": "3", "granted": "13", "partial": "14", "denied_1": "3", "denied_2": "2"}


def _read(text: str, rows: int = 6):
    table = FORMATS["2021"].table("apps")
    table = dataclasses.replace(table, rows=table.rows[:rows])
    lines = reshape(text_lines(text))
    return table, read_table(table, lines, -1, len(lines))


@pytest.mark.parametrize("text", [TOP, CENTRED], ids=["top", "centred"])
def test_fragments_are_joined_per_column_onto_their_row_of_values(text):
    table, tr = _read(text)
    assert tr.missing_rows == []
    got = {rr.cell_ids[0].split(".")[1]: [c.text for c in rr.cells] for rr in tr.rows}
    assert [r.id for r in table.rows] == list(got)
    assert {row: cells[-1] for row, cells in got.items()} == dict(zip(got, WANT.values()))
    labels = [rr.label_cell.text for rr in tr.rows]
    assert labels[4] == "（三）不予公开1.属于国家秘密" and labels[5] == "2.其他法律行政法规禁止公开"
    assert labels[3].endswith("（二）部分公开（区分处理的，只计这一情形，不计其他情形）")


def test_fragments_that_match_no_row_leave_the_table_as_it_was():
    garbled = TOP.replace("        律行\n", "        律X\n")  # 2.其他法X政法规禁止公开 is no label of the format
    _, tr = _read(garbled)
    assert tr.missing_rows  # not read into the wrong rows: the table stays incomplete, as before
    assert all(rr.label_cell.text != "2.其他法X政法规禁止公开" for rr in tr.rows)


def test_a_row_printed_blank_has_no_line_of_values_and_is_still_placed():
    blank = TOP.replace("    （三  1.属   3    0   0   0   0   0   3\n", "    （三  1.属\n")
    _, tr = _read(blank)
    assert tr.missing_rows == []
    got = {rr.cell_ids[0].split(".")[1]: [c.text for c in rr.cells] for rr in tr.rows}
    assert got["denied_1"] == [] and got["denied_2"][-1] == "2"


@pytest.mark.parametrize("centred", [False, True], ids=["top", "centred"])
@pytest.mark.parametrize("seed,fmt", [(0, "2021"), (1, "2019")])
def test_generated_narrow_columns_read_without_error(seed, fmt, centred):
    want = random_report(seed, fmt)
    got = import_text(narrow_labels(want, centred=centred))
    assert validate(got).rules("error") == set() and not got.findings
    assert got.to_json()["values"] == want.to_json()["values"]


def _centred(docx_path):
    import docx
    from docx.enum.table import WD_ALIGN_VERTICAL

    doc = docx.Document(str(docx_path))
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
    doc.save(str(docx_path))
    return docx_path


@pytest.mark.libreoffice
@pytest.mark.parametrize("centred", [False, True], ids=["top", "centred"])
@pytest.mark.parametrize("seed,fmt", [(0, "2021"), (3, "2019")])
def test_word_table_with_narrow_label_columns_through_libreoffice_pdf(libreoffice, tmp_path, seed, fmt, centred):
    """python-docx's default table (equal narrow columns) -> LibreOffice PDF -> pdftotext -layout, and the PDF
    itself: no error, nothing wrong, every cell read."""
    from import_support import render_docx

    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed: run `make system-deps`")
    want = random_report(seed, fmt)
    path = render_docx(want, tmp_path / "r.docx")
    pdf = libreoffice.convert(_centred(path) if centred else path, "pdf", tmp_path)
    layout = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for got in (import_text(layout), import_document(pdf)):
        assert validate(got).rules("error") == set()
        assert got.to_json()["values"] == want.to_json()["values"]


@pytest.mark.parametrize("text", [
    TOP.replace("        2.其   1    1", "        2.   1    1").replace("        他法\n", "        其他法\n"),
    CENTRED.replace("        2.其\n", "        2.\n        其\n"),
], ids=["top", "centred"])
def test_an_item_number_alone_on_its_line_is_part_of_the_label_not_a_value(text):
    _, tr = _read(text)
    assert tr.missing_rows == []
    last = tr.rows[-1]
    assert last.label_cell.text == "2.其他法律行政法规禁止公开" and [c.text for c in last.cells] == ["1", "1", "0", "0", "0", "0", "2"]
