"""The cases of the bad-input corpus (see make_bad_inputs.py): each builds the bytes of one file.

``exit`` lists the exit codes `xlgova validate` may answer with; ``says`` the words its message must contain;
``rules`` the (rule, cell id) findings a readable-but-wrong workbook must produce; ``numbers`` the values the
reader must return for unambiguous spellings.
"""
from __future__ import annotations

import io
import re
import zipfile

UNUSABLE, FINDINGS, OK = 2, 1, 0


def register_all(case, h) -> None:  # noqa: C901 - a flat list of cases reads best
    # -- not a workbook at all ----------------------------------------------------------------------------
    case("empty", "空文件.xlsx", "文件类型", "0 字节的 .xlsx", UNUSABLE, ("空的",))(lambda b: b"")
    case("blank_text", "blank.xlsx", "文件类型", "只含空白的 .xlsx", UNUSABLE, ("不是",))(lambda b: b" \r\n\t\n")
    case("text_renamed", "notes.xlsx", "文件类型", "文本文件改名为 .xlsx", UNUSABLE, ("纯文本", "另存为"))(
        lambda b: "这是一份说明文字，不是表格。\n".encode("gb18030"))
    case("xls_renamed", "old_format.xlsx", "文件类型", ".xls（Excel 97-2003）改名为 .xlsx", UNUSABLE, (".xls",))(
        lambda b: h.cfb("Workbook", b"\x09\x08\x10\x00\x00\x06\x05\x00"))
    case("xls", "old_format.xls", "文件类型", ".xls 文件", UNUSABLE, (".xls",))(
        lambda b: h.cfb("Workbook", b"\x09\x08\x10\x00\x00\x06\x05\x00"))
    case("doc_renamed", "word97.xlsx", "文件类型", "Word 97-2003 .doc 改名为 .xlsx", UNUSABLE, (".doc",))(
        lambda b: h.cfb("WordDocument"))
    case("xlsb_renamed", "binary.xlsx", "文件类型", ".xlsb 改名为 .xlsx", UNUSABLE, (".xlsb", "另存为"))(lambda b: _xlsb())
    case("xlsb", "binary.xlsb", "文件类型", ".xlsb 文件", UNUSABLE, (".xlsb", "另存为"))(lambda b: _xlsb())
    case("ods_renamed", "calc.xlsx", "文件类型", ".ods 改名为 .xlsx", UNUSABLE, (".ods",))(lambda b: _ods())
    case("ods", "calc.ods", "文件类型", ".ods 文件", UNUSABLE, (".ods",))(lambda b: _ods())
    case("csv_renamed", "export.xlsx", "文件类型", "CSV 改名为 .xlsx", UNUSABLE, ("CSV", "另存为"))(
        lambda b: "项目,自然人,商业企业\n本年新收,12,3\n".encode("gb18030"))
    case("csv", "export.csv", "文件类型", ".csv 文件", UNUSABLE, ("CSV", "另存为"))(lambda b: "项目,数量\n收到申请,12\n".encode())
    case("html_as_xlsx", "网站导出.xlsx", "文件类型", "网页（HTML）另存的“表格”", UNUSABLE, ("网页", "另存为"))(
        lambda b: '<html><head><meta charset="utf-8"></head><body><table><tr><td>自然人</td><td>12</td></tr></table></body></html>'.encode())
    case("pdf_renamed", "scan.xlsx", "文件类型", "PDF 改名为 .xlsx", UNUSABLE, ("PDF",))(lambda b: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    case("docx_as_xlsx", "report.xlsx", "文件类型", "Word .docx 改名为 .xlsx", UNUSABLE, ("Word", "另存为"))(lambda b: _docx())
    case("plain_zip", "attachments.xlsx", "文件类型", "普通 ZIP 压缩包改名为 .xlsx", UNUSABLE, ("ZIP", "解压"))(lambda b: _plain_zip())
    case("binary_junk", "junk.xlsx", "文件类型", "随机二进制数据", UNUSABLE, ("无法识别",))(lambda b: bytes(range(256)) * 64)

    # -- damaged -----------------------------------------------------------------------------------------
    case("truncated", "下载中断.xlsx", "损坏", "下载中断、只剩前一半的 .xlsx", UNUSABLE, ("损坏",), template=True)(
        lambda b: b.xlsx[: len(b.xlsx) // 2])
    case("truncated_tail", "tail_cut.xlsx", "损坏", "缺最后 30 字节（ZIP 目录不完整）", UNUSABLE, ("损坏",), template=True)(
        lambda b: b.xlsx[:-30])
    case("crc_damaged", "bitrot.xlsx", "损坏", "压缩数据中有字节损坏", UNUSABLE, ("损坏",), template=True)(lambda b: _flip(b.xlsx))
    case("no_workbook_part", "hollow.xlsx", "损坏", "缺少 xl/workbook.xml 的 Office 包", UNUSABLE, ("不是",), template=True)(
        lambda b: h.rezip(b.xlsx, {"xl/workbook.xml": None}))
    case("malformed_sheet_xml", "broken_xml.xlsx", "损坏", "工作表 XML 不完整", UNUSABLE, ("不完整",), template=True)(
        lambda b: _break_sheet(h, b))

    # -- hostile -----------------------------------------------------------------------------------------
    case("zip_bomb", "bomb.xlsx", "安全", "压缩炸弹：一个工作表声明解压后 1 GB", UNUSABLE, ("压缩",), template=True)(
        lambda b: _bomb(h, b, honest=True))
    case("zip_bomb_lying", "bomb_lying.xlsx", "安全", "压缩炸弹：声明大小很小、实际解压 512 MB", UNUSABLE, ("压缩炸弹",), template=True)(
        lambda b: _bomb(h, b, honest=False))
    case("many_members", "many_parts.xlsx", "安全", "压缩包内 6000 个部件", UNUSABLE, ("文件数",), template=True)(
        lambda b: h.rezip(b.xlsx, add={f"xl/junk/{i}.xml": b"<a/>" for i in range(6000)}))
    case("entity_expansion", "laughs.xlsx", "安全", "XML 实体膨胀（billion laughs）在 sharedStrings.xml", UNUSABLE,
         ("DOCTYPE",), template=True)(lambda b: _with_doctype(h, b, h.DOCTYPE_BOMB, b"&j;"))
    case("external_entity", "xxe.xlsx", "安全", "XML 外部实体（读取 /etc/passwd）在 workbook.xml", UNUSABLE, ("DOCTYPE",), template=True)(
        lambda b: h.with_doctype(b.xlsx, "xl/workbook.xml", h.XXE))
    case("encrypted", "加密.xlsx", "安全", "设置了打开密码的工作簿", UNUSABLE, ("加密", "密码"), template=True)(lambda b: _encrypt(b.xlsx))

    # -- structure ---------------------------------------------------------------------------------------
    case("other_template", "自制表格.xlsx", "结构", "其他单位自制的表格（不是 xlgova 模板）", UNUSABLE, ("模板",))(lambda b: h.plain_xlsx())
    case("sheet_deleted", "少了复议诉讼.xlsx", "结构", "删除了“复议诉讼”工作表", (FINDINGS, UNUSABLE), ("复议诉讼",), template=True)(
        lambda b: h.edit_xml(b.xlsx, "xl/workbook.xml", _delete_sheet("复议诉讼")))
    case("sheet_renamed", "改了表名.xlsx", "结构", "“依申请公开”工作表被改名", (OK,), (), template=True, numbers="*")(
        lambda b: _rename_sheet(h, b, "依申请公开", "Sheet3"))
    case("names_dropped", "没有名称.xlsx", "结构", "删除了全部 gova.* 定义名称", (OK, FINDINGS), (), template=True,
         numbers="*")(
        lambda b: h.edit_xml(b.xlsx, "xl/workbook.xml", lambda x: re.sub(r'<definedName name="gova\.[^"]*"[^>]*>[^<]*</definedName>', "", x)))
    case("rows_inserted", "插入了行.xlsx", "结构", "去掉保护后在表格中插入行（名称未随之移动）", (FINDINGS, UNUSABLE), (), template=True)(
        lambda b: h.edit_xml(b.xlsx, h._sheet_part(b.xlsx, "依申请公开"), _insert_rows(8, 2, "插入的行")))
    case("merged_broken", "合并单元格.xlsx", "结构", "表头合并单元格被拆开、数据区被合并", (OK, FINDINGS), (), template=True)(
        lambda b: h.edit_xml(b.xlsx, h._sheet_part(b.xlsx, "依申请公开"), _break_merges))
    case("total_typed", "合计手填.xlsx", "结构", "合计单元格的公式被手填数字覆盖（且数字不对）", (FINDINGS,),
         (), (("workbook.total_overwritten", "apps.new.total"),), template=True)(
        lambda b: h.set_cell(b, "apps.new.total", (b.number("apps.new.total") or 0) + 5))
    case("total_other_formula", "合计公式被改.xlsx", "结构", "合计公式被换成别的公式（Excel 保存了其结果）", (FINDINGS,), (), (("workbook.total_overwritten", "apps.new.total"),), template=True)(
        lambda b: _other_formula(h, b))
    case("extra_junk_sheet", "多了工作表.xlsx", "结构", "多出一个填满内容的工作表", (OK,), (), template=True, numbers="*")(
        lambda b: _add_sheet(h, b.xlsx, "草稿", 200))

    # -- values ------------------------------------------------------------------------------------------
    def value_case(name, what, cid, make, exit, rules=(), numbers=None):
        case(name, f"{name}.xlsx", "数值", what, exit, (), rules, numbers, template=True)(lambda b: h.set_cell(b, cid, make(b, cid)))

    value_case("chinese_numeral", "数字格中写“十二”", "art20_6.penalty.decisions", lambda b, c: "十二", FINDINGS, (("value.invalid", "art20_6.penalty.decisions"),))
    value_case("number_with_unit", "数字格中写“12件”", "art20_6.coercion.decisions", lambda b, c: "12件", FINDINGS, (("value.invalid", "art20_6.coercion.decisions"),))
    value_case("thousands", "数字格中写“1,234”", "art20_5.licensing.decisions", lambda b, c: "1,234", OK,
               (("value.normalised", "art20_5.licensing.decisions"),), {"art20_5.licensing.decisions": 1234})
    value_case("fullwidth", "数字格中写全角“１２”", "art20_1.rules.issued", lambda b, c: _fullwidth(b.number(c)), OK,
               (("value.normalised", "art20_1.rules.issued"),), {"art20_1.rules.issued": "same"})
    value_case("spaces", "数字格中写“ 3 ”（前后有空格）", "art20_1.normative.repealed", lambda b, c: f" {b.number(c)} ", OK,
               (("value.normalised", "art20_1.normative.repealed"),), {"art20_1.normative.repealed": "same"})
    value_case("negative", "件数为负数", "review.reconsideration.upheld", lambda b, c: -3, FINDINGS, (("value.invalid", "review.reconsideration.upheld"),))
    value_case("fraction", "件数为小数 2.5", "apps.new.natural", lambda b, c: 2.5, FINDINGS, (("value.invalid", "apps.new.natural"),))
    value_case("huge_float", "件数为 1e30", "art20_6.penalty.decisions", lambda b, c: 1e30, FINDINGS, (("value.too_large", "art20_6.penalty.decisions"),))
    value_case("huge_int", "件数为 10**20", "art20_5.licensing.decisions", lambda b, c: 10**20, FINDINGS, (("value.too_large", "art20_5.licensing.decisions"),))
    value_case("formula_text", "数字格中写“=1+1”式的文字", "art20_6.penalty.decisions", lambda b, c: "'=cmd|' /C calc'!A0", FINDINGS,
               (("value.invalid", "art20_6.penalty.decisions"),))

    # -- published documents where a .docx/.txt/.html/.pdf is expected -------------------------------------
    case("docx_empty", "空文档.docx", "文档", "0 字节的 .docx", UNUSABLE, ("空的",))(lambda b: b"")
    case("docx_truncated", "截断.docx", "文档", "只剩前一半的 .docx", UNUSABLE, ("损坏",))(lambda b: _docx()[:15000])
    case("xlsx_as_docx", "其实是表格.docx", "文档", "Excel 工作簿改名为 .docx", UNUSABLE, ("Excel 工作簿",), template=True)(lambda b: b.xlsx)
    case("doc_as_docx", "旧文档.docx", "文档", "Word 97-2003 .doc 改名为 .docx", UNUSABLE, (".doc",))(lambda b: h.cfb("WordDocument"))
    case("docx_entity", "实体.docx", "文档", "word/document.xml 含外部实体", UNUSABLE, ("DOCTYPE",))(
        lambda b: h.with_doctype(_docx(), "word/document.xml", h.XXE))
    case("docx_bomb", "炸弹.docx", "文档", "压缩炸弹 .docx（1 GB 的 document.xml）", UNUSABLE, ("压缩炸弹",))(lambda b: _docx_bomb(h))
    case("docx_encrypted", "加密文档.docx", "文档", "设置了打开密码的 .docx", UNUSABLE, ("加密",))(lambda b: _encrypt(_docx()))
    case("txt_binary", "乱码.txt", "文档", "扩展名 .txt 的二进制数据", UNUSABLE, ("文本",))(lambda b: bytes(range(256)) * 40)
    case("txt_empty", "空白.txt", "文档", "0 字节的 .txt", UNUSABLE, ("没有文字",))(lambda b: b"")
    case("txt_gbk", "国标编码.txt", "文档", "GB18030 编码的报告文字（截取开头）", FINDINGS, (), (("doc.table_missing", None),))(
        lambda b: "海城街道办事处2021年政府信息公开工作年度报告\n一、总体情况\n本年度共收到政府信息公开申请4件。\n".encode("gb18030"))
    case("html_deep", "层层嵌套.html", "文档", "嵌套 5 万层的 HTML", (FINDINGS, UNUSABLE), ())(
        lambda b: b"<html><body>" + b"<div>" * 50_000 + "一、总体情况".encode() + b"</div>" * 50_000 + b"</body></html>")
    case("pdf_broken", "坏文件.pdf", "文档", "只有文件头的 PDF", UNUSABLE, ("PDF",))(lambda b: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\n")
    case("mhtml_parts", "一万个部分.mhtml", "文档", "有 10,000 个部分的网页存档（.mhtml）", UNUSABLE, ("部分", "上限"))(lambda b: _mhtml_parts(10_000))
    case("mht_nested", "层层嵌套.mht", "文档", "多部分内容嵌套 50 层的 .mht", UNUSABLE, ("多部分",))(lambda b: _mhtml_nested(50))
    case("doc_garbage", "乱码.doc", "文档", "扩展名 .doc 的乱码", UNUSABLE, ("无法识别", "另存为 .docx"))(lambda b: bytes(range(256)) * 40)
    case("doc_zip", "压缩包.doc", "文档", "普通 ZIP 压缩包改名为 .doc", UNUSABLE, ("压缩包",))(lambda b: _plain_zip())
    case("doc_xml_entity", "模板导出.doc", "文档", "Word 2003 XML 的 .doc 含外部实体", UNUSABLE, ("DOCTYPE",))(
        lambda b: b'<?xml version="1.0"?>\n<!DOCTYPE w [<!ENTITY s SYSTEM "file:///etc/passwd">]>\n'
                  b'<?mso-application progid="Word.Document"?><w:wordDocument><w:body>&s;</w:body></w:wordDocument>')
    case("doc_broken", "坏文档.wps", "文档", "内容损坏的 Word 97-2003 / WPS 文档（LibreOffice 打不开）", UNUSABLE, ("另存为 .docx",))(
        lambda b: h.cfb("WordDocument", bytes(range(256)) * 16))

    # -- size and paths ----------------------------------------------------------------------------------
    case("big_junk", "大文件.xlsx", "规模", "“依申请公开”表下方粘贴了几十 MB 的无关行", (OK, FINDINGS, UNUSABLE), (), template=True)(
        lambda b: h.big_junk(b.xlsx, "依申请公开"))
    case("chinese_path", "县 政府/海城 街道 2021（定稿）.xlsx", "路径", "中文和空格的路径", (OK,), (), template=True, numbers="*")(
        lambda b: b.xlsx)


def _fullwidth(n) -> str:
    return str(n).translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in members.items():
            z.writestr(name, body)
    return out.getvalue()


CT = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'


def _xlsb() -> bytes:
    return _zip({"[Content_Types].xml": CT, "_rels/.rels": b"<Relationships/>", "xl/workbook.bin": b"\x83\x01\x00", "xl/worksheets/sheet1.bin": b"\x81\x01\x00"})


def _ods() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", '<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>')
        z.writestr("META-INF/manifest.xml", '<?xml version="1.0"?><manifest/>')
    return out.getvalue()


def _docx() -> bytes:
    import docx

    buf = io.BytesIO()
    d = docx.Document()
    d.add_paragraph("海城街道办事处2021年政府信息公开工作年度报告")
    d.save(buf)
    return buf.getvalue()


def _mhtml_parts(n: int) -> bytes:
    part = b"--B\r\nContent-Type: text/plain\r\n\r\nx\r\n"
    return b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="B"\r\n\r\n' + part * n + b"--B--\r\n"


def _mhtml_nested(depth: int) -> bytes:
    heads = b"".join(f'Content-Type: multipart/related; boundary="B{k}"\r\n\r\n--B{k}\r\n'.encode() for k in range(depth))
    return b"MIME-Version: 1.0\r\n" + heads + b"Content-Type: text/html\r\n\r\n<p>x</p>\r\n"


def _plain_zip() -> bytes:
    return _zip({"说明.txt": "附件".encode(), "报表/2021.csv": b"a,b\n1,2\n"})


def _flip(data: bytes) -> bytes:
    """Damage compressed bytes in the middle of the largest member (its CRC no longer matches)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        info = max(z.infolist(), key=lambda i: i.compress_size)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    mid = start + info.compress_size // 2
    b = bytearray(data)
    for i in range(mid, mid + 16):
        b[i] ^= 0x5A
    return bytes(b)


def _break_sheet(h, b) -> bytes:
    part = h._sheet_part(b.xlsx, "依申请公开")
    with zipfile.ZipFile(io.BytesIO(b.xlsx)) as z:
        xml = z.read(part)
    return h.rezip(b.xlsx, {part: xml[: len(xml) * 2 // 3]})


def _with_doctype(h, b, doctype: bytes, use: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(b.xlsx)) as z:
        names = set(z.namelist())
    member = "xl/sharedStrings.xml" if "xl/sharedStrings.xml" in names else h._sheet_part(b.xlsx, "封面")
    return h.with_doctype(b.xlsx, member, doctype, use)


def _bomb(h, b, *, honest: bool) -> bytes:
    """A real workbook whose 依申请公开 sheet inflates to zeros.

    Honest: 1 GB declared in the zip directory. Lying: 40 KB declared (with the CRC of those 40 KB, so a
    reader that stops at the declared size sees a valid part) while the stream inflates to 512 MB.
    """
    import zlib

    part = h._sheet_part(b.xlsx, "依申请公开")
    if honest:
        data, crc = h.deflated_zeros(1024)
        usize = 1024 * 2**20
    else:
        data, _ = h.deflated_zeros(512)
        usize, crc = 40_000, zlib.crc32(bytes(40_000))
    members = h.members_of(b.xlsx, skip={part})
    members.append((part, data, crc, usize, 8))
    return h.raw_zip(members)


def _docx_bomb(h) -> bytes:
    data, crc = h.deflated_zeros(1024)
    members = h.members_of(_docx(), skip={"word/document.xml"})
    members.append(("word/document.xml", data, crc, 1024 * 2**20, 8))
    return h.raw_zip(members)


def _encrypt(data: bytes) -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(data)).encrypt("123456", out)
    return out.getvalue()


def _delete_sheet(name: str):
    """What Excel leaves after deleting a sheet: no <sheet> entry, names pointing at it become #REF!."""
    def fn(xml: str) -> str:
        xml = re.sub(r'<sheet [^>]*name="%s"[^>]*/>' % name, "", xml)
        return re.sub(r"(<definedName [^>]*>)'?%s'?![^<]*(</definedName>)" % name, r"\1#REF!\2", xml)
    return fn


def _rename_sheet(h, b, old: str, new: str) -> bytes:
    """A rename done in Excel: the sheet entry, every defined name and every formula follow it."""
    data = h.edit_xml(b.xlsx, "xl/workbook.xml", lambda x: x.replace(f'name="{old}"', f'name="{new}"').replace(f"'{old}'!", f"{new}!"))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
    for part in sheets:
        data = h.edit_xml(data, part, lambda x: x.replace(f"'{old}'!", f"{new}!"))
    return data


def _insert_rows(at: int, n: int, text: str):
    """Rows inserted the way openpyxl (or an add-in) does it: cells move down, defined names and formulas do not."""
    def shift(m):
        row = int(m.group(2))
        return f'{m.group(1)}{row + n if row >= at else row}"'

    def fn(xml: str) -> str:
        xml = re.sub(r'(<row r=")(\d+)"', shift, xml)
        xml = re.sub(r'(<c r="[A-Z]+)(\d+)"', shift, xml)
        new = f'<row r="{at}"><c r="D{at}" t="inlineStr"><is><t>{text}</t></is></c></row>'
        return re.sub(r'(<row r="%d")' % (at + n), new + r"\1", xml, count=1)
    return fn


def _add_sheet(h, data: bytes, name: str, rows: int) -> bytes:
    """An extra sheet full of numbers, text and error formulas (=1/0), added as raw parts."""
    body = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="B{r}" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
                   f'<c r="C{r}" t="inlineStr"><is><t>=HYPERLINK("http://x")</t></is></c></row>' for r in range(1, rows + 1))
    sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             f'spreadsheetml/2006/main"><sheetData>{body}</sheetData></worksheet>').encode()
    data = h.rezip(data, add={"xl/worksheets/sheet_extra.xml": sheet})
    data = h.edit_xml(data, "xl/workbook.xml", lambda x: x.replace(
        "</sheets>", f'<sheet name="{name}" sheetId="999" r:id="rIdExtra" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"/></sheets>', 1))
    data = h.edit_xml(data, "xl/_rels/workbook.xml.rels", lambda x: x.replace("</Relationships>", (
        '<Relationship Id="rIdExtra" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet_extra.xml"/></Relationships>'), 1))
    return h.edit_xml(data, "[Content_Types].xml", lambda x: x.replace("</Types>", (
        '<Override PartName="/xl/worksheets/sheet_extra.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'), 1))


def _break_merges(xml: str) -> str:
    """Every merge of the sheet undone, and a new one laid over part of the data area."""
    return re.sub(r"<mergeCells[^>]*>.*?</mergeCells>", '<mergeCells count="1"><mergeCell ref="E8:F9"/></mergeCells>', xml, count=1, flags=re.S)


def _other_formula(h, b) -> bytes:
    from xlgova.workbook.layout import cell_map

    _, first = cell_map("2021")["apps.new.natural"]
    return h.set_cell(b, "apps.new.total", 2 * (b.number("apps.new.natural") or 0) + 1, formula=f"{first}*2+1")
