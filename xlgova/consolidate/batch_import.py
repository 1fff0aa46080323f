"""Many published reports at once: one row per report, one column per cell id, and every finding.

Auditors and researchers import a city's agencies or a province's counties in one go. Each document is
imported and validated on its own: a broken file becomes a row that says why (``无法读取``) and the run
goes on. With ``pair_previous``, a report is checked against last year's report of the same agency when
that report is among the inputs (agency names compared by :func:`.names.normalise_name`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from ..formats import FORMATS
from ..errors import XlgovaError
from ..model import Report
from ..rules import Finding, Result, validate

UNREADABLE = "无法读取"
REPORT_HEADERS = ("文件", "单位名称", "年度", "格式版本", "状态", "错误数", "警告数", "上年报告", "主要问题")
FINDING_HEADERS = ("文件", "单位名称", "年度", "级别", "规则", "单元格", "说明", "原文")
FIRST_FINDINGS = 3  # findings quoted in a report's row (all of them are on the findings sheet)


@dataclass
class Entry:
    path: str
    report: Report | None = None
    result: Result | None = None
    error: str = ""
    previous: "Entry | None" = None
    notes: list[str] = field(default_factory=list)

    @property
    def state(self) -> str:
        if self.error or self.result is None:
            return UNREADABLE
        return self.result.status_text()


def import_many(paths: Iterable[str], *, pair_previous: bool = False, progress: Callable[[int], None] | None = None) -> list[Entry]:
    """Import every document (never stopping at a broken one), pair years if asked, validate each."""
    from ..importers import import_document

    entries = []
    for path in paths:
        entry = Entry(str(path))
        try:
            entry.report = import_document(path)
        except XlgovaError as e:
            entry.error = str(e)
        except Exception as e:  # noqa: BLE001 - a batch reports any failure of one file and goes on
            entry.error = f"读取失败（{type(e).__name__}），请用 xlgova import 单独导入该文件查看详情"
        entries.append(entry)
        if progress is not None:
            progress(1)
    if pair_previous:
        pair_years(entries)
    for entry in entries:
        if entry.report is None:
            continue
        try:
            prev = entry.previous.report if entry.previous is not None else None
            entry.result = validate(entry.report, previous=prev)
        except Exception as e:  # noqa: BLE001
            entry.error = f"校验失败（{type(e).__name__}）"
    return entries


def pair_years(entries: list[Entry]) -> None:
    """Give each report last year's report of the same agency, when exactly one is among the inputs."""
    from .names import normalise_name

    by_key: dict[tuple[str, int], list[Entry]] = {}
    for e in entries:
        if e.report is not None and e.report.agency and e.report.year:
            by_key.setdefault((normalise_name(e.report.agency), e.report.year), []).append(e)
    for (name, year), group in by_key.items():
        prev = by_key.get((name, year - 1), [])
        for e in group:
            if len(prev) == 1:
                e.previous = prev[0]
            elif len(prev) > 1:
                e.notes.append(f"输入中有 {len(prev)} 份该单位 {year - 1} 年的报告，未做跨年度核对")


def cell_columns() -> list[str]:
    """Every format's cell ids, the newest format first, each id once."""
    out: dict[str, None] = {}
    for fmt in sorted(FORMATS.values(), key=lambda f: f.years[0], reverse=True):
        out.update(dict.fromkeys(fmt.cells))
    return list(out)


def _value(report: Report, cid: str):
    v = report.values.get(cid)
    if v is None or v.is_blank:
        return ""
    j = v.to_json()
    return j if isinstance(j, (int, float, str)) else str(j)


def report_row(entry: Entry, columns: list[str]) -> list:
    r = entry.report
    if r is None or entry.result is None:
        return [entry.path, "", "", "", UNREADABLE, "", "", "", entry.error] + [""] * len(columns)
    counts = entry.result.counts
    first = [f.message for f in _serious_first(entry.result.findings)[:FIRST_FINDINGS]]
    prev = entry.previous.path if entry.previous is not None else ""
    return [entry.path, r.agency, r.year or "", r.format_id, entry.state, counts["error"], counts["warning"], prev,
            "；".join(entry.notes + first)] + [_value(r, c) for c in columns]


def _serious_first(findings: list[Finding]) -> list[Finding]:
    order = {"error": 0, "warning": 1, "info": 2}
    return sorted(findings, key=lambda f: order.get(f.severity, 3))


def finding_rows(entries: list[Entry]) -> list[list]:
    rows = []
    for e in entries:
        if e.result is None:
            rows.append([e.path, "", "", "无法读取", "", "", e.error, ""])
            continue
        r = e.report
        for f in _serious_first(e.result.findings):
            rows.append([e.path, r.agency, r.year or "", f.severity_label, f.rule, "、".join(f.cells), f.message, f.quote or ""])
    return rows


def write_batch(entries: list[Entry], path: Path, *, inputs: tuple = ()) -> list[Path]:
    """The summary as .xlsx (报告, 发现, 单元格), .csv (审核.csv and 审核_发现.csv) or .json; written atomically."""
    columns = cell_columns()
    reports = [list(REPORT_HEADERS) + columns] + [report_row(e, columns) for e in entries]
    findings = [list(FINDING_HEADERS)] + finding_rows(entries)
    cells = [["单元格编号", "格式版本", "说明"]] + cell_rows(columns)
    from .batch_files import write_csv, write_json, write_xlsx

    writer = {".xlsx": write_xlsx, ".csv": write_csv}.get(path.suffix.lower(), write_json)
    return writer(path, reports, findings, cells, inputs)


def cell_rows(columns: list[str]) -> list[list[str]]:
    """Each cell-id column named as in the format(s) it belongs to."""
    rows = []
    for cid in columns:
        fmts = [f for f in sorted(FORMATS.values(), key=lambda f: f.years[0], reverse=True) if cid in f.cells]
        rows.append([cid, "、".join(f.id for f in fmts), fmts[0].cell(cid).label])
    return rows
