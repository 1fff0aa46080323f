"""Report -> the finished annual report as Word (.docx), optionally PDF, in the official layout.

>>> from xlgova.demo.samples import random_report
>>> import tempfile, pathlib
>>> out = render_docx(random_report(1, "2021"), pathlib.Path(tempfile.mkdtemp()) / "r.docx")
>>> out.suffix
'.docx'
"""
from .report_docx import DRAFT_MARK, build_document, render_docx, title_text
from .publish import ExportRefused, export_file

__all__ = ["DRAFT_MARK", "ExportRefused", "build_document", "export_file", "render_docx", "title_text"]
