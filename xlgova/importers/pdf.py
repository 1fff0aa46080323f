"""PDF with a text layer -> lines (pdfplumber): ruled tables as rows, other text as lines, page by page.

A scanned PDF (pages without any text) cannot be read without OCR: it gets a clear message instead of an
empty or garbled report. Provenance is the page number and the text of the line.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..model import Source, XlgovaError
from .document import Cell, Line
from .normalize import clean_line, is_value_text, to_simplified

SCANNED = "扫描件，没有文字层（PDF 中只有图片），无法读取文字"
SCANNED_HINT = "请先用 OCR 软件（如 WPS、Adobe Acrobat 的“文字识别”）转为带文字层的 PDF 或 Word 文档，再导入。"
_PROSE = re.compile(r"[。，；：！？]")


def pdf_lines(path: str | Path) -> list[Line]:
    p = Path(path)
    try:
        import pdfplumber

        pdf = pdfplumber.open(str(p))
    except Exception as e:  # pdfminer raises many kinds on damaged files
        raise XlgovaError(f"不是有效的 PDF 文件，无法打开（{type(e).__name__}）", path=p) from None
    lines: list[Line] = []
    any_text = False
    try:
        with pdf:
            for number, page in enumerate(pdf.pages, 1):
                page_lines, has_text = _page_lines(page, number, str(p))
                any_text |= has_text
                lines.extend(page_lines)
    except XlgovaError:
        raise
    except Exception as e:
        raise XlgovaError(f"PDF 文件已损坏，读取失败（{type(e).__name__}）", path=p) from None
    if not any_text:
        raise XlgovaError(SCANNED, path=p, hint=SCANNED_HINT)
    return lines


def _page_lines(page, number: int, file: str) -> tuple[list[Line], bool]:
    if not page.chars:
        return [], False
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]
    items: list[tuple[float, list[Line]]] = []
    for t in tables:
        items.append((t.bbox[1], _table_rows(t.extract(), number, file)))
    for tl in page.extract_text_lines(return_chars=False):
        mid_y = (tl["top"] + tl["bottom"]) / 2
        mid_x = (tl["x0"] + tl["x1"]) / 2
        if any(b[0] <= mid_x <= b[2] and b[1] <= mid_y <= b[3] for b in boxes):
            continue
        items.append((tl["top"], [_text_line(tl["text"], number, file)]))
    items.sort(key=lambda it: it[0])
    out = [ln for _, group in items for ln in group]
    return out, True


def _text_line(raw: str, page: int, file: str) -> Line:
    text = clean_line(to_simplified(raw))
    src = Source(file=file, page=page, text=text or None)
    cells = split_spaced(text)
    if len(cells) > 1:
        return Line([Cell(c, src) for c in cells], src, "\t".join(cells), table_row=True)
    return Line([Cell(text, src)], src, text)


def split_spaced(text: str) -> list[str]:
    """"规章 0 0 0" (a table drawn without rules) -> ["规章", "0", "0", "0"]; prose stays one cell."""
    tokens = text.split()
    if len(tokens) < 2 or _PROSE.search(text):
        return [text]
    k = len(tokens)
    while k > 0 and is_value_text(tokens[k - 1]):
        k -= 1
    if k == len(tokens) or (k == 0 and len(tokens) < 3):
        return [text]
    head = "".join(tokens[:k])
    return ([head] if head else []) + tokens[k:]


def _table_rows(rows: list[list[str | None]], page: int, file: str) -> list[Line]:
    out = []
    for r, row in enumerate(rows, 1):
        cells = []
        for c in row:
            if c is None:
                continue  # the rest of a merged cell
            text = clean_line(to_simplified(c.replace("\n", "")))
            cells.append(Cell(text, Source(file=file, page=page, address=f"第{page}页表格第{r}行第{len(cells) + 1}列", text=text or None)))
        text = "\t".join(c.text for c in cells)
        out.append(Line(cells, Source(file=file, page=page, text=text), text, table_row=True))
    out.append(Line([Cell("", Source(file=file, page=page))], Source(file=file, page=page), ""))
    return out
