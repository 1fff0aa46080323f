"""The shapes published reports really come in, made from the project's own sample reports.

Each function turns a Report into text the way a real channel damages it (issue 15): a PDF viewer's copy or
``pdftotext -layout`` (columns as runs of spaces, page footers, group labels printed two characters per
line, wrapped labels), a scraped page (cells glued together, headings run into one line, one cell per line
with blank lines between), single spaces between numbers, label variants. Nothing here comes from a real
report: the values are random, the labels are the format's own.
"""
from __future__ import annotations

import re

from import_support import blocks, cell_text, flat_rows, render_text, table_rows
from xlgova.formats import GRID, Table
from xlgova.model import Report

VALUE_AT, VALUE_WIDTH, WRAP = 34, 6, 14


def _cells_at(texts: list[str]) -> str:
    """Values right-aligned in fixed columns, as pdftotext -layout places them (a blank stays spaces)."""
    return "".join(" " + t.rjust(VALUE_WIDTH) for t in texts)


def _place(prefix: str, label: str, values: list[str]) -> str:
    head = (prefix + label).ljust(VALUE_AT)
    return head + _cells_at(values)


def _pdftotext_header(table: Table, total_alone: bool = False) -> list[str]:
    """Column headers as pdftotext -layout prints them: most packed one space apart, wherever the line's own
    words push them (not over their columns); the last two (其他, 总计: one-line cells) over their values
    (``total_alone``: 总计 on a line of its own)."""
    *packed, other, total = [c.label[:3] for c in table.cols]
    at = lambda k, word: VALUE_AT + 1 + (VALUE_WIDTH + 1) * k + VALUE_WIDTH - len(word)  # noqa: E731 - right edge
    line = "     信息内容    " + " ".join(packed)
    over = " " * at(len(packed), other) + other
    if total_alone:
        return [line, over, " " * at(len(packed) + 1, total) + total, ""]
    return [line.ljust(at(len(packed) + 1, total)) + total, over, ""]


def _grid_layout(report: Report, table: Table, wrap_middle: bool, pdf_header: bool | str = False) -> list[str]:
    if pdf_header and table.id == "apps":
        out = _pdftotext_header(table, total_alone=pdf_header == "total-alone")
    else:
        out = ["     信息内容    " + "  ".join(c.label[:6] for c in table.cols), ""]
    outer = {}  # the results group label printed two characters per line down the left margin
    for r in table.rows:
        if r.groups:
            outer.setdefault(r.groups[0], []).append(r.id)
    # a long group label (三、本年度办理结果) two characters a line down the margin; a short one whole on its first row
    pieces = {g: [g[i : i + 2] for i in range(0, len(g), 2)] if len(g) > 8 else [g] for g in outer}
    started: dict[str, int] = {}
    for r in table.rows:
        values = [cell_text(report, f"{table.id}.{r.id}.{c.id}") for c in table.cols]
        margin = ""
        if r.groups:
            g = r.groups[0]
            k = started.get(g, 0)
            started[g] = k + 1
            margin = pieces[g][k] if k < len(pieces[g]) else ""
        label = r.label
        if r.label[:1].isdigit() and len(r.groups) > 1 and r.id.endswith("_1"):
            label = r.groups[-1][:4] + " " + label  # （三）不 1.属于国家秘密 / 予公开 on the next row
        elif r.label[:1].isdigit() and len(r.groups) > 1 and r.id.endswith("_2"):
            label = r.groups[-1][4:] + " " + label
        if len(label) <= WRAP:
            out.append(_place(margin.ljust(4), label, values))
            continue
        chunks = [label[i : i + WRAP] for i in range(0, len(label), WRAP)]
        if wrap_middle and len(chunks) >= 3:
            out += [" " * 4 + chunks[0], _place(margin.ljust(4), chunks[1], values)] + [" " * 4 + c for c in chunks[2:]]
        else:
            out += [margin.ljust(4) + chunks[0], _place(" " * 4, "", values)] + [" " * 4 + c for c in chunks[1:]]
    return out


def _spread_layout(report: Report, table: Table) -> list[str]:
    """Group headers, then the column headers printed two characters per line right over their values."""
    heads = [r.label for r in table.rows]
    column = lambda text: " " + text.rjust(5)  # noqa: E731 - every column six characters wide
    out = ["          " + "            ".join(heads)]
    out.append("".join(column(c.label[:2]) for _ in table.rows for c in table.cols))
    out.append("".join(column(c.label[2:]) for _ in table.rows for c in table.cols))
    out.append("".join(column(cell_text(report, c.id)) for c in table.cells))
    return out


