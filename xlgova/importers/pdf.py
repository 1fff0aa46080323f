"""PDF with a text layer -> lines (pdfplumber): ruled tables as rows, other text as lines, page by page.

A scanned PDF (pages without any text) cannot be read without OCR: it gets a clear message instead of an
empty or garbled report. Provenance is the page number and the text of the line.
"""
from __future__ import annotations

from pathlib import Path

from ..model import Source
from ..errors import XlgovaError
from .bounds import Budget
from .lines import Cell, Line
from .normalize import clean_line, is_value_text, to_simplified
from .shapes import is_footer, split_spaced

SCANNED = "扫描件，没有文字层（PDF 中只有图片），无法读取文字"
SCANNED_HINT = "请先用 OCR 软件（如 WPS、Adobe Acrobat 的“文字识别”）转为带文字层的 PDF 或 Word 文档，再导入。"
REOBTAIN = "请向报送单位重新索取原文件，或用 PDF 阅读器打开后另存一份。"


def pdf_lines(path: str | Path, budget: Budget | None = None) -> list[Line]:
    """``budget``: the document's time budget (one is started here when not given)."""
    p = Path(path)
    try:
        import pdfplumber

        pdf = pdfplumber.open(str(p))
    except Exception as e:  # pdfminer raises many kinds on damaged files
        raise XlgovaError(f"不是有效的 PDF 文件，无法打开（{type(e).__name__}）", path=p, hint=REOBTAIN) from None
    items: list[tuple[int, str, object]] = []  # (page, "table" | "line", raw rows | text)
    budget = budget or Budget(p)
    try:
        with pdf:
            for number, page in enumerate(pdf.pages, 1):
                budget.check()
                items.extend(_page_items(page, number))
    except XlgovaError:
        raise
    except Exception as e:
        raise XlgovaError(f"PDF 文件已损坏，读取失败（{type(e).__name__}）", path=p, hint=REOBTAIN) from None
    if not items:
        raise XlgovaError(SCANNED, path=p, hint=SCANNED_HINT)
    return _to_lines(_join_split_rows(items), str(p))


def _page_items(page, number: int) -> list[tuple[int, str, object]]:
    if not page.chars:
        return []
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]
    placed: list[tuple[float, tuple[int, str, object]]] = [(t.bbox[1], (number, "table", t.extract())) for t in tables]
    for tl in page.extract_text_lines(return_chars=True):
        mid_y = (tl["top"] + tl["bottom"]) / 2
        mid_x = (tl["x0"] + tl["x1"]) / 2
        if any(b[0] <= mid_x <= b[2] and b[1] <= mid_y <= b[3] for b in boxes):
            continue
        text = tl["text"]
        # rows and header lines of unruled tables (a lone 总计 or 其他 over its column, a lone value under it)
        words = _word_boxes(tl["chars"]) if " " in text or len(text) <= SHORT_LINE else []
        placed.append((tl["top"], (number, "line", (text, words))))
    placed.sort(key=lambda it: it[0])
    return [item for _, item in placed]




SHORT_LINE = 8  # characters: a line this short may be a header word or a value standing alone over its column
WORD_GAP = 3  # points between two characters that make a space (pdfplumber's x_tolerance)


def _word_boxes(chars) -> list[tuple[str, float, float]]:
    """The words of a text line with their horizontal extent on the page (the columns of unruled tables)."""
    words: list[list] = []
    for ch in chars:
        if ch["text"].isspace():
            continue
        if words and ch["x0"] - words[-1][2] <= WORD_GAP:
            words[-1][0] += ch["text"]
            words[-1][2] = ch["x1"]
        else:
            words.append([ch["text"], ch["x0"], ch["x1"]])
    return [(w, a, b) for w, a, b in words]


def _join_split_rows(items):
    """A table row broken by a page break continues in the first row of the next page's table: join them."""
    out: list[tuple[int, str, object]] = []
    for item in items:
        page, kind, body = item
        prev = next((k for k in range(len(out) - 1, -1, -1) if not (out[k][1] == "line" and is_footer(out[k][2][0], bare_numbers=True))), None)
        if kind == "table" and body and prev is not None and out[prev][1] == "table" and out[prev][0] == page - 1:
            last, first = out[prev][2][-1], body[0]
            if not any(c and c.strip() and is_value_text(c) for c in first):
                out[prev][2][-1] = _continue_row(last, first)
                body = body[1:]
            out[prev][2].extend(body)
            continue
        out.append((page, kind, [list(r) for r in body] if kind == "table" else body))
    return out


def _continue_row(last: list, first: list) -> list:
    """Join the label texts of a row split by a page break (its values are all on the first part)."""
    if len(last) == len(first):
        return [_cat(a, b) for a, b in zip(last, first)]
    labels = [i for i, c in enumerate(last) if c and not is_value_text(c)]
    texts = [c for c in first if c and c.strip()]
    joined = list(last)
    for i, t in zip(labels, texts):
        joined[i] = joined[i] + t
    return joined


def _cat(a: str | None, b: str | None) -> str | None:
    if a is None:
        return b or None
    return a + (b or "")


def _to_lines(items, file: str) -> list[Line]:
    lines: list[Line] = []
    for page, kind, body in items:
        if kind == "table":
            lines.extend(_table_rows(body, page, file))
            continue
        line = _text_line(*body, page, file)
        prev = lines[-1] if lines else None
        if prev is not None and prev.extra.get("spaced") and _all_values(line) and is_value_text(prev.cells[-1].text):
            # a row of an unruled table wrapped at the page margin: its values go on the next line
            prev.cells.extend(line.cells)
            prev.text += "\t" + line.text
            prev.extra.pop("xs", None)
            continue
        lines.append(line)
    return lines


def _all_values(line: Line) -> bool:
    return bool(line.text) and all(c.text and is_value_text(c.text) for c in line.cells)


def _text_line(raw: str, words, page: int, file: str) -> Line:
    text = clean_line(to_simplified(raw))
    src = Source(file=file, page=page, text=text or None)
    if is_footer(text):  # "— 3 —" under a table is no row of it
        return Line([Cell("", src)], src, "")
    cells = split_spaced(text)
    if len(cells) == 1 and _apart_values(words):  # "1 1": two values a column or more apart on the page
        cells = [w for w, _, _ in words]
    if len(cells) > 1 or (cells and is_value_text(cells[0]) and cells[0]):
        extra: dict = {"spaced": True}
        n = len(cells) - (0 if is_value_text(cells[0]) else 1)
        if n and [w for w, _, _ in words[-n:]] == cells[-n:]:
            extra["xs"] = [(a + b) / 2 for _, a, b in words[-n:]]  # where the values stand on the page
        return Line([Cell(c, src) for c in cells], src, "\t".join(cells), table_row=True, extra=extra)
    extra = {"words": [(w, (a + b) / 2, b - a) for w, a, b in words]} if words and (len(words) > 2 or len(text) <= SHORT_LINE) else {}
    return Line([Cell(text, src)], src, text, extra=extra)


COLUMN_APART = 10  # points between two numbers that are separate cells, not "1 000"


def _apart_values(words) -> bool:
    return len(words) > 1 and all(is_value_text(w) for w, _, _ in words) and all(b[1] - a[2] >= COLUMN_APART for a, b in zip(words, words[1:]))


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
