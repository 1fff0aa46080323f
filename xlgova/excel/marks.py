"""What a check run does to a workbook, as plain data: fills, results rows, notes and the status line.

Planning is kept apart from the xlwings calls (``book.py``) so the decisions — which cell gets which
colour, which explanation follows which finding — are tested without Excel and reused by the replayer.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from functools import lru_cache

from ..model import Report
from ..ooxml.a1 import join, zero_based
from ..safeio import safe_text
from ..rules import ERROR, WARNING, Finding, Result, title_of
from ..workbook import layout
from . import results as rs

# Excel's own "Bad" and "Neutral" cell-style fills: clerks already read them as error and warning.
ERROR_FILL = "#FFC7CE"
WARNING_FILL = "#FFEB9C"
CONFIRMED_FILL = "#E2EFDA"  # a warning the clerk explained on 校验结果
MARK_FILLS = (ERROR_FILL, WARNING_FILL, CONFIRMED_FILL)
NOTE_PREFIX = "【xlgova 校验】"
_PRIORITY = {CONFIRMED_FILL: 0, WARNING_FILL: 1, ERROR_FILL: 2}


@dataclass(frozen=True)
class Row:
    """One line of the findings table on 校验结果."""

    number: int
    label: str  # 错误 / 警告 / 警告（已确认） / 提示 / 已消除
    rule: str
    where: str  # 依申请公开!D6、依申请公开!D7
    message: str
    explanation: str  # 已确认说明, carried over by fingerprint
    fingerprint: str
    note_at: str  # where this run put its note ("" for none)
    severity: str

    def visible(self) -> list:
        return [self.number, self.label] + [safe_text(v) for v in (self.rule, self.where, self.message, self.explanation)]

    def helpers(self) -> list:
        return [self.fingerprint, self.note_at]


@dataclass
class Plan:
    fills: dict[tuple[str, str], str] = field(default_factory=dict)  # (sheet, address) -> mark colour
    colours: list[tuple[str, str, str | None]] = field(default_factory=list)  # (sheet, range, final fill)
    rows: list[Row] = field(default_factory=list)
    notes: list[tuple[str, str, str]] = field(default_factory=list)  # (sheet, address, text)
    status: str = ""
    counts: dict[str, int] = field(default_factory=dict)


def _hex(fill) -> str | None:
    rgb = getattr(getattr(fill, "fgColor", None), "rgb", None)
    return f"#{rgb[-6:]}" if isinstance(rgb, str) and len(rgb) >= 6 else None


def base_fill(format_id: str, cell_id: str | None) -> str | None:
    """The template's own fill of a data cell (input blue / computed grey), restored when a mark is cleared.
    ``cell_id`` None: a 上年数据 input cell."""
    from ..formats import get_format
    from ..workbook import cell_styles
    cell = get_format(format_id).cells.get(cell_id) if cell_id else None
    return _hex(cell_styles.TOTAL_FILL if cell is not None and cell.is_total else cell_styles.INPUT_FILL)


def data_places(report: Report) -> tuple[tuple[str, str, str | None], ...]:
    """(sheet, address, cell id; None for a 上年数据 cell) of every data cell, where the reader found it
    (rows inserted in Excel move them)."""
    out = [(src.sheet, src.address, cid) for cid, src in report.provenance.items() if src.sheet and src.address]
    for cid, pos in layout.previous_map(report.format_id).items():
        out.append((*_previous_place(report, cid, pos), None))
    return tuple(out)


def _previous_place(report: Report, cid: str, template: tuple[str, str]) -> tuple[str, str]:
    src = report.previous.provenance.get(cid) if report.previous is not None else None
    return (src.sheet, src.address) if src is not None and src.sheet and src.address else template


def _template_places(format_id: str) -> tuple[tuple[str, str, str | None], ...]:
    return (tuple((s, a, cid) for cid, (s, a) in layout.cell_map(format_id).items())
            + tuple((s, a, None) for s, a in layout.previous_map(format_id).values()))


@lru_cache(maxsize=64)
def base_fills(format_id: str, places: tuple | None = None) -> dict[tuple[str, int, int], str | None]:
    """(sheet, row, col) zero-based -> the template's fill, for every data cell xlgova may mark; ``places``:
    where the reader found the cells (:func:`data_places`), the template's positions by default."""
    places = places if places is not None else _template_places(format_id)
    return {(sheet, *zero_based(address)): base_fill(format_id, cid) for sheet, address, cid in places}


def colour_ranges(report: Report, marks: dict[tuple[str, str], str]) -> list[tuple[str, str, str | None]]:
    """The final fill of every data cell (the template's, or this run's mark), as (sheet, range, fill)
    rectangles of one fill each: one write per rectangle, each cell written once."""
    final = dict(base_fills(report.format_id, data_places(report)))
    for (sheet, address), colour in marks.items():
        final[(sheet, *zero_based(address))] = colour
    return rectangles(final)


