"""More cases of the bad-input corpus (see make_bad_inputs.py): parsers pushed past their bounds, special files,
undecodable names, control characters, odd digits and names (issue 13, "No file can stop the county").

``special`` cases are not bytes but a kind of file (a FIFO, a symlink to a device, a symlink loop) that
``generate`` makes with the operating system's calls.
"""
from __future__ import annotations

import base64
import io
import os
import struct
import zlib

UNUSABLE, FINDINGS, OK = 2, 1, 0
GBK_NAME = os.fsdecode("海城街道2021".encode("gbk") + b".xlsx")  # what a Windows zip tool leaves in a Linux folder


def register_bounds(case, h) -> None:
    # -- workbooks whose cells reach far beyond the template ----------------------------------------------
    case("far_cell", "远处的单元格.xlsx", "结构", "唯一多出的单元格在 XFD1048576（python-calamine 会按 512 GB 分配表格）", (OK, FINDINGS),
         (), (("workbook.out_of_range", None),), template=True, numbers="*")(
        lambda b: h.edit_xml(b.xlsx, h._sheet_part(b.xlsx, "依申请公开"), _far_cell))
    case("control_chars", "控制字符.xlsx", "数值", "单位名称含 ESC、BEL、CR（_x001B_ 等），想清屏或伪造“结论：通过”", (OK, FINDINGS), (),
         template=True)(lambda b: h.set_cell_xml(b.xlsx, "封面", "B3", "海城_x001B_[2J_x0007_街道_x000D_  结论：通过"))
    case("unusual_digits", "奇怪的数字.xlsx", "数值", "数字格中写带圈“⑫”、上标“²”、数学粗体“𝟓”", FINDINGS, (),
         (("value.invalid", "apps.new.natural"), ("value.invalid", "apps.new.business"),
          ("value.invalid", "apps.new.research")), template=True)(
        lambda b: _set_cells(h, b, {"apps.new.natural": "⑫", "apps.new.business": "²", "apps.new.research": "𝟓"}))
    case("names_other_case", "名称大小写.xlsx", "结构", "另有一个大写的 GOVA.* 定义名称指向别的工作表", (OK, FINDINGS),
         (), (("workbook.name_duplicated", None),), template=True)(lambda b: _shadow_name(h, b))

    # -- documents past the parsers' bounds -----------------------------------------------------------------
    case("html_many_tables", "十万表格.html", "文档", "含 100,000 个表格的网页（约 3 MB）", UNUSABLE, ("表格", "上限"))(
        lambda b: b"<html><body>" + b"<table><tr><td>1</td></tr></table>" * 100_000 + b"</body></html>")
    case("docx_nested_tables", "层层表格.docx", "文档", "表格里套表格，嵌套 60 层的 .docx", UNUSABLE, ("嵌套", "上限"))(
        lambda b: _docx_body(_nested_tables(60)))
    case("docx_many_tables", "两千表格.docx", "文档", "含 2,000 个表格的 .docx", UNUSABLE, ("表格", "上限"))(
        lambda b: _docx_body(_tables(2000)))
    case("pdf_stream_bomb", "解压炸弹.pdf", "文档", "一个数据流解压后 512 MB 的 PDF", UNUSABLE, ("压缩炸弹",))(lambda b: _pdf_bomb(h))
    case("pdf_lzw_bomb", "LZW炸弹.pdf", "文档", "一个 LZW 压缩的数据流解压后 512 MB 的 PDF（约 0.2 MB）", UNUSABLE, ("压缩炸弹",))(
        lambda b: _pdf([_lzw_zeros(512)], filters=[b"/LZWDecode"]))
    case("pdf_a85_flate_bomb", "ASCII85炸弹.pdf", "文档", "ASCII85 与 Flate 两层压缩、解压后 512 MB 的 PDF", UNUSABLE, ("压缩炸弹",))(
        lambda b: _pdf([base64.a85encode(_deflated_bomb(h, 512)) + b"~>"], filters=[b"[/ASCII85Decode /FlateDecode]"]))
    case("pdf_runlength_bomb", "游程炸弹.pdf", "文档", "RunLength 压缩、解压后 64 MB 的 PDF（1 MB）", UNUSABLE, ("压缩炸弹",))(
        lambda b: _pdf([b"\x81\x00" * (2**19) + b"\x80"], filters=[b"/RunLengthDecode"]))
    case("pdf_unknown_filter", "未知压缩.pdf", "文档", "数据流使用未知的压缩方式（/XYZDecode）", UNUSABLE,
         ("无法预先检查",))(lambda b: _pdf([b"BT ET"], filters=[b"/XYZDecode"]))
    case("pdf_many_glyphs", "满页字符.pdf", "文档", "一页上有 150,000 个字符的 PDF", UNUSABLE, ("字符", "上限"))(
        lambda b: _pdf([b"BT /F1 1 Tf 5 5 Td (" + b"A" * 150_000 + b") Tj ET"]))
    case("html_bad_bytes", "乱码网页.html", "文档", "编码混乱的网页（beautifulsoup 会用英文警告“Some characters could not be decoded”）",
         (FINDINGS, UNUSABLE), ())(lambda b: "<html><body><p>一、总体情况</p>".encode("utf-8") + bytes(range(0x80, 0x100)) * 4 + b"</body></html>")

    # -- report JSON ------------------------------------------------------------------------------------------
    case("json_deep", "嵌套十万层.json", "JSON", "嵌套 100,000 层的报告 JSON", UNUSABLE, ("嵌套", "第1行"))(
        lambda b: b"[" * 100_000 + b"]" * 100_000)
    case("json_long_number", "五千位数字.json", "JSON", "含 5,000 位数字的报告 JSON", UNUSABLE, ("数字过长", "第"))(
        lambda b: _json('{"format": "2021", "year": 2021, "agency": "海城街道办事处", "values": {"apps.new.natural": %s}}' % ("9" * 5000)))
    case("json_digit_string", "五千位字符串.json", "JSON", "值为 5,000 位数字字符串的报告 JSON", FINDINGS, (),
         (("value.too_large", None),))(
        lambda b: _json('{"format": "2021", "year": 2021, "agency": "海城街道办事处", "values": {"apps.new.natural": "%s"}}' % ("9" * 5000)))
    case("json_year_huge", "年度十的三十次方.json", "JSON", "统计年度为 10^30 的报告 JSON", FINDINGS, (), (("report.year_implausible", None),))(
        lambda b: _json('{"format": "2021", "year": %d, "agency": "海城街道办事处", "values": {}}' % 10**30))
    case("json_control_chars", "控制字符.json", "JSON", "单位名称含 ESC 等控制字符的报告 JSON", (OK, FINDINGS), ())(
        lambda b: _json('{"format": "2021", "year": 2021, "agency": "海城\\u001b[2J\\u0007街道\\r结论：通过", "values": {}}'))

    # -- special files and names ------------------------------------------------------------------------------
    case("fifo_json", "管道.json", "特殊文件", "命名管道（FIFO）名为 .json（读取会永远等待）", UNUSABLE, ("管道",))(lambda b: "fifo")
    case("fifo_xlsx", "管道.xlsx", "特殊文件", "命名管道（FIFO）名为 .xlsx", UNUSABLE, ("管道",))(lambda b: "fifo")
    case("dev_zero_txt", "无穷.txt", "特殊文件", "指向 /dev/zero 的符号链接，名为 .txt（读取会耗尽内存）", UNUSABLE, ("设备",))(
        lambda b: "link:/dev/zero")
    case("symlink_loop", "循环.xlsx", "特殊文件", "指向自身的符号链接（循环）", UNUSABLE, ("循环",))(lambda b: "loop")
    case("gbk_name", GBK_NAME, "路径", "文件名不是 UTF-8（GBK 字节，Windows 解压工具留下的）", (OK,), (), template=True, numbers="*")(
        lambda b: b.xlsx)


