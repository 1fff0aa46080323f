"""The one gate every untrusted .xlsx / .xlsm / .docx passes before a parser sees it.

Workbooks arrive from hundreds of offices: renamed, truncated, encrypted, saved by other programs, sometimes
hostile. Parsers (python-calamine, openpyxl, python-docx) answer such files with tracebacks, unbounded memory
or, for XML entity tricks, worse. So before any of them runs, :func:`check_workbook` / :func:`check_document`

* say what the file really is when it is not an OOXML zip (0 bytes, .xls, encrypted, .ods, .xlsb, CSV, HTML
  saved as .xls, PDF, a Word file where a workbook was expected, ...), with what to do about it;
* bound the zip: file size, number of members, declared and *actual* uncompressed sizes (a member that
  inflates beyond its declared size fails its CRC, because ``zipfile`` stops at the declared size), and the
  compression ratio — a zip bomb is refused from its central directory, before anything is inflated;
* refuse XML with a DOCTYPE (the only place entity declarations, entity expansion and external entities
  can live) in any member a parser could read.

Every refusal is an :class:`~xlgova.errors.XlgovaError` with a Chinese message naming the file.
"""
from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

from ..model import HAN
from .filekinds import OLE2_MAGIC, SAVE_AS_DOCX, SAVE_AS_XLSX, describe_foreign, sniff_text  # noqa: F401 (re-exported)
from ..errors import XlgovaError
from ..limits import ZIP, ZipLimits



ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
REOBTAIN = "请向报送单位重新索取原文件，或在 Excel/WPS 中打开后另存一份。"
_BINARY_SUFFIXES = (".bin", ".png", ".jpg", ".jpeg", ".gif", ".bmp", ".emf", ".wmf", ".tif", ".tiff", ".wdp")
_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_ROOT_START = re.compile(rb"<[A-Za-z_]")
_ROOT_NAME = re.compile(rb"<([A-Za-z_][\w.:-]*)")


@dataclass(frozen=True)
class Expect:
    """What the caller wants: the OOXML main part that proves it, and the words for messages."""

    name: str  # 工作簿 / Word 文档
    main_parts: tuple[str, ...]
    save_as: str


WORKBOOK = Expect("Excel 工作簿（.xlsx/.xlsm）", ("xl/workbook.xml",), SAVE_AS_XLSX)
DOCUMENT = Expect("Word 文档（.docx）", ("word/document.xml",), SAVE_AS_DOCX)
# Not OOXML, but a zip of XML parts all the same (read by python-calamine): the same bounds apply.
ODS = Expect("OpenDocument 表格（.ods）", ("content.xml",), SAVE_AS_XLSX)


def check_workbook(path: str | Path, limits: ZipLimits = ZIP, *, data: bytes | None = None, collect: dict | None = None,
                   opened: zipfile.ZipFile | None = None) -> Path:
    """Refuse anything that is not a safe, bounded .xlsx/.xlsm; return the path when it is.

    ``data``: the file's bytes when a reader already holds them (``path`` then only names the file).
    ``collect``: a dict that receives every checked XML part's inflated bytes, so the reader need not
    inflate them again. ``opened``: the reader's ``zipfile.ZipFile`` over ``data``, when it has one
    (its central directory is then read once, not twice).
    """
    return _check(Path(path), WORKBOOK, limits, data, collect, opened)


def check_ods(path: str | Path, limits: ZipLimits = ZIP, *, data: bytes | None = None, collect: dict | None = None) -> Path:
    """Refuse anything that is not a safe, bounded OpenDocument spreadsheet (.ods); return the path when it is."""
    return _check(Path(path), ODS, limits, data, collect)


def check_document(path: str | Path, limits: ZipLimits = ZIP, *, data: bytes | None = None, collect: dict | None = None) -> Path:
    """Refuse anything that is not a safe, bounded .docx; return the path when it is (``collect``: as for
    :func:`check_workbook`)."""
    return _check(Path(path), DOCUMENT, limits, data, collect)



