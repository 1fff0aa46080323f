"""What a PDF's fonts make of the text (issue 15): radicals for ideographs, glyphs that cannot be decoded.

The PDFs are written by hand (tests/pdf_support.py) from the project's own sample reports, with the
composite fonts and ToUnicode maps that WPS, Word and PDF printers produce.
"""
from __future__ import annotations

import pytest

from pdf_support import AS_RADICAL, glyph_pdf
from shape_support import render_layout
from xlgova.cli import main
from xlgova.demo.samples import random_report
from xlgova.errors import XlgovaError
from xlgova.importers import import_document, import_text
from xlgova.importers.normalize import RADICAL_IDEOGRAPHS, fold, ordinary_ideographs, to_simplified


def _pages(report, per_page: int = 90) -> list[list[str]]:
    lines = render_layout(report, footer_every=10**6).split("\n")
    return [lines[i:i + per_page] for i in range(0, len(lines), per_page)]


def _radicals(text: str) -> str:
    return "".join(AS_RADICAL.get(ch, ch) for ch in text)


def test_radicals_and_compatibility_ideographs_become_ordinary_ideographs():
    assert ordinary_ideographs("⼀、总体情况") == "一、总体情况"
    assert ordinary_ideographs("⾏政复议") == "行政复议"
    assert ordinary_ideographs("⻓春市⻔户⽹站⻛险⻄城区") == "长春市门户网站风险西城区"
    assert to_simplified("⾧⾨") == "长门"  # Kangxi radicals of traditional forms, then simplified
    assert ordinary_ideographs("\uf9d0") == "\u985e" and to_simplified("\uf9d0別") == "类别"  # a compatibility ideograph (in traditional text)
    assert all(len(v) == 1 and not ("\u2e80" <= v <= "\u2fdf") for v in RADICAL_IDEOGRAPHS.values())
    assert fold("（⼀）主动公开") == fold("（一）主动公开")
    plain = "一、本年新收政府信息公开申请数量"
    assert ordinary_ideographs(plain) is plain  # text without them is not copied


def test_text_copied_from_a_wps_pdf_with_radicals_reads_like_the_original():
    """Agency, headings, labels and narrative all come out in ordinary ideographs."""
    want = random_report(8, "2021", agency="长春市人民政府办公厅")
    text = render_layout(want)
    assert "⻓春市" in _radicals(text) and "⼀、总体情况" in _radicals(text)
    got = import_text(_radicals(text))
    assert (got.agency, got.year, got.format_id) == ("长春市人民政府办公厅", want.year, "2021")
    assert got.to_json()["values"] == want.to_json()["values"] and not got.findings
    assert "⼈" not in "".join(got.sections.values())


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_pdf_whose_font_maps_ideographs_to_radicals(tmp_path, fmt):
    want = random_report(3, fmt, agency="长春市人民政府办公厅")
    got = import_document(glyph_pdf(tmp_path / "r.pdf", _pages(want), to_unicode="radicals"))
    assert (got.agency, got.year, got.format_id) == (want.agency, want.year, fmt)
    assert got.to_json()["values"] == want.to_json()["values"] and not got.findings
    assert not any("\u2e80" <= ch <= "\u2fdf" for text in got.sections.values() for ch in text)


def test_the_plain_pdf_of_the_same_report_is_read():
    """The control: the same hand-written PDF with a proper ToUnicode map is read exactly."""
    import tempfile
    from pathlib import Path

    want = random_report(4, "2021")
    with tempfile.TemporaryDirectory() as tmp:
        got = import_document(glyph_pdf(Path(tmp) / "r.pdf", _pages(want), to_unicode="plain"))
    assert got.to_json()["values"] == want.to_json()["values"] and not got.findings


@pytest.mark.parametrize("how", [None, "private"])
def test_pdf_whose_text_cannot_be_decoded_is_refused_with_a_clear_message(tmp_path, how, capsys):
    """No ToUnicode map ("(cid:1234)") or a private encoding: refused, never a report of junk; exit 2."""
    pdf = glyph_pdf(tmp_path / "乱码.pdf", _pages(random_report(5, "2021")), to_unicode=how)
    with pytest.raises(XlgovaError, match="文字层无法解码") as err:
        import_document(pdf)
    assert "乱码.pdf" in str(err.value) and "OCR" in str(err.value) and "Word" in str(err.value)
    assert main(["import", str(pdf), "-o", str(tmp_path / "out.json")]) == 2
    assert "文字层无法解码" in capsys.readouterr().err
    assert not (tmp_path / "out.json").exists()


def test_one_undecodable_page_is_named(tmp_path):
    """The narrative pages decode but the page with the tables does not: refused, naming that page."""
    want = random_report(6, "2021")
    bad = _second_page_without_map(_pages(want, per_page=40), tmp_path)
    with pytest.raises(XlgovaError, match="第 2 页的字符大多无法识别"):
        import_document(bad)


def _second_page_without_map(pages, tmp_path):
    """Page 2 in private-use code points (a font with its own encoding), the other pages plain."""
    from pdf_support import PRIVATE

    marked = [[ln if n != 1 else "".join(chr(PRIVATE + ord(c) % 6000) if ord(c) > 127 or c.isdigit() else c for c in ln)
               for ln in page] for n, page in enumerate(pages)]
    return glyph_pdf(tmp_path / "page2.pdf", marked, to_unicode="plain")


def test_a_few_symbol_glyphs_do_not_refuse_a_report(tmp_path):
    """A Wingdings bullet or two in the private use area is no reason to refuse."""
    want = random_report(7, "2021")
    pages = _pages(want)
    pages[0][3] = "\ue000\uf0b7 " + pages[0][3]
    got = import_document(glyph_pdf(tmp_path / "r.pdf", pages, to_unicode="plain"))
    assert got.to_json()["values"] == want.to_json()["values"]
