"""A published report as lines of cells, whatever it was read from.

Every reader (text, docx, HTML, PDF) produces :class:`Line` objects: a paragraph is a line with one cell,
a table row is a line with its cells. Plain text decides per line: tab-separated, ``|``-separated, or a
single cell (the "one cell per line" layout is recognised later, per table, in :mod:`.tables`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..model import Source
from ..errors import XlgovaError
from .normalize import clean_line, fold, to_simplified


@dataclass(frozen=True)
class Cell:
    text: str  # as found (stripped of surrounding whitespace)
    src: Source

    @property
    def key(self) -> str:
        return fold(self.text)


@dataclass
class Line:
    cells: list[Cell]
    src: Source
    text: str = ""  # the whole line as found, for quotes and narrative
    table_row: bool = False  # came from a real table (docx/html/pdf) or a tab/pipe row
    blank_marks: int = 0  # leading whitespace-only marker: a tab-only line is an empty cell
    extra: dict = field(default_factory=dict)

    @property
    def is_blank(self) -> bool:
        return not self.text.strip() and not self.table_row and not self.blank_marks

    @property
    def key(self) -> str:
        return fold(self.text)

    def nonempty(self) -> list[Cell]:
        return [c for c in self.cells if c.text]


_PIPE_RULE = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")


def decode_bytes(data: bytes, path: str | Path | None = None) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030 (Chinese Windows); else a clear error."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text
    raise XlgovaError(
        "无法识别文字编码（不是 UTF-8 或 GBK/GB18030 文本），可能不是文本文件",
        path=path,
        hint="请用记事本或 WPS 打开，另存为 UTF-8 编码的 .txt 文件后再导入；如果原件是 Word 或 PDF，请直接导入原件。",
    )


def split_text_line(raw: str) -> tuple[list[str], bool]:
    """The cells of one line of plain text and whether it is a table row (tab- or pipe-separated)."""
    if "\t" in raw:
        return [c.strip() for c in raw.split("\t")], True
    stripped = raw.strip()
    if stripped.count("|") >= 2 or (stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1):
        parts = stripped.split("|")
        if stripped.startswith("|"):
            parts = parts[1:]
        if stripped.endswith("|") and parts:
            parts = parts[:-1]
        return [p.strip() for p in parts], True
    return [stripped], False


def _pipe_cell(line: str) -> str | None:
    """A page saved cell by cell ("0 |" per line, "|" for an empty cell, "||" where a row ends): the
    cell's text, "" for an empty cell, ROW_BREAK for the end of a row; None for any other line."""
    s = line.strip()
    if not s.endswith("|") or (s.count("|") != 1 and set(s) != {"|"}):
        return None
    if set(s) == {"|"}:
        return "" if len(s) == 1 else ROW_BREAK
    return s[:-1].strip()


ROW_BREAK = "\x00"
_EMPTY_CELL = " "  # a whitespace-only line: an empty cell of the one-cell-per-line layout (like "|", a tab-only line)


def cell_layouts(numbered: list[tuple[int, tuple[str, str]]]) -> list[tuple[int, str, str]]:
    """Two page layouts of one cell per line made into the layouts read elsewhere (line numbers kept):

    * a lone ``|`` after every cell (``0`` / ``|`` / ``0`` / ``|``): the bar ends a cell, so a bar after a bar
      is an empty cell and the others are dropped;
    * a blank line after every cell and one blank line for each empty cell (``label`` / 7 blank lines / ``0``: six
      empty cells, then the total): each blank beyond the first becomes an empty cell and its blank line.
    Nothing changes unless the whole text is in the layout (see :func:`_bar_ended`, :func:`_blank_per_empty`)."""
    rows = [(no, raw, simp) for no, (raw, simp) in numbered]
    if _bar_ended([simp for _, _, simp in rows]):
        out, prev = [], ""
        for no, raw, simp in rows:
            bar = simp.strip() == "|"
            if bar and prev == "|":
                out.append((no, _EMPTY_CELL, _EMPTY_CELL))
            elif not bar:
                out.append((no, raw, simp))
            prev = simp.strip() if simp.strip() else prev
        return out
    if _blank_per_empty([simp for _, _, simp in rows]):
        out, run = [], 0
        for no, raw, simp in rows:
            if not simp.strip():
                run += 1
                out.append((no, raw, simp))
                continue
            if run >= 2:  # one blank was the separator, each further one an empty cell: cell + blank per empty
                first = len(out) - run + 1
                out[first:] = [x for _ in range(run - 1) for x in ((no, _EMPTY_CELL, _EMPTY_CELL), (no, "", ""))]
            run = 0
            out.append((no, raw, simp))
        return out
    return rows


