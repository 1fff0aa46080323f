"""Test renderers for the other forms a published report arrives in: Word/WPS-exported HTML (MsoNormal
paragraphs, <o:p>, mso- styles, &nbsp; cells, a table split at a page break), a CMS page of layout tables, and
a page saved as one file (.mhtml), built from the project's own sample reports (``import_support``)."""
from __future__ import annotations

import html as htmllib
import re
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email import encoders

from import_support import blocks, render_html, table_rows
from xlgova.model import Report

WORD_HEAD = """<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:w="urn:schemas-microsoft-com:office:word" xmlns="http://www.w3.org/TR/REC-html40">
<head><meta http-equiv=Content-Type content="text/html; charset={charset}">
<meta name=ProgId content=Word.Document><meta name=Generator content="Microsoft Word 15">
<!--[if gte mso 9]><xml><w:WordDocument><w:View>Print</w:View></w:WordDocument></xml><![endif]-->
<style><!-- p.MsoNormal {{mso-style-parent:""; margin:0cm; font-size:10.5pt; font-family:"Times New Roman";}}
table.MsoTableGrid {{mso-style-name:网格型; mso-tstyle-rowband-size:0;}} --></style></head>
<body lang=ZH-CN style='tab-interval:21.0pt'><div class=WordSection1>
"""


def _para(text: str, align: str = "justify") -> str:
    if not text:
        return "<p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>"
    words = htmllib.escape(text)
    if text.isdigit():  # Word marks runs of digits as English
        words = f"<span lang=EN-US style='font-size:10.5pt;mso-bidi-font-size:11.0pt'>{words}</span>"
    else:
        words = f"<span style='font-family:仿宋_GB2312;mso-hansi-font-family:\"Times New Roman\"'>{words}</span>"
    return f"<p class=MsoNormal align={align} style='text-align:{align};mso-pagination:widow-orphan'>{words}<span lang=EN-US><o:p></o:p></span></p>"


def _word_cell(text: str, colspan: int, rowspan: int) -> str:
    span = (f" colspan={colspan}" if colspan > 1 else "") + (f" rowspan={rowspan}" if rowspan > 1 else "")
    return f"<td width=64{span} valign=top style='border:solid windowtext 1.0pt;mso-border-alt:solid windowtext .5pt;padding:0cm 5.4pt'>{_para(text, 'center')}</td>"


def _word_table(rows, split_at: int | None) -> list[str]:
    out = ["<table class=MsoTableGrid border=1 cellspacing=0 cellpadding=0 style='border-collapse:collapse;mso-yfti-tbllook:1184'>"]
    for r, line in enumerate(rows):
        if split_at is not None and r == split_at:  # Word's HTML ends the table at a page break and starts another
            out.append("</table><span lang=EN-US style='font-size:10.5pt'><br clear=all style='page-break-before:always'></span>")
            out.append("<table class=MsoTableGrid border=1 cellspacing=0 cellpadding=0 style='border-collapse:collapse'>")
        out.append(f"<tr style='mso-yfti-irow:{r};height:15.6pt'>" + "".join(_word_cell(t, c, s) for t, c, s in line) + "</tr>")
    ncols = sum(c for _, c, _ in rows[-1])  # Word ends a table with a hidden row of empty cells fixing the widths
    out.append("<![if !supportMisalignedColumns]>\n<tr height=0>" + "<td width=64 style='border:none'></td>" * ncols + "</tr>\n<![endif]>")
    out.append("</table>")
    return out


def word_html(report: Report, *, charset: str = "gb2312", split_tables: bool = True, wrap: int = 0) -> bytes:
    """The report as Word's (or WPS's) "另存为网页" writes it, in ``charset`` (gb2312 written as GB18030); with
    ``wrap``, the source's text wrapped every ``wrap`` characters as Word does (never inside a run of ASCII)."""
    parts = [WORD_HEAD.format(charset=charset)]
    for kind, item in blocks(report):
        if kind == "table":
            rows = table_rows(report, item)
            split = len(rows) // 2 if split_tables and len(rows) > 12 else None
            parts.extend(_word_table(rows, split))
        else:
            parts.append(_para(item))
    parts.append("</div></body></html>")
    text = "\n".join(parts)
    if wrap:
        text = re.sub(r"(?<=>)[^<>]+(?=<)", lambda m: _wrapped(m.group(0), wrap), text)
    return text.encode("gb18030" if charset.lower() in ("gb2312", "gbk") else charset)


def _wrapped(text: str, width: int) -> str:
    out, run = [], 0
    for k, ch in enumerate(text):
        if run >= width and not (ch.isascii() and ch.isalnum() and k and text[k - 1].isascii() and text[k - 1].isalnum()):
            out.append("\r\n")
            run = 0
        out.append(ch)
        run += 1
    return "".join(out)


def cms_page(report: Report) -> str:
    """The report inside a government CMS page: navigation, layout tables, a field table, the article in a cell."""
    article = render_html(report).split("<body>", 1)[1].rsplit("</body>", 1)[0]
    return ("<html><head><meta charset='utf-8'><title>政府信息公开</title></head><body>"
            "<table width='100%'><tr><td><a href='/'>首页</a> &gt; <a href='/xxgk'>政府信息公开</a> &gt; 年度报告</td></tr>"
            "<tr><td><table class='fields'><tr><td>索 引 号：</td><td>000000/2022-00001</td><td>发布日期：</td><td>2022-01-20</td></tr></table></td></tr>"
            f"<tr><td><table width='980'><tr><td class='content'>{article}</td></tr></table></td></tr>"
            "<tr><td>【打印本页】【关闭窗口】</td></tr></table></body></html>")


def mhtml(page: bytes, charset: str, *, transfer: str = "quoted-printable", decoy: bool = False) -> bytes:
    """A page saved as one file: multipart/related with the page, a style sheet and a picture (a decoy page
    first, named by ``start`` as not the main one, when asked)."""
    msg = MIMEMultipart("related", type="text/html")
    msg["Subject"] = "政府信息公开工作年度报告"
    msg["Snapshot-Content-Location"] = "http://www.example.gov.cn/xxgk/ndbg/report.html"
    if decoy:
        nav = MIMEText("<html><body><p>导航</p></body></html>", "html", "utf-8")
        nav["Content-ID"] = "<frame-nav@mhtml.blink>"
        msg.attach(nav)
    main = MIMEBase("text", "html", charset=charset)
    main.set_payload(page)
    if transfer == "base64":
        encoders.encode_base64(main)
    else:
        encoders.encode_quopri(main)
    main["Content-ID"] = "<frame-main@mhtml.blink>"
    main["Content-Location"] = "http://www.example.gov.cn/xxgk/ndbg/report.html"
    msg.attach(main)
    if decoy:
        msg.set_param("start", "<frame-main@mhtml.blink>")
    css = MIMEText("p { margin: 0 }", "css", "utf-8")
    msg.attach(css)
    img = MIMEBase("image", "png")
    img.set_payload(b"\x89PNG\r\n\x1a\n" + bytes(200))
    encoders.encode_base64(img)
    msg.attach(img)
    return msg.as_bytes()
