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

from ..model import Report, format_number, parse_value
from ..rules.identities import defining_identity
from ..rules.result import Finding
from .reader_cells import finding

ERROR_VALUES = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!", "#CALC!"})
RULE = "workbook.total_overwritten"


def _sum_part(report: Report, cid: str, pending: set[str], memo: dict) -> object:
    if cid in pending:
        return _derive(report, cid, pending, memo)
    v = report.values.get(cid)
    if v is None:
        return None  # the part could not be read (already reported as workbook.cell_missing)
    return v.number if v.is_number else 0  # SUM skips text and blanks


def _derive(report: Report, cid: str, pending: set[str], memo: dict):
    if cid not in memo:
        memo[cid] = None  # guards against a definition cycle
        ident = defining_identity(report.format_id)[cid]
        total = 0
        for t in ident.rhs:
            part = _sum_part(report, t.cell, pending, memo)
            if part is None:
                return None
            total += t.coef * part
        memo[cid] = total
    return memo[cid]


def _is_unset(raw) -> bool:
    return raw is None or (isinstance(raw, str) and (raw == "" or raw.strip() in ERROR_VALUES))


def settle_totals(report: Report, located: dict[str, tuple[str, str]], pkg, raw_of) -> list[Finding]:
    """Fill derived totals into ``report.values``; return findings about totals that cannot be trusted."""
    defining = defining_identity(report.format_id)
    totals = [c for c in report.format.cells if c in defining and c in located]
    by_sheet: dict[str, list[str]] = {}
    for c in totals:
        by_sheet.setdefault(located[c][0], []).append(located[c][1])
    with_formula = {(sheet, a) for sheet, addresses in by_sheet.items() for a in pkg.formula_cells(sheet, addresses)}
    has_formula = {c: located[c] in with_formula for c in totals}
    pending = {c for c in totals if has_formula[c] and _is_unset(raw_of(c))}
    memo: dict = {}
    for cid in pending:
        derived = _derive(report, cid, pending, memo)
        if derived is not None:
            report.values[cid] = parse_value(derived)
    typed = [c for c in totals if not has_formula[c]]
    if typed and len(typed) == len(totals):
        locs = [(c, _where(located, c)) for c in typed]
        return [finding(RULE, f"工作簿的 {len(typed)} 个合计单元格都没有公式（不是用模板填写，或公式被整体替换为数值），已按填写的数值读取并核对勾稽关系", typed, locs)]
    out = []
    everything, memo = set(totals), {}  # expected values come from the inputs alone, not from other totals
    for cid in totals:
        if cid in pending:
            continue
        expected = _derive(report, cid, everything, memo)
        message = _problem(report.values[cid], has_formula[cid], expected)
        if message:
            where = _where(located, cid)
            out.append(finding(RULE, f"{where} {report.format.cell(cid).label}{message}", (cid,), ((cid, where),),
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


def _where(located: dict[str, tuple[str, str]], cid: str) -> str:
    sheet, address = located[cid]
    return f"{sheet}!{address}"
