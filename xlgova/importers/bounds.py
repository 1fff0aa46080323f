"""Bounds on a published report before a parser builds anything from it (limits in ``xlgova.limits``).

lxml, python-docx and pdfminer hold a whole document in memory and walk it in Python: a 20 MB page of
100,000 tables, a .docx of tables nested in tables, a PDF stream that inflates to 512 MB or a page of
150,000 glyphs each take a parser many seconds and hundreds of MB. These checks count what matters at C
speed on the raw bytes (or with pdfium, which counts a page's glyphs in milliseconds) and refuse such a file
with a Chinese message naming it; :class:`Budget` bounds the wall time of what remains.
"""
from __future__ import annotations

import re
import time
from pathlib import Path

from .. import limits
from ..errors import XlgovaError

TOO_BIG_HINT = "正常的年度报告不会这样；请确认选择了正确的文件，或向报送单位重新索取原文件。"
_HTML_TABLE = re.compile(rb"<table[\s>/]", re.I)
_DOCX_TABLE = re.compile(rb"<(/?)w:tbl[\s>]")
_PDF_STREAM = re.compile(rb"(?<!end)stream\r?\n")


def refuse(path, what: str) -> XlgovaError:
    return XlgovaError(f"{what}，不像一份年度报告，已拒绝读取", path=path, hint=TOO_BIG_HINT)


def check_html(data: bytes, path) -> None:
    """Tables and elements of an HTML page, counted on its bytes before lxml builds a tree."""
    tables = len(_HTML_TABLE.findall(data))
    if tables > limits.DOCUMENT_MAX_TABLES:
        raise refuse(path, f"网页中有 {tables} 个表格（上限 {limits.DOCUMENT_MAX_TABLES}）")
    elements = data.count(b"<")
    if elements > limits.DOCUMENT_MAX_ELEMENTS:
        raise refuse(path, f"网页中有约 {elements} 个标记（上限 {limits.DOCUMENT_MAX_ELEMENTS}）")


def check_docx_body(xml: bytes, path) -> None:
    """Tables of word/document.xml and how deep they nest, counted before python-docx parses it."""
    tags = _DOCX_TABLE.findall(xml)
    opened = len(tags) - sum(1 for t in tags if t)
    if opened > limits.DOCUMENT_MAX_TABLES:
        raise refuse(path, f"Word 文档中有 {opened} 个表格（上限 {limits.DOCUMENT_MAX_TABLES}）")
    depth = deepest = 0
    for closing in tags:
        depth = depth - 1 if closing else depth + 1
        deepest = max(deepest, depth)
    if deepest > limits.DOCUMENT_MAX_TABLE_DEPTH:
        raise refuse(path, f"Word 文档中的表格层层嵌套达 {deepest} 层（上限 {limits.DOCUMENT_MAX_TABLE_DEPTH}）")
    elements = xml.count(b"<")
    if elements > 2 * limits.DOCUMENT_MAX_ELEMENTS:  # a start and an end tag per element
        raise refuse(path, f"Word 文档中有约 {elements // 2} 个元素（上限 {limits.DOCUMENT_MAX_ELEMENTS}）")


def check_pdf(data: bytes, path, budget: Budget | None = None) -> None:
    """Every stream decoded through its filter chain with a cap (pdfium and pdfminer would decode it whole),
    then pages and glyphs counted with pdfium before pdfplumber lays out a page."""
    from .pdf_streams import UnknownFilter, decoded_size, stream_filters

    cap, pos = limits.PDF_MAX_STREAM_BYTES, 0
    while (m := _PDF_STREAM.search(data, pos)) is not None:
        end = data.find(b"endstream", m.end())
        end = len(data) if end == -1 else end
        try:
            size = decoded_size(data[m.end():end], stream_filters(data, m.start()), cap)
        except UnknownFilter as e:
            raise refuse(path, f"PDF 中有数据流使用了无法预先检查的压缩方式（{e}）") from None
        if size > cap:
            raise refuse(path, f"PDF 中有数据流解压后超过 {cap // 2**20} MB，疑似“压缩炸弹”")
        if budget is not None:
            budget.check()
        pos = end
    _count_glyphs(data, path)


def _count_glyphs(data: bytes, path) -> None:
    try:
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(data)
    except Exception:  # noqa: BLE001 - pdfplumber opens it next and words the refusal
        return
    try:
        if len(pdf) > limits.PDF_MAX_PAGES:
            raise refuse(path, f"PDF 有 {len(pdf)} 页（上限 {limits.PDF_MAX_PAGES}）")
        for number in range(len(pdf)):
            page = pdf[number]
            glyphs = page.get_textpage().count_chars()
            if glyphs > limits.PDF_MAX_GLYPHS_PER_PAGE:
                raise refuse(path, f"PDF 第 {number + 1} 页有 {glyphs} 个字符（上限 {limits.PDF_MAX_GLYPHS_PER_PAGE}）")
    finally:
        pdf.close()


class Budget:
    """The wall time one document may take to read (``limits.DOCUMENT_SECONDS``), checked between the steps
    of the loops that walk its elements, tables, rows and lines (no thread interrupts a parser).

    ``tick()`` in a loop over many small steps reads the clock every 64th call."""

    def __init__(self, path: str | Path, seconds: float | None = None):
        self.path, self.start, self.calls = path, time.monotonic(), 0
        self.seconds = limits.DOCUMENT_SECONDS if seconds is None else seconds

    def check(self) -> None:
        if time.monotonic() - self.start > self.seconds:
            raise XlgovaError(f"文件解析超过 {self.seconds:g} 秒仍未完成，已停止", path=self.path, hint=TOO_BIG_HINT)

    def tick(self) -> None:
        self.calls += 1
        if not self.calls & 63:
            self.check()