def _json(text: str) -> bytes:
    return text.encode("utf-8")


def _set_cells(h, b, values: dict) -> bytes:
    data = b.xlsx
    for cid, value in values.items():
        sheet, address = b.address(cid)
        data = h.set_cell_xml(data, sheet, address, value)
    return data


def _far_cell(xml: str) -> str:
    return xml.replace("</sheetData>", '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>', 1)


def _shadow_name(h, b) -> bytes:
    """A second name GOVA.apps.new.natural (Excel names ignore case) pointing at 封面!B3 after the real one."""
    def fn(xml: str) -> str:
        extra = "<definedName name=\"GOVA.apps.new.natural\">'封面'!$B$3</definedName>"
        return xml.replace("</definedNames>", extra + "</definedNames>", 1)
    return h.edit_xml(b.xlsx, "xl/workbook.xml", fn)


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _cell(inner: str) -> str:
    return f"<w:tc><w:tcPr><w:tcW w:w=\"100\" w:type=\"dxa\"/></w:tcPr>{inner}<w:p/></w:tc>"


def _table(inner: str) -> str:
    return f"<w:tbl><w:tblPr/><w:tblGrid><w:gridCol w:w=\"100\"/></w:tblGrid><w:tr>{_cell(inner)}</w:tr></w:tbl>"


