"""Text lines as published reports really come, made into lines of cells.

Whatever the reader (plain text, a paragraph of a web page or Word file, a line of a PDF page), a line
that is not a table row may still carry table cells or several paragraphs:

* columns separated by runs of spaces (a PDF viewer's copy, ``pdftotext -layout``) or by single spaces
  (``四、结转下年度继续办理 0 0 0 0 0 0 0``): the trailing values become cells, the words before them
  the label (:func:`split_spaced`);
* page footers (``- 4 -``, ``—3—``, ``第 2 页``) printed in the middle of a table: dropped;
* headings and rows run into one line (a scraped page: ``标题: XX区2023年度…报告 一、总体情况 …`` or
  ``…数量 80 1 0 0 0 0 81 二、上年结转…``): split before each section heading and before a numbered label
  that follows a value (:func:`split_run_in`).

Section headings come from ``xlgova.formats``; nothing here lists a label.
"""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from ..model import HAN
from ..formats import FORMATS
from .lines import Cell, Line
from .columns import align_blocks, align_under_headers, value_centres
from .normalize import fold, is_value_text

FOOTER = re.compile(
    r"^(?:[-—–_]+\s*\d{1,3}\s*[-—–_]+|[-—–_]*\s*第\s*\d{1,3}\s*页(?:\s*[/，,]?\s*共\s*\d{1,3}\s*页)?\s*[-—–_]*"
    r"|\d{1,3}\s*/\s*共?\s*\d{1,3}\s*页?)$"
)
_BARE_NUMBER = re.compile(r"^\d{1,3}$")
_PROSE = re.compile(r"[。，；：！？]")
_PAREN = re.compile(r"[（(][^（）()]*[)）]")
# 行政事业性收费0 -> 行政事业性收费 0 (a value glued to its label)
_GLUED = re.compile(r"([" + HAN + r"）)”])(?=\d+(?:\.\d+)?(?:-\d+(?:\.\d+)?)*(?:\s|$))")
# "32-30" in a glued 2019 row (上一年项目数量 32, 本年增/减 -3, 0): numbers run into a negative one, no piece with a
# leading zero (so a date 2021-01-30 stays whole)
_SIGNED_RUN = re.compile(r"(?:0|[1-9]\d*)(?:-(?:0|[1-9]\d*))+")
# a numbered label after a value: "… 81 二、上年结转…", "… 0 1.属于国家秘密 …", "… 0 （二）部分公开"
_NUMBERED_AFTER_VALUE = re.compile(
    r"(?<=[\d/—-])\s+(?=(?:[一二三四五六七八九十]{1,2}、|[（(][一二三四五六七八九十]{1,2}[)）]|\d{1,2}[.．、])[" + HAN + r"])"
)
_LABEL_AFTER_VALUE = re.compile(r"(?<=\d)\s+(?![年月日件条个项万元号期届次])(?=[" + HAN + r"（(])")  # not "2021 年"
_NUMBERED_AFTER_SPACE = re.compile(r"\s+(?=(?:[一二三四五六七八九十]{1,2}、|[（(][一二三四五六七八九十]{1,2}[)）])[" + HAN + r"])")
MAX_RUN_IN = 4000  # characters of one line looked at for run-in headings (a whole page on one line)


@lru_cache(maxsize=1)
def _heading_pattern() -> re.Pattern:
    """Numbered section headings of every format, as they may stand in mid-line (the whole heading captured)."""
    titles = {t for f in FORMATS.values() for s in f.sections for t in (s.title, *s.variants)}
    alts = "|".join(re.escape(t) for t in sorted(titles, key=len, reverse=True))
    tables = {t.title for f in FORMATS.values() for t in f.tables} - titles  # 第二十条第（一）项
    tabs = "|".join(re.escape(t) for t in sorted(tables, key=len, reverse=True))
    return re.compile(rf"((?:[一二三四五六]\s*[、.．]|第[一二三四五六]部分[、:：]?)\s*(?:{alts})[。:：]?|(?:{tabs}))")


