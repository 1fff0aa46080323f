"""HTML pages -> lines: the tables of government web pages as rows, the rest as paragraphs.

Government sites often wrap the whole article in layout tables; only innermost tables (those without a
table inside) are read as data tables, outer ones are read as text. ``<br>`` and block elements end lines.
"""
from __future__ import annotations


import re

from ..model import Source
from ..errors import XlgovaError
from .bounds import Budget
from .lines import Cell, Line, text_lines
from .normalize import clean_line, document_script, to_simplified

BLOCKS = {"p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "table", "ul", "ol", "center", "pre", "blockquote"}
SKIP = {"script", "style", "noscript", "head", "title", "iframe", "template"}
MARK = "\ue000block:"
_WIDE = "\u2e80-\u303f\u3040-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff"
_BREAK_IN_CJK = re.compile(rf"(?<=[{_WIDE}])[ \t\f]*[\r\n][ \t\r\n\f]*|[ \t\f]*[\r\n][ \t\r\n\f]*(?=[{_WIDE}])")
_SOURCE_BREAK = re.compile(r"[ \t\f]*[\r\n][ \t\r\n\f]*")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# Chinese pages declare gb2312 or gbk and use characters beyond them (生僻字 in names): GB18030 is the superset.
_GB = {"gb2312", "gbk", "gb18030", "cp936", "x-gbk", "euc-cn", "hz-gb-2312"}
# A declared single-byte charset (iso-8859-1, windows-1252: a CMS default) decodes any bytes into nonsense; only
# multi-byte declarations are worth trying, and only when the bytes decode under them without error.
_MULTIBYTE = ("big5", "big5hkscs", "cp950", "utf-16", "utf-16-le", "utf-16-be", "shift_jis", "cp932", "euc_jp", "euc_kr")
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def decode_html(data: bytes, declared: str | None = None) -> str:
    """A page's text: a byte-order mark decides; then the charset of the page's MIME part (``declared``), UTF-8,
    the page's own multi-byte ``<meta charset>``, GB18030 — the first that decodes every byte. A page whose
    declared charset is wrong (GBK bytes under ``charset=utf-8``, UTF-8 under ``gb2312``) still reads."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, "replace")
    from bs4.dammit import EncodingDetector

    meta = EncodingDetector.find_declared_encoding(data[:65536], is_html=True, search_entire_document=False)
    for encoding in (_charset(declared), "utf-8", _charset(meta), "gb18030"):
        if encoding:
            try:
                return data.decode(encoding)
            except (UnicodeDecodeError, LookupError):
                continue
    # damaged bytes (a page cut short, a stray byte): the reading with the fewest stand-ins (U+FFFD)
    return min((data.decode(e, "replace") for e in ("utf-8", "gb18030")), key=lambda t: t.count("\ufffd"))


def _charset(name: str | None) -> str | None:
    """A declared charset worth trying: the GB family as GB18030, a known multi-byte one as itself, else None."""
    name = (name or "").strip().strip("'\"").lower()
    if name in _GB:
        return "gb18030"
    if name in ("utf-8", "utf8"):
        return "utf-8"
    return name if name in _MULTIBYTE else None


def html_lines(data: bytes | str, file: str | None = None, budget: Budget | None = None) -> list[Line]:
    """``budget``: the document's time budget (one is started here when not given)."""
    try:
        return _html_lines(data, file, budget or Budget(file or "网页"))
    except (ValueError, RecursionError) as e:
        raise XlgovaError(f"网页内容无法解析（{type(e).__name__}），可能已损坏或不是网页", path=file, hint="请在浏览器中打开该网页，另存为“网页，仅 HTML”后再导入。") from None


def _html_lines(data: bytes | str, file: str | None, budget: Budget) -> list[Line]:
    import lxml.html
    from lxml import etree

    text = data if isinstance(data, str) else decode_html(data)
    text = _CONTROL.sub("", text)  # lxml refuses control characters anywhere in the tree
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
    except (etree.ParserError, ValueError) as e:
        raise XlgovaError(f"无法解析网页（{e}）", path=file, hint="请在浏览器中打开该网页，另存为“网页，仅 HTML”后再导入。") from None
    budget.check()
    for el in root.iter(*SKIP):
        el.drop_tree() if el.getparent() is not None else None
    kept = _collapse_source_breaks(root, budget)
    with document_script(root.text_content()):  # traditional or not: decided once for the page, cells included
        return _page_lines(root, kept, file, budget)


def _page_lines(root, kept: set, file: str | None, budget: Budget) -> list[Line]:
    blocks: list[list[Line]] = []  # preformatted text and innermost tables, read apart and put back in place
    for pre in _text_blocks(kept):
        blocks.append(text_lines(pre.text_content(), file))  # a report pasted as plain text: read as a .txt is
        _mark(pre, len(blocks) - 1)
    for n, tbl in enumerate(root.xpath("//table[not(.//table) and not(.//p[@data-block])]"), 1):
        blocks.append(_table_lines(_rows(tbl, budget), n, file) + [Line([Cell("", Source(file=file))], Source(file=file), "")])
        _mark(tbl, len(blocks) - 1)
    for el in root.iter():
        budget.tick()
        if isinstance(el.tag, str) and el.tag.lower() in BLOCKS:
            el.tail = "\n" + (el.tail or "")
            if el.tag.lower() == "br":
                continue
            el.text = "\n" + (el.text or "")
    body = root.find("body")
    flat = (body if body is not None else root).text_content()
    return _lines(flat, blocks, file, budget)


def _text_blocks(kept: set) -> list:
    """The outermost preformatted blocks (<pre>, a <div>/<p> styled white-space: pre) outside any table and
    holding none: read as plain text. A pre-wrap <span> (text pasted from an online editor) only keeps its breaks."""
    return [el for el in kept if el.getparent() is not None and el.getparent() not in kept
            and isinstance(el.tag, str) and el.tag.lower() in ("pre", "textarea", "div", "p")
            and not el.xpath("ancestor::table | .//table")]


def _mark(el, n: int) -> None:
    import lxml.html

    marker = lxml.html.Element("p", {"data-block": str(n)})
    marker.text = f"{MARK}{n}\ue000"
    el.getparent().replace(el, marker)


def _collapse_source_breaks(root, budget: Budget) -> set:
    """Line breaks of the HTML source are not line breaks of the page: Word's and WPS's "另存为网页" wrap the
    source every ~80 characters, CMS editors indent it. A break beside a Chinese character disappears (CSS Text 3
    drops it between two; "2021\n年" is "2021年" too) and any other becomes a space; only ``<pre>``, ``<textarea>`` and
    ``white-space: pre…`` keep theirs (returned: those elements and everything inside them). ``<br>`` and block
    elements end lines afterwards, as before."""
    kept = {el for pre in root.xpath("//pre | //textarea | //*[contains(translate(@style, 'WHITESPACE ', 'whitespace'), 'white-space:pre')]")
            for el in pre.iter()}
    for el in root.iter():
        budget.tick()
        if el not in kept:
            el.text = _collapse(el.text)
        if el.getparent() not in kept:
            el.tail = _collapse(el.tail)
    return kept


def _collapse(text: str | None) -> str | None:
    if not text or ("\n" not in text and "\r" not in text):
        return text
    if not text.strip(" \t\r\n\f"):
        return ""  # indentation between tags
    return _SOURCE_BREAK.sub(" ", _BREAK_IN_CJK.sub("", text))


def _rows(tbl, budget: Budget) -> list[list[str]]:
    rows = []
    for tr in tbl.iter("tr"):
        budget.tick()
        rows.append([clean_line(" ".join(td.text_content().split())) for td in tr if isinstance(td.tag, str) and td.tag.lower() in ("td", "th")])
    return rows


def _lines(flat: str, blocks: list[list[Line]], file: str | None, budget: Budget) -> list[Line]:
    out: list[Line] = []
    for raw in to_simplified(flat).split("\n"):
        budget.tick()
        t = clean_line(raw)
        if t.startswith(MARK):
            out.extend(blocks[int(t[len(MARK) :].split("\ue000")[0])])
            continue
        if not t and out and not out[-1].text:
            continue  # collapse the blank lines that block elements leave
        src = Source(file=file, line=len(out) + 1, text=t or None)
        out.append(Line([Cell(t, src)], src, t))
    return out


def _table_lines(rows: list[list[str]], n: int, file: str | None) -> list[Line]:
    out = []
    for r, cells in enumerate(rows, 1):
        row = [Cell(to_simplified(c), Source(file=file, address=f"表{n}第{r}行第{k}列", text=c or None)) for k, c in enumerate(cells, 1)]
        text = "\t".join(c.text for c in row)
        out.append(Line(row, Source(file=file, address=f"表{n}第{r}行", text=text), text, table_row=True))
    return out
