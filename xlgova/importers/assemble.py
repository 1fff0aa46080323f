"""Lines of a published report -> :class:`~xlgova.model.Report` with findings about what was damaged."""
from __future__ import annotations

from ..formats import GRID, Format, Table, get_format, latest_format
from ..errors import XlgovaError
from ..model import BLANK_VALUE, NUMBER, Report, Source, Value, parse_value
from ..rules import Finding
from ..rules.engine import invalid_reason
from .lines import Cell, Line
from .agency import find_agency
from .meta import agency_from_title, body_year, speaks_as_report, file_name_title, date_line_year, detect_format, find_title, period_year, year_from_title
from .repair import as_printed, blank_trims, by_label_span, choose, consistent, end_trims, erased_blank_readings, glued_readings, readings, relevant_identities, shown_values
from .shapes import reshape
from .sections import find_headings, narrative_text, section_spans
from .local_rows import drop_column, local_column
from .tables import RowRead, TableRead, find_anchors, read_table, region_end
from .totals import read_totals


def _finding(rule: str, message: str, cells=(), quote: str | None = None, src: Source | None = None, **kw) -> Finding:
    where = Source(**{**src.to_json(), "file": None, "text": None}).describe() if src is not None else ""
    return Finding.of(rule, message, cells, locations=((cells[0], where),) if cells and where else (), quote=quote, **kw)


def build_report(lines: list[Line], *, file: str | None = None) -> Report:
    lines = reshape(lines)
    headings = find_headings(lines, get_format("2021"))  # section titles are the same in both formats
    first = min((h.index for h in headings.values()), default=min(len(lines), 12))
    title, title_line = find_title(lines, first)
    preamble = "\n".join(ln.text for ln in lines[: max(first, 1) + 40])
    title_year, stated = year_from_title(title), period_year(preamble)
    named = file_name_title(file)
    year, year_from = _year(title_year, stated, preamble, lines, year_from_title(named) if named else None)
    fmt_id, hits = detect_format(lines, year)
    guessed = not fmt_id
    fmt = get_format(fmt_id or FALLBACK_FORMAT)
    fmt_id = fmt.id
    agency, agency_from = find_agency(agency_from_title(title), preamble, lines, agency_from_title(named) if named else "")
    report = Report(agency=agency, year=year, format_id=fmt.id, source=file)
    report.meta.update(year_from=year_from, agency_from=agency_from)
    _format_findings(report, hits, guessed)
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
    if not spans and not report.values and not (title or speaks_as_report(preamble)):  # an excerpt that says it is a report is read
        raise XlgovaError(
            "没有找到年度报告的任何部分（如“一、总体情况”）或统计表，这可能不是政府信息公开工作年度报告",
            path=file,
            hint="扫描件、图片或加密文档需要先转换为文字；网页请保存为 .html 后再导入。",
        )
    return report


def _format_findings(report: Report, hits: dict, guessed: bool) -> None:
    fmt_id = report.format_id
    if guessed:
        report.findings.append(
            _finding("doc.format_unknown", f"标题、正文和落款中都没有统计年度，表头也没有区分格式版本的用语，无法判断格式版本；已暂按 {fmt_id} 版格式读取，请核对", subject="format")
        )
    other = sorted({k for fid, keys in hits.items() if fid != fmt_id for k in keys})
    if hits[fmt_id] and other:
        report.findings.append(
            _finding("doc.format_mismatch", f"表头同时使用了 {fmt_id} 版格式的用语（{'、'.join(hits[fmt_id])}）和其他版本的用语（{'、'.join(other)}），已按 {fmt_id} 版格式读取，请核对")
        )


FALLBACK_FORMAT = latest_format().id  # read with when nothing tells the format (said in a finding)


