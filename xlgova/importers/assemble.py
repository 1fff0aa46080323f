"""Lines of a published report -> :class:`~xlgova.model.Report` with findings about what was damaged."""
from __future__ import annotations

from ..formats import GRID, Format, Table, get_format
from ..model import BLANK_VALUE, Report, Source, Value, format_number, parse_value
from ..errors import XlgovaError
from ..rules import Finding
from .lines import Cell, Line
from .meta import agency_from_text, agency_from_title, detect_format, find_title, period_year, year_from_title
from .repair import blank_trims, choose, end_trims, readings
from .sections import find_headings, narrative_text, section_spans
from .tables import RowRead, TableRead, find_anchors, read_table, region_end


def _finding(rule: str, message: str, cells=(), quote: str | None = None, src: Source | None = None, **kw) -> Finding:
    where = Source(**{**src.to_json(), "file": None, "text": None}).describe() if src is not None else ""
    return Finding.of(rule, message, cells, locations=((cells[0], where),) if cells and where else (), quote=quote, **kw)


def build_report(lines: list[Line], *, file: str | None = None) -> Report:
    headings = find_headings(lines, get_format("2021"))  # section titles are the same in both formats
    first = min((h.index for h in headings.values()), default=min(len(lines), 12))
    title, title_line = find_title(lines, first)
    preamble = "\n".join(ln.text for ln in lines[: max(first, 1) + 40])
    title_year, stated = year_from_title(title), period_year(preamble)
    year = title_year or stated
    fmt_id, hits = detect_format(lines, year)
    fmt = get_format(fmt_id)
    agency = agency_from_title(title) or agency_from_text(preamble)
    report = Report(agency=agency, year=year, format_id=fmt_id, source=file)
    other = sorted({k for fid, keys in hits.items() if fid != fmt_id for k in keys})
    if hits[fmt_id] and other:
        report.findings.append(
            _finding("doc.format_mismatch", f"表头同时使用了 {fmt_id} 版格式的用语（{'、'.join(hits[fmt_id])}）和其他版本的用语（{'、'.join(other)}），已按 {fmt_id} 版格式读取，请核对")
        )
    report.meta.update({"title": title, "format_keys": hits[fmt_id]})
    if title_line is not None:
        report.meta["title_line"] = title_line
    if stated is not None:
        report.meta["period_year"] = stated
    if title_year and stated and title_year != stated:
        report.meta["year_conflict"] = f"标题为 {title_year} 年，统计期限为 {stated} 年"
    spans = section_spans(headings, len(lines))
    _read_sections(report, fmt, lines, spans)
    _read_tables(report, fmt, lines, spans, {h.index for h in headings.values()})
    if not spans and not report.values:
        raise XlgovaError(
            "没有找到年度报告的任何部分（如“一、总体情况”）或统计表，这可能不是政府信息公开工作年度报告",
            path=file,
            hint="扫描件、图片或加密文档需要先转换为文字；网页请保存为 .html 后再导入。",
        )
    return report


def _read_sections(report: Report, fmt: Format, lines: list[Line], spans) -> None:
    for s in fmt.sections:
        if s.key not in spans:
            report.findings.append(_finding("doc.section_missing", f"未找到第{s.key}部分“{s.heading}”", subject=s.key))
        elif s.narrative:
            report.sections[s.key] = narrative_text(lines, *spans[s.key])


def _read_tables(report: Report, fmt: Format, lines: list[Line], spans, heading_lines: set[int]) -> None:
    anchors = find_anchors(lines, fmt, spans)
    reads: list[TableRead] = []
    for table in fmt.tables:
        if table.id not in anchors:
            cells = [c.id for c in table.cells]
            report.findings.append(
                _finding("doc.table_missing", f"未找到{_name(table)}，其 {len(cells)} 个单元格均未读取", cells)
            )
            continue
        end = region_end(anchors[table.id], anchors, heading_lines, len(lines))
        reads.append(read_table(table, lines, anchors[table.id], end))
    damaged: list[RowRead] = []
    suspects: list[RowRead] = []
    for tr in reads:
        trailing = _trailing_column(tr)
        for rr in tr.rows:
            status = _assign_plain(report, rr, trailing)
            (damaged if status == DAMAGED else suspects if status == SUSPECT else []).append(rr)
    for rr in suspects:
        _recheck(report, rr)
    for rr in damaged:
        _repair(report, rr)
    for tr in reads:
        _report_incomplete(report, tr)
    report.meta["layouts"] = {tr.table.id: tr.layout for tr in reads}


def _name(table: Table) -> str:
    return table.short if table.short == table.title else f"{table.short}（{table.title}）"


def _set(report: Report, cid: str, value: Value, src: Source | None) -> None:
    report.values[cid] = value
    if src is not None:
        report.provenance[cid] = src


OK, SUSPECT, DAMAGED = "ok", "suspect", "damaged"