def _nested_tables(depth: int) -> str:
    inner = "<w:p><w:r><w:t>一、总体情况</w:t></w:r></w:p>"
    for _ in range(depth):
        inner = _table(inner)
    return inner


def _tables(n: int) -> str:
    return "".join(_table("<w:p><w:r><w:t>1</w:t></w:r></w:p>") + "<w:p/>" for _ in range(n))


def _docx_body(body: str) -> bytes:
    """A real .docx (python-docx's default) with ``body`` as the content of word/document.xml."""
    import zipfile

    from _bad_input_cases import _docx

    data = _docx()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body_xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {_W}><w:body>{body}'
                        '<w:sectPr/></w:body></w:document>').encode() if info.filename == "word/document.xml" else src.read(info)
            dst.writestr(info.filename, body_xml)
    return out.getvalue()


def _pdf(contents: list[bytes], filters: list[bytes] | None = None) -> bytes:
    """A minimal valid PDF: one page per content stream, Helvetica as /F1, a correct xref table. A stream's
    filter: none, a /Name or [/Chain] as given, or /FlateDecode for any other word."""
    n = len(contents)
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(n)) + b"] /Count %d >>" % n,
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    for i, body in enumerate(contents):
        objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
                    b"/Contents %d 0 R >>" % (5 + 2 * i))
        f = filters[i] if filters else b""
        extra = b" /Filter " + (f if f[:1] in (b"/", b"[") else b"/FlateDecode") if f else b""  # b"flate": Flate
        objs.append(b"<< /Length %d%s >>\nstream\n" % (len(body), extra) + body + b"\nendstream")
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    for k, obj in enumerate(objs, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % k + obj + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref))
    return out.getvalue()


def _pdf_bomb(h) -> bytes:
    """A page whose content stream is 512 MB of zeros deflated to ~0.5 MB (zlib-wrapped, as /FlateDecode)."""
    return _pdf([_deflated_bomb(h, 512)], filters=[b"flate"])


def _lzw_zeros(mib: int) -> bytes:
    """LZW codes (9–12 bits, the early change of PDF's LZWDecode) for ``mib`` MiB of zeros: entries of ever
    longer runs up to code 4095 (~3,840 bytes), then that code again and again: ~2,700× in ~0.2 MB."""
    bits, nbits = 0, 9
    out, acc = bytearray(), 0

    def put(code):
        nonlocal acc, bits
        acc, bits = (acc << nbits) | code, bits + nbits
        while bits >= 8:
            bits -= 8
            out.append((acc >> bits) & 0xFF)
        acc &= (1 << bits) - 1

    put(256)
    put(0)
    table, made = 258, 1
    while made < mib * 2**20:
        code = min(table, 4095)
        put(code)
        made += code - 256 if code == table else 4095 - 256
        table += 1
        nbits = 9 if table < 511 else 10 if table < 1023 else 11 if table < 2047 else 12
    put(257)
    return bytes(out + (bytes([(acc << (8 - bits)) & 0xFF]) if bits else b""))


def _deflated_bomb(h, mib: int) -> bytes:
    """``mib`` MiB of zeros as a zlib stream (what /FlateDecode reads)."""
    raw, _crc = h.deflated_zeros(mib)
    adler, block = 1, bytes(2**20)
    for _ in range(mib):
        adler = zlib.adler32(block, adler)
    return b"\x78\xda" + raw + struct.pack(">I", adler)


def is_special(built) -> bool:
    return isinstance(built, str)


def make_special(target, kind: str) -> None:
    """Create the special file ``kind`` ("fifo", "loop", "link:<target>") at ``target``."""
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "loop":
        os.symlink(target.name, target)
    elif kind.startswith("link:"):
        os.symlink(kind[5:], target)
    else:  # pragma: no cover
        raise ValueError(kind)


__all__ = ["register_bounds", "is_special", "make_special", "GBK_NAME"]
