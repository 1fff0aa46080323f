"""PDF with a text layer -> lines (pdfplumber): ruled tables as rows, other text as lines, page by page.

A scanned PDF (pages without any text) cannot be read without OCR: it gets a clear message instead of an
empty or garbled report. Provenance is the page number and the text of the line.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..model import Source
from ..errors import XlgovaError
from .bounds import Budget
from .lines import Cell, Line
from .normalize import clean_line, is_value_text, to_simplified
from .shapes import HAN_CHAR, is_footer, split_spaced

SCANNED = "扫描件，没有文字层（PDF 中只有图片），无法读取文字"
SCANNED_HINT = "请先用 OCR 软件（如 WPS、Adobe Acrobat 的“文字识别”）转为带文字层的 PDF 或 Word 文档，再导入。"
REOBTAIN = "请向报送单位重新索取原文件，或用 PDF 阅读器打开后另存一份。"
GARBLED = "PDF 的文字层无法解码（{where}，字体缺少字符映射），读出的只会是乱码，无法读取"
GARBLED_HINT = ("请改用报告的原始 Word 文档或网页版本导入；只有这份 PDF 时，请用 OCR 软件（如 WPS、Adobe Acrobat 的"
                "“文字识别”）把它当作扫描件重新识别后再导入。")
# A glyph without a usable ToUnicode map: pdfminer writes "(cid:1234)"; a private encoding gives Private Use Area
# code points; U+FFFD is a replacement. A few in a report are symbols (a Wingdings bullet); a page or a document
# where they are this share of the characters is undecodable.
GARBLED_PAGE_SHARE, GARBLED_DOC_SHARE, GARBLED_MIN_GLYPHS = 0.5, 0.2, 20


def pdf_lines(path: str | Path, budget: Budget | None = None) -> list[Line]:
    """``budget``: the document's time budget (one is started here when not given)."""
    p = Path(path)
    try:
        import pdfplumber

        pdf = pdfplumber.open(str(p))
    except Exception as e:  # pdfminer raises many kinds on damaged files
        raise XlgovaError(f"不是有效的 PDF 文件，无法打开（{type(e).__name__}）", path=p, hint=REOBTAIN) from None
    budget = budget or Budget(p)
    counts: list[tuple[int, int]] = []  # (glyphs, undecodable glyphs) of each page
    placed: list[tuple[float, list]] = []  # (page height, [(top, bottom, item)]) of each page
    try:
        with pdf:
            for number, page in enumerate(pdf.pages, 1):
                budget.check()
                counts.append(_glyph_counts(page.chars))
                placed.append((page.height, _page_items(page, number)))
    except XlgovaError:
        raise
    except Exception as e:
        raise XlgovaError(f"PDF 文件已损坏，读取失败（{type(e).__name__}）", path=p, hint=REOBTAIN) from None
    items = _without_furniture(placed)
    if not items:
        raise XlgovaError(SCANNED, path=p, hint=SCANNED_HINT)
    _refuse_garbled(counts, p)
    return _to_lines(_join_split_rows(items), str(p))


def _glyph_counts(chars) -> tuple[int, int]:
    total = bad = 0
    for ch in chars:
        t = ch["text"]
        if t.isspace():
            continue
        total += 1
        if t.startswith("(cid:") or "\ue000" <= t[0] <= "\uf8ff" or t[0] == "\ufffd":
            bad += 1
    return total, bad


def _refuse_garbled(counts: list[tuple[int, int]], path: Path) -> None:
    """Refuse a text layer that cannot be decoded (a junk report would be worse than none): the whole
    document, or a page, mostly of glyphs without a character."""
    total, bad = sum(t for t, _ in counts), sum(b for _, b in counts)
    pages = [n for n, (t, b) in enumerate(counts, 1) if t >= GARBLED_MIN_GLYPHS and b >= GARBLED_PAGE_SHARE * t]
    if pages and len(pages) < len(counts):
        shown = "、".join(map(str, pages[:10])) + ("等" if len(pages) > 10 else "")
        where = f"第 {shown} 页的字符大多无法识别"
    elif pages or (bad >= GARBLED_DOC_SHARE * total and bad >= GARBLED_MIN_GLYPHS):
        where = f"全部 {total} 个字符中有 {bad} 个无法识别"
    else:
        return
    raise XlgovaError(GARBLED.format(where=where), path=path, hint=GARBLED_HINT)


def _page_items(page, number: int) -> list[tuple[int, str, object]]:
    if not page.chars:
        return []
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]
    placed: list[tuple[float, float, tuple[int, str, object]]] = [(t.bbox[1], t.bbox[3], (number, "table", t.extract())) for t in tables]
    for tl in page.extract_text_lines(return_chars=True):
        mid_y = (tl["top"] + tl["bottom"]) / 2
        mid_x = (tl["x0"] + tl["x1"]) / 2
        if any(b[0] <= mid_x <= b[2] and b[1] <= mid_y <= b[3] for b in boxes):
            continue
        text = tl["text"]
        # rows and header lines of unruled tables (a lone 总计 or 其他 over its column, a lone value under it,
        # a wrapped row's numbers alone on their line)
        words = _word_boxes(tl["chars"]) if " " in text or len(text) <= SHORT_LINE or is_value_text(text.strip()) else []
        placed.append((tl["top"], tl["bottom"], (number, "line", (text, words))))
    placed.sort(key=lambda it: it[0])
    return placed


