"""Old Word (.doc, Word 97-2003) and WPS 文字 (.wps) documents -> a report, through a .docx made by LibreOffice.

What the file really is decides, not its name: government sites serve .docx files, web pages and RTF under a
.doc name, and clerks rename a .doc to .docx (converted like any .doc; every other .docx goes to the .docx
reader, which words its refusal). A zip is read as the .docx it claims to be, a page (or a saved ``.mht``) by the
HTML reader; an OLE2
Word file or RTF is copied into a private temporary folder and converted there by LibreOffice headless
(``workbook.libreoffice.convert``: a fresh profile, its own process group, killed with the group after
``limits.DOCUMENT_CONVERT_SECONDS``), then read by the .docx reader. The input file is never opened for writing.
"""
from __future__ import annotations

import re
import tempfile
from pathlib import Path

from .. import limits
from ..errors import XlgovaError
from ..model import Report
from ..ooxml.filekinds import OLE2_MAGIC, ole2_streams, sniff_text
from ..ooxml.guard import check_xml_document
from .bounds import Budget

SAVE_AS = "请在 Word 或 WPS 中打开，另存为 .docx 后再导入。"
WHAT = "Word 97-2003 文档（.doc）或 WPS 文字文档（.wps）"
_WORD_XML = re.compile(rb'<\?mso-application\s+progid="Word\.Document"|<w:wordDocument[\s>]')


def old_word_report(p: Path, data: bytes, budget: Budget) -> Report:
    from . import import_html, import_lines

    kind = _kind(data)
    if p.suffix.lower() == ".docx" and not (kind == "word" and _renamed_words(data)):
        kind = "zip"  # the .docx reader words the refusal of anything but a misnamed old Word file
    if kind == "zip":
        from .docx import docx_lines

        return import_lines(docx_lines(p, budget), source=str(p))  # a .docx under an old name
    if kind in ("html", "mime"):
        from .mhtml import mhtml_page

        return import_html(mhtml_page(data, p) if kind == "mime" else data, p, budget)
    if kind is None:
        words, hint = _foreign(data)
        raise XlgovaError(words, path=p, hint=hint)
    return import_lines(_converted_lines(p, data), source=str(p))


def _kind(data: bytes) -> str | None:
    """'zip', 'html', 'mime', 'word' (OLE2, RTF or Word 2003 XML: for LibreOffice) or None."""
    if data.startswith(b"PK\x03\x04"):
        return "zip"
    if data.startswith(b"{\\rtf"):
        return "word"
    if data.startswith(OLE2_MAGIC):
        return None if _ole2_problem(data) else "word"
    if _WORD_XML.search(data[:4096]):
        return "word"  # Word 2003 XML: what many government systems' templates write as .doc
    kind = sniff_text(data[:8192])
    if kind.startswith("网页（HTML）"):
        return "html"
    return "mime" if kind.startswith("网页存档") else None


def _ole2_problem(data: bytes) -> tuple[str, str] | None:
    """Why LibreOffice need not try an OLE2 file, and what to do (None when it should: Word, WPS 文字, Works)."""
    names = ole2_streams(data)
    if names & {"EncryptionInfo", "EncryptedPackage"}:
        return "文件已加密（设置了打开密码），无法读取", "请在 Word 或 WPS 中输入密码打开，去除密码后另存为 .docx 再导入。"
    if "WordDocument" not in names and names & {"Workbook", "Book"}:
        return f"这是 Excel 97-2003 工作簿（.xls）或 WPS 表格（.et），不是{WHAT}", "请确认选择的是年度报告文档。"
    return None


def _foreign(data: bytes) -> tuple[str, str]:
    if data.startswith(OLE2_MAGIC):
        return _ole2_problem(data) or ("", SAVE_AS)
    kind = sniff_text(data[:8192])
    return (f"这是{kind}，不是{WHAT}" if kind else f"文件内容无法识别，不是{WHAT}"), SAVE_AS


def _converted_lines(p: Path, data: bytes):
    """The document converted by LibreOffice in a private folder, read by the .docx reader (a fresh budget:
    the conversion has its own time limit)."""
    from ..workbook import libreoffice
    from .docx import docx_lines

    if _WORD_XML.search(data[:4096]):
        check_xml_document(p, data, "Word 2003 XML 文档")  # no DOCTYPE/ENTITY reaches LibreOffice's XML parser
    if not libreoffice.available():
        raise XlgovaError("这是旧版 Word/WPS 文档，需要 LibreOffice 转换，但本机未安装 LibreOffice", path=p, hint=SAVE_AS)
    with tempfile.TemporaryDirectory(prefix="xlgova-doc-") as tmp:
        copy = Path(tmp) / f"report{_copy_suffix(p, data)}"
        copy.write_bytes(data)  # LibreOffice opens a private copy: the input is never touched
        try:
            docx = libreoffice.convert(copy, "docx:MS Word 2007 XML", Path(tmp) / "out", timeout=limits.DOCUMENT_CONVERT_SECONDS)
            return docx_lines(docx, Budget(p), source=str(p))
        except XlgovaError as e:
            renamed = f"{_renamed_words(data)}，扩展名却是 {p.suffix}；" if p.suffix.lower() not in (".doc", ".wps") else ""
            raise XlgovaError(f"{renamed}无法转换这份旧版 Word/WPS 文档：{_words(e, tmp)}", path=p, hint=SAVE_AS) from None


def _renamed_words(data: bytes) -> str:
    """What an old Word file really is, for a .docx name ('' when it is neither RTF nor Word's binary format)."""
    if data.startswith(b"{\\rtf"):
        return "这是 RTF 文档"
    return "这是 Word 97-2003 文档（.doc）" if "WordDocument" in ole2_streams(data) else ""


def _copy_suffix(p: Path, data: bytes) -> str:
    """The name LibreOffice's type detection should see: RTF as .rtf; Word's binary format as .doc (WPS 文字's
    .wps is that format too); anything else keeps its suffix (a Microsoft Works .wps is detected as Works)."""
    if data.startswith(b"{\\rtf"):
        return ".rtf"
    if _WORD_XML.search(data[:4096]):
        return ".xml"
    return ".doc" if "WordDocument" in ole2_streams(data) else p.suffix.lower()


def _words(e: XlgovaError, tmp: str) -> str:
    """The converter's or reader's message without the temporary file's name (LibreOffice's own English
    output is left out: it says nothing a clerk can act on)."""
    text = str(e).split("\n")[0]
    text = text.removeprefix(f"{e.path}：") if e.path else text
    if text.startswith("LibreOffice 转换失败"):
        return "LibreOffice 无法打开它，文件可能已损坏，或不是 Word/WPS 文档"
    return text.replace(tmp, "").strip()