def render_layout(report: Report, *, footer_every: int = 23, wrap_middle: bool = True, pdf_header: bool | str = False) -> str:
    """Text as ``pdftotext -layout`` gives it for a report whose tables are drawn without rules
    (``pdf_header``: table 三's column headers packed as pdftotext prints them, only 其他 and 总计 over their
    values; "total-alone": 总计 on a line of its own)."""
    lines: list[str] = []
    for kind, item in blocks(report):
        if kind == "table":
            body = _grid_layout(report, item, wrap_middle, pdf_header) if item.layout == GRID else _spread_layout(report, item)
            lines += body + [""]
        else:
            lines += ["   " + item, ""] if kind == "p" else ["     " + item]
    out, page = [], 1
    for i, line in enumerate(lines, 1):
        out.append(line)
        if i % footer_every == 0:
            out += ["", " " * 30 + f"- {page} -", ""]
            page += 1
    return "\n".join(out)


def glued(report: Report) -> str:
    """A scraped page: each table row's cells run together without any separator."""
    out = []
    for kind, item in blocks(report):
        if kind != "table":
            out.append(item)
            continue
        for cells in flat_rows(table_rows(report, item)):
            out.append("".join(cells))
    return "\n".join(out)


def run_in(report: Report) -> str:
    """A page saved from the web: 标题: field, title and the first part's heading and text on one line."""
    text = render_text(report, "tabs")
    head, sep, rest = text.partition("\n二、")
    return "标题: " + " ".join(line for line in head.split("\n") if line.strip()) + sep + rest


def blank_separated(report: Report) -> str:
    """One cell per line with a blank line after each (a page whose table cells became paragraphs)."""
    out = []
    for line in render_text(report, "tabs").split("\n"):
        for cell in line.split("\t"):
            out += [cell, ""]
    return "\n".join(out)


def _page_paragraphs(report: Report) -> list[list[str]]:
    """The report as a web page's paragraphs: a text block is one, a table row is one per <td> (a spanned cell
    once, in its first row), an empty cell an empty paragraph."""
    out: list[list[str]] = []
    for kind, item in blocks(report):
        if kind != "table":
            out.append([item])
            continue
        out += [[text for text, _, _ in row] for row in table_rows(report, item)]
    return out


def blank_per_empty(report: Report) -> str:
    """One paragraph per line with a blank line after each printed one and a single blank line for each empty
    cell (a scraped page whose empty table cells left a bare line break): ``label`` / 7 blank lines / ``0``."""
    return "\n".join(x for row in _page_paragraphs(report) for cell in row for x in ([cell, ""] if cell else [""]))


def bar_ended(report: Report) -> str:
    """One paragraph per line with a lone '|' line after each, an empty cell as a bar of its own."""
    return "\n".join(x for row in _page_paragraphs(report) for cell in row for x in ([cell, "|"] if cell else ["|"]))


def single_spaces(report: Report) -> str:
    """Cells separated by single spaces (blank cells vanish: only reports without blanks are used)."""
    return "\n".join(re.sub(r"\t+", " ", line).strip() for line in render_text(report, "tabs").split("\n"))


def label_variants(text: str) -> str:
    """Enumeration commas (3、其他), a misprinted character, （二） written (2)."""
    text = text.replace("3.其他", "3、其他").replace("2.重复申请", "2、重复申请")
    text = text.replace("本机关不掌握相关政府信息", "本机关不掌控相关政府信息")
    return text.replace("（二）部分公开", "(二)部分公开")


def pipe_rows_open(report: Report, *, split_header_words: bool = True) -> str:
    """A stored page's text: each row as 'cell | cell |' (no leading pipe); 商业 企业 split by a space."""
    out = []
    for line in render_text(report, "tabs").split("\n"):
        if "\t" in line:
            cells = [c for c in line.split("\t") if c]
            line = " | ".join(cells) + " |"
            if split_header_words:
                line = line.replace("商业企业", "商业 企业").replace("科研机构", "科研 机构")
        out.append(line)
    return "\n".join(out)


def pipe_cells(report: Report) -> str:
    """A stored page's text one cell per line: 'cell |', an empty cell '|', '||' where a row ends."""
    out = []
    for line in render_text(report, "tabs").split("\n"):
        if "\t" not in line:
            out.append(line)
            continue
        cells = line.split("\t")
        while cells and not cells[0]:
            cells.pop(0)  # the merged label columns' blanks
        out += [f"{c} |" if c else "|" for c in cells] + ["||"]
    return "\n".join(out)