def _check(p: Path, expect: Expect, limits: ZipLimits, data: bytes | None = None, collect: dict | None = None,
           opened: zipfile.ZipFile | None = None) -> Path:
    size = _stat(p) if data is None else len(data)
    if size == 0:
        raise XlgovaError("文件是空的（0 字节），可能保存或传输时出错", path=p, hint=REOBTAIN)
    if size > limits.file_bytes:
        raise XlgovaError(
            _spaced(f"文件过大（{_mb(size)}，上限 {_mb(limits.file_bytes)}），不像一份年度报告{expect.name}"),
            path=p,
            hint="可能粘贴了大量无关数据或图片；请删除多余内容后另存再试。",
        )
    head = _head(p, 8192) if data is None else data[:8192]
    if not head.startswith(ZIP_MAGICS):
        raise XlgovaError(_spaced(describe_foreign(p, head, expect, data)), path=p, hint=_foreign_hint(head, expect))
    try:
        with nullcontext(opened) if opened is not None else zipfile.ZipFile(p if data is None else io.BytesIO(data)) as zf:
            infos = _check_directory(p, zf, expect, limits)
            for info in infos:
                _check_member(p, zf, info, limits, collect)
    except XlgovaError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, struct.error) as e:
        raise XlgovaError(_spaced(f"文件不完整或已损坏（{_zip_reason(e)}），无法作为{expect.name}读取"), path=p, hint=REOBTAIN) from None
    except PermissionError:
        raise XlgovaError("没有权限读取该文件", path=p, hint="请检查文件权限，或把文件复制到自己的文件夹后再试。") from None
    except (OSError, ValueError, NotImplementedError, RuntimeError):
        raise XlgovaError(_spaced(f"文件已损坏，无法解压，不能作为{expect.name}读取"), path=p, hint=REOBTAIN) from None
    return p


def _stat(p: Path) -> int:
    """The size of a regular input file (a FIFO, a device, a symlink loop: refused by ``inputs``)."""
    from ..inputs import check_input_file

    size = check_input_file(p, "文件").stat().st_size
    if size == 0:
        raise XlgovaError("文件是空的（0 字节），可能保存或传输时出错", path=p, hint=REOBTAIN)
    return size


def _head(p: Path, n: int) -> bytes:
    try:
        with p.open("rb") as f:
            return f.read(n)
    except PermissionError:
        raise XlgovaError("没有权限读取该文件", path=p, hint="请检查文件权限，或把文件复制到自己的文件夹后再试。") from None
    except OSError as e:
        raise XlgovaError(f"无法读取文件（{e.strerror}）", path=p) from None


def _check_directory(p: Path, zf: zipfile.ZipFile, expect: Expect, limits: ZipLimits) -> list[zipfile.ZipInfo]:
    """Everything decidable from the central directory alone, before a byte is inflated."""
    infos = zf.infolist()
    if len(infos) > limits.members:
        raise XlgovaError(f"压缩包内文件数异常（{len(infos)} 个，上限 {limits.members}），已拒绝读取", path=p, hint=REOBTAIN)
    names = [i.filename for i in infos]
    if len(set(names)) != len(names):
        raise XlgovaError("压缩包内有重名的部件，文件结构异常，已拒绝读取", path=p, hint=REOBTAIN)
    _check_kind(p, zf, set(names), expect)
    total = 0
    for info in infos:
        total += info.file_size
        ratio_ok = info.file_size <= limits.ratio_floor or info.file_size <= limits.ratio * max(info.compress_size, 1)
        if not ratio_ok:
            raise XlgovaError(
                f"部件 {info.filename} 的压缩比异常（{info.file_size // max(info.compress_size, 1)} 倍），疑似“压缩炸弹”，已拒绝读取",
                path=p,
                hint="该文件不是正常保存的工作簿；请向报送单位重新索取。",
            )
        if info.file_size > limits.member_bytes:
            raise XlgovaError(
                f"部件 {info.filename} 解压后过大（{_mb(info.file_size)}，上限 {_mb(limits.member_bytes)}），已拒绝读取",
                path=p,
                hint="可能粘贴了大量无关数据；请删除多余的行或工作表后另存再试。",
            )
    if total > limits.total_bytes:
        raise XlgovaError(f"文件解压后总大小异常（{_mb(total)}，上限 {_mb(limits.total_bytes)}），已拒绝读取", path=p, hint=REOBTAIN)
    return infos


def _check_kind(p: Path, zf: zipfile.ZipFile, names: set[str], expect: Expect) -> None:
    if any(m in names for m in expect.main_parts):
        return
    kind = _zip_kind(zf, names)
    raise XlgovaError(_spaced(f"这是{kind}，不是{expect.name}"), path=p, hint=expect.save_as if kind != "普通 ZIP 压缩包" else "请解压后选择其中的报告文件。")


