"""The 校验结果 sheet's native summary: one line per check group, counted by formulas, and the status cell.

Each line counts what :func:`xlgova.rules.validate` would report under one rule id, so the counts (and the
status ``错误：N 项检查不符``) agree with the Python result finding for finding.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..formats import get_format, year_formula
from ..rules import ERROR, SEVERITY_LABELS, severity_of, title_of
from . import layout as L
from .check_formulas import BLANKISH, INVALID_CODES, PASS, SKIP, _range, _runs, check_cells, join, range_ref, ref, split

# Summary columns (the findings table below shares columns A-F: 序号 级别 规则 位置 说明 已确认说明).
SUMMARY_HEADERS = ("序号", "级别", "规则", "检查数", "检查项目", "结果", "通过", "不符", "未核对")
COL_COUNT, COL_TITLE, COL_TEXT, COL_PASS, COL_FAIL, COL_SKIP = 4, 5, 6, 7, 8, 9


@dataclass(frozen=True)
class SummaryLine:
    rule: str
    checks: int  # how many instances (cells or identities)
    fail: str  # formula (without "=") counting failures
    skip: str = "0"  # formula counting instances not compared
    passed: str | None = None  # formula counting passes; default: checks - fail - skip

    @property
    def severity(self) -> str:
        return severity_of(self.rule)


def _cover(key: str) -> str:
    return ref(L.COVER, {k: a for k, _, a in L.COVER_FIELDS}[key])


def _cover_lines(format_id: str) -> list[SummaryLine]:
    year, fmt_cell, agency = _cover("year"), _cover("format"), _cover("agency")
    expected = year_formula(year)
    return [
        SummaryLine("format.year", 1, f"IF(ISNUMBER({year}),IF({expected}={fmt_cell},0,1),0)", f"IF(ISNUMBER({year}),0,1)"),
        SummaryLine("report.agency_missing", 1, f"IF(LEN(TRIM({agency}))=0,1,0)"),
        SummaryLine("report.year_missing", 1, f"IF(ISNUMBER({year}),0,1)"),
    ]


def _value_regions(format_id: str) -> list[str]:
    """Each table's block of hidden value checks, as a range reference."""
    out = []
    for p in L.placements(format_id):
        out.append(range_ref(p.sheet, join(p.first_row, p.first_col + L.MIRROR_OFFSET), join(p.last_row, p.last_col + L.MIRROR_OFFSET)))
    return out


def _value_lines(format_id: str) -> list[SummaryLine]:
    n = len(get_format(format_id).cells)
    regions = _value_regions(format_id)
    invalid = "+".join(f'COUNTIF({r},"{code}")' for r in regions for code in INVALID_CODES)
    blank = "+".join(f'COUNTIF({r},"{BLANKISH}")' for r in regions)
    return [SummaryLine("value.invalid", n, invalid), SummaryLine("value.blank", n, blank)]


def _identity_lines(format_id: str) -> list[SummaryLine]:
    by_rule: dict[str, list] = {}
    for c in check_cells(format_id):
        by_rule.setdefault(c.ident.rule, []).append((c.sheet, *split(c.address)))
    out = []
    for rule, cells in by_rule.items():
        runs = [_range(r, L.RESULTS) for r in _runs(cells)]
        # review checks sit in merged cells spaced a group apart: count them over the whole row
        count = lambda text: "+".join(f'COUNTIF({r},"{text}")' for r in runs)  # noqa: E731
        passed, skipped = count(PASS), count(SKIP)
        out.append(SummaryLine(rule, len(cells), f"{len(cells)}-({passed})-({skipped})", skipped, passed))
    return out


def summary_lines(format_id: str) -> list[SummaryLine]:
    return _cover_lines(format_id) + _value_lines(format_id) + _identity_lines(format_id)


def summary_rows(format_id: str) -> dict[str, int]:
    """rule id -> its row on the 校验结果 sheet."""
    return {line.rule: L.RESULTS_SUMMARY_HEADER_ROW + 1 + i for i, line in enumerate(summary_lines(format_id))}


def write_summary(ws, format_id: str, styles) -> tuple[str, str]:
    """Write the summary lines; returns formulas (without "=") for the error and warning totals."""
    S = styles
    head = L.RESULTS_SUMMARY_HEADER_ROW
    for i, text in enumerate(SUMMARY_HEADERS, 1):
        S.box(ws, head, i, head, i, text, font=S.HEADER)
    errors, warnings = [], []
    lines = summary_lines(format_id)
    assert head + len(lines) + 2 < L.RESULTS_HEADER_ROW, "summary overlaps the findings table"
    for i, line in enumerate(lines, 1):
        r = head + i
        values = {
            1: i, 2: SEVERITY_LABELS[line.severity], 3: line.rule, COL_COUNT: line.checks, COL_TITLE: title_of(line.rule),
            COL_PASS: "=" + (line.passed or f"{line.checks}-{join(r, COL_FAIL)}-{join(r, COL_SKIP)}"),
            COL_FAIL: "=" + line.fail, COL_SKIP: "=" + line.skip,
        }
        fail, skip = join(r, COL_FAIL), join(r, COL_SKIP)
        bad = "错误" if line.severity == ERROR else "警告"
        values[COL_TEXT] = (
            f'=IF({fail}>0,"× {bad} "&{fail}&" 项",IF({skip}={line.checks},"— 未核对",'
            f'IF({skip}>0,"√ 通过（"&{skip}&" 项未核对）","√ 通过")))'
        )
        for col, value in values.items():
            align = S.LEFT if col in (COL_TITLE, COL_TEXT, 3) else S.CENTER
            S.box(ws, r, col, r, col, value, font=S.BODY, align=align)
        (errors if line.severity == ERROR else warnings).append(fail)
    return "+".join(errors), "+".join(warnings)