def with_blanks(report: Report, rng) -> Report:
    """Zeros printed as blank cells, as many real tables do (the report stays consistent: a blank counts 0)."""
    from xlgova.model import BLANK_VALUE

    zeros = sorted(cid for cid, v in report.values.items() if v.to_json() == 0)
    for cid in rng.sample(zeros, k=len(zeros) // 2):
        report.values[cid] = BLANK_VALUE
    return report


def wrapped_labels(text: str) -> str:
    """A long row label wrapped in a copied PDF table: its tail on the next line, after the row's numbers."""
    out = []
    for line in text.split("\n"):
        label, tab, rest = line.partition("\t")
        if tab and len(label) > 16 and "，" in label:
            k = label.index("，") + 1
            out += [label[:k] + tab + rest, label[k:]]
        else:
            out.append(line)
    return "\n".join(out)


def blank_columns(report: Report, cols: tuple[str, ...] = ("legal", "other")) -> Report:
    """Applicant columns never used, printed blank throughout (a small agency's table 三): what they held is
    moved into 自然人, so every identity still holds."""
    from xlgova.model import BLANK_VALUE, parse_value

    for row in report.format.table("apps").rows:
        moved = sum(report.number(f"apps.{row.id}.{c}") or 0 for c in cols)
        natural = f"apps.{row.id}.natural"
        report.values[natural] = parse_value(int((report.number(natural) or 0) + moved))
        for c in cols:
            report.values[f"apps.{row.id}.{c}"] = BLANK_VALUE
    return report


def zeros_blank(report: Report, keep_totals: bool = False) -> Report:
    """Every 0 printed blank (``keep_totals``: except in the 总计 columns, printed on every row)."""
    from xlgova.model import BLANK_VALUE

    for cid, v in list(report.values.items()):
        if v.is_number and v.number == 0 and not (keep_totals and cid.endswith(".total")):
            report.values[cid] = BLANK_VALUE
    return report


NARROW_AT, NARROW_WIDTH = (0, 4, 8), 2  # label columns' positions; characters a line in one column


def narrow_labels(report: Report, *, centred: bool = False) -> str:
    """``pdftotext -layout`` of a Word table whose label columns are narrow: each label wrapped two
    characters a line in its column (a merged group cell over all its rows), the values on one line per
    row: the row's first line, or (``centred``, cells centred vertically) its middle line."""
    lines: list[str] = []
    for kind, item in blocks(report):
        if kind == "table" and item.layout == GRID:
            lines += ["     信息内容    " + "  ".join(c.label[:6] for c in item.cols), ""] + _narrow_grid(report, item, centred) + [""]
        elif kind == "table":
            lines += _spread_layout(report, item) + [""]
        else:
            lines += ["   " + item, ""] if kind == "p" else ["     " + item]
    return "\n".join(lines)


def _narrow_grid(report: Report, table: Table, centred: bool) -> list[str]:
    cells = []  # (first row, last row, column, span, text): group cells merged over their rows
    for level in range(2):
        for i, r in enumerate(table.rows):
            if len(r.groups) > level:
                if cells and cells[-1][2] == level and cells[-1][4] == r.groups[level] and cells[-1][1] == i - 1:
                    cells[-1] = (cells[-1][0], i, *cells[-1][2:])
                else:
                    cells.append((i, i, level, 1, r.groups[level]))
    cells += [(i, i, len(r.groups), 3 - len(r.groups), r.label) for i, r in enumerate(table.rows)]
    pieces = lambda c: _chunks(c[4], NARROW_WIDTH * c[3] + 2 * (c[3] - 1))  # noqa: E731 - a spanning cell is wider
    height = [1] * len(table.rows)
    for c in sorted(cells, key=lambda c: c[1] - c[0]):
        short = len(pieces(c)) - sum(height[c[0] : c[1] + 1])
        height[c[1]] += max(short, 0)
    start = [sum(height[:k]) for k in range(len(height))]
    grid: list[dict[int, str]] = [{} for _ in range(sum(height))]
    for c in cells:
        room, text = sum(height[c[0] : c[1] + 1]), pieces(c)
        first = start[c[0]] + ((room - len(text)) // 2 if centred else 0)
        for k, piece in enumerate(text):
            grid[first + k][NARROW_AT[c[2]]] = piece
    out = []
    for placed_ in grid:
        line = ""
        for at, piece in sorted(placed_.items()):
            line = line.ljust(at) + piece
        out.append(line)
    for i, r in enumerate(table.rows):
        n = start[i] + ((height[i] - 1) // 2 if centred else 0)
        values = [cell_text(report, f"{table.id}.{r.id}.{c.id}") for c in table.cols]
        out[n] = out[n].ljust(16) + _cells_at(values)
    return out


def _chunks(text: str, width: int) -> list[str]:
    """A label wrapped ``width`` characters a line; an item number's digit and dot take one character's room."""
    first = width + 1 if text[:2] != text[:2].rstrip("0123456789.") else width
    return [text[:first]] + [text[i : i + width] for i in range(first, len(text), width)]