def _zip_kind(zf: zipfile.ZipFile, names: set[str]) -> str:
    if "mimetype" in names:
        try:
            mime = zf.read("mimetype")[:100].decode("ascii", "replace")
        except Exception:  # noqa: BLE001 - only used to word a message
            mime = ""
        if "spreadsheet" in mime:
            return "OpenDocument 表格（.ods）"
        if "text" in mime:
            return "OpenDocument 文本（.odt）"
        return "OpenDocument 文件"
    if "xl/workbook.bin" in names:
        return "Excel 二进制工作簿（.xlsb）"
    if "xl/workbook.xml" in names:
        return "Excel 工作簿（.xlsx）"
    if "word/document.xml" in names:
        return "Word 文档（.docx）"
    if "ppt/presentation.xml" in names:
        return "PowerPoint 演示文稿（.pptx）"
    if "[Content_Types].xml" in names:
        return "缺少主体部件的 Office 文件（可能已损坏）"
    return "普通 ZIP 压缩包"


def _check_member(p: Path, zf: zipfile.ZipFile, info: zipfile.ZipInfo, limits: ZipLimits, collect: dict | None = None) -> None:
    """Inflate the part in 1 MB steps, never trusting its header: more output than declared is refused
    (a bomb hiding behind a small declared size), less or a wrong CRC means a damaged file."""
    if info.is_dir():
        return
    if info.flag_bits & 0x1:
        raise XlgovaError(f"部件 {info.filename} 经过 ZIP 加密，无法读取", path=p, hint="请去除密码后另存，再重新提交。")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise XlgovaError(f"部件 {info.filename} 使用了 Office 不会使用的压缩方式，已拒绝读取", path=p, hint=REOBTAIN)
    binary = info.filename.lower().endswith(_BINARY_SUFFIXES)
    prolog, tail, size, crc = b"", b"", 0, 0
    chunks: list[bytes] | None = [] if collect is not None and not binary else None
    for chunk in _inflate(zf, info):
        if chunks is not None:
            chunks.append(chunk)
        size += len(chunk)
        if size > info.file_size:
            raise XlgovaError(
                f"部件 {info.filename} 实际解压后超过其声明的大小（{_mb(info.file_size)}），疑似“压缩炸弹”，已拒绝读取",
                path=p,
                hint="该文件不是正常保存的工作簿；请向报送单位重新索取。",
            )
        crc = zlib.crc32(chunk, crc)
        if not binary:
            if len(prolog) < limits.prolog_bytes:
                prolog += chunk[: limits.prolog_bytes - len(prolog)]
            tail = (tail + chunk)[-512:]
    if size != info.file_size or crc != info.CRC:
        raise zipfile.BadZipFile(f"CRC mismatch in {info.filename}")
    if chunks is not None:
        collect[info.filename] = b"".join(chunks)
    if not binary:
        root = _check_prolog(p, info.filename, prolog, limits)
        if root is not None and not _ends_with_root(_as_utf8(tail, _encoding(prolog)), root):
            raise XlgovaError(
                f"部件 {info.filename} 的 XML 不完整（缺少结尾的 </{root.decode('utf-8', 'replace')}>），文件已损坏",
                path=p,
                hint="可能是其他软件保存时出错；请在 Excel/WPS 中打开、确认内容后另存，或向报送单位重新索取。",
            )


def _inflate(zf: zipfile.ZipFile, info: zipfile.ZipInfo, step: int = 2**20):
    """Yield the part's bytes from its raw compressed data (zipfile would stop quietly at the declared size)."""
    fp = zf.fp
    fp.seek(info.header_offset)
    local = fp.read(30)
    if len(local) != 30 or local[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"bad local header for {info.filename}")
    name_len, extra_len = struct.unpack("<HH", local[26:30])
    fp.seek(info.header_offset + 30 + name_len + extra_len)
    left = info.compress_size
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    if inflater is not None and left <= step and info.file_size < step:  # every part of a normal workbook
        raw = fp.read(left)
        if len(raw) != left:
            raise zipfile.BadZipFile(f"truncated data for {info.filename}")
        yield inflater.decompress(raw, info.file_size + 1) + (b"" if inflater.unconsumed_tail else inflater.flush())
        if inflater.unconsumed_tail:  # more output than declared: let the caller see it and refuse
            yield inflater.decompress(inflater.unconsumed_tail, step)
        return
    while left > 0:
        raw = fp.read(min(step, left))
        if not raw:
            raise zipfile.BadZipFile(f"truncated data for {info.filename}")
        left -= len(raw)
        if inflater is None:
            yield raw
            continue
        data = inflater.decompress(raw, step)
        while data:
            yield data
            data = inflater.decompress(inflater.unconsumed_tail, step) if inflater.unconsumed_tail else b""
    if inflater is not None:
        tail = inflater.flush()
        if tail:
            yield tail