def rectangles(cells: dict[tuple[str, int, int], str | None]) -> list[tuple[str, str, str | None]]:
    """(sheet, row, col) -> value as few same-value rectangles as this greedy pass finds: runs along
    each row, then runs of equal width stacked from consecutive rows."""
    runs: list[list] = []  # [sheet, r0, r1, c0, c1, value]
    for (sheet, r, c), value in sorted(cells.items(), key=lambda kv: kv[0]):
        last = runs[-1] if runs else None
        if last and last[0] == sheet and last[1] == r and last[4] == c - 1 and last[5] == value:
            last[4] = c
        else:
            runs.append([sheet, r, r, c, c, value])
    rects: list[list] = []
    open_by_shape: dict[tuple, list] = {}  # (sheet, c0, c1, value) -> the rectangle still growing downwards
    for run in runs:
        key = (run[0], run[3], run[4], run[5])
        twin = open_by_shape.get(key)
        if twin is not None and twin[2] == run[1] - 1:
            twin[2] = run[1]
        else:
            rects.append(run)
            open_by_shape[key] = run
    return [(s, range_a1(r0, c0, r1, c1), v) for s, r0, r1, c0, c1, v in rects]


def range_a1(r0: int, c0: int, r1: int, c1: int) -> str:
    """Zero-based corners -> 'D6' or 'D6:J30'."""
    return _a1(r0, c0) if (r0, c0) == (r1, c1) else f"{_a1(r0, c0)}:{_a1(r1, c1)}"


def _a1(r: int, c: int) -> str:
    return join(r + 1, c + 1)


def finding_cells(f: Finding, report: Report) -> list[tuple[str, str]]:
    """(sheet, address) of every workbook cell a finding names: this year's cells and 上年数据 cells."""
    out = []
    for cid in f.cells:
        src = report.provenance.get(cid)
        if src is not None and src.sheet and src.address:
            out.append((src.sheet, src.address))
    prev_map = layout.previous_map(report.format_id)
    for cid in f.previous_cells:
        if cid in prev_map:
            out.append(_previous_place(report, cid, prev_map[cid]))
    return out


def plan(report: Report, result: Result, previous_rows: list[rs.OldRow], now: _dt.datetime | None = None) -> Plan:
    now = now or _dt.datetime.now()
    p = Plan()
    kept = {row.fingerprint: row for row in previous_rows if row.fingerprint and row.explanation}
    confirmed = 0
    for i, f in enumerate(result.findings, 1):
        explanation = kept.pop(f.fingerprint).explanation if f.fingerprint in kept else ""
        is_confirmed = bool(explanation) and f.severity != ERROR
        confirmed += is_confirmed and f.severity == WARNING
        where = finding_cells(f, report)
        colour = _colour(f.severity, is_confirmed)
        for key in where:
            if colour and _PRIORITY[colour] > _PRIORITY.get(p.fills.get(key), -1):
                p.fills[key] = colour
        note_at = ""
        if where and _needs_note(f, is_confirmed):
            note_at = f"{where[0][0]}!{where[0][1]}"
        label = f.severity_label + ("（已确认）" if is_confirmed else "")
        places = "、".join(f"{s}!{a}" for s, a in where) or "—"
        p.rows.append(Row(i, label, f"{title_of(f.rule)}（{f.rule}）", places, f.message, explanation, f.fingerprint, note_at, f.severity))
    for old in kept.values():  # explanations whose finding is gone: never drop what a clerk wrote
        p.rows.append(Row(len(p.rows) + 1, rs.GONE_LABEL, old.rule, old.where, old.message, old.explanation, old.fingerprint, "", ""))
    p.colours = colour_ranges(report, p.fills)
    _add_notes(p, result, report)
    p.counts = dict(result.counts, confirmed=confirmed)
    p.status = status_line(result, confirmed, now)
    return p


# A blank cell needs no note: its colour and the 校验结果 row say all (an empty template has ~200 of them).
_NO_NOTE_RULES = frozenset({"value.blank"})


def _needs_note(f: Finding, confirmed: bool) -> bool:
    return f.severity in (ERROR, WARNING) and not confirmed and f.rule not in _NO_NOTE_RULES


def _colour(severity: str, confirmed: bool) -> str | None:
    if severity == ERROR:
        return ERROR_FILL
    if severity == WARNING:
        return CONFIRMED_FILL if confirmed else WARNING_FILL
    return None


def _add_notes(p: Plan, result: Result, report: Report) -> None:
    texts: dict[tuple[str, str], list[str]] = {}
    for row, f in zip(p.rows, result.findings):
        if row.note_at:
            sheet, address = row.note_at.split("!", 1)
            texts.setdefault((sheet, address), []).append(f"{f.severity_label}：{f.message}")
    p.notes = [(s, a, NOTE_PREFIX + "\n" + "\n".join(lines)) for (s, a), lines in texts.items()]


def status_line(result: Result, confirmed: int, now: _dt.datetime) -> str:
    c = result.counts
    open_warnings = c[WARNING] - confirmed
    if not c[ERROR] and not open_warnings:
        text = "通过" + (f"（{confirmed} 个警告已确认）" if confirmed else "")
    else:
        text = f"发现 {c[ERROR]} 个错误、{open_warnings} 个警告" + (f"（另有 {confirmed} 个警告已确认）" if confirmed else "")
    return f"{rs.STATUS_PREFIX}{text}　校验时间：{now:%Y-%m-%d %H:%M}"