def _year(title_year, stated, preamble: str, lines: list[Line], file_year: int | None) -> tuple[int | None, str]:
    """The statistics year and where it was found: title, statistics period, body, date line, file name."""
    for year, where in ((title_year, "title"), (stated, "period"), (body_year(preamble), "body"), (date_line_year(lines), "date"), (file_year, "file")):
        if year is not None:
            return year, where
    return None, ""


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
        _local_rows(report, tr)
        _local_column(report, tr)
        read_totals(report.format_id, tr)  # totals the rows' own sums settle, for rows left doubtful
        for rr in tr.rows:
            if rr.merged:
                _merged_group(report, rr)
            if rr.sub_rows:
                _sub_rows_only(report, rr)
                continue
            status = _assign_plain(report, rr, trailing, paragraphs=tr.layout == "cell-per-line-spaced")
            (damaged if status == DAMAGED else suspects if status == SUSPECT else []).append(rr)
    for rr in suspects:
        _recheck(report, rr)
    while damaged:  # a row settled may decide another through the column sums: again until nothing changes
        left = [rr for rr in damaged if not _repair(report, rr, final=False)]
        if len(left) == len(damaged):
            break
        damaged = left
    for rr in damaged:
        _repair(report, rr)
    for tr in reads:
        _report_incomplete(report, tr)
    report.meta["layouts"] = {tr.table.id: tr.layout for tr in reads}


def _merged_group(report: Report, rr: RowRead) -> None:
    """One row printed for a group the format splits: it is the group's total, read into its last row;
    the other rows were not printed and count as 0 so that the sums are still checked."""
    table = rr.table
    last = table.row(rr.cell_ids[0].split(".")[1])
    group = last.groups[-1]
    src = rr.label_cell.src if rr.label_cell else None
    for row_id in rr.merged:
        for col in table.cols:
            _set(report, f"{table.id}.{row_id}.{col.id}", Value(NUMBER, 0), src)
    others = "、".join(table.row(r).label.split(".")[0] + "." for r in rr.merged)
    report.findings.append(
        _finding("doc.group_row", f"{_name(table)}的“{group}”只印了一行（2019 版格式的写法），{report.format_id} 版格式分为 {len(rr.merged) + 1} 行；已把该行作为“{group}”的合计记入「{last.label}」，未印出的 {others} 行按 0 计，请核对", rr.cell_ids, quote=_quote(rr), src=src)
    )


def _local_rows(report: Report, tr: TableRead) -> None:
    """Rows the agency added (行政检查 under 其他对外管理服务事项): not the format's, not read, said once."""
    if tr.local_rows:
        shown = "".join(f"「{label}」" for label, _ in tr.local_rows)
        src = tr.local_rows[0][1]
        report.findings.append(
            _finding("doc.local_row", f"{_name(tr.table)}表中有格式以外的行{shown}，未读取", quote=src.text, subject=tr.table.id)
        )


def _local_column(report: Report, tr: TableRead) -> None:
    """A column the agency added (every row one number too long, the row sums holding without it): not read."""
    if tr.table.layout != GRID or (k := local_column(report.format_id, tr.rows)) is None:
        return
    drop_column(tr.rows, k)
    report.findings.append(
        _finding("doc.local_row", f"{_name(tr.table)}各行比格式多一列（每行第 {k + 1} 个数，去掉它后各行的合计才相符），是格式以外的列，未读取", subject=tr.table.id)
    )


def _sub_rows_only(report: Report, rr: RowRead) -> None:
    """A row whose label stands over local sub-rows only: its own values were not printed; not read."""
    subs = "、".join(rr.sub_rows)
    src = rr.label_cell.src if rr.label_cell else None
    report.findings.append(
        _finding("doc.row_doubtful", f"{_row_name(rr)}后面没有本行自己的数，紧接着是地方加的行（{subs}）：本行可能印成空白，也可能只印了这些子行；未读取（不拿子行的数，也不按子行之和推算），请对照原文核对", rr.cell_ids, quote=_quote(rr), src=src)
    )


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
    if tr.table.layout == GRID and len(long) < 2:
        return False  # one long row alone does not show a column (its leading blank is a label column's, likelier)
    return bool(long) and all(not rr.cells[-1].text for rr in tr.rows if rr.cells)


