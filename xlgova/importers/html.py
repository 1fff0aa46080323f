"""HTML pages -> lines: the tables of government web pages as rows, the rest as paragraphs.

Government sites often wrap the whole article in layout tables; only innermost tables (those without a
table inside) are read as data tables, outer ones are read as text. ``<br>`` and block elements end lines.
"""
from __future__ import annotations


import re

from ..model import Source
from ..errors import XlgovaError
from .bounds import Budget
from .lines import Cell, Line
from .normalize import clean_line, to_simplified

BLOCKS = {"p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "table", "ul", "ol", "center", "pre", "blockquote"}
SKIP = {"script", "style", "noscript", "head", "title", "iframe", "template"}
MARK = "\ue000table:"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def decode_html(data: bytes) -> str:
    from bs4.dammit import UnicodeDammit

    dammit = UnicodeDammit(data, ["utf-8", "gb18030"], is_html=True)
    if dammit.unicode_markup is None:
        raise XlgovaError("无法识别网页的文字编码", hint="请在浏览器中打开该网页，另存为 UTF-8 编码的网页后再导入。")
    return dammit.unicode_markup


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
    tables = []
    for tbl in root.xpath("//table[not(.//table)]"):
        tables.append(_rows(tbl, budget))
        marker = lxml.html.Element("p")
        marker.text = f"{MARK}{len(tables) - 1}\ue000"
        tbl.getparent().replace(tbl, marker)
    for el in root.iter():
        budget.tick()
        if isinstance(el.tag, str) and el.tag.lower() in BLOCKS:
            el.tail = "\n" + (el.tail or "")
            if el.tag.lower() == "br":
                continue
            el.text = "\n" + (el.text or "")
    body = root.find("body")
    flat = (body if body is not None else root).text_content()
    return _lines(flat, tables, file, budget)


def _rows(tbl, budget: Budget) -> list[list[str]]:
    rows = []
    for tr in tbl.iter("tr"):
        budget.tick()
        rows.append([clean_line(" ".join(td.text_content().split())) for td in tr if isinstance(td.tag, str) and td.tag.lower() in ("td", "th")])
    return rows


def _lines(flat: str, tables: list[list[list[str]]], file: str | None, budget: Budget) -> list[Line]:
    out: list[Line] = []
    for raw in to_simplified(flat).split("\n"):
        budget.tick()
        t = clean_line(raw)
        if t.startswith(MARK):
            n = int(t[len(MARK) :].split("\ue000")[0])
            out.extend(_table_lines(tables[n], n + 1, file))
            out.append(Line([Cell("", Source(file=file))], Source(file=file), ""))
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
