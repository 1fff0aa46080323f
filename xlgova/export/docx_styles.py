"""公文 typography for the exported report: A4 page, fonts with fallbacks, styles, page numbers.

python-docx sets only the Latin font names; Chinese text is drawn with the East Asian font
(``w:rFonts/@w:eastAsia``), which has to be written into the XML. Each Chinese font also gets a
font-table entry with an ``altName``, so Word on a machine without the 公文 fonts (方正小标宋简体,
仿宋_GB2312, 楷体_GB2312) falls back to the common Windows fonts instead of a random one.
"""
from __future__ import annotations

from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from lxml import etree
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

# Role -> (East Asian font, fallback the font table offers Word). Latin text and digits: Times New Roman.
FONTS = {
    "title": ("方正小标宋简体", "宋体"),
    "heading": ("黑体", "SimHei"),
    "subheading": ("楷体_GB2312", "楷体"),
    "body": ("仿宋_GB2312", "仿宋"),
    "table": ("宋体", "SimSun"),
    "draft": ("黑体", "SimHei"),
}
LATIN = "Times New Roman"

SIZE_TITLE = Pt(22)  # 二号
SIZE_BODY = Pt(16)  # 三号
SIZE_TABLE = Pt(10.5)  # 五号
SIZE_TABLE_SMALL = Pt(9)  # 小五: the 10- and 15-column tables
SIZE_FOOTER = Pt(14)  # 四号
LINE_BODY = Pt(28)  # fixed 28 pt: 22 lines a page, as in GB/T 9704

STYLE_TITLE = "xlgova 标题"
STYLE_BODY = "xlgova 正文"
STYLE_PREAMBLE = "xlgova 说明"
STYLE_DRAFT = "xlgova 草稿标记"
STYLE_TABLE = "xlgova 表格"
STYLE_IDS = {STYLE_TITLE: "xlgovaTitle", STYLE_BODY: "xlgovaBody", STYLE_PREAMBLE: "xlgovaPreamble",
             STYLE_DRAFT: "xlgovaDraft", STYLE_TABLE: "xlgovaTable"}
HEADING = "Heading 1"  # built-in, so Word's navigation pane and importers see the six sections


def set_fonts(rpr_owner, role: str) -> None:
    """Latin and East Asian font of a style or run (anything with a ``rPr``)."""
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):  # theme fonts would override the names below
        if attr.endswith("Theme"):
            del fonts.attrib[attr]
    east = FONTS[role][0]
    fonts.set(qn("w:ascii"), LATIN)
    fonts.set(qn("w:hAnsi"), LATIN)
    fonts.set(qn("w:eastAsia"), east)
    fonts.set(qn("w:cs"), LATIN)


