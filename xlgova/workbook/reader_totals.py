"""Totals read from a workbook are checked against their inputs, never taken on trust.

A total cell is one of four things:
- a formula with no cached value (openpyxl and similar tools write none): its value is derived from the
  inputs the way the formula computes it (SUM: text and blanks count as 0);
- a formula whose cached value agrees with its inputs: kept;
- a formula whose cached value disagrees (the formula was edited, or the file was not recalculated): kept
  as shown, and a ``workbook.total_overwritten`` finding names the cell;
- a typed value where the template has a formula (a clerk typed over it): kept as typed, and a finding.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..formats import get_format
from ..model import Report, format_number, parse_value
from ..rules.identities import defining_identity
from ..model.finding import Finding
from .reader_cells import finding, split_address

ERROR_VALUES = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!", "#CALC!"})
RULE = "workbook.total_overwritten"


@lru_cache(maxsize=None)
def _sum_order(format_id: str) -> tuple[tuple[str, tuple[tuple[int, str], ...]], ...]:
    """(total, its parts as (coefficient, cell id)), each total after the totals it adds up."""
    defining = defining_identity(format_id)
    order: list = []
    done: set[str] = set()

    def visit(cid: str) -> None:
        if cid not in done:
            done.add(cid)
            for t in defining[cid].rhs:
                if t.cell in defining:
                    visit(t.cell)
            order.append((cid, tuple((t.coef, t.cell) for t in defining[cid].rhs)))

    for cid in defining:
        visit(cid)
    return tuple(order)


def _derive(report: Report, pending: set[str]) -> dict[str, object]:
    """The totals in ``pending`` computed the way SUM does from the cells below them: text and blanks
    count as 0, a pending part is derived in turn; None where a part could not be read at all (already
    reported as workbook.cell_missing)."""
    values, out = report.values, {}
    for cid, parts in _sum_order(report.format_id):
        if cid not in pending:
            continue
        total = 0
        for coef, part in parts:
            if part in pending:
                x = out[part]
            else:
                v = values.get(part)
                x = None if v is None else v.number if v.is_number else 0
            if x is None:
                total = None
                break
            total += coef * x
        out[cid] = total
    return out


def _is_unset(raw) -> bool:
    return raw is None or (isinstance(raw, str) and (raw == "" or raw.strip() in ERROR_VALUES))


@dataclass(frozen=True)
class TotalCells:
    """Where a workbook's totals sit, worked out once per reading plan (see ``reader._Plan``)."""

    cells: tuple[tuple[str, str, str, int, int], ...]  # (cell id, sheet, address, 0-based row, column), format order
    rows: tuple[tuple[str, tuple[tuple[int, tuple[str, ...]], ...]], ...]  # per sheet: (row, addresses), ascending
    where: dict[str, str]  # cell id -> "依申请公开!J6", for messages


def total_cells(format_id: str, located: dict[str, tuple[str, str]]) -> TotalCells:
    defining = defining_identity(format_id)
    cells, rows = [], {}
    for cid in get_format(format_id).cells:
        if cid in defining and cid in located:
            sheet, address = located[cid]
            row, col = split_address(address)
            cells.append((cid, sheet, address, row - 1, col - 1))
            rows.setdefault(sheet, {}).setdefault(row, []).append(address)
    by_sheet = tuple((sheet, tuple((r, tuple(a)) for r, a in sorted(by_row.items()))) for sheet, by_row in rows.items())
    return TotalCells(tuple(cells), by_sheet, {cid: f"{sheet}!{address}" for cid, sheet, address, _r, _c in cells})


def settle_totals(report: Report, totals: TotalCells, pkg, raw_at) -> list[Finding]:
    """Fill derived totals into ``report.values``; return findings about totals that cannot be trusted.

    ``raw_at(sheet, row, column)``: the value python-calamine read there (0-based).
    """
    with_formula = {(sheet, a) for sheet, rows in totals.rows for a in pkg.formula_cells(sheet, rows)}
    has_formula = {cid: (sheet, address) in with_formula for cid, sheet, address, _r, _c in totals.cells}
    pending = {cid for cid, sheet, _a, row, col in totals.cells if has_formula[cid] and _is_unset(raw_at(sheet, row, col))}
    for cid, derived in _derive(report, pending).items():
        if derived is not None:
            report.values[cid] = parse_value(derived)
    where = totals.where
    typed = [cid for cid in where if not has_formula[cid]]
    if typed and len(typed) == len(where):
        locs = [(c, where[c]) for c in typed]
        return [finding(RULE, f"工作簿的 {len(typed)} 个合计单元格都没有公式（不是用模板填写，或公式被整体替换为数值），已按填写的数值读取并核对勾稽关系", typed, locs)]
    out = []
    shown = [cid for cid in where if cid not in pending]
    expected_of = _derive(report, set(where)) if shown else {}  # from the inputs alone, not from other totals
    for cid in shown:
        expected = expected_of[cid]
        message = _problem(report.values[cid], has_formula[cid], expected)
        if message:
            out.append(finding(RULE, f"{where[cid]} {report.format.cell(cid).label}{message}", (cid,), ((cid, where[cid]),),
                               expected=expected, actual=report.values[cid].to_json()))
    return out


def _problem(value, formula: bool, expected) -> str | None:
    should = f"（按各项之和应为 {format_number(expected)}）" if expected is not None else ""
    if not formula:
        if value.is_blank:
            return f"的公式已被删除，单元格为空白{should}"
        return f"的公式已被改写为“{value.raw if value.raw is not None else format_number(value.number)}”{should}，今后修改各项数字时合计不会自动更新"
    if value.is_number and expected is not None and value.number != expected:
        return f"显示的值 {format_number(value.number)} 与各项之和 {format_number(expected)} 不符（公式可能被修改，或文件保存时未重新计算）"
    return None
