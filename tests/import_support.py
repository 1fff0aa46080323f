"""Test renderers: a Report as a published document (text in three layouts, .docx, HTML).

Driven by the format data, like a real publisher's template: merged header cells from ``Column.groups``,
group label cells from ``Row.groups``. Used by the round-trip tests and the benchmark.
"""
from __future__ import annotations

import html as htmllib
from pathlib import Path

from xlgova.formats import GRID, Table
from xlgova.model import Report


def cell_text(report: Report, cid: str) -> str:
    v = report.values.get(cid)
    if v is None or v.is_blank:
        return ""
    j = v.to_json()
    return str(j)


def grid_rows(report: Report, table: Table) -> list[list[tuple[str, int, int]]]:
    """Rows of (text, colspan, rowspan); cells covered by a span are omitted (HTML-style)."""
    label_cols = 1 + max(len(r.groups) for r in table.rows)
    depth = table.header_depth
    rows: list[list[tuple[str, int, int]]] = [[] for _ in range(depth)]
    rows[0].append((table.corner or "信息内容", label_cols, depth))
    if table.row_header:
        rows[0].append((table.row_header, len(table.cols) - 1, 1))
        seen = set()
        for c in table.cols:
            if c.total:
                rows[0].append((c.label, 1, depth))
            elif len(c.groups) == 1:
                rows[1].append((c.label, 1, depth - 1))
            elif c.groups[-1] not in seen:
                seen.add(c.groups[-1])
                n = sum(1 for x in table.cols if x.groups[-1:] == c.groups[-1:])
                rows[1].append((c.groups[-1], n, 1))
                rows[2].extend((x.label, 1, 1) for x in table.cols if x.groups[-1:] == c.groups[-1:])
    else:
        rows[0].extend((c.label, 1, 1) for c in table.cols)
    group_done: set[str] = set()
    for r in table.rows:
        line = []
        for level, g in enumerate(r.groups):
            if (level, g) not in group_done:
                group_done.add((level, g))
                span = sum(1 for x in table.rows if len(x.groups) > level and x.groups[level] == g)
                line.append((g, 1, span))
        line.append((r.label, label_cols - len(r.groups), 1))
        line.extend((cell_text(report, f"{table.id}.{r.id}.{c.id}"), 1, 1) for c in table.cols)
        rows.append(line)
    return rows


def spread_rows(report: Report, table: Table) -> list[list[tuple[str, int, int]]]:
    ncol = len(table.cols)
    top = [(table.rows[0].label, ncol, 2), (table.rows[1].groups[0], ncol * (len(table.rows) - 1), 1)]
    second = [(r.label, ncol, 1) for r in table.rows[1:]]
    third = [(c.label, 1, 1) for _ in table.rows for c in table.cols]
    data = [(cell_text(report, c.id), 1, 1) for c in table.cells]
    return [top, second, third, data]


def table_rows(report: Report, table: Table):
    return grid_rows(report, table) if table.layout == GRID else spread_rows(report, table)


def blocks(report: Report):
    """("p", text) and ("table", Table) in document order."""
    fmt = report.format
    yield "title", f"{report.agency}{report.year}年政府信息公开工作年度报告"
    yield "p", f"本报告统计数据从{report.year}年1月1日至{report.year}年12月31日。"
    for s in fmt.sections:
        yield "h", s.heading
        if s.narrative:
            for para in (report.sections.get(s.key) or "").split("\n"):
                yield "p", para
        for tid in s.tables:
            table = fmt.table(tid)
            if table.section == "二":
                yield "p", table.title
            yield "table", table


def placed(rows):
    """(row, column, text, colspan, rowspan) of every header/label cell, spans laid out left to right."""
    taken: set[tuple[int, int]] = set()
    for r, line in enumerate(rows):
        c = 0
        for text, colspan, rowspan in line:
            while (r, c) in taken:
                c += 1
            yield r, c, text, colspan, rowspan
            taken.update((r + dr, c + dc) for dr in range(rowspan) for dc in range(colspan))
            c += colspan


def flat_rows(rows) -> list[list[str]]:
    """Rows as full-width cell lists, the way a text extraction flattens them (spans become blank cells)."""
    ncols = max(sum(c for _, c, _ in row) for row in rows)
    grid = [[""] * ncols for _ in rows]
    for r, c, text, _, _ in placed(rows):
        grid[r][c] = text
    return grid


def render_text(report: Report, layout: str = "tabs") -> str:
    out: list[str] = []
    for kind, item in blocks(report):
        if kind != "table":
            out += [item, ""]
            continue
        for cells in flat_rows(table_rows(report, item)):
            if layout == "tabs":
                out.append("\t".join(cells))
            elif layout == "pipes":
                out.append("| " + " | ".join(cells) + " |")
            else:
                out += ["\t" + c for c in cells] + [""]
        out.append("")
    return "\n".join(out)


def render_html(report: Report) -> str:
    parts = ["<html><head><meta charset='utf-8'><title>报告</title></head><body><div class='article'>"]
    for kind, item in blocks(report):
        if kind == "title":
            parts.append(f"<h1>{htmllib.escape(item)}</h1>")
        elif kind == "h":
            parts.append(f"<p><strong>{htmllib.escape(item)}</strong></p>")
        elif kind == "p":
            parts.append(f"<p>{htmllib.escape(item)}</p>")
        else:
            parts.append("<table border='1'>")
            for line in table_rows(report, item):
                tds = "".join(f"<td colspan='{c}' rowspan='{r}'>{htmllib.escape(t)}</td>" for t, c, r in line)
                parts.append(f"<tr>{tds}</tr>")
            parts.append("</table>")
    parts.append("</div></body></html>")
    return "\n".join(parts)


def render_docx(report: Report, path: Path) -> Path:
    import docx

    doc = docx.Document()
    for kind, item in blocks(report):
        if kind == "title":
            doc.add_heading(item, level=1)
        elif kind in ("h", "p"):
            doc.add_paragraph(item)
        else:
            _docx_table(doc, table_rows(report, item))
    doc.save(str(path))
    return path


def without_rules(docx_path: Path) -> Path:
    """The same .docx with its tables' borders removed (in a PDF, only the words' positions show the columns)."""
    import zipfile

    parts = {}
    with zipfile.ZipFile(docx_path) as z:
        for name in z.namelist():
            parts[name] = z.read(name)
    parts["word/document.xml"] = parts["word/document.xml"].replace(b'<w:tblStyle w:val="TableGrid"/>', b"")
    out = docx_path.with_name(docx_path.stem + "_unruled.docx")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return out


def _docx_table(doc, rows) -> None:
    ncols = max(sum(c for _, c, _ in row) for row in rows)
    table = doc.add_table(rows=len(rows), cols=ncols)
    table.style = "Table Grid"
    grid = [list(row.cells) for row in table.rows]  # table.cell() recomputes the grid on every call
    for r, c, text, colspan, rowspan in placed(rows):
        cell = grid[r][c]
        if colspan > 1 or rowspan > 1:
            cell = cell.merge(grid[r + rowspan - 1][c + colspan - 1])
        cell.text = text


def values(report) -> dict:
    return report.to_json()["values"]


def read_exactly(got, want) -> None:
    """Agency, year, format and every value as printed; no finding at all."""
    assert (got.agency, got.year, got.format_id) == (want.agency, want.year, want.format_id)
    assert values(got) == values(want)
    assert not got.findings, [f.message for f in got.findings]
