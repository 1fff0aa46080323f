"""PDFs as real publishers make them, built from the project's own sample reports (no real report inside).

* :func:`glyph_pdf` writes a PDF by hand whose text is drawn with a composite (Type0, Identity-H) font, the
  way Word, WPS and many PDF printers embed CJK fonts. Its ``/ToUnicode`` map decides what a text reader gets:
  none at all (pdfminer gives ``(cid:123)``), Private Use Area code points (a font with a private encoding),
  or the Kangxi radicals and CJK Radicals Supplement characters that WPS/Word PDFs often map common
  ideographs to (``⼀、总体情况``, ``⻓春市``).
* :func:`furnished_docx` makes the Word document a publisher prints: a running header (the agency or the
  title) and a page-number footer on every page, tables that break across pages with or without their
  header rows repeated, rows that may split at the page break, table 四 on a landscape page.
"""
from __future__ import annotations

import zlib
from pathlib import Path

# Ideograph -> the compatibility character a WPS/Word PDF's ToUnicode map gives for it (the reverse of
# xlgova.importers.normalize's table; a few of each block, as seen in real PDFs).
AS_RADICAL = {"一": "⼀", "二": "⼆", "人": "⼈", "文": "⽂", "行": "⾏", "日": "⽇", "长": "⻓", "门": "⻔",
              "风": "⻛", "西": "⻄", "见": "⻅", "工": "⼯", "方": "⽅", "大": "⼤", "小": "⼩",
              "子": "⼦", "力": "⼒", "生": "⽣", "用": "⽤", "目": "⽬", "立": "⽴", "自": "⾃", "至": "⾄",
              "言": "⾔", "走": "⾛", "里": "⾥", "面": "⾯", "首": "⾸", "高": "⾼", "马": "⻢", "页": "⻚",
              "车": "⻋", "贝": "⻉", "龙": "⻰", "青": "⻘", "食": "⻝", "鱼": "⻥", "鸟": "⻦", "黄": "⻩"}

PRIVATE = 0xE000


def glyph_pdf(path: Path, pages: list[list[str]], *, to_unicode: str | None = "plain", size: float = 7.0,
              header: str | None = None, footer: str | None = None) -> Path:
    """Each page's lines drawn in a monospaced grid (one character position = one em), runs of spaces
    kept as gaps. ``to_unicode``: "plain" (the characters themselves), "radicals" (``AS_RADICAL``),
    "private" (Private Use Area), or None (no map: the text cannot be decoded). ``header`` is printed at
    the top of every page, ``footer`` (``第 {page} 页 共 {pages} 页``) at the bottom."""
    if header or footer:
        pages = [[header or ""] + page + [(footer or "").format(page=n, pages=len(pages))] for n, page in enumerate(pages, 1)]
    chars = sorted({ch for page in pages for line in page for ch in line if not ch.isspace()})
    cid = {ch: i + 1 for i, ch in enumerate(chars)}
    width, height, lead = 110 * size, 96 * size * 1.6 / 0.76, size * 1.6
    objs: dict[int, bytes] = {1: b"<< /Type /Catalog /Pages 2 0 R >>"}
    font = b"<< /Type /Font /Subtype /Type0 /BaseFont /AAAAAA+SimSun /Encoding /Identity-H /DescendantFonts [5 0 R]"
    objs[4] = font + (b" /ToUnicode 7 0 R >>" if to_unicode else b" >>")
    objs[5] = (b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /AAAAAA+SimSun /CIDSystemInfo << /Registry (Adobe)"
               b" /Ordering (Identity) /Supplement 0 >> /FontDescriptor 6 0 R /DW 1000 >>")
    objs[6] = (b"<< /Type /FontDescriptor /FontName /AAAAAA+SimSun /Flags 4 /FontBBox [0 -140 1000 880] /ItalicAngle 0"
               b" /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>")
    if to_unicode:
        objs[7] = _stream(_cmap({cid[ch]: _mapped(ch, to_unicode) for ch in chars}))
    kids = []
    for n, page in enumerate(pages):
        content, page_obj = 10 + 2 * n, 11 + 2 * n
        ops = [b"BT", f"/F1 {size:g} Tf".encode()]
        for k, line in enumerate(page):
            y = height - 0.12 * height - (k - 1) * lead  # the body between margins of 12 %
            if header or footer:
                y = height - 20 if k == 0 else 20 if k == len(page) - 1 else y
            else:
                y -= lead
            for col, token in _tokens(line):
                codes = "".join(f"{cid[ch]:04X}" for ch in token)
                ops.append(f"1 0 0 1 {40 + col * size:.2f} {y:.2f} Tm <{codes}> Tj".encode())
        ops.append(b"ET")
        objs[content] = _stream(b"\n".join(ops))
        objs[page_obj] = (f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width:.0f} {height:.0f}] /Resources << /Font"
                          f" << /F1 4 0 R >> >> /Contents {content} 0 R >>").encode()
        kids.append(f"{page_obj} 0 R")
    objs[2] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>".encode()
    path.write_bytes(_file(objs))
    return path


def _mapped(ch: str, how: str) -> str:
    if how == "radicals":
        return AS_RADICAL.get(ch, ch)
    if how == "private" and ord(ch) > 127:
        return chr(PRIVATE + ord(ch) % 6000)
    return ch