def is_footer(text: str, *, bare_numbers: bool = False) -> bool:
    """A page number line. A bare number (``4``) only where it cannot be a value (``bare_numbers``)."""
    t = text.strip()
    return bool(t) and len(t) <= 16 and bool(FOOTER.match(t) or (bare_numbers and _BARE_NUMBER.match(t)))


_COLUMN_GAP = re.compile(r"\S {3,}\S")


def split_spaced(text: str) -> list[str]:
    """"规章 0 0 0" (a table drawn without rules) -> ["规章", "0", "0", "0"]; prose stays one cell."""
    tokens = [p for t in _GLUED.sub(r"\1 ", text).split() for p in _signed_pieces(t)]
    if len(tokens) < 2 or _PROSE.search(_PAREN.sub("", text)):
        return [text]
    k = len(tokens)
    while k > 0 and is_value_text(tokens[k - 1]):
        k -= 1
    if k == len(tokens) or (k == 0 and len(tokens) < 3 and not _COLUMN_GAP.search(text)):
        return [text]  # two numbers alone on a line are columns only when a run of spaces parts them
    head = "".join(tokens[:k])
    return ([head] if head else []) + tokens[k:]


def _signed_pieces(token: str) -> list[str]:
    if not _SIGNED_RUN.fullmatch(token):
        return [token]
    head, *rest = token.split("-")
    return [head, *("-" + r for r in rest)]


def split_run_in(text: str) -> list[str]:
    """A line holding several headings or table rows -> its parts (one part when there is nothing to split)."""
    if len(text) < 8:
        return [text]
    head, tail = text[:MAX_RUN_IN], text[MAX_RUN_IN:]
    parts = [p for chunk in _heading_pattern().split(head) for p in _rows_of(chunk)]
    parts = [p.strip() for p in parts if p.strip()]
    if tail:
        parts[-1:] = [(parts[-1] if parts else "") + tail]
    return parts or [text]


def _rows_of(chunk: str) -> list[str]:
    """Table rows run into one piece of text: a new row at each label after a value (not in prose)."""
    parts = _NUMBERED_AFTER_VALUE.split(chunk)
    if _PROSE.search(_PAREN.sub("", chunk)):
        return parts
    return [r for p in parts for q in _LABEL_AFTER_VALUE.split(p) for r in _NUMBERED_AFTER_SPACE.split(q)]


PAGE_GAP = 8  # lines at least between two page numbers


def page_furniture(lines: list[Line]) -> set[int]:
    """Indexes of the page numbers and running headers of text copied out of a PDF in reading order.

    Page numbers: lines holding a bare number that count up 1, 2, 3 … at least ``PAGE_GAP`` lines apart, when
    such lines are mostly that sequence (in a one-cell-per-line table bare numbers are everywhere: none is
    taken). A running header: the same line right after two page numbers or footers ("— 3 —") or more."""
    bare = [(i, int(ln.text)) for i, ln in enumerate(lines) if not ln.table_row and _BARE_NUMBER.match(ln.text.strip() or "x")]
    bare = [(i, n) for i, n in bare if n > 0]  # a lone 0 is a table cell (a wrapped row's value), never a page number
    last = max((i for i, ln in enumerate(lines) if ln.text.strip()), default=-1)
    chain: list[tuple[int, int]] = []  # (line index, page number)
    for i, n in bare:
        # the last page may be short: its number closes the text
        if (not chain and n <= 2) or (chain and n == chain[-1][1] + 1 and (i - chain[-1][0] >= PAGE_GAP or i == last)):
            chain.append((i, n))
    drop = {i for i, _ in chain} if len(chain) >= 2 and len(bare) <= 2 * len(chain) + 1 else set()
    anchors = sorted(drop | {i for i, ln in enumerate(lines) if not ln.table_row and is_footer(ln.text)})
    after: dict[str, list[int]] = {}
    for a in anchors:
        j = next((k for k in range(a + 1, min(a + 3, len(lines))) if lines[k].text.strip()), None)
        if j is not None and not lines[j].table_row and j not in drop and _is_running_header(lines[j].text):
            after.setdefault(lines[j].text.strip(), []).append(j)
    for text, where in after.items():
        if len(where) >= 2 and _heading_pattern().search(text) is None:
            drop.update(where)
    return drop