def _trailing_column(tr: TableRead) -> bool:
    """Every row of the table ends in a blank cell: an empty last column of the layout, not data."""
    long = [rr for rr in tr.rows if len(rr.cells) > rr.expected]
    return bool(long) and all(not rr.cells[-1].text for rr in tr.rows if rr.cells)


def _assign_plain(report: Report, rr: RowRead, trailing_first: bool = False) -> str:
    """Rows with the right number of cells, or extra blanks at the ends, are assigned as read.

    SUSPECT: the right count but a blank at an end, which may be a merged label column's artefact hiding
    a lost cell; DAMAGED: the wrong count.
    """
    m = rr.expected
    status = OK
    if len(rr.cells) == m:
        options = [rr.cells]
        if any(c.text for c in rr.cells) and not rr.cells[0].text:
            status = SUSPECT
    elif len(rr.cells) > m:
        options = end_trims(rr.cells, m, trailing_first=trailing_first)
        if len(options) > 1:
            picked, _ = choose(report.format_id, rr.cell_ids, options, report.values)
            if picked is not None:
                options = [o for o in options if [_val(c) for c in o] == picked][:1] or options
    else:
        options = []
    if not options:
        return DAMAGED
    for cid, cell in zip(rr.cell_ids, options[0]):
        _set(report, cid, _val(cell), cell.src)
    return status


def _recheck(report: Report, rr: RowRead) -> None:
    """A row read with a blank at an end that breaks the identities: was the blank an artefact?"""
    m = rr.expected
    if choose(report.format_id, rr.cell_ids, [rr.cells], report.values)[0] is not None:
        return
    options = [o for trimmed in blank_trims(rr.cells, leading_only=True) for o in readings(trimmed, m)]
    # Only when identities beyond the row's own total confirm the reading: a blank that was really left
    # blank stays as found.
    if options and choose(report.format_id, rr.cell_ids, options, report.values, outside=True)[0] is not None:
        _repair(report, rr, options, outside=True)


def _val(cell: Cell) -> Value:
    return parse_value(cell.text) if cell.text else BLANK_VALUE


def _row_name(rr: RowRead) -> str:
    if rr.table.layout != GRID:
        return f"{rr.table.short}的数据行"
    cell = rr.table.cells[[c.id for c in rr.table.cells].index(rr.cell_ids[0])]
    return f"{rr.table.short}「{cell.row_label}」行"


def _quote(rr: RowRead) -> str | None:
    src = (rr.label_cell or (rr.cells[0] if rr.cells else None))
    return src.src.text if src is not None else None


def _repair(report: Report, rr: RowRead, options=None, outside: bool = False) -> None:
    n, m = len(rr.cells), rr.expected
    if options is None:
        options = readings(rr.cells, m)
    picked, count = choose(report.format_id, rr.cell_ids, options, report.values, outside=outside)
    src = rr.label_cell.src if rr.label_cell else (rr.cells[0].src if rr.cells else None)
    what = f"{_row_name(rr)}读到 {n} 个单元格，应为 {m} 个" if n != m else f"{_row_name(rr)}开头的空白单元格不符合表内勾稽关系，疑为排版留下的空位、另有一个数丢失"
    if picked is not None:
        for cid, v in zip(rr.cell_ids, picked):
            _set(report, cid, v, src)
        shown = "、".join("空白" if v.is_blank else (format_number(v.number) if v.is_number else str(v.raw)) for v in picked)
        report.findings.append(
            _finding("doc.row_repaired", f"{what}；按表内勾稽关系只有一种读法成立，已按此读取：{shown}", rr.cell_ids, quote=_quote(rr), src=src, actual=n, expected=m)
        )
        return
    for cid in rr.cell_ids:
        _set(report, cid, BLANK_VALUE, src)
    why = "有多种读法都符合表内勾稽关系" if count > 1 else "没有一种读法符合表内勾稽关系" if options else "缺少或多出的单元格太多"
    report.findings.append(
        _finding("doc.row_doubtful", f"{what}，{why}，无法确定各数所在的列，已按空白读取，请对照原文核对", rr.cell_ids, quote=_quote(rr), src=src, actual=n, expected=m)
    )


def _report_incomplete(report: Report, tr: TableRead) -> None:
    if not tr.missing_rows:
        return
    table = tr.table
    rows = [table.row(r) for r in tr.missing_rows]
    cells = [c.id for c in table.cells if c.row.id in tr.missing_rows]
    if len(rows) == len(table.rows):
        report.findings.append(_finding("doc.table_missing", f"找到了{_name(table)}的标题，但没有读到任何数据行", cells))
        return
    names = "、".join(table.cell(r.id, table.cols[0].id).row_label for r in rows[:4]) + ("等" if len(rows) > 4 else "")
    report.findings.append(
        _finding("doc.table_incomplete", f"{_name(table)}缺少 {len(rows)} 行（{names}），共 {len(cells)} 个单元格未读取", cells)
    )
