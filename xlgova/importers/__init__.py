"""Published annual reports (plain text, Word .docx/.doc/.wps, HTML, saved web pages .mhtml, PDF with a text layer) -> Report.

>>> r = import_text("示例县人民政府办公室2021年政府信息公开工作年度报告\\n一、总体情况\\n本年度未收到政府信息公开申请。")
>>> r.agency, r.year, r.format_id
('示例县人民政府办公室', 2021, '2021')

What the document lost or garbled is recorded as findings on the report (``doc.section_missing``,
``doc.table_missing``, ``doc.table_incomplete``, ``doc.row_repaired``, ``doc.row_doubtful``); the values
found are kept as found and judged by :func:`xlgova.rules.validate`. Unreadable input raises
:class:`~xlgova.errors.XlgovaError`.
"""
from __future__ import annotations

from pathlib import Path

from ..model import Report
from ..errors import XlgovaError
from ..inputs import check_input_file, read_input_bytes
from .lines import Line, decode_bytes, text_lines
from .assemble import build_report
from ..limits import DOCUMENT_MAX_BYTES

# What each reader takes; DOCUMENT_SUFFIXES is the one list that `import`, `validate` (loaders), the batch import's
# folder search and the desk's upload all use.
TEXT_SUFFIXES = (".txt", ".text", ".md")
HTML_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml")  # .shtml: many government sites' pages, saved as they are named
MHTML_SUFFIXES = (".mhtml", ".mht")  # a page saved as one file (网页，单个文件)
OLD_WORD_SUFFIXES = (".doc", ".wps")  # Word 97-2003 and WPS 文字, converted to .docx by LibreOffice
DOCUMENT_SUFFIXES = TEXT_SUFFIXES + (".docx",) + OLD_WORD_SUFFIXES + HTML_SUFFIXES + MHTML_SUFFIXES + (".pdf",)


def suffix_words(suffixes: tuple[str, ...] = DOCUMENT_SUFFIXES) -> str:
    """The suffixes as “.txt、.md、.docx…” for messages and help (.text, a rare spelling of .txt, left out)."""
    return "、".join(s for s in suffixes if s != ".text")


def import_text(text: str, *, source: str | None = None) -> Report:
    """A report from plain text (tab-separated rows, ``|`` rows, or one cell per line)."""
    return import_lines(text_lines(text, source), source=source)


def import_lines(lines: list[Line], *, source: str | None = None) -> Report:
    if not any(ln.text.strip() for ln in lines):
        raise XlgovaError("文件中没有文字", path=source, hint="请确认选择了正确的文件，或向报送单位重新索取原文件。")
    return build_report(lines, file=source)


def import_document(path: str | Path) -> Report:
    """A report from a file of any suffix in ``loaders.DOCUMENT_SUFFIXES``."""
    p = check_input_file(path, "年度报告文件", max_bytes=DOCUMENT_MAX_BYTES)
    suffix = p.suffix.lower()
    from .bounds import Budget

    budget = Budget(p)  # limits.DOCUMENT_SECONDS for the whole reading, checked in the readers' loops
    try:
        if suffix in TEXT_SUFFIXES:
            return import_text(decode_bytes(_read(p), p), source=str(p))
        if suffix in HTML_SUFFIXES:
            return import_html(_read(p), p, budget)
        if suffix in MHTML_SUFFIXES:
            from .mhtml import mhtml_page

            return import_html(mhtml_page(_read(p), p), p, budget)
        if suffix in OLD_WORD_SUFFIXES or suffix == ".docx":
            from .oldword import old_word_report

            return old_word_report(p, _read(p), budget)  # what the file really is decides: a .doc renamed .docx converts
        if suffix == ".pdf":
            from .bounds import check_pdf
            from .pdf import pdf_lines

            check_pdf(_read(p), p, budget)  # streams inflated with a cap, pages and glyphs counted, before pdfminer
            return import_lines(pdf_lines(p, budget), source=str(p))
    except OSError:
        raise XlgovaError("无法读取文件", path=p, hint="请检查文件权限，或把文件复制到自己的文件夹后再试。") from None
    raise XlgovaError(
        f"不支持的文档类型“{suffix or '无扩展名'}”（支持 {suffix_words()}）",
        path=p,
        hint="请在 Word 或 WPS 中打开，另存为 .docx 或 PDF 后再导入。",
    )


def import_html(data: bytes | str, p: Path, budget) -> Report:
    """A page's bytes (or the text of a saved page's main part): bounded, then read by the one HTML reader."""
    from .bounds import check_html
    from .html import html_lines

    check_html(data.encode("utf-8", "replace") if isinstance(data, str) else data, p)  # counted before lxml builds a tree
    return import_lines(html_lines(data, str(p), budget), source=str(p))


def _read(p: Path) -> bytes:
    return read_input_bytes(p, "年度报告文件", max_bytes=DOCUMENT_MAX_BYTES)  # never blocks, never more than the limit


__all__ = ["import_document", "import_text", "import_lines", "import_html", "DOCUMENT_SUFFIXES", "suffix_words"]
