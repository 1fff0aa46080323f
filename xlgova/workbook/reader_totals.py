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

from ..formats import get_format
from ..model import Report, format_number, parse_value
from ..rules.identities import defining_identity, derive_totals
from ..model.finding import Finding
from ..ooxml.a1 import split as split_address

ERROR_VALUES = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!", "#CALC!"})
RULE = "workbook.total_overwritten"


def _derive(report: Report, pending) -> dict[str, object]:
    """The totals in ``pending`` computed the way SUM does from the cells below them: text and blanks
    count as 0; None where a part could not be read at all (already reported as workbook.cell_missing)."""
    return derive_totals(report.format_id, report.values, pending)


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
    has_formula = _formulas(totals, pkg, raw_at)
    pending = {cid for cid, sheet, _a, row, col in totals.cells if has_formula[cid] and _is_unset(raw_at(sheet, row, col))}
    for cid, derived in _derive(report, pending).items():
        if derived is not None:
            report.values[cid] = parse_value(derived)
    where = totals.where
    typed = [cid for cid in where if not has_formula[cid]]
    if typed and len(typed) == len(where):
        locs = [(c, where[c]) for c in typed]
        return [Finding.of(RULE, f"工作簿的 {len(typed)} 个合计单元格都没有公式（不是用模板填写，或公式被整体替换为数值），已按填写的数值读取并核对勾稽关系", typed, locations=locs)]
    out = []
    shown = [cid for cid in where if cid not in pending]
    expected_of = _derive(report, set(where)) if shown else {}  # from the inputs alone, not from other totals
    for cid in shown:
        expected = expected_of[cid]
        message = _problem(report.values[cid], has_formula[cid], expected)
        if message:
            out.append(Finding.of(RULE, f"{where[cid]} {report.format.cell(cid).label}{message}", (cid,), locations=((cid, where[cid]),),
                               expected=expected, actual=report.values[cid].to_json()))
    return out


def _formulas(totals: TotalCells, pkg, raw_at) -> dict[str, bool]:
    """Total cell id -> whether it holds a formula. A client that cannot say (xlwings' remote engine reads
    values only) has recalculated every formula it holds, so there a blank total is one whose formula was
    deleted and a shown value is taken as a formula's result (checked against the parts all the same)."""
    with_formula, unknown = set(), set()
    for sheet, rows in totals.rows:
        found = pkg.formula_cells(sheet, rows)
        if found is None:
            unknown.add(sheet)
        else:
            with_formula.update((sheet, a) for a in found)
    return {cid: (sheet, address) in with_formula if sheet not in unknown else raw_at(sheet, row, col) not in (None, "")
            for cid, sheet, address, row, col in totals.cells}


def _problem(value, formula: bool, expected) -> str | None:
    should = f"（按各项之和应为 {format_number(expected)}）" if expected is not None else ""
    if not formula:
        if value.is_blank:
            return f"的公式已被删除，单元格为空白{should}"
        return f"的公式已被改写为“{value.raw if value.raw is not None else format_number(value.number)}”{should}，今后修改各项数字时合计不会自动更新"
    if value.is_number and expected is not None and value.number != expected:
        return f"显示的值 {format_number(value.number)} 与各项之和 {format_number(expected)} 不符（公式可能被修改，或文件保存时未重新计算）"
    return None
