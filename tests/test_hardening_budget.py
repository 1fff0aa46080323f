"""Time budgets of the document readers (checked inside the loops that walk a document, never by a thread)
and the PDF filter chains capped before pdfium/pdfminer decode them."""
from __future__ import annotations

import random

import pytest

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
