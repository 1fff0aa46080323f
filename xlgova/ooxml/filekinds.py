"""What a file really is, when it is not the OOXML zip a command expected: worded for the clerk who sent it.

Used by :mod:`xlgova.ooxml.guard` to turn "not a zip" into "这是 Excel 97-2003 工作簿（.xls）…请另存为 .xlsx".
Nothing here parses or trusts the file beyond a few signature bytes.
"""
from __future__ import annotations

from pathlib import Path

from ..limits import OLE2_SCAN_BYTES

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SAVE_AS_XLSX = "请在 Excel、WPS 或 LibreOffice 中打开该文件，另存为“Excel 工作簿（.xlsx）”后再试。"
SAVE_AS_DOCX = "请在 Word 或 WPS 中打开该文件，另存为“Word 文档（.docx）”后再试。"


def describe_foreign(p: Path, head: bytes, expect, data: bytes | None = None) -> str:
    """A Chinese sentence saying what the file really is (it is not an OOXML zip)."""
    if head.startswith(OLE2_MAGIC):
        return _describe_ole2(p, expect, data)
    kind = sniff_text(head)
    return f"这是{kind}，不是{expect.name}（只是扩展名为 {p.suffix or '无'}）" if kind else f"文件内容无法识别，不是{expect.name}"


def _describe_ole2(p: Path, expect, data: bytes | None = None) -> str:
    names = _ole2_names(p, data)
    if "EncryptionInfo" in names or "EncryptedPackage" in names:
        return "文件已加密（设置了打开密码），无法读取；请去除密码后另存，再重新提交"
    if "WordDocument" in names:
        return f"这是 Word 97-2003 文档（.doc），不是{expect.name}；{SAVE_AS_DOCX}"
    if "Workbook" in names or "Book" in names:
        return f"这是 Excel 97-2003 工作簿（.xls）或 WPS 表格（.et），不是{expect.name}；{SAVE_AS_XLSX}"
    return f"这是旧版 Office 复合文档（OLE2），不是{expect.name}；{expect.save_as}"


def ole2_workbook_problem(p: Path, data: bytes) -> str | None:
    """Why an OLE2 file cannot be read as an Excel 97-2003 workbook (encrypted, a Word file, ...); None if it can."""
    names = _ole2_names(p, data)
    if "EncryptionInfo" in names or "EncryptedPackage" in names:
        return "文件已加密（设置了打开密码），无法读取；请去除密码后另存，再重新提交"
    if "Workbook" in names or "Book" in names:
        return None
    if "WordDocument" in names:
        return f"这是 Word 97-2003 文档（.doc），不是工作簿；{SAVE_AS_XLSX}"
    return f"这是旧版 Office 复合文档（OLE2），不是工作簿；{SAVE_AS_XLSX}"


def ole2_streams(data: bytes) -> set[str]:
    """Which of the streams that tell a kind (WordDocument, Workbook, EncryptionInfo, ...) an OLE2 file holds."""
    return _ole2_names(Path(), data)


def _ole2_names(p: Path, data: bytes | None = None, budget: int = OLE2_SCAN_BYTES) -> set[str]:
    """Stream names of an OLE2 compound file, found by their UTF-16 spelling in its directory sectors.

    Good enough to word a message; nothing is parsed or trusted beyond that.
    """
    wanted = ("EncryptionInfo", "EncryptedPackage", "WordDocument", "Workbook", "Book")
    if data is None:
        try:
            with p.open("rb") as f:
                data = f.read(budget)
        except OSError:
            return set()
    found = set()
    for name in wanted:
        needle = name.encode("utf-16-le") + b"\x00\x00"
        if needle in data:
            found.add(name)
    return found


def sniff_text(head: bytes) -> str:
    """Name the kind of a non-zip, non-OLE2 file from its first bytes ('' when unknown)."""
    if head.startswith(b"%PDF"):
        return "PDF 文件"
    if head.startswith(b"{\\rtf"):
        return "RTF 文档"
    text = _decode(head)
    if text is None:
        return ""
    low = text.lstrip("\ufeff \t\r\n").lower()
    if low.startswith("mime-version") or "multipart/related" in low[:2000]:
        return "网页存档（.mht，常见于“另存为网页”的 Excel 文件）"
    if "urn:schemas-microsoft-com:office:spreadsheet" in low[:4000]:
        return "Excel 2003 XML 表格"
    if low.startswith(("<!doctype html", "<html", "<meta", "<table")) or "<html" in low[:2000] or "<table" in low[:2000]:
        return "网页（HTML）文件（常见于网站导出的“.xls”）"
    if low.startswith("<?xml") or low.startswith("<"):
        return "XML 文本文件"
    if not low.strip():
        return "只含空白字符的文本文件"
    first = low.splitlines()[0] if low.splitlines() else ""
    if first.count(",") >= 1 or first.count("\t") >= 1:
        return "CSV/文本表格（逗号或制表符分隔）"
    return "纯文本文件"


def _decode(head: bytes) -> str | None:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head[: len(head) // 2 * 2].decode("utf-16", "replace")
    if b"\x00" in head[:4096]:
        return None
    for enc in ("utf-8-sig", "gb18030"):
        # a multi-byte character cut at the end of the sample is not a reason to give up
        for sample in (head, head[:-4]):
            try:
                return sample.decode(enc)
            except UnicodeDecodeError:
                continue
    return None