def check_xml_document(path: str | Path, xml: bytes, name: str, limits: ZipLimits = ZIP) -> None:
    """Refuse a standalone XML document (a Word 2003 XML file saved as .doc) that declares a DOCTYPE or
    entities, before any converter or parser reads it: the same check as for every part of a package."""
    _check_prolog(Path(path), name, xml[: limits.prolog_bytes], limits)


def _check_prolog(p: Path, name: str, prolog: bytes, limits: ZipLimits) -> bytes | None:
    """A DOCTYPE can only sit before the root element: scanning the prolog finds every entity declaration.

    Returns the root element's name (None when the part is not XML, or its root does not start in the prolog).
    """
    text = _as_utf8(prolog, _encoding(prolog))
    if not text.lstrip().startswith(b"<"):
        return None  # not XML (e.g. a text part); parsers of OOXML never read it as XML
    root = _ROOT_START.search(text)
    head = text if root is None else text[: root.start()]
    if _DOCTYPE.search(head):
        raise XlgovaError(
            f"部件 {name} 含有 XML 文档类型/实体声明（DOCTYPE/ENTITY），可能是恶意构造的文件，已拒绝读取",
            path=p,
            hint="正常保存的 Excel/Word 文件不含此类声明；请向报送单位重新索取。",
        )
    if root is None:
        if len(prolog) >= limits.prolog_bytes:
            raise XlgovaError(f"部件 {name} 的 XML 开头异常（超过 {limits.prolog_bytes // 1024} KB 仍未见根元素），已拒绝读取", path=p, hint=REOBTAIN)
        return None
    gt = text.find(b">", root.start())
    if gt > 0 and text[gt - 1: gt] == b"/":
        return None  # the whole document is one empty root element: nothing can be cut from it
    return _ROOT_NAME.match(text, root.start()).group(1)


def _ends_with_root(tail: bytes, root: bytes) -> bool:
    """After the root element only comments, processing instructions and white space may follow."""
    end = tail.rstrip()
    if end.endswith(b"</" + root + b">"):  # how every program writes it
        return True
    for _ in range(16):
        if end.endswith(b"-->") and b"<!--" in end:
            end = end[: end.rindex(b"<!--")].rstrip()
        elif end.endswith(b"?>") and b"<?" in end:
            end = end[: end.rindex(b"<?")].rstrip()
        else:
            break
    return re.search(rb"</" + re.escape(root) + rb"\s*>$", end) is not None


def _encoding(prolog: bytes) -> str:
    if prolog[:2] in (b"\xff\xfe", b"<\x00"):
        return "utf-16-le"
    if prolog[:2] in (b"\xfe\xff", b"\x00<"):
        return "utf-16-be"
    return "utf-8"


def _as_utf8(data: bytes, encoding: str = "utf-8") -> bytes:
    """XML parts may be UTF-16; fold to UTF-8 so one byte pattern finds a DOCTYPE in either."""
    if encoding != "utf-8":
        return data[: len(data) // 2 * 2].decode(encoding, "ignore").lstrip("\ufeff").encode("utf-8")
    return data[3:] if data.startswith(b"\xef\xbb\xbf") else data


def _foreign_hint(head: bytes, expect: "Expect") -> str:
    if head.startswith(OLE2_MAGIC):
        return ""  # _describe_ole2 already says what to do
    if head.startswith(b"PK"):
        return REOBTAIN
    return expect.save_as


def _zip_reason(e: Exception) -> str:
    msg = str(e)
    if "not a zip file" in msg:
        return "缺少 ZIP 目录，文件可能被截断"
    if "CRC" in msg or "Error -3" in msg or "truncated" in msg:
        return "数据校验失败"
    if "Overlapped" in msg:
        return "部件相互重叠，疑似压缩炸弹"
    return "压缩包结构异常"  # zipfile's other messages are English


_CJK_LATIN = re.compile(r"(?<=[" + HAN + r"])(?=[A-Za-z0-9.])|(?<=[A-Za-z0-9)])(?=[" + HAN + r"])")


def _spaced(text: str) -> str:
    """这是PDF 文件 -> 这是 PDF 文件: messages are assembled from parts, keep their typography even."""
    return _CJK_LATIN.sub(" ", text)


def _mb(n: int) -> str:
    return f"{n / 2**20:.1f} MB" if n >= 2**20 else f"{n / 1024:.0f} KB"