def _assign_plain(report: Report, rr: RowRead, trailing_first: bool = False, paragraphs: bool = False) -> str:
    """Rows with the right number of cells, or extra blanks at the ends, are assigned as read.

    SUSPECT: the right count but a blank at an end, which may be a merged label column's artefact hiding
    a lost cell; DAMAGED: the wrong count.
    """
    m = rr.expected
    status = OK
    if not any(c.text for c in rr.cells) and rr.spaced and rr.label_cell is not None:
        for cid in rr.cell_ids:  # a label alone (or over a line of spaces) in a table drawn with spaces: printed blank
            _set(report, cid, BLANK_VALUE, rr.label_cell.src)
        return OK
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
            else:  # no identity decides: a reading that makes a printed number invalid in its column is not taken
                options = [o for o in options if _fits_kinds(report, rr, o)] or options
                if paragraphs and relevant_identities(report.format_id, rr.cell_ids):  # zeros the sums cannot place
                    options = by_label_span(rr.table, rr.cells, rr.cell_ids[0].split(".")[1], options) or options
                if _unjudged_shift(report, rr, options):
                    return DAMAGED  # doubtful: blanks at both ends, nothing tells which one the layout added
    else:
        options = []
    if not options:
        return DAMAGED
    for cid, cell in zip(rr.cell_ids, options[0]):
        _set(report, cid, _val(cell), cell.src)
    return status


def _unjudged_shift(report: Report, rr: RowRead, options: list[list[Cell]]) -> bool:
    """Readings that put the numbers of a row no identity checks (2019 第二十条) in different columns."""
    return len({tuple(c.text for c in o) for o in options}) > 1 and not relevant_identities(report.format_id, rr.cell_ids)


def _fits_kinds(report: Report, rr: RowRead, cells: list[Cell]) -> bool:
    """Every value of the reading may stand in its column (-3 in 本年增/减, not in 处理决定数量)."""
    return not any(invalid_reason(report.format.cell(cid).kind, _val(c)) for cid, c in zip(rr.cell_ids, cells) if c.text)


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


def _repair(report: Report, rr: RowRead, options=None, outside: bool = False, final: bool = True) -> bool:
    """Settle a damaged row by the identities; ``final``: report it as doubtful when they cannot."""
    n, m = len(rr.cells), rr.expected
    if options is None and _by_position(report, rr):
        return True
    if options is None and "glued" not in rr.cache:  # computed once, tried again in later passes
        rr.cache["glued"], rr.cache["readings"] = glued_readings(rr.cells, m), readings(rr.cells, m)
    glued = rr.cache["glued"] if options is None else []
    tries = [glued, rr.cache["readings"]] if options is None else [options]
    agreed: list = []
    opts = None
    for opts in (t for t in tries if t):
        agreed = consistent(report.format_id, rr.cell_ids, opts, report.values, outside=outside, exact=opts is glued)
        if agreed:
            break
    if len(agreed) == 1 and opts is glued:  # one cut fits: unless another fits once a printed blank is put back
        agreed += consistent(report.format_id, rr.cell_ids, erased_blank_readings(rr.cells, m), report.values, outside=outside, exact=True)
    src = rr.label_cell.src if rr.label_cell else (rr.cells[0].src if rr.cells else None)
    what = _damage(rr, n, m, bool(glued) and ((agreed and opts is glued) or any(len(c.text) > 3 for c in rr.cells if c.text.isdigit())))
    if len(agreed) == 1:
        values = as_printed(rr.spaced, *agreed[0])
        for cid, v in zip(rr.cell_ids, values):
            _set(report, cid, v, src)
        report.findings.append(
            _finding("doc.row_repaired", f"{what}；按表内勾稽关系只有一种读法成立，已按此读取：{shown_values(values)}", rr.cell_ids, quote=_quote(rr), src=src, actual=n, expected=m)
        )
        return True
    if not final:
        return False
    judged = bool(relevant_identities(report.format_id, rr.cell_ids))
    if not judged:
        agreed = [([_val(c) for c in opt], [opt]) for opt in glued[:4]]
    why = ("有多种读法都符合表内勾稽关系" if agreed else "没有一种读法符合表内勾稽关系") if judged else "该行不受表内勾稽关系约束"
    why = why if any(tries) else "缺少或多出的单元格太多"
    known = [vals for vals, _ in agreed if vals is not None]  # a reading whose lost cells no sum settles has none
    shown = "；".join(shown_values(vals) for vals in known[:3]) + ("……" if len(known) > 3 else "")
    candidates = f"（可能的读法：{shown}）" if known else ""
    unread, total = _total_only(report, rr, src)
    placed = f"；只有总计定得下来（{rr.cache['totals_why']}），已读取总计：{total}，其余" if total else "，"
    report.findings.append(  # the cells stay unread: no check (sums, narrative) runs on a guess
        _finding("doc.row_doubtful", f"{what}，{why}{candidates}{placed}无法确定各数所在的列，未读取，请对照原文核对", unread, quote=_quote(rr), src=src, actual=n, expected=m)
    )
    return True