def _tokens(line: str):
    col, token = 0, ""
    for i, ch in enumerate(line + " "):
        if ch.isspace():
            if token:
                yield col, token
            token = ""
        else:
            col = i if not token else col
            token += ch


def _cmap(mapping: dict[int, str]) -> bytes:
    entries = sorted(mapping.items())
    blocks = []
    for i in range(0, len(entries), 100):
        chunk = entries[i:i + 100]
        body = "\n".join(f"<{code:04X}> <{''.join(f'{ord(c):04X}' for c in text)}>" for code, text in chunk)
        blocks.append(f"{len(chunk)} beginbfchar\n{body}\nendbfchar")
    return ("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
            + "\n".join(blocks) + "\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n").encode()


def _stream(data: bytes) -> bytes:
    packed = zlib.compress(data)
    return b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream"


def _file(objs: dict[int, bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for n in sorted(objs):
        offsets[n] = len(out)
        out += b"%d 0 obj\n" % n + objs[n] + b"\nendobj\n"
    size = max(objs) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for n in range(1, size):
        out += (b"%010d 00000 n \n" % offsets[n]) if n in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)


FOOTERS = ("第 {PAGE} 页 共 {NUMPAGES} 页", "— {PAGE} —", "- {PAGE} -", "{PAGE}")


def furnished_docx(report, path: Path, rng, *, header: str | None = None, footer: str | None = None,
                   repeat: bool | None = None, landscape_review: bool = True) -> Path:
    """The report as a publisher's Word file: a running header and a page-number footer on every page,
    tables breaking across pages (header rows repeated or not, rows allowed to split at the break),
    paragraphs of varying length before the tables so the breaks fall in different rows, table 四 on a
    landscape page."""
    import docx
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.shared import Pt

    from import_support import render_docx

    render_docx(report, path)
    doc = docx.Document(str(path))
    doc.styles["Normal"].font.size = Pt(rng.choice((10.5, 12, 14)))
    header = header if header is not None else rng.choice((report.agency, f"{report.agency}{report.year}年政府信息公开工作年度报告"))
    section = doc.sections[0]
    section.header.paragraphs[0].text = header
    _field_paragraph(section.footer.paragraphs[0], footer or rng.choice(FOOTERS))
    repeat = rng.random() < 0.5 if repeat is None else repeat
    for table in doc.tables:
        _widths(table, section.page_width - section.left_margin - section.right_margin)
        if repeat:
            for k in range(3 if len(table.columns) == 10 else 1):
                table.rows[k]._tr.get_or_add_trPr().append(_el("w:tblHeader"))
    for p in doc.paragraphs:
        if p.text.startswith(("二、", "三、")) and rng.random() < 0.7:
            for _ in range(rng.randint(1, 12)):
                p.insert_paragraph_before("")
    if landscape_review:
        _landscape_for_review(doc, WD_ORIENT, WD_SECTION)
    doc.save(str(path))
    return path


def _widths(table, page_width) -> None:
    """Label columns wide enough for their text, value columns narrow, as publishers lay the tables out."""
    from docx.shared import Cm

    labels = {10: 3, 4: 1, 2: 1, 15: 0}.get(len(table.columns), 1)  # the applications table has three label columns
    value = Cm(1.3) if len(table.columns) != 15 else int(page_width / 15)
    label = int((page_width - value * (len(table.columns) - labels)) / labels) if labels else 0
    table.autofit = False
    for k, column in enumerate(table.columns):
        width = label if k < labels else value
        column.width = width
        for cell in column.cells:
            cell.width = width


def _landscape_for_review(doc, orient, start) -> None:
    """Section 四 (heading and table) on a landscape page of its own, then portrait again."""
    body = doc.element.body
    heading = next(p for p in doc.paragraphs if p.text.startswith("四、"))
    before = heading.insert_paragraph_before("")
    _section_break(before, doc.sections[0], landscape=False)
    review = doc.tables[-1]._tbl
    after = review.getnext()
    if after is None or after.tag.endswith("sectPr"):
        return
    from docx.text.paragraph import Paragraph

    _section_break(Paragraph(after, heading._parent).insert_paragraph_before(""), doc.sections[0], landscape=True)
    del body, orient, start


def _section_break(paragraph, like, *, landscape: bool) -> None:
    """End a section at ``paragraph`` (its properties, running header and footer copied from ``like``, the page
    turned if ``landscape``)."""
    import copy

    sect = copy.deepcopy(like._sectPr)
    size = sect.find(_qn("w:pgSz"))
    if landscape and size is not None:
        w, h = size.get(_qn("w:w")), size.get(_qn("w:h"))
        size.set(_qn("w:w"), h)
        size.set(_qn("w:h"), w)
        size.set(_qn("w:orient"), "landscape")
    paragraph._p.get_or_add_pPr().append(sect)


def _field_paragraph(paragraph, pattern: str) -> None:
    """"第 {PAGE} 页 共 {NUMPAGES} 页" with real PAGE/NUMPAGES fields."""
    import re

    from xlgova.export.docx_styles import add_field

    paragraph.alignment = 1
    for part in re.split(r"(\{[A-Z]+\})", pattern):
        if not part:
            continue
        run = paragraph.add_run("" if part.startswith("{") else part)
        if part.startswith("{"):
            add_field(run, part[1:-1])


def _el(tag: str):
    from docx.oxml import OxmlElement

    return OxmlElement(tag)


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)