HAN_CHAR = re.compile(r"[" + HAN + r"]")


def _is_running_header(text: str) -> bool:
    """Words (an agency, a title), not a row of values such as a wrapped row's "0 0 0 0 0 0 0"."""
    words = text.split()
    return bool(words) and HAN_CHAR.search(text) is not None and not is_value_text(words[-1])


_DECIMAL_TAIL = re.compile(r"^\.\d{1,4}$")


def _join_decimal_tails(lines: list[Line]) -> list[Line]:
    """"行政事业性收费 315" / ".5": a number wrapped in a narrow cell of a copied PDF table is one number."""
    out: list[Line] = []
    for ln in lines:
        prev = out[-1] if out else None
        if (prev is not None and _DECIMAL_TAIL.match(ln.text.strip()) and not ln.table_row and not prev.table_row
                and len(prev.cells) == 1 and prev.text[-1:].isdigit() and "." not in prev.text.split()[-1]):
            text = prev.text + ln.text.strip()
            src = replace(prev.src, text=text)
            out[-1] = Line([Cell(text, src)], src, text, extra={k: v for k, v in prev.extra.items() if k != "raw"})
            continue
        out.append(ln)
    return out


def reshape(lines: list[Line]) -> list[Line]:
    """Footers dropped, run-in lines split, space-separated rows made into cells (table rows kept as read)."""
    out: list[Line] = []
    furniture = page_furniture(lines)
    lines = _join_decimal_tails([ln for i, ln in enumerate(lines) if i not in furniture] if furniture else lines)
    for ln in lines:
        if ln.table_row or len(ln.cells) != 1 or not ln.text.strip():
            out.append(ln)
            continue
        if is_footer(ln.text):
            continue
        for part in split_run_in(ln.text) if len(ln.text) > 20 else [ln.text]:
            out.append(_cells_of(ln, part))
    align_blocks(out, _ends_table)
    align_under_headers(out)
    return out


@lru_cache(maxsize=1)
def _header_words() -> tuple[str, ...]:
    """Column labels long enough to tell a header line (a new table begins after it)."""
    return tuple(sorted({fold(c.label) for f in FORMATS.values() for t in f.tables for c in t.cols if len(fold(c.label)) >= 4}))


def _ends_table(ln: Line) -> bool:
    key = ln.key
    return bool(_heading_pattern().search(ln.text)) or any(w in key for w in _header_words())


def _cells_of(ln: Line, text: str) -> Line:
    src = ln.src if text == ln.text else replace(ln.src, text=text)
    if "\t" in text.strip() and any(ch.isdigit() for ch in text):  # a row typed with tabs in a Word paragraph
        return Line([Cell(c.strip(), src) for c in text.strip().split("\t")], src, text, table_row=True, extra=dict(ln.extra))
    cells = split_spaced(text) if any(ch.isdigit() for ch in text) else [text]
    if len(cells) > 1 or (cells[0] and is_value_text(cells[0])):
        extra = {**ln.extra, "spaced": True}
        raw = extra.pop("raw", None)
        if raw is not None and text == ln.text:
            extra["line"] = raw  # the words' positions on the physical line (:mod:`.fragments`)
        if raw is not None and raw.rstrip().endswith(text):  # the values end the physical line
            n = len(cells) - (0 if is_value_text(cells[0]) else 1)
            tokens = raw.split()
            if n and tokens[-n:] == cells[-n:]:
                extra["xs"] = value_centres(raw, n)
        return Line([Cell(c, src) for c in cells], src, text, table_row=True, extra=extra)
    if text == ln.text:
        return ln
    return Line([Cell(text, src)], src, text, extra=dict(ln.extra))