def _total_only(report: Report, rr: RowRead, src: Source | None) -> tuple[list[str], str]:
    """A doubtful row whose totals were found (``rr.cache["totals"]``: the 总计 column placed in layout text,
    see ``columns.total_placed``; the rows' own sums in text without positions, see ``totals``): the totals
    read as printed (blank stays blank), the other cells left unread."""
    totals = rr.cache.get("totals")
    if not totals:
        return rr.cell_ids, ""
    shown = []
    for cid, cell in totals.items():
        value = _val(cell) if cell is not None else BLANK_VALUE
        _set(report, cid, value, cell.src if cell is not None else src)
        name = "" if len(totals) == 1 else next(c.row_label for c in rr.table.cells if c.id == cid) + " "
        shown.append(name + shown_values([value]))
    return [c for c in rr.cell_ids if c not in totals], "、".join(shown)


def _by_position(report: Report, rr: RowRead) -> bool:
    """A short row placed in its table's columns by where its values stand (blank cells between): read so,
    without a finding, when the identities the row takes part in confirm it and admit no other values (or,
    placed under a PDF page's header words, when no identity checks the row)."""
    cells = rr.cache.get("placed")
    if cells is None:
        return False
    unchecked = rr.cache.get("sure") and not relevant_identities(report.format_id, rr.cell_ids)
    agreed = [] if unchecked else consistent(report.format_id, rr.cell_ids, [cells], report.values)
    if not unchecked and (len(agreed) != 1 or agreed[0][0] is None):
        return False
    for cid, cell in zip(rr.cell_ids, cells):
        _set(report, cid, _val(cell), cell.src)
    return True


def _damage(rr: RowRead, n: int, m: int, glued: bool) -> str:
    if rr.cache.get("unordered"):
        return f"{_row_name(rr)}在文字中与它的数分开、表格的顺序已被打乱（从 PDF 复制文字、pdftotext 不加 -layout 时常见，请直接导入 PDF）"
    if glued:
        return f"{_row_name(rr)}的数字连在一起（“{' '.join(c.text for c in rr.cells)}”），应为 {m} 个单元格"
    if n != m:
        return f"{_row_name(rr)}读到 {n} 个单元格，应为 {m} 个"
    return f"{_row_name(rr)}开头的空白单元格不符合表内勾稽关系，疑为排版留下的空位、另有一个数丢失"


def _report_incomplete(report: Report, tr: TableRead) -> None:
    if not tr.missing_rows:
        return
    table = tr.table
    rows = [table.row(r) for r in tr.missing_rows]
    cells = [c.id for c in table.cells if c.row.id in tr.missing_rows]
    names = "、".join(table.cell(r.id, table.cols[0].id).row_label for r in rows[:4]) + ("等" if len(rows) > 4 else "")
    if len(tr.local_rows) >= len(rows):  # printed under other labels among the agency's own rows, maybe: doubtful
        report.findings.append(
            _finding("doc.row_doubtful", f"{_name(table)}中没有认出「{names}」行，表中有格式以外的行，该行可能以其他名称印在其中；共 {len(cells)} 个单元格未读取，请对照原文核对", cells)
        )
        return
    if len(rows) == len(table.rows):
        report.findings.append(_finding("doc.table_missing", f"找到了{_name(table)}的标题，但没有读到任何数据行", cells))
        return
    if any(rr.cache.get("unordered") for rr in tr.rows):
        # The text's order is broken (labels apart from their numbers): an absent row cannot be told from one
        # that is printed but unreadable here, so the report is not accused of a cut-off table.
        report.findings.append(_finding(
            "doc.row_doubtful",
            f"{_name(table)}的顺序已被打乱，另有 {len(rows)} 行（{names}）没有找到，可能印了但无法读取，"
            f"共 {len(cells)} 个单元格未读取；请直接导入 PDF 或对照原文核对", cells))
        return
    report.findings.append(
        _finding("doc.table_incomplete", f"{_name(table)}缺少 {len(rows)} 行（{names}），共 {len(cells)} 个单元格未读取", cells)
    )