def setup_page(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    section.header_distance, section.footer_distance = Cm(1.5), Cm(2.0)
    _page_number_footer(section)


def add_field(run, name: str) -> None:
    """A Word field (PAGE, NUMPAGES) in ``run``, showing 1 until Word or LibreOffice updates it."""
    for kind, text in (("begin", None), (None, f" {name} "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText" if text.startswith(" ") else "w:t")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)


def _page_number_footer(section) -> None:
    """— 1 — centred in the footer, as 公文 number their pages."""
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(p, "— ", "table", SIZE_FOOTER)
    add_field(_run(p, "", "table", SIZE_FOOTER), "PAGE")
    _run(p, " —", "table", SIZE_FOOTER)


def _run(paragraph, text: str, role: str, size):
    run = paragraph.add_run(text)
    set_fonts(run._r, role)
    run.font.size = size
    return run


def _paragraph_style(doc, name: str, role: str, size, *, align=None, indent_chars: float = 0, bold=False):
    styles = doc.styles
    style = styles[name] if name in [s.name for s in styles] else styles.add_style(name, 1)
    # Chinese names for the clerk's style list, ASCII ids for every consumer of the XML.
    style.style_id = STYLE_IDS[name]
    style.base_style = styles["Normal"]
    set_fonts(style.element, role)
    style.font.size = size
    style.font.bold = bold
    style.font.color.rgb = RGBColor(0, 0, 0)
    pf = style.paragraph_format
    pf.alignment = align
    pf.first_line_indent = Pt(size.pt * indent_chars) if indent_chars else None
    pf.space_before = pf.space_after = Pt(0)
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = LINE_BODY
    pf.widow_control = True
    return style


def setup_styles(doc) -> None:
    normal = doc.styles["Normal"]
    set_fonts(normal.element, "body")
    normal.font.size = SIZE_BODY
    _paragraph_style(doc, STYLE_BODY, "body", SIZE_BODY, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent_chars=2)
    _paragraph_style(doc, STYLE_PREAMBLE, "body", SIZE_BODY, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent_chars=2)
    title = _paragraph_style(doc, STYLE_TITLE, "title", SIZE_TITLE, align=WD_ALIGN_PARAGRAPH.CENTER)
    title.paragraph_format.line_spacing = Pt(36)
    title.paragraph_format.space_after = Pt(28)
    draft = _paragraph_style(doc, STYLE_DRAFT, "draft", SIZE_BODY, align=WD_ALIGN_PARAGRAPH.CENTER, bold=True)
    draft.font.color.rgb = RGBColor(0xC0, 0, 0)
    table = _paragraph_style(doc, STYLE_TABLE, "table", SIZE_TABLE, align=WD_ALIGN_PARAGRAPH.CENTER)
    table.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    _heading_style(doc)


def _heading_style(doc) -> None:
    """一、总体情况 … in 黑体 三号, indented two characters like the body (公文 first-level heading)."""
    h = doc.styles[HEADING]
    set_fonts(h.element, "heading")
    h.font.size = SIZE_BODY
    h.font.bold = False
    h.font.color.rgb = RGBColor(0, 0, 0)
    pf = h.paragraph_format
    pf.first_line_indent = Pt(SIZE_BODY.pt * 2)
    pf.space_before = pf.space_after = Pt(0)
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = LINE_BODY
    pf.keep_with_next = True
    pf.alignment = WD_ALIGN_PARAGRAPH.LEFT


def add_font_fallbacks(doc) -> None:
    """Font-table entries naming a fallback (``altName``) for each Chinese font the document uses."""
    font_part = next((p for p in doc.part.package.iter_parts() if p.partname.endswith("/fontTable.xml")), None)
    if font_part is None:
        return
    root = parse_xml(font_part.blob)
    known = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
    for name, alt in FONTS.values():
        if name in known:
            continue
        font = OxmlElement("w:font")
        font.set(qn("w:name"), name)
        alt_el = OxmlElement("w:altName")
        alt_el.set(qn("w:val"), alt)
        charset = OxmlElement("w:charset")
        charset.set(qn("w:val"), "86")  # GB2312
        family = OxmlElement("w:family")
        family.set(qn("w:val"), "modern" if "黑" in name else "roman")
        font.extend([alt_el, charset, family])
        root.append(font)
        known.add(name)
    font_part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# For LibreOffice's PDF conversion on machines without the 公文 fonts (Linux servers, CI): draw each
# with the closest free CJK font rather than fontconfig's default sans-serif. Installed fonts still win.
PDF_SUBSTITUTES = {
    "title": ("华文中宋", "Noto Serif CJK SC", "Source Han Serif SC", "SimSun"),
    "heading": ("SimHei", "Noto Sans CJK SC", "Source Han Sans SC"),
    "subheading": ("楷体", "KaiTi", "AR PL UKai CN", "Noto Serif CJK SC"),
    "body": ("仿宋", "FangSong", "Noto Serif CJK SC", "Source Han Serif SC"),
    "table": ("SimSun", "Noto Serif CJK SC", "Source Han Serif SC"),
}


def fontconfig_xml() -> str:
    """A fontconfig file (FONTCONFIG_FILE) aliasing the document's fonts; the title is drawn bold
    because 小标宋 is a heavy face and the substitutes are not."""
    aliases = []
    for role, families in PDF_SUBSTITUTES.items():
        accept = "".join(f"<family>{f}</family>" for f in (FONTS[role][1], *families))
        aliases.append(f'  <alias binding="same"><family>{FONTS[role][0]}</family><accept>{accept}</accept></alias>')
    bold = (
        f'  <match target="pattern"><test name="family"><string>{FONTS["title"][0]}</string></test>'
        '<edit name="weight" mode="assign"><const>bold</const></edit></match>'
    )
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        + bold + "\n" + "\n".join(aliases) + "\n</fontconfig>\n"
    )