MARGIN_BAND = 0.09  # share of the page height at the top and at the bottom where headers and footers stand
_DIGITS = re.compile(r"\d+")


def _without_furniture(pages: list[tuple[float, list]]) -> list[tuple[int, str, object]]:
    """The items of all pages without their running headers and footers: a line in the top or bottom band of
    the page that is a page number ("第 3 页 共 8 页", "— 3 —", "3") or whose words (numbers aside) stand in
    that band on two pages or more (the agency or the title on every page)."""
    seen: dict[tuple[bool, str], set[int]] = {}
    for height, placed in pages:
        for top, bottom, (page, kind, body) in placed:
            side = _band(top, bottom, height)
            if kind == "line" and side is not None and HAN_CHAR.search(body[0]):
                seen.setdefault((side, _furniture_key(body[0])), set()).add(page)
    items = []
    for height, placed in pages:
        for top, bottom, item in placed:
            side = _band(top, bottom, height)
            if item[1] == "line" and side is not None:
                text = item[2][0]
                if is_footer(text, bare_numbers=True) or len(seen.get((side, _furniture_key(text)), ())) >= 2:
                    continue
            items.append(item)
    return items


def _band(top: float, bottom: float, height: float) -> bool | None:
    """True in the header band, False in the footer band, None in the body of the page."""
    if bottom <= MARGIN_BAND * height:
        return True
    if top >= (1 - MARGIN_BAND) * height:
        return False
    return None


def _furniture_key(text: str) -> str:
    return _DIGITS.sub("#", "".join(text.split()))




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
    """A table continued on the next page is one table: its repeated header rows dropped, and a row broken by
    the page break joined with its rest (the first row of the next page's part, which has no values).
    A table's rows become (page, row number on that page, cells)."""
    out: list[tuple[int, str, object]] = []
    for page, kind, body in items:
        prev = next((o for o in reversed(out) if not (o[1] == "line" and is_footer(o[2][0], bare_numbers=True))), None)
        if kind == "table" and body and prev is not None and prev[1] == "table" and prev[2][-1][0] == page - 1:
            rows = prev[2]
            skip = _repeated_header([r for _, _, r in rows], body)
            part = [(page, n, list(r)) for n, r in enumerate(body, 1)][skip:]
            if part and not any(c and c.strip() and is_value_text(c) for c in part[0][2]):
                last = rows[-1]
                rows[-1] = (last[0], last[1], _continue_row(last[2], part[0][2]))
                part = part[1:]
            rows.extend(part)
            continue
        out.append((page, kind, [(page, n, list(r)) for n, r in enumerate(body, 1)] if kind == "table" else body))
    return out


MAX_HEADER_ROWS = 4


def _repeated_header(table: list, part: list) -> int:
    """How many of the continuation's first rows repeat the table's header rows (Word's "repeat header rows")."""
    n = 0
    while n < min(MAX_HEADER_ROWS, len(part), len(table) - 1) and _row_text(part[n]) == _row_text(table[n]) and _row_text(part[n]):
        n += 1
    return n


def _row_text(row: list) -> str:
    return "".join("".join((c or "").split()) for c in row)


def _continue_row(last: list, first: list) -> list:
    """Join the texts of a row split by a page break, column by column. The two parts of the table may have
    different column grids (a merged group label cell ends on one page): they are aligned at the right, where
    the values stand; cells the first part lacks (the group label's rest, "果" of 办理结果) are dropped."""
    if len(last) == len(first):
        return [_cat(a, b) for a, b in zip(last, first)]
    n = min(len(last), len(first))
    return list(last[: len(last) - n]) + [_cat(a, b) for a, b in zip(last[len(last) - n:], first[len(first) - n:])]


def _cat(a: str | None, b: str | None) -> str | None:
    if a is None:
        return b or None
    return a + (b or "")


def _to_lines(items, file: str) -> list[Line]:
    lines: list[Line] = []
    for page, kind, body in items:
        if kind == "table":
            lines.extend(_table_rows(body, file))
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


def _table_rows(rows: list[tuple[int, int, list[str | None]]], file: str) -> list[Line]:
    out = []
    for page, r, row in rows:
        cells = []
        for c in row:
            if c is None:
                continue  # the rest of a merged cell
            text = clean_line(to_simplified(c.replace("\n", "")))
            cells.append(Cell(text, Source(file=file, page=page, address=f"第{page}页表格第{r}行第{len(cells) + 1}列", text=text or None)))
        text = "\t".join(c.text for c in cells)
        out.append(Line(cells, Source(file=file, page=page, text=text), text, table_row=True))
    end = rows[-1][0] if rows else None
    out.append(Line([Cell("", Source(file=file, page=end))], Source(file=file, page=end), ""))
    return out