def _bar_ended(texts: list[str]) -> bool:
    """Lone bars end cells: many of them, most right after a cell's own line (a bar after a bar is an empty
    cell), and no "cell |" lines (where a lone bar is an empty cell)."""
    bars, after_cell, prev = 0, 0, ""
    for t in (x.strip() for x in texts):
        if not t:
            continue
        if t == "|":
            bars += 1
            after_cell += prev not in ("", "|")
        elif t.endswith("|") and t.count("|") == 1:
            return False  # the "cell |" layout: a lone bar is an empty cell there
        prev = t
    return bars >= 10 and after_cell >= 0.5 * bars


def _blank_per_empty(texts: list[str]) -> bool:
    """A blank line after every cell, one more for each empty cell: an even run of blank lines somewhere
    between cells (a cell and its blank line per empty cell, the project's own layout, only makes odd runs)."""
    cells = [i for i, t in enumerate(texts) if t.strip()]
    if len(cells) < 12:
        return False
    followed = sum(1 for i in cells if i + 1 < len(texts) and not texts[i + 1].strip())
    if followed < 0.8 * len(cells):
        return False
    runs = [b - a - 1 for a, b in zip(cells, cells[1:])]
    return all(r >= 1 for r in runs[1:]) and any(r >= 2 and r % 2 == 0 for r in runs)


def text_lines(text: str, file: str | None = None) -> list[Line]:
    """Plain text (already decoded) -> lines. Traditional characters are converted once for the whole text."""
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    simplified = to_simplified(text.replace("\r\n", "\n").replace("\r", "\n")).split("\n")
    if len(simplified) != len(raw_lines):  # pragma: no cover - zhconv keeps line breaks
        simplified = [to_simplified(s) for s in raw_lines]
    out = []
    for no, raw, simp in cell_layouts(list(enumerate(zip(raw_lines, simplified), 1))):
        if _PIPE_RULE.match(simp.strip()) and "-" in simp:
            continue  # a markdown table rule |---|---|
        cells, is_row = split_text_line(simp)
        src = Source(file=file, line=no, text=raw.strip() or None)
        only_ws = not raw.strip() and raw != ""
        pipes = _pipe_cell(simp)
        if pipes is not None:  # one cell per line: its text, an empty cell (like a tab-only line) or a row end
            simp = "" if pipes == ROW_BREAK else pipes
            cells, is_row, only_ws = [simp], False, pipes == ""
        if is_row and len(cells) <= 2 and not cells[0] and "|" not in raw:
            # "\t0": a tab-indented single cell (the one-cell-per-line layout), not a row of two cells
            content = next((c for c in cells if c), "")
            cells, is_row = [content], False
        out.append(
            Line(
                cells=[Cell(clean_line(c), src) for c in cells],
                src=src,
                text=clean_line(simp),
                table_row=is_row,
                blank_marks=1 if only_ws else 0,
                extra=_layout(simp) if not is_row else {},
            )
        )
    return out


def _layout(line: str) -> dict:
    """Where a line's words stand: ``raw`` for columns by position; ``line`` keeps the indentation of any
    other indented line (a row label's fragment in a narrow column, :mod:`.fragments`)."""
    if _positioned(line):
        return {"raw": line}
    return {"line": line} if line[:1].isspace() and line.strip() else {}


SHORT_TOKEN = 8  # characters: an indented word this short may be a header word (总计) or a value over its column


def _positioned(line: str) -> bool:
    """Layout text whose character positions tell columns: runs of spaces inside, or one short word indented
    (a header word such as 总计 on a line of its own, the lone 总计 of a row whose other cells were printed blank)."""
    body = line.strip()
    return "  " in body or (line.startswith("  ") and len(body) <= SHORT_TOKEN and " " not in body)


def blank_separated(lines: list[Line]) -> bool:
    """One cell per line with a blank line after every cell (a scraped page's paragraphs)."""
    nonblank = [i for i, ln in enumerate(lines) if not ln.is_blank]
    followed = sum(1 for i in nonblank if i + 1 < len(lines) and lines[i + 1].is_blank)
    return len(nonblank) >= 6 and followed >= 0.8 * len(nonblank)


def blank_separated_tokens(lines: list[Line]) -> list[Cell | None]:
    """Blank lines separate cells; a longer run of them stands for empty cells (two more per empty cell)."""
    out: list[Cell | None] = []
    run = 0
    for ln in lines:
        if ln.is_blank:
            run += 1
            continue
        out.extend(Cell("", ln.src) for _ in range(max(run - 1, 0) // 2))
        run = 0
        out.extend(ln.cells)
    return out


# -- GRID tables -----------------------------------------------------------------------------------
