"""Time budgets of the document readers (checked inside the loops that walk a document, never by a thread)
and the PDF filter chains capped before pdfium/pdfminer decode them."""
from __future__ import annotations

import random

import pytest

from _hardening import GEN  # noqa: F401  (puts scripts/ on the path)
from import_support import blocks, render_html, table_rows, _docx_table
from xlgova import limits
from xlgova.demo.samples import random_report
from xlgova.errors import XlgovaError
from xlgova.importers import bounds, import_document


class _Clock:
    """A clock that advances one second each time it is read: the budget is spent by the number of checks
    the reader makes while it walks the document, not by how busy the machine is."""

    def __init__(self):
        self.now = 0.0

    def monotonic(self) -> float:
        self.now += 1.0
        return self.now


def _report():
    return random_report(random.Random(5), "2021", agency="测试县人民政府办公室", year=2024, scale=20)


@pytest.fixture(params=["html", "docx"])
def document(request, tmp_path):
    """A real report's body 5 times (a long document) as a page or a .docx, under every count bound."""
    path = tmp_path / f"年度报告.{request.param}"
    if request.param == "html":
        page = render_html(_report())
        head, body = page.split("<body>")
        path.write_text(head + "<body>" + body.replace("</body></html>", "") * 5 + "</body></html>", encoding="utf-8")
    else:
        import docx

        doc, report = docx.Document(), _report()
        for _ in range(5):
            for kind, item in blocks(report):
                doc.add_paragraph(item) if kind != "table" else _docx_table(doc, table_rows(report, item))
        doc.save(str(path))
    return path


def test_document_within_budget_is_read(document):
    report = import_document(document)
    assert report.agency and report.values


def test_document_over_budget_is_refused_naming_the_file(document, monkeypatch):
    """The budget lowered to 10 clock readings: a reader that looked at the clock only before and after
    parsing would finish; one that checks in its loops over elements, tables, rows and cells stops."""
    monkeypatch.setattr(limits, "DOCUMENT_SECONDS", 10.0)
    monkeypatch.setattr(bounds, "time", _Clock())
    with pytest.raises(XlgovaError) as e:
        import_document(document)
    text = str(e.value)
    assert document.name in text and "文件解析超过 10 秒仍未完成" in text, text


# -- PDF filter chains ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("filters, encode", [
    ([], lambda d: d),
    (["FlateDecode"], lambda d: __import__("zlib").compress(d)),
    (["ASCII85Decode", "FlateDecode"], lambda d: __import__("base64").a85encode(__import__("zlib").compress(d)) + b"~>"),
    (["ASCIIHexDecode"], lambda d: d.hex().encode() + b">"),
    (["RunLengthDecode"], lambda d: b"".join(bytes([len(d[i:i + 100]) - 1]) + d[i:i + 100] for i in range(0, len(d), 100)) + b"\x80"),
])
def test_ordinary_chains_decode_to_their_size(filters, encode):
    from xlgova.importers.pdf_streams import decoded_size

    content = b"BT /F1 12 Tf 10 10 Td (2024) Tj ET\n" * 500
    assert decoded_size(encode(content), filters, limits.PDF_MAX_STREAM_BYTES) == len(content)


def test_lzw_and_runlength_agree_with_pdfminer():
    """The capped decoders give what pdfminer's own give, below the cap."""
    from pdfminer.lzw import lzwdecode
    from pdfminer.runlength import rldecode

    from xlgova.importers.pdf_streams import decoded_size

    import _bad_input_cases_bounds as cases
    lzw = cases._lzw_zeros(3)
    assert decoded_size(lzw, ["LZWDecode"], limits.PDF_MAX_STREAM_BYTES) == len(lzwdecode(lzw)) > 3 * 2**20
    rl = b"\x81\x00" * 1000 + b"\x02abc\x80"
    assert decoded_size(rl, ["RL"], limits.PDF_MAX_STREAM_BYTES) == len(rldecode(rl)) == 128_003


@pytest.mark.parametrize("name", ["pdf_lzw_bomb", "pdf_a85_flate_bomb", "pdf_runlength_bomb", "pdf_stream_bomb"])
def test_every_inflating_chain_is_capped(name, tmp_path, monkeypatch):
    """Each bomb of the corpus refused by the check, naming the file (the cap lowered below the 64 MB
    RunLength one; the old check inflated only streams that zlib could read as they stood)."""
    from _hardening import CASES

    from xlgova.importers.bounds import check_pdf

    data = CASES[name].build(None)  # the PDF cases need no base workbook
    monkeypatch.setattr(limits, "PDF_MAX_STREAM_BYTES", 16 * 2**20)
    with pytest.raises(XlgovaError, match="压缩炸弹") as e:
        check_pdf(data, tmp_path / "炸弹.pdf")
    assert "炸弹.pdf" in str(e.value)


@pytest.mark.parametrize("spec", [b"/XYZDecode", b"7 0 R", b"[/AHx /AHx /AHx /AHx /Fl]"])
def test_filters_that_cannot_be_checked_are_refused(spec, tmp_path):
    from xlgova.importers.bounds import check_pdf

    import _bad_input_cases_bounds as cases
    with pytest.raises(XlgovaError, match="无法预先检查"):
        check_pdf(cases._pdf([b"BT ET"], filters=[b"/Filter-placeholder"]).replace(b"/Filter /Filter-placeholder", b"/Filter " + spec),
                  tmp_path / "x.pdf")


def test_escaped_filter_names_are_read_as_the_readers_read_them(tmp_path):
    """/Fl#61teDecode is /FlateDecode to pdfium and pdfminer: the bomb behind it is found."""
    from _hardening import GEN

    from xlgova.importers.bounds import check_pdf

    import _bad_input_cases_bounds as cases
    data = cases._pdf([cases._deflated_bomb(GEN, 64)], filters=[b"/Fl#61teDecode"])
    with pytest.raises(XlgovaError, match="压缩炸弹"):
        check_pdf(data, tmp_path / "x.pdf")
